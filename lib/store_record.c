/* store_record.c — the records table: SQL for stream records. */
#include "db_sql.h"
#include "pdb/store.h"

#define TRIM_BATCH "1000"

int
pdb_store_record_append(struct pdb_db *db, int64_t stream,
    struct pdb_record *r, struct pdb_err *e)
{
	static const char sql[] = "INSERT INTO records(seq, stream, event,"
	    " created_ms, size, identity, keys, new_image, old_image, shard)"
	    " VALUES(" PDB_LAST_SEQ_SQL " + 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	    " ?9)";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, stream);
	sqlite3_bind_int(st, 2, r->event);
	sqlite3_bind_int64(st, 3, r->created_ms);
	sqlite3_bind_int64(st, 4, r->size);
	sqlite3_bind_int(st, 5, r->service);
	sqlite3_bind_text(st, 6, r->keys, (int)r->keys_len, SQLITE_STATIC);
	if (r->new_image != NULL)
		sqlite3_bind_text(st, 7, r->new_image, (int)r->new_len,
		    SQLITE_STATIC);
	if (r->old_image != NULL)
		sqlite3_bind_text(st, 8, r->old_image, (int)r->old_len,
		    SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, r->shard);
	if (pdb_db_step_done(db, st, e, "cannot write stream record") !=
	    PDB_OK)
		return PDB_SYSTEM;
	r->seq = sqlite3_last_insert_rowid(pdb_db_sqlite(db));
	return PDB_OK;
}

static int
run_with_seq(struct pdb_db *db, const char *sql, int64_t seq,
    struct pdb_err *e)
{
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, seq);
	return pdb_db_step_done(db, st, e, "cannot trim stream records");
}

int
pdb_store_record_trim(struct pdb_db *db, int64_t cutoff_ms, struct pdb_err *e)
{
	static const char head_sql[] = "SELECT seq, created_ms FROM records"
	    " ORDER BY seq LIMIT " TRIM_BATCH;
	static const char mark_sql[] = "UPDATE streams SET trimmed_seq = t.m"
	    " FROM (SELECT stream, max(seq) AS m FROM records WHERE seq <= ?1"
	    " GROUP BY stream) AS t WHERE streams.id = t.stream";
	static const char delete_sql[] = "DELETE FROM records WHERE seq <= ?1";
	/* Trimming them all: the last number is kept for the next one. */
	static const char keep_sql[] = "INSERT OR REPLACE INTO meta(key, value)"
	    " SELECT 'last_seq', ?1 WHERE ?1 >= (SELECT max(seq) FROM records)";
	sqlite3_stmt *st = pdb_db_stmt(db, head_sql, e);
	int64_t cut = 0;
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_int64(st, 1) < cutoff_ms)
		cut = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot trim stream records");
	if (cut == 0)
		return PDB_OK;
	if (run_with_seq(db, mark_sql, cut, e) != PDB_OK ||
	    run_with_seq(db, keep_sql, cut, e) != PDB_OK)
		return PDB_SYSTEM;
	return run_with_seq(db, delete_sql, cut, e);
}

static void
from_row(struct pdb_record *r, sqlite3_stmt *st)
{
	r->seq = sqlite3_column_int64(st, 0);
	r->event = sqlite3_column_int(st, 1);
	r->created_ms = sqlite3_column_int64(st, 2);
	r->size = sqlite3_column_int64(st, 3);
	r->service = sqlite3_column_int(st, 4);
	r->keys = (const char *)sqlite3_column_text(st, 5);
	r->new_image = (const char *)sqlite3_column_text(st, 6);
	r->old_image = (const char *)sqlite3_column_text(st, 7);
	r->keys_len = (size_t)sqlite3_column_bytes(st, 5);
	r->new_len = (size_t)sqlite3_column_bytes(st, 6);
	r->old_len = (size_t)sqlite3_column_bytes(st, 7);
	r->shard = sqlite3_column_int64(st, 8);
}

int
pdb_store_record_each(struct pdb_db *db, int64_t stream, int64_t after,
    int64_t upto, int limit, int (*fn)(void *, const struct pdb_record *),
    void *arg, int *exhausted, struct pdb_err *e)
{
	static const char sql[] = "SELECT seq, event, created_ms, size,"
	    " identity, keys, new_image, old_image, shard FROM records"
	    " WHERE stream = ?1 AND seq > ?2 AND seq <= ?4"
	    " ORDER BY seq LIMIT ?3";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	struct pdb_record r;
	int rc, n = 0;

	*exhausted = 0;
	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, stream);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int(st, 3, limit);
	sqlite3_bind_int64(st, 4, upto);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		from_row(&r, st);
		n++;
		if (fn(arg, &r) != 0)
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read stream records");
	*exhausted = rc == SQLITE_DONE && n < limit;
	return PDB_OK;
}

int
pdb_store_record_shard(struct pdb_db *db, int64_t stream, int64_t seq,
    int64_t *shard, struct pdb_err *e)
{
	static const char sql[] = "SELECT shard FROM records"
	    " WHERE seq = ?1 AND stream = ?2";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	*shard = 0;
	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_int64(st, 2, stream);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*shard = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read stream records");
	return PDB_OK;
}

int
pdb_store_record_last(struct pdb_db *db, int64_t stream, int64_t none_seq,
    int64_t *last, struct pdb_err *e)
{
	static const char sql[] = "SELECT max(seq) FROM records"
	    " WHERE stream = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, stream);
	*last = none_seq;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		*last = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return pdb_db_fail(db, e, "cannot read stream records");
	return PDB_OK;
}

int
pdb_store_record_expired(struct pdb_db *db, int64_t stream, int64_t after,
    int64_t cutoff_ms, int64_t *last, struct pdb_err *e)
{
	static const char sql[] = "SELECT seq, created_ms FROM records"
	    " WHERE stream = ?1 AND seq > ?2 ORDER BY seq";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	*last = after;
	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, stream);
	sqlite3_bind_int64(st, 2, after);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_int64(st, 1) < cutoff_ms)
		*last = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read stream records");
	return PDB_OK;
}
