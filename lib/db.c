/* db.c — opening the SQLite file, schema versions, transactions, statements. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdb/clock.h"
#include "db_sql.h"

#define STMT_CACHE 96

struct pdb_db {
	sqlite3 *sql;
	struct pdb_config cfg;
	char region[64];
	char account[32];
	uint64_t salt;
	int64_t keep_ms;	/* the database's retention */
	int nstmt;
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} stmt[STMT_CACHE];
	void (*checkpoint_due)(void *, int);
	void *checkpoint_arg;
};

/* A trigger that raises the catalog's version (schema 8). */
#define CATALOG_CHANGE(name, on) \
	"CREATE TRIGGER IF NOT EXISTS catalog_" name " AFTER " on \
	" BEGIN UPDATE meta SET value = value + 1 WHERE key = 'catalog'; END;"

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
	/* 2: the file says it is pdb's, so no other SQLite file is taken
	 * for one. */
	"PRAGMA application_id = 1885626928;",
	/* 3: Time to Live.  An item's expiry (ttl.h) is kept beside it so
	 * the sweep reads only what is due, whatever the table's size. */
	"ALTER TABLE tables ADD COLUMN ttl_attr TEXT;"
	"ALTER TABLE items ADD COLUMN expires_ms INTEGER;"
	"CREATE INDEX items_expiry ON items(tbl, expires_ms)"
	" WHERE expires_ms IS NOT NULL;",
	/* 4: the ClientRequestTokens of committed transactions, each with
	 * the request it was sent with, for as long as retries may come. */
	"CREATE TABLE tokens(token TEXT PRIMARY KEY, request TEXT NOT NULL,"
	" at_ms INTEGER NOT NULL);"
	"CREATE INDEX tokens_at ON tokens(at_ms);",
	/* 5: secondary indexes.  An index row is keyed by the index key
	 * followed by the table key (unique, in the index's order) and
	 * points at its item's row; what the index projects is cut from the
	 * item when read, so a write stores only the key. */
	"CREATE TABLE indexes("
	" id INTEGER PRIMARY KEY, tbl INTEGER NOT NULL, name TEXT NOT NULL,"
	" global INTEGER NOT NULL,"
	" hash_name TEXT NOT NULL, hash_type TEXT NOT NULL,"
	" range_name TEXT, range_type TEXT,"
	" projection TEXT NOT NULL, include TEXT NOT NULL DEFAULT '[]',"
	" created_ms INTEGER NOT NULL, UNIQUE(tbl, name));"
	"CREATE TABLE index_rows("
	" idx INTEGER NOT NULL, key BLOB NOT NULL, item INTEGER NOT NULL,"
	" size INTEGER NOT NULL, PRIMARY KEY(idx, key)) WITHOUT ROWID;",
	/* 6: shards.  A stream holds shards over ranges of a hash of the
	 * partition key (shard.h); a record names its shard's row.  No
	 * index on records(shard): a shard is read through the stream's
	 * records, which keeps writes as cheap as with one shard.  Each
	 * existing stream gets its one shard over the whole range. */
	"CREATE TABLE shards("
	" id INTEGER PRIMARY KEY, stream INTEGER NOT NULL,"
	" shard_id TEXT NOT NULL, parent INTEGER,"
	" lo INTEGER NOT NULL, hi INTEGER NOT NULL,"
	" created_ms INTEGER NOT NULL, start_seq INTEGER NOT NULL,"
	" end_seq INTEGER, closed_ms INTEGER,"
	" records INTEGER NOT NULL DEFAULT 0, UNIQUE(stream, shard_id));"
	"CREATE INDEX shards_parent ON shards(parent);"
	"ALTER TABLE streams ADD COLUMN roll_every_ms INTEGER NOT NULL"
	" DEFAULT 0;"
	"ALTER TABLE streams ADD COLUMN split_after INTEGER NOT NULL"
	" DEFAULT 0;"
	"ALTER TABLE records ADD COLUMN shard INTEGER;"
	"INSERT INTO shards(stream, shard_id, lo, hi, created_ms, start_seq,"
	" end_seq, closed_ms)"
	" SELECT id, shard_id, 0, 4294967295, created_ms, start_seq, end_seq,"
	" CASE WHEN end_seq IS NOT NULL THEN (SELECT coalesce(max("
	" r.created_ms), s.created_ms) FROM records r WHERE r.stream = s.id)"
	" END FROM streams s ORDER BY id;"
	"UPDATE records SET shard = (SELECT id FROM shards"
	" WHERE shards.stream = records.stream);",
	/* 7: records without AUTOINCREMENT, which rewrote a page of
	 * sqlite_sequence in every commit (a fifth of what a write wrote).
	 * The next number is one past the newest record's; a trim that
	 * leaves no record keeps the last one in meta (PDB_LAST_SEQ_SQL),
	 * so numbers are still never reused. */
	"CREATE TABLE records7("
	" seq INTEGER PRIMARY KEY, stream INTEGER NOT NULL,"
	" event INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
	" size INTEGER NOT NULL, identity INTEGER NOT NULL DEFAULT 0,"
	" keys TEXT NOT NULL, new_image TEXT, old_image TEXT, shard INTEGER);"
	"INSERT INTO records7 SELECT seq, stream, event, created_ms, size,"
	" identity, keys, new_image, old_image, shard FROM records;"
	"INSERT OR REPLACE INTO meta(key, value) SELECT 'last_seq', seq"
	" FROM sqlite_sequence WHERE name = 'records';"
	"DROP TABLE records;"
	"ALTER TABLE records7 RENAME TO records;"
	"CREATE INDEX records_stream ON records(stream, seq);",
	/* 8: the catalog's version, raised by triggers with every change
	 * a struct pdb_table shows, in any process, so a long-lived
	 * connection keeps a table it read until it changes (write.h).
	 * Not with streams.trimmed_seq nor shards.records: writes keep
	 * those. */
	"INSERT OR REPLACE INTO meta(key, value) VALUES('catalog', 1);"
	CATALOG_CHANGE("tables_i", "INSERT ON tables")
	CATALOG_CHANGE("tables_d", "DELETE ON tables")
	CATALOG_CHANGE("tables_u", "UPDATE ON tables")
	CATALOG_CHANGE("indexes_i", "INSERT ON indexes")
	CATALOG_CHANGE("indexes_d", "DELETE ON indexes")
	CATALOG_CHANGE("indexes_u", "UPDATE ON indexes")
	CATALOG_CHANGE("streams_i", "INSERT ON streams")
	CATALOG_CHANGE("streams_d", "DELETE ON streams")
	CATALOG_CHANGE("streams_u", "UPDATE OF table_name, arn, view, enabled,"
	    " end_seq, roll_every_ms, split_after ON streams")
	CATALOG_CHANGE("shards_i", "INSERT ON shards")
	CATALOG_CHANGE("shards_d", "DELETE ON shards")
	CATALOG_CHANGE("shards_u", "UPDATE OF stream, shard_id, parent, lo, hi,"
	    " created_ms, start_seq, end_seq, closed_ms ON shards"),
};

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
pdb_db_count_sum(struct pdb_db *db, const char *sql, int64_t id,
    int64_t *count, int64_t *sum, struct pdb_err *e, const char *context)
{
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return pdb_db_fail(db, e, context);
	}
	*count = sqlite3_column_int64(st, 0);
	*sum = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return PDB_OK;
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

