/*
 * item.h — reading and writing items.  A writer validates each item, reads
 * the old one, writes the new one and its stream record, all in the
 * caller's batch transaction, so an item change never exists without its
 * record.  Readers print stored item text as it is.
 *
 * A writer is owned by its caller (pdb_writer_free); json_t arguments are
 * borrowed but may be canonicalised in place.
 */
#ifndef PDB_ITEM_H
#define PDB_ITEM_H

#include <stdio.h>
#include <jansson.h>

#include "pdb/db.h"
#include "pdb/table.h"

struct pdb_writer;

/* A writer for table; the table is looked up again at every begin. */
int pdb_writer_new(struct pdb_writer **out, struct pdb_db *db,
    const char *table, struct pdb_err *e);
void pdb_writer_free(struct pdb_writer *w);

/* A write transaction: BEGIN IMMEDIATE, the table, retention trimming. */
int pdb_writer_begin(struct pdb_writer *w, struct pdb_err *e);
int pdb_writer_commit(struct pdb_writer *w, struct pdb_err *e);
void pdb_writer_rollback(struct pdb_writer *w);

/* Put a whole item (INSERT or MODIFY; no record when nothing changes). */
int pdb_writer_put(struct pdb_writer *w, json_t *item, struct pdb_err *e);
/* Delete by key; extra attributes are ignored (REMOVE, or nothing when
 * the item does not exist). */
int pdb_writer_delete(struct pdb_writer *w, json_t *key, struct pdb_err *e);

/* Parse one input line into an item: DynamoDB JSON, or plain JSON
 * marshalled as the SDKs do.  *out is a new reference. */
int pdb_item_parse(const char *line, size_t len, int plain, json_t **out,
    struct pdb_err *e);
/* Print stored item text as a line, as DynamoDB JSON or plain JSON. */
int pdb_item_print(FILE *f, const char *text, size_t len, int plain);

/* The stored text of the item with key (checked and canonicalised), in
 * *text (malloc'd), or PDB_NEGATIVE when there is none. */
int pdb_item_get(struct pdb_db *db, const struct pdb_table *t, json_t *key,
    char **text, struct pdb_err *e);

struct pdb_key_range;

/* Call fn with the text of each item whose key lies in r (expr.h), in key
 * order or reversed; fn returning non-0 stops. */
int pdb_item_query(struct pdb_db *db, const struct pdb_table *t,
    const struct pdb_key_range *r, int reverse,
    int (*fn)(void *, const char *, size_t), void *arg, struct pdb_err *e);

/* Call fn with each item's text in key order; fn returning non-0 stops. */
int pdb_item_scan(struct pdb_db *db, const struct pdb_table *t,
    int (*fn)(void *, const char *, size_t), void *arg, struct pdb_err *e);



struct pdb_lines;
struct pdb_progress;
struct pdb_expr;

/* --return-values */
enum pdb_return {
	PDB_RETURN_NONE, PDB_RETURN_ALL_OLD, PDB_RETURN_UPDATED_OLD,
	PDB_RETURN_ALL_NEW, PDB_RETURN_UPDATED_NEW
};
/* The value named s ("ALL_OLD", ...), or -1. */
int pdb_return_parse(const char *s);

/* What a put, delete or update does beyond the plain change; the apply
 * functions below take it as their arg (NULL: nothing more). */
struct pdb_write_opts {
	const struct pdb_expr *condition;	/* must hold on the old item */
	const struct pdb_expr *update;		/* pdb-update's expression */
	enum pdb_return ret;			/* images to print */
	int plain;				/* print them as plain JSON */
	FILE *out;
};

/* One change per input line: put, delete, update. */
typedef int (*pdb_apply_fn)(struct pdb_writer *w, json_t *item, void *arg,
    struct pdb_err *e);

struct pdb_load {
	int plain;		/* input lines are plain JSON */
	long batch;		/* commit every batch lines; 0: all or nothing */
	pdb_apply_fn apply;
	void *arg;
	struct pdb_progress *progress;	/* may be NULL */
	/* Called for a line whose condition failed, which is then skipped
	 * instead of failing the input; NULL: fail. */
	void (*skipped)(long lineno, const struct pdb_err *e);
};

/*
 * Apply every line of in, in transactions of load->batch lines (or one).
 * On error the open transaction is rolled back, e is filled and
 * in->lineno names the line.
 */
int pdb_writer_load(struct pdb_writer *w, struct pdb_lines *in,
    const struct pdb_load *load, struct pdb_err *e);

/*
 * Put, delete or update one line's item or key, honouring a struct
 * pdb_write_opts (arg, may be NULL): a failed condition is
 * ConditionalCheckFailedException (PDB_NEGATIVE) and changes nothing.
 */
int pdb_apply_put(struct pdb_writer *w, json_t *item, void *arg,
    struct pdb_err *e);
int pdb_apply_delete(struct pdb_writer *w, json_t *item, void *arg,
    struct pdb_err *e);
int pdb_apply_update(struct pdb_writer *w, json_t *key, void *arg,
    struct pdb_err *e);
#endif
