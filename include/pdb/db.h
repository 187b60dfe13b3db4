/*
 * db.h — the one SQLite file: opening it with pdb's pragmas, the schema and
 * its upgrades, transactions, and a cache of prepared statements.
 *
 * pdb_db_open returns a handle the caller owns and frees with pdb_db_close.
 * Statements from pdb_db_stmt belong to the handle.
 */
#ifndef PDB_DB_H
#define PDB_DB_H

#include <stdint.h>
#include <sqlite3.h>

#include "pdb/error.h"

#define PDB_SCHEMA_VERSION 1

struct pdb_db;

enum {
	PDB_DB_CREATE = 1	/* create the file if missing (pdb-table create) */
};

/* The database path: opt if given, else $PDB_DB, else "./pdb.db". */
const char *pdb_db_path(const char *opt);

/* Open path; without PDB_DB_CREATE a missing file is PDB_SYSTEM with a
 * message on how to create it.  A newer schema is refused. */
int pdb_db_open(struct pdb_db **out, const char *path, int flags,
    struct pdb_err *e);
void pdb_db_close(struct pdb_db *db);

const char *pdb_db_region(const struct pdb_db *db);
const char *pdb_db_account(const struct pdb_db *db);
/* A random value fixed at creation, mixed into eventIDs. */
uint64_t pdb_db_salt(const struct pdb_db *db);
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

/* Run SQL without results (schema, pragmas, transactions). */
int pdb_db_exec(struct pdb_db *db, const char *sql, struct pdb_err *e);

/* BEGIN IMMEDIATE for writers, BEGIN (deferred) for readers. */
int pdb_db_begin_write(struct pdb_db *db, struct pdb_err *e);
int pdb_db_begin_read(struct pdb_db *db, struct pdb_err *e);
int pdb_db_commit(struct pdb_db *db, struct pdb_err *e);
void pdb_db_rollback(struct pdb_db *db);

/* Copy text column col of the current row into dst (n bytes), "" for
 * NULL. */
void pdb_db_column_text(sqlite3_stmt *st, int col, char *dst, size_t n);

/* Step a statement that returns no row, then reset it. */
int pdb_db_step_done(struct pdb_db *db, sqlite3_stmt *st, struct pdb_err *e,
    const char *context);

#endif
