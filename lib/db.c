/* db.c — opening the SQLite file, schema versions, transactions, statements. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdb/clock.h"
#include "pdb/db.h"

#define STMT_CACHE 48

struct pdb_db {
	sqlite3 *sql;
	char region[64];
	char account[32];
	uint64_t salt;
	int nstmt;
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} stmt[STMT_CACHE];
};

/* Each entry upgrades the schema from version i to i + 1. */
static const char *const upgrades[PDB_SCHEMA_VERSION] = {
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE tables("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" table_id TEXT NOT NULL, created_ms INTEGER NOT NULL,"
	" hash_name TEXT NOT NULL, hash_type TEXT NOT NULL,"
	" range_name TEXT, range_type TEXT,"
	" stream INTEGER, extra TEXT NOT NULL DEFAULT '{}');"
	/* A stream outlives its table: it keeps the table's name and keys. */
	"CREATE TABLE streams("
	" id INTEGER PRIMARY KEY, table_name TEXT NOT NULL,"
	" arn TEXT NOT NULL UNIQUE, label TEXT NOT NULL, view TEXT NOT NULL,"
	" created_ms INTEGER NOT NULL, shard_id TEXT NOT NULL,"
	" start_seq INTEGER NOT NULL, end_seq INTEGER,"
	" enabled INTEGER NOT NULL, trimmed_seq INTEGER NOT NULL DEFAULT 0,"
	" hash_name TEXT NOT NULL, hash_type TEXT NOT NULL,"
	" range_name TEXT, range_type TEXT);"
	"CREATE INDEX streams_table ON streams(table_name, created_ms);"
	/* A rowid table with a separate key index writes new random keys
	 * faster than WITHOUT ROWID (design.md §9). */
	"CREATE TABLE items("
	" id INTEGER PRIMARY KEY, tbl INTEGER NOT NULL, key BLOB NOT NULL,"
	" size INTEGER NOT NULL, item TEXT NOT NULL);"
	"CREATE UNIQUE INDEX items_key ON items(tbl, key);"
	/* AUTOINCREMENT: sequence numbers are never reused, even after
	 * every record has been trimmed. */
	"CREATE TABLE records("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT, stream INTEGER NOT NULL,"
	" event INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
	" size INTEGER NOT NULL, identity INTEGER NOT NULL DEFAULT 0,"
	" keys TEXT NOT NULL, new_image TEXT, old_image TEXT);"
	"CREATE INDEX records_stream ON records(stream, seq);",
};

const char *
pdb_db_path(const char *opt)
{
	const char *env;

	if (opt != NULL && *opt != '\0')
		return opt;
	if ((env = getenv("PDB_DB")) != NULL && *env != '\0')
		return env;
	return "./pdb.db";
}

int
pdb_db_fail(struct pdb_db *db, struct pdb_err *e, const char *context)
{
	int err = db && db->sql ? sqlite3_system_errno(db->sql) : 0;

	pdb_err_set(e, PDB_E_SYSTEM, "%s: %s", context,
	    db && db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
	/* "disk I/O error" alone does not say the disk is full. */
	if (err != 0)
		pdb_err_append(e, " (%s)", strerror(err));
	return PDB_SYSTEM;
}

int
pdb_db_exec(struct pdb_db *db, const char *sql, struct pdb_err *e)
{
	char *msg = NULL;

	if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) == SQLITE_OK)
		return PDB_OK;
	pdb_err_set(e, PDB_E_SYSTEM, "%s", msg ? msg : "sqlite error");
	sqlite3_free(msg);
	return PDB_SYSTEM;
}

sqlite3_stmt *
pdb_db_stmt(struct pdb_db *db, const char *sql, struct pdb_err *e)
{
	sqlite3_stmt *st;
	int i;

	for (i = 0; i < db->nstmt; i++)
		if (db->stmt[i].sql == sql) {
			st = db->stmt[i].st;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL) != SQLITE_OK) {
		pdb_db_fail(db, e, "cannot prepare statement");
		return NULL;
	}
	if (db->nstmt == STMT_CACHE) {	/* never expected: keep it correct */
		sqlite3_finalize(db->stmt[0].st);
		memmove(db->stmt, db->stmt + 1, sizeof(db->stmt[0]) *
		    (STMT_CACHE - 1));
		db->nstmt--;
	}
	db->stmt[db->nstmt].sql = sql;
	db->stmt[db->nstmt].st = st;
	db->nstmt++;
	return st;
}

int
pdb_db_step_done(struct pdb_db *db, sqlite3_stmt *st, struct pdb_err *e,
    const char *context)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		pdb_db_fail(db, e, context);
		sqlite3_reset(st);
		return PDB_SYSTEM;
	}
	sqlite3_reset(st);
	return PDB_OK;
}

