/* store_shard.c — the shards table: SQL for a stream's shards. */
#include <stdlib.h>
#include <string.h>

#include "db_sql.h"
#include "pdb/store.h"

#define COLUMNS "s.id, s.stream, s.shard_id, coalesce(p.shard_id, '')," \
    " coalesce(s.parent, 0), s.lo, s.hi, s.created_ms, s.start_seq," \
    " coalesce(s.end_seq, 0), coalesce(s.closed_ms, 0), s.records" \
    " FROM shards s LEFT JOIN shards p ON p.id = s.parent"

static void
from_row(struct pdb_shard *sh, sqlite3_stmt *st)
{
	memset(sh, 0, sizeof(*sh));
	sh->id = sqlite3_column_int64(st, 0);
	sh->stream = sqlite3_column_int64(st, 1);
	pdb_db_column_text(st, 2, sh->shard_id, sizeof(sh->shard_id));
	pdb_db_column_text(st, 3, sh->parent_id, sizeof(sh->parent_id));
	sh->parent = sqlite3_column_int64(st, 4);
	sh->lo = (uint32_t)sqlite3_column_int64(st, 5);
	sh->hi = (uint32_t)sqlite3_column_int64(st, 6);
	sh->created_ms = sqlite3_column_int64(st, 7);
	sh->start_seq = sqlite3_column_int64(st, 8);
	sh->end_seq = sqlite3_column_int64(st, 9);
	sh->closed_ms = sqlite3_column_int64(st, 10);
	sh->records = sqlite3_column_int64(st, 11);
}

int
pdb_store_shard_insert(struct pdb_db *db, struct pdb_shard *sh,
    struct pdb_err *e)
{
	static const char sql[] = "INSERT INTO shards(stream, shard_id, parent,"
	    " lo, hi, created_ms, start_seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
	    " 1 + " PDB_LAST_SEQ_SQL ")";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, sh->stream);
	sqlite3_bind_text(st, 2, sh->shard_id, -1, SQLITE_STATIC);
	if (sh->parent != 0)
		sqlite3_bind_int64(st, 3, sh->parent);
	sqlite3_bind_int64(st, 4, sh->lo);
	sqlite3_bind_int64(st, 5, sh->hi);
	sqlite3_bind_int64(st, 6, sh->created_ms);
	if (pdb_db_step_done(db, st, e, "cannot open shard") != PDB_OK)
		return PDB_SYSTEM;
	sh->id = sqlite3_last_insert_rowid(pdb_db_sqlite(db));
	return PDB_OK;
}

int
pdb_store_shard_close(struct pdb_db *db, int64_t id, int64_t closed_ms,
    struct pdb_err *e)
{
	/* The last record is found walking the stream's records back from
	 * its newest: no index on records(shard) to keep writes cheap. */
	static const char sql[] = "UPDATE shards SET closed_ms = ?2,"
	    " end_seq = coalesce((SELECT r.seq FROM records r"
	    " WHERE r.stream = shards.stream AND r.seq >= shards.start_seq"
	    " AND r.shard = shards.id ORDER BY r.seq DESC LIMIT 1), start_seq)"
	    " WHERE id = ?1 AND end_seq IS NULL";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, closed_ms);
	return pdb_db_step_done(db, st, e, "cannot close shard");
}

int
pdb_store_shard_open(struct pdb_db *db, int64_t stream,
    struct pdb_shard **out, int *n, struct pdb_err *e)
{
	static const char sql[] = "SELECT " COLUMNS " WHERE s.stream = ?1"
	    " AND s.end_seq IS NULL ORDER BY s.lo";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	struct pdb_shard *a = NULL, *grown;
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, stream);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 4;
			if ((grown = realloc(a, (size_t)cap * sizeof(*a))) ==
			    NULL) {
				sqlite3_reset(st);
				free(a);
				*n = 0;
				return pdb_err_system(e, "out of memory");
			}
			a = grown;
		}
		from_row(&a[(*n)++], st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(a);
		*n = 0;
		return pdb_db_fail(db, e, "cannot read shards");
	}
	*out = a;
	return PDB_OK;
}

int
pdb_store_shard_list(struct pdb_db *db, int64_t stream, int64_t after,
    int64_t parent, int64_t cutoff_ms,
    int (*fn)(void *, const struct pdb_shard *), void *arg,
    struct pdb_err *e)
{
	static const char sql[] = "SELECT " COLUMNS " WHERE s.stream = ?1"
	    " AND s.id > ?2 AND (?3 = 0 OR s.parent = ?3)"
	    " AND (s.end_seq IS NULL OR s.closed_ms >= ?4) ORDER BY s.id";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	struct pdb_shard sh;
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, stream);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, parent);
	sqlite3_bind_int64(st, 4, cutoff_ms);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		from_row(&sh, st);
		if (fn(arg, &sh) != 0)
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read shards");
	return PDB_OK;
}

/* The shard one statement finds; PDB_E_NOT_FOUND when there is none. */
static int
find_one(struct pdb_db *db, sqlite3_stmt *st, struct pdb_shard *sh,
    struct pdb_err *e)
{
	int rc;

	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		from_row(sh, st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return PDB_OK;
	if (rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read shard");
	return pdb_err_set(e, PDB_E_NOT_FOUND, "no such shard");
}

int
pdb_store_shard_find(struct pdb_db *db, int64_t stream, const char *shard_id,
    struct pdb_shard *sh, struct pdb_err *e)
{
	static const char sql[] = "SELECT " COLUMNS " WHERE s.stream = ?1"
	    " AND s.shard_id = ?2";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, stream);
	sqlite3_bind_text(st, 2, shard_id, -1, SQLITE_STATIC);
	return find_one(db, st, sh, e);
}

int
pdb_store_shard_get(struct pdb_db *db, int64_t id, struct pdb_shard *sh,
    struct pdb_err *e)
{
	static const char sql[] = "SELECT " COLUMNS " WHERE s.id = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, id);
	return find_one(db, st, sh, e);
}

int
pdb_store_shard_count(struct pdb_db *db, int64_t id, int64_t *records,
    struct pdb_err *e)
{
	static const char sql[] = "UPDATE shards SET records = records + 1"
	    " WHERE id = ?1 RETURNING records";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*records = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot count shard records");
	return PDB_OK;
}
