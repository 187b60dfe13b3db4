/*
 * op_item.h — the item operations, PutItem, DeleteItem, UpdateItem and
 * GetItem, as both front ends call them: a typed request, the caller's
 * transaction (pdb_tx, write.h), a result.  Every DynamoDB rule of these
 * operations is decided here: validation, conditions, updates,
 * ReturnValues, projections and consumed capacity.
 *
 * A request borrows everything; its item is canonicalised in place.  A
 * result owns its text (pdb_item_res_free).
 */
#ifndef PDB_OP_ITEM_H
#define PDB_OP_ITEM_H

#include <jansson.h>

#include "pdb/expr.h"
#include "pdb/write.h"

enum pdb_return {
	PDB_RETURN_NONE, PDB_RETURN_ALL_OLD, PDB_RETURN_UPDATED_OLD,
	PDB_RETURN_ALL_NEW, PDB_RETURN_UPDATED_NEW
};
/* The value named s ("ALL_OLD", ...), or -1. */
int pdb_return_parse(const char *s);

/* A PutItem's item checked before its transaction (pdb_item_prepare), so
 * that the writers' queue does not wait for it: its size and canonical
 * text, or the error pdb_op_put gives once the table is found. */
struct pdb_item_ready {
	int rc;			/* PDB_OK, or err's status */
	struct pdb_err err;
	size_t size;
	char *text;		/* malloc'd; NULL after an error */
};

struct pdb_item_req {
	const char *table;
	json_t *item;			/* Put: the item; else the key */
	const struct pdb_item_ready *ready;	/* Put: NULL, or prepared */
	const struct pdb_expr *condition;	/* ConditionExpression */
	const struct pdb_expr *update;		/* UpdateItem's expression */
	const struct pdb_expr *projection;	/* GetItem's */
	enum pdb_return ret;			/* ReturnValues */
	int old_on_failure;	/* ReturnValuesOnConditionCheckFailure ALL_OLD */
	int consistent;		/* GetItem's ConsistentRead */
};

struct pdb_item_res {
	/* Canonical DynamoDB JSON text (malloc'd) or NULL: the Attributes
	 * ReturnValues asked for, or GetItem's Item. */
	char *item;
	/* With old_on_failure, the item a failed condition saw. */
	char *old;
	double units;		/* consumed capacity units, the table's */
	/* A write's units in the table's indexes, beside units (owned). */
	struct pdb_index_units *index;
	int nindex;
};

void pdb_item_res_free(struct pdb_item_res *res);

/* Check and canonicalise item (in place) for a PutItem, and keep what
 * came of it in *ready (pdb_item_ready_free): no transaction needed. */
void pdb_item_prepare(json_t *item, struct pdb_item_ready *ready);
void pdb_item_ready_free(struct pdb_item_ready *ready);

/* A failed condition is ConditionalCheckFailedException and changes
 * nothing. */
int pdb_op_put(struct pdb_tx *tx, const struct pdb_item_req *r,
    struct pdb_item_res *res, struct pdb_err *e);
int pdb_op_delete(struct pdb_tx *tx, const struct pdb_item_req *r,
    struct pdb_item_res *res, struct pdb_err *e);
/* An update of a missing key creates the item; without an expression
 * (update NULL) it creates it with only its key. */
int pdb_op_update(struct pdb_tx *tx, const struct pdb_item_req *r,
    struct pdb_item_res *res, struct pdb_err *e);
/* A transaction's ConditionCheck: the condition on the item with the key,
 * which changes nothing. */
int pdb_op_check(struct pdb_tx *tx, const struct pdb_item_req *r,
    struct pdb_item_res *res, struct pdb_err *e);
/* res->item is NULL when there is no item with the key. */
int pdb_op_get(struct pdb_tx *tx, const struct pdb_item_req *r,
    struct pdb_item_res *res, struct pdb_err *e);

#endif
