/* op_stream.c — ListStreams, DescribeStream, GetShardIterator, GetRecords. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/op_stream.h"
#include "pdb/clock.h"
#include "pdb/store.h"

struct listing {
	const char *start, *start_label;
	int skipping, limit, n;
	int (*fn)(void *, const struct pdb_stream *);
	void *arg;
	char *last;
	const char *prev;
	char prev_arn[PDB_ARN_MAX];
};

static int
list_one(void *arg, const struct pdb_stream *s)
{
	struct listing *l = arg;

	/* Streams come newest first, and a label is its stream's creation
	 * time: the page resumes after the start's place even when that
	 * stream is no longer listed (its table deleted). */
	if (l->skipping) {
		if (strcmp(s->arn, l->start) == 0) {
			l->skipping = 0;
			return 0;
		}
		if (l->start_label == NULL ||
		    strcmp(s->label, l->start_label) >= 0)
			return 0;
		l->skipping = 0;
	}
	if (l->limit > 0 && l->n == l->limit) {
		/* More follow: the page ends at the last one given. */
		strcpy(l->last, l->prev_arn);
		return 1;
	}
	l->n++;
	snprintf(l->prev_arn, sizeof(l->prev_arn), "%s", s->arn);
	return l->fn(l->arg, s);
}

int
pdb_op_list_streams(struct pdb_db *db, const char *table,
    const char *start_arn, int limit,
    int (*fn)(void *, const struct pdb_stream *), void *arg, char *last,
    struct pdb_err *e)
{
	struct listing l = { .start = start_arn, .skipping = start_arn != NULL,
	    .limit = limit, .fn = fn, .arg = arg, .last = last };

	last[0] = '\0';
	if (start_arn != NULL && (l.start_label = strstr(start_arn,
	    "/stream/")) != NULL)
		l.start_label += strlen("/stream/");
	if (limit != 0 && pdb_op_stream_limit(PDB_LIMIT_LIST_STREAMS, limit,
	    e) != PDB_OK)
		return e->status;
	return pdb_store_stream_list(db, table, pdb_db_now_ms(db) -
	    pdb_db_retention_ms(db), list_one, &l, e);
}

/* A ShardId member: 28 to 65 characters, as the model says. */
static int
shard_id_length(const char *v, const char *member, struct pdb_err *e)
{
	size_t n = strlen(v);

	if (n >= 28 && n <= 65)
		return PDB_OK;
	return pdb_err_invalid(e, "1 validation error detected: Value '%s' at "
	    "'%s' failed to satisfy constraint: Member must have length %s",
	    v, member, n < 28 ? "greater than or equal to 28" :
	    "less than or equal to 65");
}

static int
check_describe(const struct pdb_describe_stream *rq, struct pdb_err *e)
{
	if (rq->limit_given && pdb_op_stream_limit(PDB_LIMIT_DESCRIBE_STREAM,
	    rq->limit, e) != PDB_OK)
		return e->status;
	if (rq->start != NULL && shard_id_length(rq->start,
	    "exclusiveStartShardId", e) != PDB_OK)
		return e->status;
	if (!rq->filter)
		return PDB_OK;
	if (rq->filter_type == NULL || strcmp(rq->filter_type,
	    "CHILD_SHARDS") != 0)
		return pdb_err_invalid(e, "1 validation error detected: Value "
		    "'%s' at 'shardFilter.type' failed to satisfy constraint: "
		    "Member must satisfy enum value set: [CHILD_SHARDS]",
		    rq->filter_type ? rq->filter_type : "null");
	/* The model makes ShardId optional; CHILD_SHARDS of nothing is
	 * meaningless, so pdb asks for one. */
	if (rq->filter_shard == NULL)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: ShardFilter of type CHILD_SHARDS needs the ShardId "
		    "of the parent shard");
	return shard_id_length(rq->filter_shard, "shardFilter.shardId", e);
}

struct shards {
	const struct pdb_describe_stream *rq;
	int64_t after, parent;
	int limit, n, found;
	int (*fn)(void *, const struct pdb_shard *);
	void *arg;
	char *last;
	char prev[PDB_SHARD_MAX];
};

static int
shard_one(void *arg, const struct pdb_shard *sh)
{
	struct shards *l = arg;

	if (l->limit > 0 && l->n == l->limit) {
		/* More follow: the page ends at the last one given. */
		snprintf(l->last, PDB_SHARD_MAX, "%s", l->prev);
		return 1;
	}
	l->n++;
	snprintf(l->prev, sizeof(l->prev), "%s", sh->shard_id);
	return l->fn(l->arg, sh);
}

/* Where a page starting after the shard start begins: after its row, or,
 * for an id the stream does not hold (one gone with retention), before
 * the first shard whose id sorts after it, as DynamoDB Local does. */