/* Region, account, retention and salt are fixed when the file is
 * created. */
static int
init_meta(struct pdb_db *db, struct pdb_err *e)
{
	char salt[32], keep[32];

	snprintf(salt, sizeof(salt), "%llu", (unsigned long long)random_u64());
	snprintf(keep, sizeof(keep), "%lld",
	    (long long)db->cfg.new_retention_ms);
	if (meta_put(db, "region", db->cfg.region, e) != PDB_OK ||
	    meta_put(db, "account", db->cfg.account, e) != PDB_OK ||
	    meta_put(db, "retention_ms", keep, e) != PDB_OK ||
	    meta_put(db, "salt", salt, e) != PDB_OK)
		return PDB_SYSTEM;
	return PDB_OK;
}

/* The integer a query such as "PRAGMA user_version" returns. */
static int
query_int(struct pdb_db *db, const char *sql, int *v, struct pdb_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return pdb_db_fail(db, e, "cannot read the database");
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return pdb_db_fail(db, e, "cannot read the database");
	return PDB_OK;
}

/* Bring the schema from version v to PDB_SCHEMA_VERSION, one step at a
 * time, atomically. */
static int
upgrade(struct pdb_db *db, struct pdb_err *e)
{
	char sql[64];
	int v;

	if (pdb_db_begin_write(db, e) != PDB_OK)
		return e->status;
	if (query_int(db, "PRAGMA user_version", &v, e) != PDB_OK)
		goto fail;	/* read again: another process may have won */
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
	return e->status;
}

