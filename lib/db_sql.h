/*
 * db_sql.h — what the store modules (db.c, store_*.c), and no one else,
 * use to speak SQL: the connection, a cache of prepared statements, and
 * helpers around them.  Statements from pdb_db_stmt belong to the handle.
 */
#ifndef PDB_DB_SQL_H
#define PDB_DB_SQL_H

#include <sqlite3.h>

#include "pdb/db.h"

sqlite3 *pdb_db_sqlite(struct pdb_db *db);

/*
 * A cached statement for sql, which must be a string with static storage:
 * the cache is keyed by its address.  The statement comes reset with its
 * bindings cleared.  NULL on error (e filled).
 */
sqlite3_stmt *pdb_db_stmt(struct pdb_db *db, const char *sql,
    struct pdb_err *e);

/* Fill e with PDB_SYSTEM, context and SQLite's message; returns PDB_SYSTEM. */
int pdb_db_fail(struct pdb_db *db, struct pdb_err *e, const char *context);

/* The last sequence number issued: the newest record's, or, once a
 * trim has left none, the one kept in meta; 0 before the first. */
#define PDB_LAST_SEQ_SQL "coalesce((SELECT max(seq) FROM records)," \
	" (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'last_seq'), 0)"

/* Run SQL without results (schema, pragmas, transactions). */
int pdb_db_exec(struct pdb_db *db, const char *sql, struct pdb_err *e);

/* Copy text column col of the current row into dst (n bytes), "" for
 * NULL. */
void pdb_db_column_text(sqlite3_stmt *st, int col, char *dst, size_t n);

/* The two integers of a one-row query (count and sum) over rows of id. */
int pdb_db_count_sum(struct pdb_db *db, const char *sql, int64_t id,
    int64_t *count, int64_t *sum, struct pdb_err *e, const char *context);

/* Step a statement that returns no row, then reset it. */
int pdb_db_step_done(struct pdb_db *db, sqlite3_stmt *st, struct pdb_err *e,
    const char *context);

#endif