static int
start_of(void *arg, const struct pdb_shard *sh)
{
	struct shards *l = arg;

	if (strcmp(sh->shard_id, l->rq->start) == 0) {
		l->after = sh->id;
		l->found = 1;
		return 1;
	}
	if (strcmp(sh->shard_id, l->rq->start) > 0 && !l->found) {
		l->after = sh->id - 1;
		l->found = 1;
	}
	return 0;
}

static int
list_shards(struct pdb_db *db, const struct pdb_stream *s, struct shards *l,
    struct pdb_err *e)
{
	int64_t cutoff = pdb_db_now_ms(db) - pdb_db_retention_ms(db);
	struct pdb_shard parent;

	if (l->rq->filter) {
		if (pdb_store_shard_find(db, s->id, l->rq->filter_shard, &parent,
		    e) != PDB_OK)
			return e->code == PDB_E_NOT_FOUND ? PDB_OK : e->status;
		l->parent = parent.id;
	}
	if (l->rq->start != NULL) {
		if (pdb_store_shard_list(db, s->id, 0, 0, cutoff, start_of, l,
		    e) != PDB_OK)
			return e->status;
		if (!l->found)
			return PDB_OK;	/* every shard sorts before it */
	}
	return pdb_store_shard_list(db, s->id, l->after, l->parent, cutoff,
	    shard_one, l, e);
}

int
pdb_op_describe_stream(struct pdb_db *db,
    const struct pdb_describe_stream *rq, int all_by_default,
    struct pdb_stream *s, int (*fn)(void *, const struct pdb_shard *),
    void *arg, char *last, struct pdb_err *e)
{
	struct shards l = { .rq = rq, .fn = fn, .arg = arg, .last = last,
	    .limit = rq->limit_given ? (int)rq->limit : all_by_default ? 0 :
	    PDB_DESCRIBE_SHARDS_MAX };
	int rc;

	last[0] = '\0';
	if (check_describe(rq, e) != PDB_OK)
		return e->status;
	/* One snapshot: a roll between two reads would list a child
	 * without its parent's end. */
	if (pdb_db_begin_read(db, e) != PDB_OK)
		return e->status;
	if ((rc = pdb_stream_find(db, rq->target, s, e)) == PDB_OK)
		rc = list_shards(db, s, &l, e);
	pdb_db_rollback(db);
	return rc;
}

int
pdb_op_get_iterator(struct pdb_db *db, const char *table_or_arn,
    const char *shard, enum pdb_iter_type type, const char *seq,
    char *token, struct pdb_err *e)
{
	struct pdb_stream s;
	struct pdb_iter it;

	if (pdb_stream_find_to_iterate(db, table_or_arn, &s, e) != PDB_OK ||
	    pdb_iter_start(db, &s, shard, type, seq, &it, e) != PDB_OK)
		return e->status;
	pdb_iter_encode(db, &it, token);
	return PDB_OK;
}

static int
trimmed(struct pdb_err *e)
{
	return pdb_err_set(e, PDB_E_TRIMMED, "The data you are trying to "
	    "access has been trimmed.");
}

struct page {
	struct pdb_db *db;
	struct pdb_iter *it;
	int (*fn)(void *, const struct pdb_stream *, const struct pdb_record *);
	void *arg;
	int64_t cutoff, bytes;
	int n, limit, scanned, first_expired;
};

/* Stored text and room for the record's other members: about what a
 * record takes in a response. */
static int64_t
record_bytes(const struct pdb_record *r)
{
	return (int64_t)(r->keys_len + r->new_len + r->old_len) + 300;
}

static int
page_record(void *arg, const struct pdb_record *r)
{
	struct page *p = arg;

	if (p->scanned++ == 0 && r->created_ms < p->cutoff) {
		p->first_expired = 1;
		return 1;
	}
	/* A shard is read through its stream: another shard's record is
	 * passed over, and the position moves past it. */
	if (p->it->shard.id != 0 && r->shard != p->it->shard.id) {
		p->it->pos = r->seq;
		return 0;
	}
	/* About 1 MB a page, but always at least one record. */
	if ((p->bytes += record_bytes(r)) > PDB_PAGE_BYTES_MAX && p->n > 0)
		return 1;
	p->it->pos = r->seq;
	p->n++;
	return p->fn(p->arg, &p->it->stream, r) != 0 || p->n == p->limit;
}

/* Up to limit records of the iterator's shard (or stream), within one
 * call's bounded work. */
static int
scan(struct page *p, int *exhausted, struct pdb_err *e)
{
	struct pdb_iter *it = p->it;
	int64_t upto = it->shard.id != 0 && it->shard.end_seq != 0 ?
	    it->shard.end_seq : INT64_MAX;
	int rows = it->shard.id != 0 ? PDB_PAGE_SCAN_MAX : p->limit;

	p->scanned = 0;
	return pdb_store_record_each(p->db, it->stream.id, it->pos, upto, rows,
	    page_record, p, exhausted, e);
}

