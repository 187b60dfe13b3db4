/* iter.c — streams found, trim horizons, and shard iterators by sequence number. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/iter.h"
#include "pdb/store.h"
#include "pdb/value.h"

/* For a table name, the command line's, how to make its stream; the wire
 * names ARNs. */
static int
stream_hint(struct pdb_err *e, const char *table_or_arn)
{
	if (strncmp(table_or_arn, "arn:", 4) == 0)
		return e->status;
	return pdb_err_detail(e, " (table %s has no stream; enable one with "
	    "'pdb-table stream %s VIEW')", table_or_arn, table_or_arn);
}

static int
find(struct pdb_db *db, const char *table_or_arn, struct pdb_stream *s,
    int to_iterate, struct pdb_err *e)
{
	int rc = pdb_store_stream_find(db, table_or_arn, s, e);

	if (rc == PDB_OK || e->code != PDB_E_NOT_FOUND)
		return rc;
	if (to_iterate)
		/* DynamoDB Local's words with the prefix AWS gives its
		 * unknown shard (deviations.md D10.10, D10.13). */
		pdb_err_notfound(e, "Requested resource not found: Stream "
		    "does not exist");
	else
		pdb_err_notfound(e, "Requested resource not found: Stream: "
		    "%s not found", table_or_arn);
	return stream_hint(e, table_or_arn);
}

int
pdb_stream_find(struct pdb_db *db, const char *table_or_arn,
    struct pdb_stream *s, struct pdb_err *e)
{
	return find(db, table_or_arn, s, 0, e);
}

int
pdb_stream_find_to_iterate(struct pdb_db *db, const char *table_or_arn,
    struct pdb_stream *s, struct pdb_err *e)
{
	return find(db, table_or_arn, s, 1, e);
}

static int
no_shard(struct pdb_err *e)
{
	return pdb_err_notfound(e, "Requested resource not found: Shard "
	    "does not exist");
}

int
pdb_shard_find(struct pdb_db *db, const struct pdb_stream *s, const char *id,
    struct pdb_shard *sh, struct pdb_err *e)
{
	int rc = pdb_store_shard_find(db, s->id, id, sh, e);

	if (rc != PDB_OK && e->code == PDB_E_NOT_FOUND)
		return no_shard(e);
	if (rc == PDB_OK && sh->end_seq != 0 && sh->closed_ms <
	    pdb_db_now_ms(db) - pdb_db_retention_ms(db))
		return no_shard(e);	/* gone with its records */
	return rc;
}

int
pdb_shard_id_of(struct pdb_db *db, int64_t row, char *out,
    struct pdb_err *e)
{
	struct pdb_shard sh;

	if (pdb_store_shard_get(db, row, &sh, e) != PDB_OK)
		return e->status;
	snprintf(out, PDB_SHARD_MAX, "%s", sh.shard_id);
	return PDB_OK;
}

/*
 * The expired records are the oldest ones up to the first live one (a
 * writer's clock may have gone back): walk them from the last trimmed.
 */
int
pdb_iter_horizon(struct pdb_db *db, const struct pdb_iter *it,
    int64_t *horizon, struct pdb_err *e)
{
	int64_t first = it->shard.id ? it->shard.start_seq :
	    it->stream.start_seq;
	int64_t from = it->stream.trimmed_seq > first - 1 ?
	    it->stream.trimmed_seq : first - 1;

	return pdb_store_record_expired(db, it->stream.id, from,
	    pdb_db_now_ms(db) - pdb_db_retention_ms(db), horizon, e);
}

static const char *const types[] = {
	"TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER",
	"AFTER_SEQUENCE_NUMBER"
};

int
pdb_iter_type_parse(const char *s)
{
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, types[i]) == 0)
			return i;
	return -1;
}

