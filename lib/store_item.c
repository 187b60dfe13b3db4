/* store_item.c — the items table: SQL for item rows. */
#include <string.h>

#include "db_sql.h"
#include "pdb/store.h"

void
pdb_stored_free(struct pdb_stored *s)
{
	pdb_buf_free(&s->text);
	memset(s, 0, sizeof(*s));
}

/* Step st, each row (size, item, id) to fn until it returns non-0; then
 * reset st. */
static int
each_row(struct pdb_db *db, sqlite3_stmt *st,
    int (*fn)(void *, const struct pdb_row *), void *arg, struct pdb_err *e)
{
	struct pdb_row row;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row.size = sqlite3_column_int64(st, 0);
		row.text = (const char *)sqlite3_column_text(st, 1);
		row.len = (size_t)sqlite3_column_bytes(st, 1);
		row.id = sqlite3_column_int64(st, 2);
		if (fn(arg, &row) != 0)
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read items");
	return PDB_OK;
}

int
pdb_store_item_get(struct pdb_db *db, int64_t tbl, const unsigned char *key,
    size_t keylen, struct pdb_stored *out, struct pdb_err *e)
{
	static const char sql[] = "SELECT id, size, item FROM items"
	    " WHERE tbl = ?1 AND key = ?2";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	out->found = 0;
	out->size = 0;
	out->text.len = 0;
	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, tbl);
	sqlite3_bind_blob(st, 2, key, (int)keylen, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->found = 1;
		out->rowid = sqlite3_column_int64(st, 0);
		out->size = sqlite3_column_int64(st, 1);
		pdb_buf_put(&out->text, sqlite3_column_text(st, 2),
		    (size_t)sqlite3_column_bytes(st, 2));
		pdb_buf_putc(&out->text, '\0');
		out->text.len--;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read item");
	if (out->text.oom)
		return pdb_err_system(e, "out of memory");
	return PDB_OK;
}

static void
bind_expiry(sqlite3_stmt *st, int i, int64_t expiry)
{
	if (expiry != 0)
		sqlite3_bind_int64(st, i, expiry);
	else
		sqlite3_bind_null(st, i);
}

int
pdb_store_item_put(struct pdb_db *db, int64_t tbl, const unsigned char *key,
    size_t keylen, int64_t size, const char *text, int64_t expiry,
    int64_t *rowid, struct pdb_err *e)
{
	static const char sql[] = "INSERT INTO items(tbl, key, size, item,"
	    " expires_ms) VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(tbl, key)"
	    " DO UPDATE SET size = excluded.size, item = excluded.item,"
	    " expires_ms = excluded.expires_ms";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, tbl);
	sqlite3_bind_blob(st, 2, key, (int)keylen, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, size);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	bind_expiry(st, 5, expiry);
	if (pdb_db_step_done(db, st, e, "cannot write item") != PDB_OK)
		return e->status;
	/* Only an insert moves it; an update keeps the row it had. */
	if (rowid != NULL)
		*rowid = sqlite3_last_insert_rowid(pdb_db_sqlite(db));
	return PDB_OK;
}

int
pdb_store_item_set_expiries(struct pdb_db *db, int64_t tbl,
    int64_t (*fn)(void *, const char *, size_t), void *arg,
    struct pdb_err *e)
{
	static const char clear_sql[] = "UPDATE items SET expires_ms = NULL"
	    " WHERE tbl = ?1 AND expires_ms IS NOT NULL";
	static const char each_sql[] = "SELECT id, item FROM items"
	    " WHERE tbl = ?1";
	static const char set_sql[] = "UPDATE items SET expires_ms = ?2"
	    " WHERE id = ?1";
	sqlite3_stmt *each, *set;
	int rc = SQLITE_DONE;

	if ((each = pdb_db_stmt(db, fn ? each_sql : clear_sql, e)) == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(each, 1, tbl);
	if (fn == NULL)
		return pdb_db_step_done(db, each, e, "cannot clear expiries");
	if ((set = pdb_db_stmt(db, set_sql, e)) == NULL) {
		sqlite3_reset(each);
		return PDB_SYSTEM;
	}
	/* Only the row being read changes, and no index it is read by. */
	while ((rc = sqlite3_step(each)) == SQLITE_ROW) {
		sqlite3_bind_int64(set, 1, sqlite3_column_int64(each, 0));
		bind_expiry(set, 2, fn(arg, (const char *)sqlite3_column_text(
		    each, 1), (size_t)sqlite3_column_bytes(each, 1)));
		if (pdb_db_step_done(db, set, e, "cannot set expiry") !=
		    PDB_OK) {
			sqlite3_reset(each);
			return e->status;
		}
	}
	sqlite3_reset(each);
	if (rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read items");
	return PDB_OK;
}

int
pdb_store_item_due(struct pdb_db *db, int64_t tbl, int64_t after,
    int64_t upto, int limit, int (*fn)(void *, const struct pdb_row *),
    void *arg, struct pdb_err *e)
{
	static const char sql[] = "SELECT size, item, id FROM items"
	    " WHERE tbl = ?1 AND expires_ms > ?2 AND expires_ms <= ?3"
	    " ORDER BY expires_ms LIMIT ?4";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, tbl);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, upto);
	sqlite3_bind_int(st, 4, limit);
	return each_row(db, st, fn, arg, e);
}