static int
configure(struct pdb_db *db, struct pdb_err *e)
{
	sqlite3_stmt *st;
	int wal;

	/* The switch answers the mode it left the file in: another process
	 * holding the file may have kept it from changing, and a writer in
	 * another mode than the others would lose their writes. */
	if (sqlite3_prepare_v2(db->sql, "PRAGMA journal_mode = WAL", -1, &st,
	    NULL) != SQLITE_OK)
		return pdb_db_fail(db, e, "cannot set the journal mode");
	wal = sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") ==
	    0;
	sqlite3_finalize(st);
	if (!wal)
		return pdb_err_system(e, "cannot set the journal mode: the "
		    "database is busy");
	/* A stalled reader lets the log grow; this shrinks it again once it
	 * is checkpointed. */
	if (pdb_db_exec(db, "PRAGMA journal_size_limit = 67108864", e) !=
	    PDB_OK)
		return e->status;
	return pdb_db_exec(db, db->cfg.sync_full ? "PRAGMA synchronous = FULL;"
	    "PRAGMA cache_size = -16384" : "PRAGMA synchronous = NORMAL;"
	    "PRAGMA cache_size = -16384", e);
}

static int
check_path(const char *path, int flags, struct pdb_err *e)
{
	struct stat sb;

	if (*path == '\0')
		return pdb_err_usage(e, "expected a database file name, got "
		    "an empty one");
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT && (flags & PDB_DB_CREATE))
			return PDB_OK;
		if (errno == ENOENT)
			return pdb_err_system(e, "%s: no such database; create "
			    "it with 'pdb-table --db %s create TABLE KEY'",
			    path, path);
		return pdb_err_system(e, "%s: %s", path, strerror(errno));
	}
	if (S_ISDIR(sb.st_mode))
		return pdb_err_system(e, "%s: is a directory, expected a "
		    "database file", path);
	if (!S_ISREG(sb.st_mode))
		return pdb_err_system(e, "%s: not a regular file, expected a "
		    "database file", path);
	return PDB_OK;
}

/* The file holds nothing, or starts as a SQLite file: not someone else's
 * bytes.  Read through SQLite's own descriptor: closing another one of
 * the file would drop every POSIX lock this process holds on it, those of
 * its other connections too. */
static int
blank_file(struct pdb_db *db)
{
	static const char magic[16] = "SQLite format 3";
	sqlite3_file *f = NULL;
	char head[16];
	int rc;

	if (sqlite3_file_control(db->sql, "main", SQLITE_FCNTL_FILE_POINTER,
	    &f) != SQLITE_OK || f == NULL || f->pMethods == NULL)
		return 1;	/* not opened yet: nothing is in it */
	rc = f->pMethods->xRead(f, head, sizeof(head), 0);
	if (rc == SQLITE_IOERR_SHORT_READ)	/* zero-filled past the end */
		return head[0] == '\0' && memcmp(head, head + 1, 15) == 0;
	return rc == SQLITE_OK && memcmp(head, magic, sizeof(magic)) == 0;
}

/*
 * What the file is, read without writing to it: 1 a pdb database (or
 * being made one by another process), 0 a blank file pdb may make one,
 * or an error for anything else, which is left as it is.
 */
static int
identify(struct pdb_db *db, const char *path, int blank, int *is_pdb,
    struct pdb_err *e)
{
	int app = 0, version = 0, tables = 0, meta = 0, rc;

	/* One snapshot: another process may be making the file a database. */
	if (pdb_db_begin_read(db, e) != PDB_OK)
		return e->status;
	rc = query_int(db, "PRAGMA application_id", &app, e) != PDB_OK ||
	    query_int(db, "PRAGMA user_version", &version, e) != PDB_OK ||
	    query_int(db, "SELECT count(*) FROM sqlite_master", &tables, e) !=
	    PDB_OK || query_int(db, "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'table' AND name = 'meta'", &meta, e) != PDB_OK;
	pdb_db_rollback(db);
	if (rc)
		return e->status;
	*is_pdb = app == PDB_APPLICATION_ID || (app == 0 && version >= 1 &&
	    meta == 1);
	if (*is_pdb && version > PDB_SCHEMA_VERSION)
		return pdb_err_system(e, "%s: database schema version %d is "
		    "newer than this pdb understands (%d): upgrade pdb", path,
		    version, PDB_SCHEMA_VERSION);
	if (!*is_pdb && (tables > 0 || app != 0))
		return pdb_err_system(e, "%s: not a pdb database (a SQLite "
		    "file of another program); pdb keeps its data in a file "
		    "of its own", path);
	if (!*is_pdb && !blank)
		return pdb_err_system(e, "%s: not a pdb database (nor any SQLite "
		    "database)", path);
	return PDB_OK;
}

/* One attempt at opening; PDB_E_SYSTEM with *busy set when another
 * process held a lock that the busy handler could not wait for. */