static uint64_t
fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static uint64_t
checksum(struct pdb_db *db, const char *arn, const char *payload)
{
	return fnv1a(fnv1a(0xcbf29ce484222325ULL ^ pdb_db_salt(db), arn),
	    payload);
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
base64(const unsigned char *in, size_t n, char *out)
{
	size_t i;
	unsigned v;

	for (i = 0; i < n; i += 3) {
		v = (unsigned)in[i] << 16 | (i + 1 < n ? in[i + 1] << 8 : 0) |
		    (i + 2 < n ? in[i + 2] : 0);
		*out++ = b64[v >> 18 & 63];
		*out++ = b64[v >> 12 & 63];
		*out++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
		*out++ = i + 2 < n ? b64[v & 63] : '=';
	}
	*out = '\0';
}

void
pdb_iter_encode(struct pdb_db *db, struct pdb_iter *it, char *out)
{
	char payload[256], opaque[400];
	int n;

	it->issued_ms = pdb_db_now_ms(db);
	n = snprintf(payload, sizeof(payload), "1:%s:%" PRId64 ":%" PRId64,
	    it->shard.id ? it->shard.shard_id : "", it->pos, it->issued_ms);
	snprintf(payload + n, sizeof(payload) - (size_t)n, ":%016" PRIx64,
	    checksum(db, it->stream.arn, payload));
	base64((const unsigned char *)payload, strlen(payload), opaque);
	snprintf(out, PDB_ITER_MAX + 1, "%s|1|%s", it->stream.arn, opaque);
}

static int
malformed(struct pdb_err *e)
{
	pdb_err_invalid(e, "Invalid ShardIterator");
	return pdb_err_detail(e, ": expected an iterator from pdb-stream-iter "
	    "or a NextShardIterator");
}

/* Split "ARN|1|OPAQUE" and decode OPAQUE into payload. */
static int
split(const char *token, char *arn, char *payload, size_t psz)
{
	const char *bar = strstr(token, "|1|");
	unsigned char buf[512];
	size_t n, blen;

	if (bar == NULL || strlen(token) > PDB_ITER_MAX ||
	    (size_t)(bar - token) >= PDB_ARN_MAX)
		return -1;
	memcpy(arn, token, (size_t)(bar - token));
	arn[bar - token] = '\0';
	n = strlen(bar + 3);
	if (n == 0 || n / 4 * 3 >= sizeof(buf) || n / 4 * 3 >= psz ||
	    pdb_value_base64_decode(bar + 3, n, buf, &blen, NULL) != PDB_OK ||
	    memchr(buf, '\0', blen) != NULL)	/* "=" turned into "A" */
		return -1;
	memcpy(payload, buf, blen);
	payload[blen] = '\0';
	return 0;
}

/* A field of digits only, within max. */
static int
field(const char **p, int64_t max, int64_t *v)
{
	const char *s = *p;

	*v = 0;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (*v > (max - (*s - '0')) / 10)
			return -1;
		*v = *v * 10 + (*s - '0');
	}
	*p = s;
	return 0;
}

/* "1:SHARD:POS:ISSUED", every number in range. */
static int
fields(const char *payload, char *shard, int64_t *pos, int64_t *issued)
{
	const char *p = payload + 2, *colon;

	if (strncmp(payload, "1:", 2) != 0 ||
	    (colon = strchr(p, ':')) == NULL ||
	    (size_t)(colon - p) >= PDB_SHARD_MAX)
		return -1;
	memcpy(shard, p, (size_t)(colon - p));
	shard[colon - p] = '\0';
	p = colon + 1;
	if (field(&p, INT64_MAX, pos) != 0 || *p++ != ':' ||
	    field(&p, PDB_TIME_MAX_MS, issued) != 0 || *p != '\0')
		return -1;
	return 0;
}

int
pdb_iter_decode(struct pdb_db *db, const char *token, struct pdb_iter *it,
    struct pdb_err *e)
{
	char arn[PDB_ARN_MAX], payload[400], shard[PDB_SHARD_MAX], *sum;
	char label[PDB_LABEL_LEN];
	int64_t pos, issued;
	unsigned long long check;
	int n = 0;

	if (split(token, arn, payload, sizeof(payload)) != 0 ||
	    (sum = strrchr(payload, ':')) == NULL ||
	    sscanf(sum, ":%16llx%n", &check, &n) != 1 || sum[n] != '\0')
		return malformed(e);
	*sum = '\0';
	if (check != checksum(db, arn, payload) ||
	    fields(payload, shard, &pos, &issued) != 0)
		return malformed(e);
	memset(it, 0, sizeof(*it));
	if (pdb_stream_find(db, arn, &it->stream, e) != PDB_OK ||
	    (shard[0] != '\0' && pdb_shard_find(db, &it->stream, shard,
	    &it->shard, e) != PDB_OK))
		return e->status;
	if (pdb_db_now_ms(db) - issued > PDB_ITER_TTL_MS) {
		pdb_clock_label(issued, label);
		return pdb_err_set(e, PDB_E_EXPIRED_ITERATOR,
		    "The provided iterator exceeds the maximum age allowed "
		    "(issued at %s, iterators last 15 minutes)", label);
	}
	it->pos = pos;
	it->issued_ms = issued;
	return PDB_OK;
}

static int
trimmed(struct pdb_err *e)
{
	return pdb_err_set(e, PDB_E_TRIMMED,
	    "The data you are trying to access has been trimmed.");
}

int
pdb_stream_last(struct pdb_db *db, const struct pdb_stream *s, int64_t *last,
    struct pdb_err *e)
{
	if (pdb_store_record_last(db, s->id, s->start_seq - 1, last, e) !=
	    PDB_OK)
		return e->status;
	/* A disabled stream ends at its EndingSequenceNumber. */
	if (s->end_seq != 0 && *last < s->end_seq)
		*last = s->end_seq;
	return PDB_OK;
}