void
pdb_db_column_text(sqlite3_stmt *st, int col, char *dst, size_t n)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(dst, n, "%s", s ? (const char *)s : "");
}

static int
meta_get(struct pdb_db *db, const char *key, char *out, size_t outsz)
{
	static const char sql[] = "SELECT value FROM meta WHERE key = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, NULL);
	int found = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		pdb_db_column_text(st, 0, out, outsz);
		found = 1;
	}
	sqlite3_reset(st);
	return found;
}

static int
meta_put(struct pdb_db *db, const char *key, const char *value,
    struct pdb_err *e)
{
	static const char sql[] = "INSERT INTO meta(key, value) VALUES(?1, ?2)";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	return pdb_db_step_done(db, st, e, "cannot write database metadata");
}

static uint64_t
random_u64(void)
{
	uint64_t v;

	sqlite3_randomness(sizeof(v), &v);
	return v;
}

/* Region, account and salt are fixed when the file is created. */
static int
init_meta(struct pdb_db *db, struct pdb_err *e)
{
	const char *region = getenv("AWS_REGION");
	const char *account = getenv("PDB_ACCOUNT_ID");
	char salt[32];

	if (region == NULL || *region == '\0')
		region = getenv("AWS_DEFAULT_REGION");
	if (region == NULL || *region == '\0')
		region = "us-east-1";
	if (account == NULL || *account == '\0')
		account = "000000000000";
	snprintf(salt, sizeof(salt), "%llu", (unsigned long long)random_u64());
	if (meta_put(db, "region", region, e) != PDB_OK ||
	    meta_put(db, "account", account, e) != PDB_OK ||
	    meta_put(db, "salt", salt, e) != PDB_OK)
		return PDB_SYSTEM;
	return PDB_OK;
}

static int
user_version(struct pdb_db *db, int *v, struct pdb_err *e)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK)
		return pdb_db_fail(db, e, "cannot read schema version");
	if (sqlite3_step(st) != SQLITE_ROW) {
		pdb_db_fail(db, e, "cannot read schema version");
		sqlite3_finalize(st);
		return PDB_SYSTEM;
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return PDB_OK;
}

/* Bring the schema to PDB_SCHEMA_VERSION, one step at a time, atomically. */
static int
upgrade(struct pdb_db *db, const char *path, struct pdb_err *e)
{
	char sql[64];
	int v;

	if (user_version(db, &v, e) != PDB_OK)
		return PDB_SYSTEM;
	if (v == PDB_SCHEMA_VERSION)
		return PDB_OK;
	if (v > PDB_SCHEMA_VERSION)
		return pdb_err_set(e, PDB_E_SYSTEM, "%s: database schema "
		    "version %d is newer than this pdb understands (%d): "
		    "upgrade pdb", path, v, PDB_SCHEMA_VERSION);
	if (pdb_db_begin_write(db, e) != PDB_OK)
		return PDB_SYSTEM;
	if (user_version(db, &v, e) != PDB_OK)	/* another process won */
		goto fail;
	for (; v < PDB_SCHEMA_VERSION; v++)
		if (pdb_db_exec(db, upgrades[v], e) != PDB_OK)
			goto fail;
	if (meta_get(db, "region", sql, sizeof(sql)) == 0 &&
	    init_meta(db, e) != PDB_OK)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    PDB_SCHEMA_VERSION);
	if (pdb_db_exec(db, sql, e) != PDB_OK)
		goto fail;
	return pdb_db_commit(db, e);
fail:
	pdb_db_rollback(db);
	return PDB_SYSTEM;
}

static int
configure(struct pdb_db *db, struct pdb_err *e)
{
	const char *s = getenv("PDB_BUSY_TIMEOUT_MS");
	const char *sync = getenv("PDB_SYNC");
	int timeout = 5000;
	char *end;

	if (s != NULL && *s != '\0') {
		timeout = (int)strtol(s, &end, 10);
		if (*end != '\0' || timeout < 0)
			return pdb_err_set(e, PDB_E_USAGE, "invalid "
			    "PDB_BUSY_TIMEOUT_MS '%s': expected milliseconds",
			    s);
	}
	sqlite3_busy_timeout(db->sql, timeout);
	if (pdb_db_exec(db, "PRAGMA journal_mode = WAL", e) != PDB_OK)
		return PDB_SYSTEM;
	if (sync != NULL && strcmp(sync, "full") == 0)
		return pdb_db_exec(db, "PRAGMA synchronous = FULL", e);
	if (sync != NULL && *sync != '\0' && strcmp(sync, "normal") != 0)
		return pdb_err_set(e, PDB_E_USAGE, "invalid PDB_SYNC '%s': "
		    "expected 'full' or 'normal'", sync);
	return pdb_db_exec(db, "PRAGMA synchronous = NORMAL;"
	    "PRAGMA cache_size = -16384; PRAGMA foreign_keys = OFF", e);
}

