/*
 * wire.h — DynamoDB's JSON shapes, in one place for both front ends:
 * stream records (spliced from their stored text), ListStreams entries,
 * StreamDescriptions and TableDescriptions, CreateTable requests, and
 * error bodies with their __type.
 *
 * json_t results are new references; records are appended to a buffer.
 */
#ifndef PDB_WIRE_H
#define PDB_WIRE_H

#include <jansson.h>

#include "pdb/buf.h"
#include "pdb/catalog.h"
#include "pdb/db.h"
#include "pdb/op_batch.h"
#include "pdb/op_table.h"
#include "pdb/op_transact.h"

/* Append r to b as one Record object (no newline).  With lambda, the
 * record carries eventSourceARN and Lambda's lower-case userIdentity. */
void pdb_wire_record(struct pdb_buf *b, struct pdb_db *db,
    const struct pdb_stream *s, const struct pdb_record *r, int lambda);

/* GetRecords' response: open, the records (comma-separated), close with
 * NextShardIterator next (NULL or "": none). */
void pdb_wire_records_open(struct pdb_buf *b);
void pdb_wire_records_close(struct pdb_buf *b, const char *next);

/* A ListStreams entry {StreamArn, TableName, StreamLabel}. */
json_t *pdb_wire_stream_entry(const struct pdb_stream *s);
/* A Shard {ShardId, SequenceNumberRange, ParentShardId}. */
json_t *pdb_wire_shard(const struct pdb_shard *sh);
/* DescribeStream's StreamDescription, with shards (taken) and last, the
 * LastEvaluatedShardId (NULL or "": none). */
json_t *pdb_wire_stream_description(const struct pdb_stream *s,
    json_t *shards, const char *last);

/* DescribeTable's TableDescription. */
json_t *pdb_wire_table_description(struct pdb_db *db,
    const struct pdb_table_info *info);

/* DescribeTimeToLive's {"TimeToLiveDescription":{…}} for the TTL
 * attribute attr ("" when disabled). */
json_t *pdb_wire_ttl_description(const char *attr);

/* SerializationException for member name, not of JSON type want: AWS's
 * text, the member named after it for the command line. */
int pdb_wire_wrong_type(struct pdb_err *e, const json_t *v, const char *name,
    const char *want);

/* Tags, a list of {Key, Value}, added to the object tags. */
int pdb_wire_tags(const json_t *list, json_t *tags, struct pdb_err *e);

/* Fill spec from an AWS CreateTable request.  DynamoDB refuses one with
 * neither BillingMode nor ProvisionedThroughput (PROVISIONED is the
 * default); with on_demand such a request makes an on-demand table, as
 * pdb-table makes them and as a dump of one says. */
int pdb_wire_create_table(struct pdb_table_spec *spec, const json_t *req,
    int on_demand, struct pdb_err *e);
/* The CreateTable request that makes the table info describes, as it is
 * now (its stream if enabled, its kept members, tags sorted): the same
 * members in the same order for the same table. */
json_t *pdb_wire_create_table_request(const struct pdb_table_info *info);

/* KeySchema, and AttributeDefinitions into *defs unless defs is NULL. */
json_t *pdb_wire_key_schema(const struct pdb_keyschema *ks, json_t **defs);

/* A request's AttributeDefinitions: every member named (1 to 255
 * bytes) and typed, the type S, N or B, each name once. */
int pdb_wire_definitions(const json_t *defs, struct pdb_err *e);
/* "[a, b]": the names of list (strings, or objects' AttributeName), as
 * AWS's messages print them, cut to fit n. */
void pdb_wire_name_list(const json_t *list, char *out, size_t n);
/* One index of a request's GlobalSecondaryIndexes (global) or
 * LocalSecondaryIndexes, the nth (from 1), typed from defs; the caller
 * frees ix (pdb_index_free) whatever the outcome. */
int pdb_wire_index(struct pdb_index *ix, const json_t *o, int global, int nth,
    const json_t *defs, int on_demand, struct pdb_err *e);
/* A CreateTable request's indexes into spec, every AttributeDefinition
 * used. */
int pdb_wire_indexes(struct pdb_table_spec *spec, const json_t *req,
    int on_demand, struct pdb_err *e);
/* The table's indexes into a TableDescription d (and their key
 * attributes into its AttributeDefinitions defs). */
void pdb_wire_describe_indexes(struct pdb_db *db,
    const struct pdb_table_info *info, json_t *d, json_t *defs);
/* The same, as a CreateTable request asks for them. */
void pdb_wire_request_indexes(const struct pdb_table_info *info, json_t *r,
    json_t *defs);

/* A TransactWriteItems (get 0) or TransactGetItems request: its actions
 * into t (pdb_transact_free, even on failure; the actions borrow from
 * req), its ReturnConsumedCapacity into *capacity (0 NONE, 1 TOTAL, 2
 * INDEXES). */
int pdb_wire_transact_request(json_t *req, int get, struct pdb_transact *t,
    int *capacity, struct pdb_err *e);
/* The response of a transaction that ran. */
void pdb_wire_transact_response(struct pdb_buf *b,
    const struct pdb_transact *t, int get, int capacity);
/* A cancelled transaction's "CancellationReasons":[…] member. */
void pdb_wire_transact_reasons(struct pdb_buf *b,
    const struct pdb_transact *t);

/* One WriteRequest of a BatchWriteItem's table list,
 * {"PutRequest":{"Item":…}} or {"DeleteRequest":{"Key":…}}, into w (its
 * item borrowed from el), in DynamoDB's words when it is not one. */
int pdb_wire_write_request(const char *table, json_t *el,
    struct pdb_batch_write *w, struct pdb_err *e);

/* The error body DynamoDB sends: {"__type":"...#Name","message":"..."}. */
void pdb_wire_error(struct pdb_buf *b, const struct pdb_err *e);

/*
 * One call of the DynamoDB or DynamoDB Streams JSON protocol, as pdb-serve
 * receives it: the target ("DynamoDB_20120810.PutItem"), the body, and
 * the caller's connection and transaction.  Writes go through group
 * when it is set (pdb/group.h), else each in a transaction of its own on
 * tx.
 */
struct pdb_call {
	struct pdb_db *db;
	struct pdb_tx *tx;
	const char *host;		/* the Host header, for DescribeEndpoints */
	/* Writes share transactions on its connection with the caller's
	 * other threads (NULL: each write its own, on tx). */
	struct pdb_group *group;
};

/* Answer one call: the response body (success or error) in out, and its
 * HTTP status returned. */
int pdb_wire_call(const struct pdb_call *c, const char *target,
    const char *body, size_t len, struct pdb_buf *out);

#endif