/* The iterator's newest number: a closed shard's end; an open one's
 * newest record is at most the stream's newest. */
static int
iter_last(struct pdb_db *db, const struct pdb_iter *it, int64_t *last,
    struct pdb_err *e)
{
	if (it->shard.id != 0 && it->shard.end_seq != 0) {
		*last = it->shard.end_seq;
		return PDB_OK;
	}
	if (pdb_stream_last(db, &it->stream, last, e) != PDB_OK)
		return e->status;
	if (it->shard.id != 0 && *last < it->shard.start_seq - 1)
		*last = it->shard.start_seq - 1;
	return PDB_OK;
}

/* The number of a record of another shard, from Kinesis's words: DynamoDB
 * Streams has no InvalidArgumentException, so a ValidationException. */
static int
other_shard(struct pdb_db *db, const struct pdb_iter *it, int64_t seq,
    const char *text, struct pdb_err *e)
{
	struct pdb_shard other;
	int64_t row;

	if (it->shard.id == 0)
		return PDB_OK;
	if (pdb_store_record_shard(db, it->stream.id, seq, &row, e) != PDB_OK)
		return e->status;
	if (row == 0 || row == it->shard.id)
		return PDB_OK;
	if (pdb_store_shard_get(db, row, &other, e) != PDB_OK)
		return e->status;
	return pdb_err_invalid(e, "Invalid SequenceNumber %s for shard %s: "
	    "it is a record of shard %s", text, it->shard.shard_id,
	    other.shard_id);
}

/* AT_ and AFTER_SEQUENCE_NUMBER: a number the shard can hold. */
static int
seq_position(struct pdb_db *db, const struct pdb_iter *it,
    enum pdb_iter_type type, const char *text, int64_t *pos,
    struct pdb_err *e)
{
	const char *what = it->shard.id ? "shard" : "stream";
	const char *name = it->shard.id ? it->shard.shard_id : it->stream.arn;
	int64_t seq, last, horizon, start = it->shard.id ?
	    it->shard.start_seq : it->stream.start_seq;
	int closed = it->shard.id ? it->shard.end_seq != 0 :
	    it->stream.end_seq != 0;

	if (text == NULL) {
		/* DynamoDB Local's words (FINDINGS B15); pdb says why. */
		pdb_err_invalid(e, "One or more parameter values were invalid: "
		    "Invalid SequenceNumber");
		return pdb_err_detail(e, " (ShardIteratorType %s needs one)",
		    types[type]);
	}
	/* The model's constraint comes first: 21 to 40 characters. */
	if (strlen(text) < 21 || strlen(text) > 40)
		return pdb_err_invalid(e, "1 validation error detected: Value "
		    "'%s' at 'sequenceNumber' failed to satisfy constraint: "
		    "Member must have length %s", text, strlen(text) < 21 ?
		    "greater than or equal to 21" : "less than or equal to 40");
	if ((seq = pdb_seq_parse(text)) < 0)
		return pdb_err_invalid(e, "1 validation error detected: Value "
		    "'%s' at 'sequenceNumber' failed to satisfy constraint: "
		    "String contains numeric characters only", text);
	if (iter_last(db, it, &last, e) != PDB_OK)
		return e->status;
	/* An open shard holds the numbers its next records will have too,
	 * as in DynamoDB Local; none past what pdb can give. */
	if (seq == INT64_MAX)
		return pdb_err_invalid(e, "Invalid SequenceNumber %s for %s "
		    "%s: past every sequence number", text, what, name);
	if (seq < start || (closed && seq > last))
		return pdb_err_invalid(e, "Invalid SequenceNumber %s for %s "
		    "%s: the %s holds %021" PRId64 " to %021" PRId64, text,
		    what, name, what, start, last);
	if (other_shard(db, it, seq, text, e) != PDB_OK)
		return e->status;
	*pos = type == PDB_ITER_AT_SEQUENCE_NUMBER ? seq - 1 : seq;
	if (pdb_iter_horizon(db, it, &horizon, e) != PDB_OK)
		return e->status;
	return *pos < horizon ? trimmed(e) : PDB_OK;
}

int
pdb_iter_start(struct pdb_db *db, const struct pdb_stream *s,
    const char *shard, enum pdb_iter_type type, const char *seq,
    struct pdb_iter *it, struct pdb_err *e)
{
	memset(it, 0, sizeof(*it));
	it->stream = *s;
	if (shard != NULL && pdb_shard_find(db, s, shard, &it->shard, e) !=
	    PDB_OK)
		return e->status;
	switch (type) {
	case PDB_ITER_TRIM_HORIZON:
		return pdb_iter_horizon(db, it, &it->pos, e);
	case PDB_ITER_LATEST:
		/* Just after the newest record: the next one is read. */
		return iter_last(db, it, &it->pos, e);
	default:
		return seq_position(db, it, type, seq, &it->pos, e);
	}
}