static int
check_path(const char *path, int flags, struct pdb_err *e)
{
	struct stat sb;

	if (stat(path, &sb) != 0) {
		if (errno == ENOENT && (flags & PDB_DB_CREATE))
			return PDB_OK;
		if (errno == ENOENT)
			return pdb_err_set(e, PDB_E_SYSTEM, "%s: no such "
			    "database; create it with 'pdb-table --db %s "
			    "create TABLE KEY'", path, path);
		return pdb_err_set(e, PDB_E_SYSTEM, "%s: %s", path,
		    strerror(errno));
	}
	if (S_ISDIR(sb.st_mode))
		return pdb_err_set(e, PDB_E_SYSTEM, "%s: is a directory, "
		    "expected a database file", path);
	return PDB_OK;
}

int
pdb_db_open(struct pdb_db **out, const char *path, int flags,
    struct pdb_err *e)
{
	struct pdb_db *db;
	char buf[64];
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	*out = NULL;
	if (pdb_clock_init(e) != PDB_OK || check_path(path, flags, e) != PDB_OK)
		return e->status;
	if ((db = calloc(1, sizeof(*db))) == NULL)
		return pdb_err_set(e, PDB_E_SYSTEM, "out of memory");
	if (flags & PDB_DB_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &db->sql, oflags, NULL) != SQLITE_OK) {
		pdb_err_set(e, PDB_E_SYSTEM, "%s: cannot open database: %s",
		    path, db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
		pdb_db_close(db);
		return PDB_SYSTEM;
	}
	sqlite3_extended_result_codes(db->sql, 1);
	if (configure(db, e) != PDB_OK || upgrade(db, path, e) != PDB_OK) {
		if (e->status == PDB_SYSTEM && strstr(e->msg, path) == NULL) {
			char msg[sizeof(e->msg)];

			memcpy(msg, e->msg, sizeof(msg));
			pdb_err_set(e, PDB_E_SYSTEM, "%s: %s", path, msg);
		}
		pdb_db_close(db);
		return e->status;
	}
	meta_get(db, "region", db->region, sizeof(db->region));
	meta_get(db, "account", db->account, sizeof(db->account));
	if (meta_get(db, "salt", buf, sizeof(buf)))
		db->salt = strtoull(buf, NULL, 10);
	*out = db;
	return PDB_OK;
}

void
pdb_db_close(struct pdb_db *db)
{
	int i;

	if (db == NULL)
		return;
	for (i = 0; i < db->nstmt; i++)
		sqlite3_finalize(db->stmt[i].st);
	sqlite3_close(db->sql);
	free(db);
}

const char *
pdb_db_region(const struct pdb_db *db)
{
	return db->region;
}

const char *
pdb_db_account(const struct pdb_db *db)
{
	return db->account;
}

uint64_t
pdb_db_salt(const struct pdb_db *db)
{
	return db->salt;
}

sqlite3 *
pdb_db_sqlite(struct pdb_db *db)
{
	return db->sql;
}

int
pdb_db_begin_write(struct pdb_db *db, struct pdb_err *e)
{
	/* IMMEDIATE: a deferred read-then-write can fail with
	 * SQLITE_BUSY_SNAPSHOT, which the busy handler cannot wait out. */
	if (sqlite3_exec(db->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
	    SQLITE_OK)
		return PDB_OK;
	if (sqlite3_errcode(db->sql) == SQLITE_BUSY)
		return pdb_err_set(e, PDB_E_SYSTEM, "cannot start a write: "
		    "database is locked (busy timeout expired; see "
		    "PDB_BUSY_TIMEOUT_MS)");
	return pdb_db_fail(db, e, "cannot start a write");
}

int
pdb_db_begin_read(struct pdb_db *db, struct pdb_err *e)
{
	if (sqlite3_exec(db->sql, "BEGIN", NULL, NULL, NULL) == SQLITE_OK)
		return PDB_OK;
	return pdb_db_fail(db, e, "cannot start a read");
}

int
pdb_db_commit(struct pdb_db *db, struct pdb_err *e)
{
	if (sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return PDB_OK;
	pdb_db_fail(db, e, "cannot commit");
	pdb_db_rollback(db);
	return PDB_SYSTEM;
}

void
pdb_db_rollback(struct pdb_db *db)
{
	if (!sqlite3_get_autocommit(db->sql))
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}
