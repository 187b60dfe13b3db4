/*
 * wire_impl.h — what the request decoders of the wire_*.c files share:
 * one request being answered, reading its members with DynamoDB's
 * SerializationException and ValidationException wording, running a
 * write in its own transaction, and writing the response.  Not a public
 * API.
 */
#ifndef PDB_WIRE_IMPL_H
#define PDB_WIRE_IMPL_H

#include "pdb/group.h"
#include "pdb/op_batch.h"
#include "pdb/op_item.h"
#include "pdb/op_read.h"
#include "pdb/op_stream.h"
#include "pdb/op_table.h"
#include "pdb/op_ttl.h"
#include "pdb/wire.h"

/* One request in progress. */
struct wreq {
	const struct pdb_call *c;
	json_t *body;		/* the request object */
	struct pdb_buf *out;	/* the response body */
	struct pdb_err *e;
	int capacity;		/* ReturnConsumedCapacity: 0 NONE, 1 TOTAL,
				 * 2 INDEXES */
	int members;		/* written into the response object so far */
	/* Members the error body carries besides __type and message (a
	 * failed condition's Item, a cancellation's reasons): JSON text,
	 * malloc'd. */
	char *error_members;
};

/* Members of o: absent gives NULL (or leaves *out alone); a member of the
 * wrong JSON type is SerializationException. */
int w_string(struct wreq *r, const json_t *o, const char *name,
    const char **out);
int w_object(struct wreq *r, const json_t *o, const char *name,
    json_t **out);
int w_array(struct wreq *r, const json_t *o, const char *name,
    json_t **out);
int w_bool(struct wreq *r, const json_t *o, const char *name, int *out);
int w_int(struct wreq *r, const json_t *o, const char *name, long long *out,
    int *given);
/* ValidationException when a required member is absent; path is its
 * name as DynamoDB says it ('tableName'). */
int w_required(struct wreq *r, const void *v, const char *path);
/* One of names (NULL-terminated) into *out, its index; absent: dflt.
 * DynamoDB's enum ValidationException otherwise. */
int w_enum(struct wreq *r, const char *name, const char *path,
    const char *const *names, int dflt, int *out);
/* The same, of object o. */
int w_enum_in(struct wreq *r, const json_t *o, const char *name,
    const char *path, const char *const *names, int dflt, int *out);

/* TableName, required and valid; a table ARN names its table. */
int w_table(struct wreq *r, const char **table);
/* ReturnConsumedCapacity into r->capacity. */
int w_capacity(struct wreq *r);
/* The request's expressions: the members that hold them (NULL: the kind
 * is not taken), ExpressionAttributeNames and ...Values, parsed. */
int w_exprs(struct wreq *r, const char *key, const char *condition,
    const char *update, const char *filter, const char *projection,
    struct pdb_expr_set *set);
/* Only the texts of those members, and what the operation takes, into
 * t. */
int w_texts(struct wreq *r, const char *key, const char *condition,
    const char *update, const char *filter, const char *projection,
    struct pdb_expr_texts *t);
/* The rest of a request DynamoDB checks between its expressions' members
 * and the expressions: first (the item's or key's values) before the
 * legacy members, late (a start key's) after them; either may be NULL. */
struct w_checks {
	int (*first)(struct wreq *r, void *arg);
	int (*late)(struct wreq *r, void *arg);
	void *arg;
};
/* w_exprs, or the legacy parameters that stand for the expressions:
 * Expected, ConditionalOperator, AttributeUpdates, KeyConditions,
 * QueryFilter, ScanFilter, AttributesToGet (wire_legacy.c). */
int w_exprs_legacy(struct wreq *r, const char *key, const char *condition,
    const char *update, const char *filter, const char *projection,
    const struct w_checks *checks, struct pdb_expr_set *set);
/* ExpressionAttributeNames and, if the operation takes values (valued),
 * ExpressionAttributeValues: borrowed, NULL when absent. */
int w_placeholders(struct wreq *r, int valued, json_t **names,
    json_t **values);

/* Run fn in a write transaction of its own, or in a read one. */
int w_write(struct wreq *r, int (*fn)(struct wreq *, void *), void *arg);
int w_read(struct wreq *r, int (*fn)(struct wreq *, void *), void *arg);

/* The response: "{", then members each added with w_member (comma as
 * needed), then "}". */
void w_open(struct wreq *r);
void w_member(struct wreq *r, const char *name);
void w_close(struct wreq *r);
/* json as a member's value (taken). */
void w_json(struct wreq *r, json_t *json);
/* ConsumedCapacity of one table, when asked for. */
void w_consumed(struct wreq *r, const char *table, double units);
/* The same for a read of one of its indexes (NULL: the table's own),
 * table_units of units the table's (an LSI's fetches). */
void w_consumed_read(struct wreq *r, const char *table, double units,
    double table_units, const char *index, int global);
/* The same for a write, with what it cost the table's indexes. */
void w_consumed_write(struct wreq *r, const char *table, double units,
    const struct pdb_index_units *ix, int n);

/* ConsumedCapacity gathered a table at a time, for batches and
 * transactions too: the table's units and its indexes' ({name: units},
 * by[1] the global ones, by[0] the local ones). */
struct w_tally {
	const char *table;	/* borrowed */
	double units;
	json_t *by[2];
};

/* Add units, and the index units ix[0..nix), to table's entry of
 * tally[0..*n), which is made at *n when missing. */
void w_tally_add(struct w_tally *tally, size_t *n, const char *table,
    double units, const struct pdb_index_units *ix, int nix);
/* One entry: CapacityUnits the sum, and kind (a transaction's
 * ReadCapacityUnits or WriteCapacityUnits; NULL: none) beside it; under
 * INDEXES (capacity 2) the table's and each index's apart, kind beside
 * them too when inner_kind. */
json_t *w_tally_entry(const struct w_tally *t, int capacity,
    const char *kind, int inner_kind);
void w_tally_free(struct w_tally *tally, size_t n);

/* The operations, by file. */
int w_create_table(struct wreq *r);
int w_describe_table(struct wreq *r);
int w_delete_table(struct wreq *r);
int w_update_table(struct wreq *r);
int w_list_tables(struct wreq *r);
int w_describe_endpoints(struct wreq *r);
int w_describe_limits(struct wreq *r);
int w_tag_resource(struct wreq *r);
int w_untag_resource(struct wreq *r);
int w_list_tags(struct wreq *r);
int w_describe_ttl(struct wreq *r);
int w_update_ttl(struct wreq *r);

int w_put_item(struct wreq *r);
int w_get_item(struct wreq *r);
int w_delete_item(struct wreq *r);
int w_update_item(struct wreq *r);
int w_query(struct wreq *r);
int w_scan(struct wreq *r);
int w_batch_write(struct wreq *r);
int w_batch_get(struct wreq *r);
int w_transact_write(struct wreq *r);
int w_transact_get(struct wreq *r);

int w_list_streams(struct wreq *r);
int w_describe_stream(struct wreq *r);
int w_get_shard_iterator(struct wreq *r);
int w_get_records(struct wreq *r);

#endif
