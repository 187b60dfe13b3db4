/*
 * op_impl.h — what the operation modules (op_*.c) share: the rule, common
 * to batches and transactions, that no two requests name one item.  Not a
 * public API.
 */
#ifndef PDB_OP_IMPL_H
#define PDB_OP_IMPL_H

#include "pdb/key.h"

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
