/*
 * op_table.h — the table operations, CreateTable, DescribeTable,
 * ListTables, DeleteTable and UpdateTable's stream switch, with
 * DynamoDB's rules for names, keys and streams.  Each runs in the caller's
 * transaction (write.h): a write one, but for describe and list.
 *
 * A struct pdb_table_spec owns its extra members (pdb_table_spec_free);
 * a struct pdb_table_info owns its extra JSON (pdb_table_info_free).
 */
#ifndef PDB_OP_TABLE_H
#define PDB_OP_TABLE_H

#include <jansson.h>

#include "pdb/catalog.h"
#include "pdb/write.h"

#define PDB_VALIDATION "1 validation error detected: "

/* What a table is created from. */
struct pdb_table_spec {
	char name[PDB_NAME_MAX];
	struct pdb_keyschema ks;
	enum pdb_view view;
	int shards;		/* the stream's first shards; 0: one */
	int nindex;
	struct pdb_index *index;	/* owned: the LSIs, then the GSIs */
	char ttl[PDB_NAME_MAX];		/* TTL enabled on this attribute */
	json_t *extra;		/* owned: members kept for describe */
};

/* Add a copy of ix to the spec's indexes. */
int pdb_table_spec_add_index(struct pdb_table_spec *spec,
    const struct pdb_index *ix, struct pdb_err *e);

/*
 * An index from its short form, "NAME KEY[:TYPE] [SORTKEY[:TYPE]]
 * [ALL|KEYS_ONLY|INCLUDE:ATTR,…]" for a GSI, "NAME SORTKEY[:TYPE]
 * [PROJECTION]" for an LSI, whose partition key is the table's (ks).
 * ix is the caller's to free (pdb_index_free).
 */
int pdb_index_parse(struct pdb_index *ix, const char *arg, int global,
    const struct pdb_keyschema *ks, struct pdb_err *e);

/* Fill spec from "NAME", "KEY[:TYPE]", "SORTKEY[:TYPE]" (may be NULL) and
 * a view name (NULL for none). */
int pdb_table_spec_args(struct pdb_table_spec *spec, const char *name,
    const char *key, const char *sortkey, const char *view,
    struct pdb_err *e);
void pdb_table_spec_free(struct pdb_table_spec *spec);

/* DynamoDB's rules, for the request decoders (wire.h) too. */
int pdb_table_check_name(const char *name, struct pdb_err *e);
/* The same checks for a table name the request holds as member. */
int pdb_table_check_name_at(const char *name, const char *member,
    struct pdb_err *e);
/* index: the element's place in the request's list, from 1, for the
 * message ('keySchema.1.member.attributeName'). */
int pdb_table_check_key_name(const char *name, int index, struct pdb_err *e);
/* "S", "N" or "B" into *type. */
int pdb_table_parse_type(const char *s, int index, char *type,
    struct pdb_err *e);
/* A view name into *view, or DynamoDB's ValidationException. */
int pdb_table_parse_view(const char *s, enum pdb_view *view,
    struct pdb_err *e);
int pdb_table_check_keys(const struct pdb_keyschema *ks, struct pdb_err *e);

/* Everything DescribeTable tells about a table. */
struct pdb_table_info {
	struct pdb_table t;		/* with its indexes */
	int64_t item_count, size_bytes;
	struct pdb_index_stats {
		int64_t count, bytes;
	} *index_stats;			/* owned: t.nindex of them */
	json_t *extra;			/* owned */
	int has_stream;			/* the latest stream, if any: */
	struct pdb_stream latest;
};
void pdb_table_info_free(struct pdb_table_info *info);

/* ResourceInUseException when the table exists. */
int pdb_op_create_table(struct pdb_tx *tx, const struct pdb_table_spec *spec,
    struct pdb_table_info *info, struct pdb_err *e);
int pdb_op_describe_table(struct pdb_tx *tx, const char *name,
    struct pdb_table_info *info, struct pdb_err *e);
/* Table names after start (NULL: from the first), at most limit (0: all),
 * each to fn; *more when names remain after the last given. */
int pdb_op_list_tables(struct pdb_tx *tx, const char *start, int limit,
    int (*fn)(void *, const char *), void *arg, int *more,
    struct pdb_err *e);
/* The table and its items go; its stream is disabled and stays readable
 * until retention.  info describes the table as it was. */
int pdb_op_delete_table(struct pdb_tx *tx, const char *name,
    struct pdb_table_info *info, struct pdb_err *e);
/* Merge members into what the table keeps from its creation (billing,
 * tags, deletion protection); a member set to null is removed. */
int pdb_op_update_extra(struct pdb_tx *tx, const char *name,
    const json_t *members, struct pdb_table_info *info, struct pdb_err *e);

/* UpdateTable's index changes: a GSI created (filled from the table's
 * items before this returns), or deleted with its rows. */
int pdb_op_add_index(struct pdb_tx *tx, const char *name,
    const struct pdb_index *ix, struct pdb_table_info *info,
    struct pdb_err *e);
int pdb_op_delete_index(struct pdb_tx *tx, const char *name,
    const char *index, struct pdb_table_info *info, struct pdb_err *e);

/* Enable a new stream with view and shards open shards of equal ranges
 * (0: one), or disable the current one (PDB_VIEW_NONE), closing every
 * open shard. */
int pdb_op_set_stream(struct pdb_tx *tx, const char *name, enum pdb_view view,
    int shards, struct pdb_table_info *info, struct pdb_err *e);

/*
 * Idempotent setup (pdb-table create --if-not-exists, pdb-table stream,
 * pdb-load): the table or stream as asked, made only when missing; *created
 * or *changed says whether it was.  One that exists but differs (other
 * keys, another stream view type) is ResourceInUseException saying what
 * differs.  Tags, billing and the other kept members are not compared:
 * they do not change what the table holds.
 */
int pdb_op_ensure_table(struct pdb_tx *tx, const struct pdb_table_spec *spec,
    struct pdb_table_info *info, int *created, struct pdb_err *e);
int pdb_op_ensure_stream(struct pdb_tx *tx, const char *name,
    enum pdb_view view, int shards, struct pdb_table_info *info,
    int *changed, struct pdb_err *e);

#endif
