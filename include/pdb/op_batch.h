/*
 * op_batch.h — BatchWriteItem and BatchGetItem: many tables in one
 * request, with DynamoDB's limits (25 writes, 100 keys) and its rule that
 * no two requests name the same item.  The writes run in the caller's
 * transaction, so a batch is applied whole or not at all; nothing is ever
 * left unprocessed.
 */
#ifndef PDB_OP_BATCH_H
#define PDB_OP_BATCH_H

#include "pdb/op_item.h"

#define PDB_BATCH_WRITE_MAX 25
#define PDB_BATCH_GET_MAX 100

/* One write of a batch: a put of an item or a delete of a key. */
struct pdb_batch_write {
	const char *table;
	json_t *item;		/* borrowed; canonicalised in place */
	int del;
	double units;		/* out: the write capacity it consumed */
	/* out: and in the table's indexes (the caller frees index) */
	struct pdb_index_units *index;
	int nindex;
};

/* Apply n writes. */
int pdb_op_batch_write(struct pdb_tx *tx, struct pdb_batch_write *w,
    size_t n, struct pdb_err *e);

/* One table's keys of a BatchGetItem. */
struct pdb_batch_get {
	const char *table;
	json_t *keys;		/* an array of keys, borrowed */
	const struct pdb_expr *projection;
	int consistent;
	double units;		/* out: the read capacity it consumed */
};

/* Look up every key; each item found goes to fn with the index of its
 * table in g.  Tables and keys are checked whole before anything is
 * read. */
int pdb_op_batch_get(struct pdb_tx *tx, struct pdb_batch_get *g, size_t n,
    int (*fn)(void *, size_t, const char *), void *arg, struct pdb_err *e);

#endif
