/* store_stream.c — the streams table: SQL for streams. */
#include <string.h>

#include "db_sql.h"
#include "pdb/store.h"

#define COLUMNS "id, table_name, arn, label, roll_every_ms, view," \
    " created_ms, start_seq, coalesce(end_seq, 0), trimmed_seq, enabled," \
    " hash_name, hash_type, coalesce(range_name, '')," \
    " coalesce(range_type, ''), split_after"

static void
from_row(struct pdb_stream *s, sqlite3_stmt *st)
{
	char type[8];

	memset(s, 0, sizeof(*s));
	s->id = sqlite3_column_int64(st, 0);
	pdb_db_column_text(st, 1, s->table, sizeof(s->table));
	pdb_db_column_text(st, 2, s->arn, sizeof(s->arn));
	pdb_db_column_text(st, 3, s->label, sizeof(s->label));
	s->roll_every_ms = sqlite3_column_int64(st, 4);
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
	s->split_after = sqlite3_column_int64(st, 15);
}

int
pdb_store_stream_newest(struct pdb_db *db, const char *table,
    int64_t *created_ms, struct pdb_err *e)
{
	static const char sql[] = "SELECT coalesce(max(created_ms), 0)"
	    " FROM streams WHERE table_name = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	*created_ms = 0;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*created_ms = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? PDB_OK : pdb_db_fail(db, e,
	    "cannot read streams");
}

int
pdb_store_stream_insert(struct pdb_db *db, int64_t table_id,
    struct pdb_stream *s, struct pdb_err *e)
{
	static const char insert_sql[] = "INSERT INTO streams(table_name, arn,"
	    " label, view, created_ms, shard_id, start_seq, enabled,"
	    " hash_name, hash_type, range_name, range_type)"
	    " VALUES(?1, ?2, ?3, ?4, ?5, '', 1 + " PDB_LAST_SEQ_SQL ", 1,"
	    " ?7, ?8, ?9, ?10)";
	/* shard_id: the one shard of schema 5, now in shards. */
	static const char link_sql[] = "UPDATE tables SET stream = ?2"
	    " WHERE id = ?1";
	char ht[2] = { s->ks.hash_type, 0 }, rt[2] = { s->ks.range_type, 0 };
	sqlite3_stmt *st;

	if ((st = pdb_db_stmt(db, insert_sql, e)) == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_text(st, 1, s->table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->arn, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->label, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, pdb_view_name(s->view), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, s->created_ms);
	sqlite3_bind_text(st, 7, s->ks.hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, ht, -1, SQLITE_STATIC);
	if (s->ks.range[0] != '\0') {
		sqlite3_bind_text(st, 9, s->ks.range, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, rt, -1, SQLITE_STATIC);
	}
	if (pdb_db_step_done(db, st, e, "cannot create stream") != PDB_OK)
		return PDB_SYSTEM;
	s->id = sqlite3_last_insert_rowid(pdb_db_sqlite(db));
	if ((st = pdb_db_stmt(db, link_sql, e)) == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, table_id);
	sqlite3_bind_int64(st, 2, s->id);
	return pdb_db_step_done(db, st, e, "cannot create stream");
}

int
pdb_store_stream_disable(struct pdb_db *db, int64_t id, struct pdb_err *e)
{
	static const char sql[] = "UPDATE streams SET enabled = 0,"
	    " end_seq = coalesce((SELECT max(seq) FROM records"
	    " WHERE stream = ?1), start_seq) WHERE id = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, id);
	return pdb_db_step_done(db, st, e, "cannot disable stream");
}

int
pdb_store_stream_set_triggers(struct pdb_db *db, int64_t id,
    int64_t roll_every_ms, int64_t split_after, struct pdb_err *e)
{
	static const char sql[] = "UPDATE streams SET roll_every_ms = ?2,"
	    " split_after = ?3 WHERE id = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, roll_every_ms);
	sqlite3_bind_int64(st, 3, split_after);
	return pdb_db_step_done(db, st, e, "cannot set stream triggers");
}

/* The stream one statement finds; PDB_E_NOT_FOUND when there is none. */
static int
find_one(struct pdb_db *db, sqlite3_stmt *st, struct pdb_stream *s,
    struct pdb_err *e)
{
	int rc;

	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		from_row(s, st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return PDB_OK;
	if (rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read stream");
	return pdb_err_set(e, PDB_E_NOT_FOUND, "no such stream");
}

int
pdb_store_stream_find(struct pdb_db *db, const char *table_or_arn,
    struct pdb_stream *s, struct pdb_err *e)
{
	static const char by_arn[] = "SELECT " COLUMNS " FROM streams"
	    " WHERE arn = ?1";
	static const char by_table[] = "SELECT " COLUMNS " FROM streams"
	    " WHERE table_name = ?1 ORDER BY created_ms DESC LIMIT 1";
	sqlite3_stmt *st = pdb_db_stmt(db, strncmp(table_or_arn, "arn:", 4) ==
	    0 ? by_arn : by_table, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_text(st, 1, table_or_arn, -1, SQLITE_STATIC);
	return find_one(db, st, s, e);
}

int
pdb_store_stream_get(struct pdb_db *db, int64_t id, struct pdb_stream *s,
    struct pdb_err *e)
{
	static const char sql[] = "SELECT " COLUMNS " FROM streams"
	    " WHERE id = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, id);
	return find_one(db, st, s, e);
}

int
pdb_store_stream_list(struct pdb_db *db, const char *table,
    int64_t cutoff_ms, int (*fn)(void *, const struct pdb_stream *),
    void *arg, struct pdb_err *e)
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
	sqlite3_bind_int64(st, 2, cutoff_ms);
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
