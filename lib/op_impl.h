/*
 * op_impl.h — what the operation modules (op_*.c) share: the rule, common
 * to batches and transactions, that no two requests name one item, and
 * that no expression looks inside a key.  Not a public API.
 */
#ifndef PDB_OP_IMPL_H
#define PDB_OP_IMPL_H

#include "pdb/catalog.h"
#include "pdb/expr.h"
#include "pdb/key.h"

/* ValidationException when a path of x (NULL: none) goes into an
 * attribute that is a key of t or of one of its indexes: keys are
 * scalars, so DynamoDB refuses "pk.a" or "pk[0]" in every expression. */
int pdb_check_key_paths(const struct pdb_table *t, const struct pdb_expr *x,
    struct pdb_err *e);
/* The same for each expression of an item request. */
struct pdb_item_req;
int pdb_check_item_paths(const struct pdb_table *t,
    const struct pdb_item_req *r, struct pdb_err *e);

/* An item a request names: its table and encoded key. */
struct pdb_item_name {
	const char *table;
	unsigned char key[PDB_KEY_MAX];
	size_t len;
};

/* ValidationException with message when two of the n names are one item
 * (names are sorted). */
int pdb_items_distinct(struct pdb_item_name *names, size_t n,
    const char *message, struct pdb_err *e);

#endif
