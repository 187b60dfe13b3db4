/* op_stream.c — ListStreams, DescribeStream, GetShardIterator, GetRecords. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/op_stream.h"
#include "pdb/clock.h"
#include "pdb/store.h"

struct listing {
	const char *start;
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

	if (l->skipping) {
		l->skipping = strcmp(s->arn, l->start) != 0;
		return 0;
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
	if (limit != 0 && pdb_op_stream_limit(PDB_LIMIT_LIST_STREAMS, limit,
	    e) != PDB_OK)
		return e->status;
	return pdb_store_stream_list(db, table, pdb_db_now_ms(db) -
	    pdb_db_retention_ms(db), list_one, &l, e);
}

int
pdb_op_describe_stream(struct pdb_db *db, const char *table_or_arn,
    struct pdb_stream *s, struct pdb_err *e)
{
	return pdb_stream_find(db, table_or_arn, s, e);
}

int
pdb_op_get_iterator(struct pdb_db *db, const char *table_or_arn,
    const char *shard, enum pdb_iter_type type, const char *seq,
    char *token, struct pdb_err *e)
{
	struct pdb_stream s;
	struct pdb_iter it;

	if (pdb_stream_find(db, table_or_arn, &s, e) != PDB_OK ||
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
	int n, first_expired;
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

	if (p->n == 0 && r->created_ms < p->cutoff) {
		p->first_expired = 1;
		return 1;
	}
	/* About 1 MB a page, but always at least one record. */
	if ((p->bytes += record_bytes(r)) > PDB_PAGE_BYTES_MAX && p->n > 0)
		return 1;
	p->it->pos = r->seq;
	p->n++;
	return p->fn(p->arg, &p->it->stream, r);
}

/* The page's records, read in the caller's snapshot. */
static int
read_records(struct page *p, int limit, int *ended, struct pdb_err *e)
{
	struct pdb_iter *it = p->it;
	int64_t horizon;
	int exhausted;

	/* The stream's state now: trimming and disabling move on. */
	if (pdb_stream_find(p->db, it->stream.arn, &it->stream, e) != PDB_OK)
		return e->status;
	if (it->pos < it->stream.trimmed_seq)
		return trimmed(e);
	if (pdb_store_record_each(p->db, it->stream.id, it->pos, limit,
	    page_record, p, &exhausted, e) != PDB_OK)
		return e->status;
	if (p->first_expired) {
		/* An expired first record: the position is trimmed if it lies
		 * before the horizon (a live record may precede it when a
		 * writer's clock went back); else read on from it. */
		if (pdb_stream_horizon(p->db, &it->stream, &horizon, e) !=
		    PDB_OK)
			return e->status;
		if (it->pos < horizon)
			return trimmed(e);
		p->cutoff = INT64_MIN;
		p->first_expired = 0;
		if (pdb_store_record_each(p->db, it->stream.id, it->pos, limit,
		    page_record, p, &exhausted, e) != PDB_OK)
			return e->status;
	}
	/* A closed shard is at its end when nothing follows the page: also
	 * an empty one, whose EndingSequenceNumber holds no record. */
	*ended = it->stream.end_seq != 0 && exhausted;
	return PDB_OK;
}

int
pdb_op_records_page(struct pdb_db *db, struct pdb_iter *it, int limit,
    int (*fn)(void *, const struct pdb_stream *, const struct pdb_record *),
    void *arg, int *ended, struct pdb_err *e)
{
	struct page p = { .db = db, .it = it, .fn = fn, .arg = arg,
	    .cutoff = pdb_db_now_ms(db) - pdb_db_retention_ms(db) };
	int rc;

	*ended = 0;
	/* One snapshot: a trim committed between reading the horizon and
	 * the records must not skip records unnoticed. */
	if (pdb_db_begin_read(db, e) != PDB_OK)
		return e->status;
	rc = read_records(&p, limit, ended, e);
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
