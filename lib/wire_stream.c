/* wire_stream.c — ListStreams, DescribeStream, GetShardIterator and
 * GetRecords requests and responses. */
#include <stdlib.h>
#include <string.h>

#include "wire_impl.h"

static int
put_entry(void *arg, const struct pdb_stream *s)
{
	json_array_append_new(arg, pdb_wire_stream_entry(s));
	return 0;
}

int
w_list_streams(struct wreq *r)
{
	const char *table = NULL, *start = NULL;
	char last[PDB_ARN_MAX];
	long long limit = 0;
	int given = 0;
	json_t *list;

	if (w_string(r, r->body, "TableName", &table) != PDB_OK ||
	    w_string(r, r->body, "ExclusiveStartStreamArn", &start) != PDB_OK ||
	    w_int(r, r->body, "Limit", &limit, &given) != PDB_OK)
		return r->e->status;
	if (given && pdb_op_stream_limit(PDB_LIMIT_LIST_STREAMS, limit, r->e) !=
	    PDB_OK)
		return r->e->status;
	list = json_array();
	if (pdb_op_list_streams(r->c->db, table, start, (int)limit, put_entry,
	    list, last, r->e) != PDB_OK) {
		json_decref(list);
		return r->e->status;
	}
	w_open(r);
	w_member(r, "Streams");
	w_json(r, list);
	if (last[0] != '\0') {
		w_member(r, "LastEvaluatedStreamArn");
		w_json(r, json_string(last));
	}
	w_close(r);
	return PDB_OK;
}

/* A stream's one shard is listed unless the request pages past it or
 * asks for its children, which it has none of. */
static int
shown_shards(struct wreq *r, const struct pdb_stream *s, int *shown)
{
	const char *start = NULL, *type = NULL, *parent = NULL;
	json_t *filter = NULL;
	long long limit = 0;
	int given = 0;

	if (w_string(r, r->body, "ExclusiveStartShardId", &start) != PDB_OK ||
	    w_int(r, r->body, "Limit", &limit, &given) != PDB_OK ||
	    w_object(r, r->body, "ShardFilter", &filter) != PDB_OK ||
	    w_string(r, filter, "Type", &type) != PDB_OK ||
	    w_string(r, filter, "ShardId", &parent) != PDB_OK)
		return r->e->status;
	if (given && pdb_op_stream_limit(PDB_LIMIT_DESCRIBE_STREAM, limit,
	    r->e) != PDB_OK)
		return r->e->status;
	if (filter != NULL && (type == NULL || strcmp(type,
	    "CHILD_SHARDS") != 0))
		return pdb_err_invalid(r->e, "1 validation error detected: Value "
		    "'%s' at 'shardFilter.type' failed to satisfy constraint: "
		    "Member must satisfy enum value set: [CHILD_SHARDS]",
		    type ? type : "null");
	*shown = start == NULL && filter == NULL;
	(void)s;
	return PDB_OK;
}

int
w_describe_stream(struct wreq *r)
{
	const char *arn = NULL;
	struct pdb_stream s;
	json_t *d;
	int shown = 1;

	if (w_string(r, r->body, "StreamArn", &arn) != PDB_OK ||
	    w_required(r, arn, "streamArn") != PDB_OK ||
	    pdb_op_describe_stream(r->c->db, arn, &s, r->e) != PDB_OK ||
	    shown_shards(r, &s, &shown) != PDB_OK)
		return r->e->status;
	d = pdb_wire_stream_description(&s);
	if (!shown)
		json_object_set_new(d, "Shards", json_array());
	w_open(r);
	w_member(r, "StreamDescription");
	w_json(r, d);
	w_close(r);
	return PDB_OK;
}

int
w_get_shard_iterator(struct wreq *r)
{
	static const char *const types[] = { "TRIM_HORIZON", "LATEST",
	    "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", NULL };
	const char *arn = NULL, *shard = NULL, *seq = NULL, *type = NULL;
	char token[PDB_ITER_MAX + 1];
	int t;

	if (w_string(r, r->body, "StreamArn", &arn) != PDB_OK ||
	    w_string(r, r->body, "ShardId", &shard) != PDB_OK ||
	    w_string(r, r->body, "ShardIteratorType", &type) != PDB_OK ||
	    w_string(r, r->body, "SequenceNumber", &seq) != PDB_OK ||
	    w_required(r, arn, "streamArn") != PDB_OK ||
	    w_required(r, shard, "shardId") != PDB_OK ||
	    w_required(r, type, "shardIteratorType") != PDB_OK ||
	    w_enum(r, "ShardIteratorType", "shardIteratorType", types, 0, &t) !=
	    PDB_OK)
		return r->e->status;
	if (seq != NULL && t < PDB_ITER_AT_SEQUENCE_NUMBER)
		return pdb_err_invalid(r->e, "One or more parameter values were "
		    "invalid: SequenceNumber should not be passed for this "
		    "iterator type");
	if (pdb_op_get_iterator(r->c->db, arn, shard, (enum pdb_iter_type)t,
	    seq, token, r->e) != PDB_OK)
		return r->e->status;
	w_open(r);
	w_member(r, "ShardIterator");
	w_json(r, json_string(token));
	w_close(r);
	return PDB_OK;
}

struct records {
	struct wreq *r;
	int n;
};

static int
put_record(void *arg, const struct pdb_stream *s, const struct pdb_record *rec)
{
	struct records *g = arg;

	if (g->n++ > 0)
		pdb_buf_putc(g->r->out, ',');
	pdb_wire_record(g->r->out, g->r->c->db, s, rec, 0);
	return 0;
}

int
w_get_records(struct wreq *r)
{
	char next[PDB_ITER_MAX + 1];
	struct records g = { r, 0 };
	const char *it = NULL;
	long long limit = PDB_PAGE_RECORDS_MAX;

	if (w_string(r, r->body, "ShardIterator", &it) != PDB_OK ||
	    w_required(r, it, "shardIterator") != PDB_OK ||
	    w_int(r, r->body, "Limit", &limit, NULL) != PDB_OK)
		return r->e->status;
	if (pdb_op_stream_limit(PDB_LIMIT_GET_RECORDS, limit, r->e) != PDB_OK)
		return r->e->status;
	pdb_wire_records_open(r->out);
	if (pdb_op_get_records(r->c->db, it, (int)limit, put_record, &g, next,
	    r->e) != PDB_OK)
		return r->e->status;
	pdb_wire_records_close(r->out, next);
	return PDB_OK;
}