int
pdb_store_item_delete(struct pdb_db *db, int64_t rowid, struct pdb_err *e)
{
	static const char sql[] = "DELETE FROM items WHERE id = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, rowid);
	return pdb_db_step_done(db, st, e, "cannot delete item");
}

/* One statement per bound kind and direction, all through the key index:
 * [descending][lower bound inclusive][upper bound none, <, <=]. */
#define RANGE(lo, hi, order) "SELECT size, item, id FROM items WHERE" \
    " tbl = ?1 AND key " lo " ?2" hi " ORDER BY key " order
#define RANGES(order) { \
	{ RANGE(">", "", order), RANGE(">", " AND key < ?3", order), \
	    RANGE(">", " AND key <= ?3", order) }, \
	{ RANGE(">=", "", order), RANGE(">=", " AND key < ?3", order), \
	    RANGE(">=", " AND key <= ?3", order) } }
static const char *const range_sql[2][2][3] = { RANGES("ASC"),
    RANGES("DESC") };

int
pdb_store_item_range(struct pdb_db *db, int64_t tbl,
    const struct pdb_key_range *r, int reverse,
    int (*fn)(void *, const struct pdb_row *), void *arg, struct pdb_err *e)
{
	sqlite3_stmt *st = pdb_db_stmt(db, range_sql[reverse != 0][r->lo_incl
	    != 0][r->hilen == 0 ? 0 : r->hi_incl ? 2 : 1], e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, tbl);
	sqlite3_bind_blob(st, 2, r->lo, (int)r->lolen, SQLITE_STATIC);
	if (r->hilen)
		sqlite3_bind_blob(st, 3, r->hi, (int)r->hilen, SQLITE_STATIC);
	return each_row(db, st, fn, arg, e);
}

/* index rows */

int
pdb_store_index_put(struct pdb_db *db, int64_t idx, const unsigned char *key,
    size_t keylen, int64_t item, int64_t size, struct pdb_err *e)
{
	static const char sql[] = "INSERT OR REPLACE INTO index_rows(idx, key,"
	    " item, size) VALUES(?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, idx);
	sqlite3_bind_blob(st, 2, key, (int)keylen, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, item);
	sqlite3_bind_int64(st, 4, size);
	return pdb_db_step_done(db, st, e, "cannot write index row");
}

int
pdb_store_index_remove(struct pdb_db *db, int64_t idx,
    const unsigned char *key, size_t keylen, struct pdb_err *e)
{
	static const char sql[] = "DELETE FROM index_rows WHERE idx = ?1"
	    " AND key = ?2";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, idx);
	sqlite3_bind_blob(st, 2, key, (int)keylen, SQLITE_STATIC);
	return pdb_db_step_done(db, st, e, "cannot delete index row");
}

#define IRANGE(lo, hi, order) "SELECT r.size, i.item, i.id FROM index_rows r" \
    " JOIN items i ON i.id = r.item WHERE r.idx = ?1 AND r.key " lo " ?2" \
    hi " ORDER BY r.key " order
#define IRANGES(order) { \
	{ IRANGE(">", "", order), IRANGE(">", " AND r.key < ?3", order), \
	    IRANGE(">", " AND r.key <= ?3", order) }, \
	{ IRANGE(">=", "", order), IRANGE(">=", " AND r.key < ?3", order), \
	    IRANGE(">=", " AND r.key <= ?3", order) } }
static const char *const index_range_sql[2][2][3] = { IRANGES("ASC"),
    IRANGES("DESC") };

int
pdb_store_index_range(struct pdb_db *db, int64_t idx,
    const struct pdb_key_range *r, int reverse,
    int (*fn)(void *, const struct pdb_row *), void *arg, struct pdb_err *e)
{
	sqlite3_stmt *st = pdb_db_stmt(db, index_range_sql[reverse != 0]
	    [r->lo_incl != 0][r->hilen == 0 ? 0 : r->hi_incl ? 2 : 1], e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, idx);
	sqlite3_bind_blob(st, 2, r->lo, (int)r->lolen, SQLITE_STATIC);
	if (r->hilen)
		sqlite3_bind_blob(st, 3, r->hi, (int)r->hilen, SQLITE_STATIC);
	return each_row(db, st, fn, arg, e);
}

int
pdb_store_index_stats(struct pdb_db *db, int64_t idx, int64_t *count,
    int64_t *bytes, struct pdb_err *e)
{
	static const char sql[] = "SELECT count(*), coalesce(sum(size), 0)"
	    " FROM index_rows WHERE idx = ?1";

	return pdb_db_count_sum(db, sql, idx, count, bytes, e,
	    "cannot count index rows");
}
