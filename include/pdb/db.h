/*
 * db.h — the one SQLite file: opening it with pdb's pragmas, the schema and
 * its upgrades, the configuration a front end hands down, and
 * transactions.  Statements are the store's (lib/db_sql.h).
 *
 * pdb_db_open returns a handle the caller owns and frees with pdb_db_close.
 * Statements from pdb_db_stmt belong to the handle.
 */
#ifndef PDB_DB_H
#define PDB_DB_H

#include <stdint.h>

#include "pdb/error.h"

#define PDB_SCHEMA_VERSION 8
#define PDB_APPLICATION_ID 0x70646230	/* "pdb0" in the file header */
#define PDB_RETENTION_DEFAULT_MS (24LL * 3600 * 1000)

struct pdb_db;

enum {
	PDB_DB_CREATE = 1	/* create the file if missing (pdb-table create) */
};

/*
 * What a front end hands the library when it opens a database: the
 * library reads no environment.  pdb_config_defaults fills the defaults.
 */
struct pdb_config {
	int64_t now_ms;		/* a fixed clock, or -1: the real one */
	int64_t retention_ms;	/* a reader's shorter retention, or 0 */
	int busy_timeout_ms;	/* how long to wait for another writer */
	int sync_full;		/* synchronous=FULL instead of NORMAL */
	/* Fixed into a database when it is created: */
	char region[33];
	char account[13];
	int64_t new_retention_ms;	/* how long records are kept */
};

void pdb_config_defaults(struct pdb_config *c);

/*
 * Open path, a file name (never a SQLite URI).  Without PDB_DB_CREATE a
 * missing file is PDB_E_SYSTEM with a message on how to create it; a file
 * that is not a pdb database is refused and left untouched, with or
 * without it; a newer schema is refused.
 */
int pdb_db_open(struct pdb_db **out, const char *path, int flags,
    const struct pdb_config *cfg, struct pdb_err *e);
void pdb_db_close(struct pdb_db *db);

/* The clock: the configured fixed time, or the real one, in epoch ms. */
int64_t pdb_db_now_ms(const struct pdb_db *db);
/* How long readers see records: the database's retention, or a shorter
 * one the caller asked for. */
int64_t pdb_db_retention_ms(const struct pdb_db *db);
/* How long records are kept before writers delete them: the database's
 * own retention, whatever a reader asked for. */
int64_t pdb_db_keep_ms(const struct pdb_db *db);

const char *pdb_db_region(const struct pdb_db *db);
const char *pdb_db_account(const struct pdb_db *db);
/* A random value fixed at creation, mixed into eventIDs. */
uint64_t pdb_db_salt(const struct pdb_db *db);
/* n random bytes, for identifiers. */
void pdb_db_random(void *out, int n);

/* BEGIN IMMEDIATE for writers, BEGIN (deferred) for readers. */
int pdb_db_begin_write(struct pdb_db *db, struct pdb_err *e);
int pdb_db_begin_read(struct pdb_db *db, struct pdb_err *e);
int pdb_db_commit(struct pdb_db *db, struct pdb_err *e);
void pdb_db_rollback(struct pdb_db *db);
/* Within a write transaction: mark a point, then keep what followed it
 * (release) or undo it (undo, which also releases the mark). */
int pdb_db_savepoint(struct pdb_db *db, struct pdb_err *e);
int pdb_db_release(struct pdb_db *db, struct pdb_err *e);
void pdb_db_undo(struct pdb_db *db);
/* Whether a transaction is open (SQLite ends one by itself on some
 * errors). */
int pdb_db_in_transaction(struct pdb_db *db);

/* The integer in the first column of the first row sql gives (a cached
 * statement: sql is a static string). */
int pdb_db_scalar(struct pdb_db *db, const char *sql, int64_t *v,
    struct pdb_err *e);
/* PRAGMA data_version: it changes when another connection commits. */
int pdb_db_data_version(struct pdb_db *db, int64_t *v, struct pdb_err *e);

/*
 * Checkpoints somewhere else than in db's commits: from now on a commit
 * that leaves PDB_DB_CHECKPOINT_PAGES or more pages in the log calls
 * due(arg, pages) instead of checkpointing, unless the log holds 8 times
 * that (the checkpoints are not keeping up): then it checkpoints itself.
 * pdb_db_checkpoint copies the log into the file as far as readers allow,
 * without waiting for anyone, and says how many pages the log holds.
 */
#define PDB_DB_CHECKPOINT_PAGES 1000	/* SQLite's own default */
void pdb_db_checkpoint_elsewhere(struct pdb_db *db, void (*due)(void *, int),
    void *arg);
int pdb_db_checkpoint(struct pdb_db *db, int *pages, struct pdb_err *e);

#endif
