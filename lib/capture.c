/* capture.c — stream records, written in the same transaction as the change. */
#include "pdb/capture.h"
#include "pdb/clock.h"

#define TRIM_BATCH "1000"

const char *
pdb_event_name(enum pdb_event ev)
{
	static const char *const names[] = { "", "INSERT", "MODIFY", "REMOVE" };

	return ev >= PDB_EVENT_INSERT && ev <= PDB_EVENT_REMOVE ? names[ev] :
	    "";
}

int
pdb_capture_append(struct pdb_db *db, int64_t stream, enum pdb_view view,
    const struct pdb_change *c, int64_t created_ms, struct pdb_err *e)
{
	static const char sql[] = "INSERT INTO records(stream, event,"
	    " created_ms, size, identity, keys, new_image, old_image)"
	    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int with_new = view == PDB_VIEW_NEW_IMAGE ||
	    view == PDB_VIEW_NEW_AND_OLD_IMAGES;
	int with_old = view == PDB_VIEW_OLD_IMAGE ||
	    view == PDB_VIEW_NEW_AND_OLD_IMAGES;
	size_t size = c->keys.size;

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, stream);
	sqlite3_bind_int(st, 2, c->event);
	sqlite3_bind_int64(st, 3, created_ms);
	sqlite3_bind_int(st, 5, c->service);
	sqlite3_bind_text(st, 6, c->keys.text, -1, SQLITE_STATIC);
	if (with_new && c->new_image.text != NULL) {
		sqlite3_bind_text(st, 7, c->new_image.text, -1, SQLITE_STATIC);
		size += c->new_image.size;
	}
	if (with_old && c->old_image.text != NULL) {
		sqlite3_bind_text(st, 8, c->old_image.text, -1, SQLITE_STATIC);
		size += c->old_image.size;
	}
	sqlite3_bind_int64(st, 4, (sqlite3_int64)size);
	return pdb_db_step_done(db, st, e, "cannot write stream record");
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

/*
 * Records carry their writer's clock, which a fixed $PDB_NOW may move
 * back and forth: what expires is the oldest records up to the first one
 * still within retention, never a live record behind an expired one.
 */
int
pdb_capture_trim(struct pdb_db *db, int64_t now_ms, struct pdb_err *e)
{
	static const char head_sql[] = "SELECT seq, created_ms FROM records"
	    " ORDER BY seq LIMIT " TRIM_BATCH;
	static const char mark_sql[] = "UPDATE streams SET trimmed_seq = t.m"
	    " FROM (SELECT stream, max(seq) AS m FROM records WHERE seq <= ?1"
	    " GROUP BY stream) AS t WHERE streams.id = t.stream";
	static const char delete_sql[] = "DELETE FROM records WHERE seq <= ?1";
	int64_t cutoff = now_ms - pdb_db_keep_ms(db), cut = 0;
	sqlite3_stmt *st = pdb_db_stmt(db, head_sql, e);
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_int64(st, 1) < cutoff)
		cut = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot trim stream records");
	if (cut == 0)
		return PDB_OK;
	if (run_with_seq(db, mark_sql, cut, e) != PDB_OK)
		return PDB_SYSTEM;
	return run_with_seq(db, delete_sql, cut, e);
}
