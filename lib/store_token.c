/* store_token.c — the tokens table: SQL for transactions' client tokens. */
#include <stdlib.h>
#include <string.h>

#include "db_sql.h"
#include "pdb/store.h"

int
pdb_store_token_get(struct pdb_db *db, const char *token, int64_t since_ms,
    char **request, struct pdb_err *e)
{
	static const char sql[] = "SELECT request FROM tokens"
	    " WHERE token = ?1 AND at_ms >= ?2";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	*request = NULL;
	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since_ms);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    (*request = strdup((const char *)sqlite3_column_text(st, 0))) ==
	    NULL)
		rc = SQLITE_NOMEM;
	sqlite3_reset(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return PDB_OK;
	return pdb_db_fail(db, e, "cannot read client request token");
}

int
pdb_store_token_put(struct pdb_db *db, const char *token, const char *request,
    int64_t at_ms, int64_t since_ms, struct pdb_err *e)
{
	static const char forget[] = "DELETE FROM tokens WHERE at_ms < ?1";
	static const char put[] = "INSERT OR REPLACE INTO tokens(token,"
	    " request, at_ms) VALUES(?1, ?2, ?3)";
	sqlite3_stmt *st;

	if ((st = pdb_db_stmt(db, forget, e)) == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, since_ms);
	if (pdb_db_step_done(db, st, e, "cannot forget client request "
	    "tokens") != PDB_OK || (st = pdb_db_stmt(db, put, e)) == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, request, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at_ms);
	return pdb_db_step_done(db, st, e, "cannot keep client request token");
}
