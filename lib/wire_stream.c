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

static int
put_shard(void *arg, const struct pdb_shard *sh)
{
	json_array_append_new(arg, pdb_wire_shard(sh));
	return 0;
}

int
w_describe_stream(struct wreq *r)
{
	struct pdb_describe_stream rq = { 0 };
	char last[PDB_SHARD_MAX];
	struct pdb_stream s;
	json_t *filter = NULL, *shards;
	if (w_string(r, r->body, "StreamArn", &rq.target) != PDB_OK ||
	    w_string(r, r->body, "ExclusiveStartShardId", &rq.start) !=
	    PDB_OK ||
	    w_int(r, r->body, "Limit", &rq.limit, &rq.limit_given) != PDB_OK ||
	    w_object(r, r->body, "ShardFilter", &filter) != PDB_OK ||
	    w_string(r, filter, "Type", &rq.filter_type) != PDB_OK ||
	    w_string(r, filter, "ShardId", &rq.filter_shard) != PDB_OK ||
	    w_required(r, rq.target, "streamArn") != PDB_OK)
		return r->e->status;
	rq.filter = filter != NULL;
	shards = json_array();
	if (pdb_op_describe_stream(r->c->db, &rq, 0, &s, put_shard, shards,
	    last, r->e) != PDB_OK) {
		json_decref(shards);
		return r->e->status;
	}
	w_open(r);
	w_member(r, "StreamDescription");
	w_json(r, pdb_wire_stream_description(&s, shards, last));
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
