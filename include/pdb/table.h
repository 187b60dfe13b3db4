/*
 * table.h — tables and their stream settings: create (from arguments or an
 * AWS CreateTable request), look up, list, describe, delete, and enable or
 * disable the stream, each enable making a new stream with its own ARN.
 *
 * Every function that writes runs its own write transaction unless the
 * caller holds one.  json_t results are new references.
 */
#ifndef PDB_TABLE_H
#define PDB_TABLE_H

#include <stdint.h>
#include <jansson.h>

#include "pdb/clock.h"
#include "pdb/db.h"
#include "pdb/key.h"

#define PDB_ARN_MAX 512

enum pdb_view {
	PDB_VIEW_NONE,
	PDB_VIEW_KEYS_ONLY,
	PDB_VIEW_NEW_IMAGE,
	PDB_VIEW_OLD_IMAGE,
	PDB_VIEW_NEW_AND_OLD_IMAGES
};

/* "KEYS_ONLY" ... for a view, NULL for PDB_VIEW_NONE. */
const char *pdb_view_name(enum pdb_view v);
/* The view named s, or -1. */
int pdb_view_parse(const char *s);

struct pdb_table {
	int64_t id;
	char name[PDB_NAME_MAX];
	char table_id[40];
	int64_t created_ms;
	struct pdb_keyschema ks;
	/* The capturing stream: 0 and PDB_VIEW_NONE when disabled. */
	int64_t stream;
	enum pdb_view view;
};

/* What a table is created from. */
struct pdb_table_spec {
	char name[PDB_NAME_MAX];
	struct pdb_keyschema ks;
	enum pdb_view view;
	json_t *extra;		/* owned: members kept for describe */
};

/* Fill spec from "NAME", "KEY[:TYPE]", "SORTKEY[:TYPE]" (may be NULL) and
 * a view name (NULL for none). */
int pdb_table_spec_args(struct pdb_table_spec *spec, const char *name,
    const char *key, const char *sortkey, const char *view,
    struct pdb_err *e);
/* Fill spec from an AWS CreateTable request. */
int pdb_table_spec_request(struct pdb_table_spec *spec, const json_t *req,
    struct pdb_err *e);
void pdb_table_spec_free(struct pdb_table_spec *spec);

int pdb_table_create(struct pdb_db *db, const struct pdb_table_spec *spec,
    struct pdb_err *e);
/* ResourceNotFoundException (PDB_NEGATIVE) when there is no such table. */
int pdb_table_get(struct pdb_db *db, const char *name, struct pdb_table *t,
    struct pdb_err *e);
/* Call fn for each table name in order; stops early if fn returns non-0. */
int pdb_table_list(struct pdb_db *db, int (*fn)(void *, const char *),
    void *arg, struct pdb_err *e);
/* The TableDescription, as DescribeTable returns it. */
int pdb_table_describe(struct pdb_db *db, const char *name, json_t **out,
    struct pdb_err *e);
/* Delete the table and its items; its stream is disabled and stays
 * readable until retention. */
int pdb_table_delete(struct pdb_db *db, const char *name, struct pdb_err *e);
/* Enable a new stream with view, or disable the current one
 * (PDB_VIEW_NONE). */
int pdb_table_set_stream(struct pdb_db *db, const char *name,
    enum pdb_view view, struct pdb_err *e);

#endif