/* The page's records, read in the caller's snapshot. */
static int
read_records(struct page *p, int *ended, struct pdb_err *e)
{
	struct pdb_iter *it = p->it;
	int64_t horizon;
	int exhausted;

	/* The stream's state now: trimming, closing and disabling move
	 * on. */
	if (pdb_stream_find(p->db, it->stream.arn, &it->stream, e) != PDB_OK ||
	    (it->shard.id != 0 && pdb_store_shard_get(p->db, it->shard.id,
	    &it->shard, e) != PDB_OK))
		return e->status;
	if (it->pos < it->stream.trimmed_seq)
		return trimmed(e);
	if (scan(p, &exhausted, e) != PDB_OK)
		return e->status;
	if (p->first_expired) {
		/* An expired first record: the position is trimmed if it lies
		 * before the horizon (a live record may precede it when a
		 * writer's clock went back); else read on from it. */
		if (pdb_iter_horizon(p->db, it, &horizon, e) != PDB_OK)
			return e->status;
		if (it->pos < horizon)
			return trimmed(e);
		p->cutoff = INT64_MIN;
		p->first_expired = 0;
		if (scan(p, &exhausted, e) != PDB_OK)
			return e->status;
	}
	/* A closed shard is at its end when nothing of it follows the page:
	 * also an empty one, whose EndingSequenceNumber holds no record. */
	if (it->shard.id != 0)
		*ended = it->shard.end_seq != 0 && (exhausted ||
		    it->pos >= it->shard.end_seq);
	else
		*ended = it->stream.end_seq != 0 && exhausted;
	return PDB_OK;
}

int
pdb_op_records_page(struct pdb_db *db, struct pdb_iter *it, int limit,
    int (*fn)(void *, const struct pdb_stream *, const struct pdb_record *),
    void *arg, int *ended, struct pdb_err *e)
{
	struct page p = { .db = db, .it = it, .fn = fn, .arg = arg,
	    .limit = limit,
	    .cutoff = pdb_db_now_ms(db) - pdb_db_retention_ms(db) };
	int rc;

	*ended = 0;
	/* One snapshot: a trim committed between reading the horizon and
	 * the records must not skip records unnoticed. */
	if (pdb_db_begin_read(db, e) != PDB_OK)
		return e->status;
	rc = read_records(&p, ended, e);
	pdb_db_rollback(db);
	return rc;
}

int
pdb_op_stream_limit(enum pdb_stream_limit which, long long limit,
    struct pdb_err *e)
{
	/* The model sets no maximum; DynamoDB Local's texts (FINDINGS B14). */
	static const struct {
		long long max;
		const char *over;
	} l[] = {
		[PDB_LIMIT_LIST_STREAMS] = { PDB_LIST_STREAMS_MAX, "cannot be "
		    "greater than the maximum allowed size: 100" },
		[PDB_LIMIT_DESCRIBE_STREAM] = { 100, "cannot be greater than "
		    "the maximum: 100" },
		[PDB_LIMIT_GET_RECORDS] = { PDB_PAGE_RECORDS_MAX, "should be "
		    "less than or equal to 1000" }
	};

	if (limit < 1)
		return pdb_err_invalid(e, "1 validation error detected: Value "
		    "'%lld' at 'limit' failed to satisfy constraint: Member "
		    "must have value greater than or equal to 1", limit);
	if (limit > l[which].max)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Limit %s", l[which].over);
	return PDB_OK;
}

int
pdb_op_records_limit(const char *s, int *limit, struct pdb_err *e)
{
	long long v;

	if (pdb_parse_whole(s, LLONG_MIN, LLONG_MAX, &v) != 0)
		return pdb_err_invalid(e, "1 validation error detected: Value "
		    "'%s' at 'limit' failed to satisfy constraint: Member must "
		    "be a whole number", s);
	if (pdb_op_stream_limit(PDB_LIMIT_GET_RECORDS, v, e) != PDB_OK)
		return e->status;
	*limit = (int)v;
	return PDB_OK;
}

int
pdb_op_get_records(struct pdb_db *db, const char *token, int limit,
    int (*fn)(void *, const struct pdb_stream *, const struct pdb_record *),
    void *arg, char *next, struct pdb_err *e)
{
	struct pdb_iter it;
	int ended;

	next[0] = '\0';
	if (pdb_op_stream_limit(PDB_LIMIT_GET_RECORDS, limit, e) != PDB_OK)
		return e->status;
	if (pdb_iter_decode(db, token, &it, e) != PDB_OK ||
	    pdb_op_records_page(db, &it, limit, fn, arg, &ended, e) != PDB_OK)
		return e->status;
	if (!ended)
		pdb_iter_encode(db, &it, next);
	return PDB_OK;
}