static int
try_open(struct pdb_db *db, const char *name, const char *path, int flags,
    int *busy, struct pdb_err *e)
{
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int is_pdb = 0, version = 0, rc;

	if (flags & PDB_DB_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(name, &db->sql, oflags, NULL) != SQLITE_OK)
		return pdb_err_system(e, "cannot open database: %s", db->sql ?
		    sqlite3_errmsg(db->sql) : "out of memory");
	sqlite3_extended_result_codes(db->sql, 1);
	sqlite3_busy_timeout(db->sql, db->cfg.busy_timeout_ms);
	if ((rc = identify(db, path, blank_file(db), &is_pdb, e)) ==
	    PDB_OK) {
		if (!is_pdb && !(flags & PDB_DB_CREATE))
			rc = pdb_err_system(e, "%s: not a pdb database (an "
			    "empty file); create one with 'pdb-table --db %s "
			    "create TABLE KEY'", path, path);
		else if ((rc = configure(db, e)) == PDB_OK &&
		    (rc = query_int(db, "PRAGMA user_version", &version, e)) ==
		    PDB_OK && version < PDB_SCHEMA_VERSION)
			rc = upgrade(db, e);
	}
	*busy = rc != PDB_OK && ((sqlite3_errcode(db->sql) & 0xff) ==
	    SQLITE_BUSY || strstr(e->msg, "the database is busy") != NULL);
	return rc;
}

static void
close_sql(struct pdb_db *db)
{
	int i;

	for (i = 0; i < db->nstmt; i++)
		sqlite3_finalize(db->stmt[i].st);
	db->nstmt = 0;
	sqlite3_close(db->sql);
	db->sql = NULL;
}

static void
read_meta(struct pdb_db *db)
{
	char buf[64];

	meta_get(db, "region", db->region, sizeof(db->region));
	meta_get(db, "account", db->account, sizeof(db->account));
	if (meta_get(db, "salt", buf, sizeof(buf)))
		db->salt = strtoull(buf, NULL, 10);
	db->keep_ms = PDB_RETENTION_DEFAULT_MS;
	if (meta_get(db, "retention_ms", buf, sizeof(buf)))
		db->keep_ms = strtoll(buf, NULL, 10);
}

void
pdb_config_defaults(struct pdb_config *c)
{
	memset(c, 0, sizeof(*c));
	c->now_ms = -1;
	c->busy_timeout_ms = 5000;
	snprintf(c->region, sizeof(c->region), "us-east-1");
	snprintf(c->account, sizeof(c->account), "000000000000");
	c->new_retention_ms = PDB_RETENTION_DEFAULT_MS;
}

/* SQLite counts every allocation under one process-wide mutex unless told
 * not to, which pdb-serve's workers then contend for on every request. */
static void
sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int
pdb_db_open(struct pdb_db **out, const char *path, int flags,
    const struct pdb_config *cfg, struct pdb_err *e)
{
	struct pdb_db *db;
	char *name;
	int64_t deadline;
	int busy, rc;
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	*out = NULL;
	pthread_once(&once, sqlite_setup);
	if (check_path(path, flags, e) != PDB_OK)
		return e->status;
	/* "./" keeps a name such as "file:x?mode=memory" a file name: SQLite
	 * reads URIs only where they start with "file:". */
	if ((db = calloc(1, sizeof(*db))) == NULL || (name = malloc(
	    strlen(path) + 3)) == NULL) {
		free(db);
		return pdb_err_system(e, "out of memory");
	}
	sprintf(name, "%s%s", path[0] == '/' ? "" : "./", path);
	db->cfg = *cfg;
	/* Two programs creating one file at once: the loser of the switch to
	 * WAL is not helped by the busy handler, so it tries again. */
	deadline = pdb_clock_real_ms() + cfg->busy_timeout_ms;
	while ((rc = try_open(db, name, path, flags, &busy, e)) != PDB_OK &&
	    busy &&
	    pdb_clock_real_ms() < deadline) {
		close_sql(db);
		usleep(2000 + (unsigned)(random_u64() % 8000));
	}
	free(name);
	if (rc != PDB_OK) {
		if (strstr(e->msg, path) == NULL) {
			char msg[sizeof(e->msg)];

			memcpy(msg, e->msg, sizeof(msg));
			pdb_err_system(e, "%s: %s", path, msg);
		}
		pdb_db_close(db);
		return e->status;
	}
	read_meta(db);
	*out = db;
	return PDB_OK;
}

void
pdb_db_close(struct pdb_db *db)
{
	if (db == NULL)
		return;
	close_sql(db);
	free(db);
}

