/* stream.c — finding, listing and describing streams; the trim horizon. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/clock.h"
#include "pdb/stream.h"

#define COLUMNS "id, table_name, arn, label, shard_id, view, created_ms," \
    " start_seq, coalesce(end_seq, 0), trimmed_seq, enabled, hash_name," \
    " hash_type, coalesce(range_name, ''), coalesce(range_type, '')"

void
pdb_seq_format(int64_t seq, char out[PDB_SEQ_DIGITS + 1])
{
	snprintf(out, PDB_SEQ_DIGITS + 1, "%021" PRId64, seq);
}

int64_t
pdb_seq_parse(const char *s)
{
	int64_t v = 0;
	size_t n = strlen(s), i;

	if (n == 0 || n > 40 || strspn(s, "0123456789") != n)
		return -1;
	/* Past any number pdb gives: beyond every shard, not malformed. */
	for (i = 0; i < n; i++) {
		if (v > (INT64_MAX - 9) / 10)
			return INT64_MAX;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static void
from_row(struct pdb_stream *s, sqlite3_stmt *st)
{
	char type[8];

	memset(s, 0, sizeof(*s));
	s->id = sqlite3_column_int64(st, 0);
	pdb_db_column_text(st, 1, s->table, sizeof(s->table));
	pdb_db_column_text(st, 2, s->arn, sizeof(s->arn));
	pdb_db_column_text(st, 3, s->label, sizeof(s->label));
	pdb_db_column_text(st, 4, s->shard, sizeof(s->shard));
	s->view = pdb_view_parse((const char *)sqlite3_column_text(st, 5));
	s->created_ms = sqlite3_column_int64(st, 6);
	s->start_seq = sqlite3_column_int64(st, 7);
	s->end_seq = sqlite3_column_int64(st, 8);
	s->trimmed_seq = sqlite3_column_int64(st, 9);
	s->enabled = sqlite3_column_int(st, 10);
	pdb_db_column_text(st, 11, s->ks.hash, sizeof(s->ks.hash));
	pdb_db_column_text(st, 12, type, sizeof(type));
	s->ks.hash_type = type[0];
	pdb_db_column_text(st, 13, s->ks.range, sizeof(s->ks.range));
	pdb_db_column_text(st, 14, type, sizeof(type));
	s->ks.range_type = type[0];
}

int
pdb_stream_find(struct pdb_db *db, const char *table_or_arn,
    struct pdb_stream *s, struct pdb_err *e)
{
	static const char by_arn[] = "SELECT " COLUMNS " FROM streams"
	    " WHERE arn = ?1";
	static const char by_table[] = "SELECT " COLUMNS " FROM streams"
	    " WHERE table_name = ?1 ORDER BY created_ms DESC LIMIT 1";
	int arn = strncmp(table_or_arn, "arn:", 4) == 0;
	sqlite3_stmt *st = pdb_db_stmt(db, arn ? by_arn : by_table, e);
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_text(st, 1, table_or_arn, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		from_row(s, st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return PDB_OK;
	if (rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read stream");
	if (arn)
		return pdb_err_notfound(e, "Requested resource not found: "
		    "Stream: %s not found", table_or_arn);
	return pdb_err_notfound(e, "Requested resource not found: Table: %s "
	    "has no stream (enable one with 'pdb-table stream %s VIEW')",
	    table_or_arn, table_or_arn);
}

int
pdb_stream_list(struct pdb_db *db, const char *table,
    int (*fn)(void *, const struct pdb_stream *), void *arg,
    struct pdb_err *e)
{
	static const char sql[] = "SELECT " COLUMNS " FROM streams s"
	    " WHERE (?1 IS NULL OR table_name = ?1) AND (enabled OR EXISTS"
	    " (SELECT 1 FROM records r WHERE r.stream = s.id"
	    " AND r.created_ms >= ?2))"
	    " ORDER BY created_ms DESC, id DESC";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	struct pdb_stream s;
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	if (table != NULL)
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, pdb_db_now_ms(db) - pdb_db_retention_ms(db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		from_row(&s, st);
		if (fn(arg, &s) != 0)
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot list streams");
	return PDB_OK;
}

json_t *
pdb_stream_entry(const struct pdb_stream *s)
{
	return json_pack("{s:s,s:s,s:s}", "StreamArn", s->arn, "TableName",
	    s->table, "StreamLabel", s->label);
}

static json_t *
key_schema(const struct pdb_keyschema *ks)
{
	json_t *a = json_array();

	json_array_append_new(a, json_pack("{s:s,s:s}", "AttributeName",
	    ks->hash, "KeyType", "HASH"));
	if (ks->range[0] != '\0')
		json_array_append_new(a, json_pack("{s:s,s:s}",
		    "AttributeName", ks->range, "KeyType", "RANGE"));
	return a;
}

json_t *
pdb_stream_description(const struct pdb_stream *s)
{
	char seq[PDB_SEQ_DIGITS + 1];
	json_t *range, *shard, *d;

	pdb_seq_format(s->start_seq, seq);
	range = json_pack("{s:s}", "StartingSequenceNumber", seq);
	if (!s->enabled) {
		pdb_seq_format(s->end_seq, seq);
		json_object_set_new(range, "EndingSequenceNumber",
		    json_string(seq));
	}
	shard = json_pack("{s:s,s:o}", "ShardId", s->shard,
	    "SequenceNumberRange", range);
	d = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:o,s:[o]}",
	    "StreamArn", s->arn, "StreamLabel", s->label,
	    "StreamStatus", s->enabled ? "ENABLED" : "DISABLED",
	    "StreamViewType", pdb_view_name(s->view),
	    "CreationRequestDateTime", (json_int_t)(s->created_ms / 1000),
	    "TableName", s->table, "KeySchema", key_schema(&s->ks),
	    "Shards", shard);
	return d;
}

/*
 * The expired records are the oldest ones up to the first live one
 * (capture.c): walk them from the last trimmed one.
 */
int
pdb_stream_horizon(struct pdb_db *db, const struct pdb_stream *s,
    int64_t *horizon, struct pdb_err *e)
{
	static const char sql[] = "SELECT seq, created_ms FROM records"
	    " WHERE stream = ?1 AND seq > ?2 ORDER BY seq";
	int64_t cutoff = pdb_db_now_ms(db) - pdb_db_retention_ms(db);
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	*horizon = s->trimmed_seq > s->start_seq - 1 ? s->trimmed_seq :
	    s->start_seq - 1;
	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, s->id);
	sqlite3_bind_int64(st, 2, *horizon);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_int64(st, 1) < cutoff)
		*horizon = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read stream records");
	return PDB_OK;
}
