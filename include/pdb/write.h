/*
 * write.h — the core of every change: a transaction the caller owns, and
 * within it one item write that reads the old item once, stores the new
 * one and appends its stream record, so no change exists without its
 * record.
 *
 * struct pdb_tx and struct pdb_write are the caller's; their buffers are
 * reused from one write to the next and freed with pdb_tx_free.
 */
#ifndef PDB_WRITE_H
#define PDB_WRITE_H

#include <jansson.h>

#include "pdb/catalog.h"
#include "pdb/db.h"
#include "pdb/store.h"

/* One item write: its key, and the item stored under it before. */
struct pdb_write {
	const struct pdb_table *t;
	unsigned char key[PDB_KEY_MAX];
	size_t keylen, keysize;	/* the encoding; the Keys' DynamoDB size */
	struct pdb_stored old;	/* read once, by pdb_write_begin */
	json_t *old_item;	/* old parsed, on demand (pdb_write_old) */
	/* The write units the change cost each of t->index[] (0: its entry
	 * did not change). */
	double index_units[PDB_LSI_MAX + PDB_GSI_MAX];
};

/* Write units: one per KB of the larger of a and b, at least one. */
double pdb_write_units(int64_t a, int64_t b);
/* Read units: one per 4 KB of bytes, at least one, half of that for an
 * eventually consistent read. */
double pdb_read_units(int64_t bytes, int consistent);

/* What a write cost one index, by the index's name. */
struct pdb_index_units {
	char name[PDB_NAME_MAX];
	int global;
	double units;
};

struct pdb_tx {
	struct pdb_db *db;
	int open;
	int writing;		/* begun by pdb_tx_begin_write */
	/* The last table looked up, kept from one transaction to the next
	 * while the file's catalog version (store.h) stays what it was
	 * when the table was read: table_version, 0 when it must be read
	 * again; table_checked once this transaction has compared it. */
	struct pdb_table table;
	int64_t table_version;
	int table_checked;
	struct pdb_write w;	/* the write in progress */
	int no_capture;		/* a restore: changes without stream records */
};

void pdb_tx_init(struct pdb_tx *tx, struct pdb_db *db);
void pdb_tx_free(struct pdb_tx *tx);
/* The indexes the last write cost something, in *out (malloc'd, NULL when
 * none) and *n. */
int pdb_write_index_costs(const struct pdb_tx *tx, struct pdb_index_units **out,
    int *n, struct pdb_err *e);
/* BEGIN IMMEDIATE for writers, which also delete a bounded batch of
 * records past retention; BEGIN for readers, one snapshot. */
int pdb_tx_begin_write(struct pdb_tx *tx, struct pdb_err *e);
int pdb_tx_begin_read(struct pdb_tx *tx, struct pdb_err *e);
/* On failure the transaction is rolled back. */
int pdb_tx_commit(struct pdb_tx *tx, struct pdb_err *e);
void pdb_tx_rollback(struct pdb_tx *tx);
/* The table called name, as it is in this transaction (read again only
 * when the catalog changed); ResourceNotFoundException when there is
 * none. */
int pdb_tx_table(struct pdb_tx *tx, const char *name,
    const struct pdb_table **t, struct pdb_err *e);
/* After a change to tables, indexes, streams or shards, or its undoing:
 * the next pdb_tx_table reads the table again. */
void pdb_tx_forget_table(struct pdb_tx *tx);

/*
 * Start the write of item (checked by DynamoDB's rules and canonicalised
 * in place; *size gets its size) to table t: encode its key (a whole
 * item, or a key for a lookup) and read the item stored under it.
 */
int pdb_write_begin(struct pdb_tx *tx, const struct pdb_table *t,
    json_t *item, enum pdb_key_use use, size_t *size, struct pdb_err *e);
/* The same for a whole item already checked, of size bytes. */
int pdb_write_begin_checked(struct pdb_tx *tx, const struct pdb_table *t,
    json_t *item, size_t size, struct pdb_err *e);
/* The stored item, parsed once, into *old; NULL when there is none
 * (borrowed). */
int pdb_write_old(struct pdb_tx *tx, const json_t **old, struct pdb_err *e);
/* Store item (checked, of size bytes) in place of the old one: an INSERT
 * or MODIFY record, or nothing when the item is unchanged. */
int pdb_write_put(struct pdb_tx *tx, const json_t *item, size_t size,
    struct pdb_err *e);
/* The same with item's canonical text, already made (borrowed). */
int pdb_write_put_text(struct pdb_tx *tx, const json_t *item,
    const char *text, size_t size, struct pdb_err *e);
/* Delete the old item: a REMOVE record whose Keys are key's (the checked
 * key or item given to pdb_write_begin), or nothing when there is none.
 * service marks a deletion by DynamoDB itself (TTL). */
int pdb_write_delete(struct pdb_tx *tx, const json_t *key, int service,
    struct pdb_err *e);

/* Put item (checked, of size bytes, in row rowid of table t; ikey its
 * encoded key in index ix, key its encoded table key) in ix: how an index
 * added later is filled. */
int pdb_write_index_row(struct pdb_tx *tx, const struct pdb_table *t,
    const struct pdb_index *ix, const json_t *item, size_t size,
    const unsigned char *ikey, size_t ilen, const unsigned char *key,
    size_t keylen, int64_t rowid, struct pdb_err *e);

#endif