int64_t
pdb_db_now_ms(const struct pdb_db *db)
{
	return db->cfg.now_ms >= 0 ? db->cfg.now_ms : pdb_clock_real_ms();
}

int64_t
pdb_db_retention_ms(const struct pdb_db *db)
{
	return db->cfg.retention_ms > 0 && db->cfg.retention_ms < db->keep_ms ?
	    db->cfg.retention_ms : db->keep_ms;
}

int64_t
pdb_db_keep_ms(const struct pdb_db *db)
{
	return db->keep_ms;
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

void
pdb_db_random(void *out, int n)
{
	sqlite3_randomness(n, out);
}

sqlite3 *
pdb_db_sqlite(struct pdb_db *db)
{
	return db->sql;
}

int
pdb_db_scalar(struct pdb_db *db, const char *sql, int64_t *v,
    struct pdb_err *e)
{
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? PDB_OK : pdb_db_fail(db, e,
	    "cannot read the database");
}

int
pdb_db_data_version(struct pdb_db *db, int64_t *v, struct pdb_err *e)
{
	static const char sql[] = "PRAGMA data_version";

	return pdb_db_scalar(db, sql, v, e);
}

/* Run a statement without results from the handle's cache: BEGIN and
 * COMMIT are parsed once per connection, not once per transaction. */
static int
run_cached(struct pdb_db *db, const char *sql)
{
	struct pdb_err ignored;
	sqlite3_stmt *st = pdb_db_stmt(db, sql, &ignored);
	int rc;

	if (st == NULL)
		return sqlite3_errcode(db->sql);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int
pdb_db_begin_write(struct pdb_db *db, struct pdb_err *e)
{
	/* IMMEDIATE: a deferred read-then-write can fail with
	 * SQLITE_BUSY_SNAPSHOT, which the busy handler cannot wait out. */
	if (run_cached(db, "BEGIN IMMEDIATE") == SQLITE_OK)
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
	if (run_cached(db, "BEGIN") == SQLITE_OK)
		return PDB_OK;
	return pdb_db_fail(db, e, "cannot start a read");
}

int
pdb_db_commit(struct pdb_db *db, struct pdb_err *e)
{
	if (run_cached(db, "COMMIT") == SQLITE_OK)
		return PDB_OK;
	pdb_db_fail(db, e, "cannot commit");
	pdb_db_rollback(db);
	return PDB_SYSTEM;
}

void
pdb_db_rollback(struct pdb_db *db)
{
	if (!sqlite3_get_autocommit(db->sql))
		run_cached(db, "ROLLBACK");
}

/* Savepoints mark every write of a shared transaction: cached too. */
int
pdb_db_savepoint(struct pdb_db *db, struct pdb_err *e)
{
	if (run_cached(db, "SAVEPOINT w") == SQLITE_OK)
		return PDB_OK;
	return pdb_db_fail(db, e, "cannot mark a savepoint");
}

int
pdb_db_release(struct pdb_db *db, struct pdb_err *e)
{
	if (run_cached(db, "RELEASE w") == SQLITE_OK)
		return PDB_OK;
	return pdb_db_fail(db, e, "cannot release a savepoint");
}

void
pdb_db_undo(struct pdb_db *db)
{
	run_cached(db, "ROLLBACK TO w");
	run_cached(db, "RELEASE w");
}

int
pdb_db_in_transaction(struct pdb_db *db)
{
	return !sqlite3_get_autocommit(db->sql);
}

static int
on_wal(void *arg, sqlite3 *sql, const char *name, int pages)
{
	struct pdb_db *db = arg;

	if (pages >= 8 * PDB_DB_CHECKPOINT_PAGES)
		sqlite3_wal_checkpoint_v2(sql, name, SQLITE_CHECKPOINT_PASSIVE,
		    NULL, NULL);
	else if (pages >= PDB_DB_CHECKPOINT_PAGES)
		db->checkpoint_due(db->checkpoint_arg, pages);
	return SQLITE_OK;
}

void
pdb_db_checkpoint_elsewhere(struct pdb_db *db, void (*due)(void *, int),
    void *arg)
{
	db->checkpoint_due = due;
	db->checkpoint_arg = arg;
	sqlite3_wal_hook(db->sql, on_wal, db);
}

int
pdb_db_checkpoint(struct pdb_db *db, int *pages, struct pdb_err *e)
{
	int rc = sqlite3_wal_checkpoint_v2(db->sql, "main",
	    SQLITE_CHECKPOINT_PASSIVE, pages, NULL);

	/* Busy: another checkpoint is under way, which will do. */
	if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
		return pdb_db_fail(db, e, "cannot checkpoint");
	return PDB_OK;
}
