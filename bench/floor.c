/*
 * floor — the yardstick for pdb-put: the same work (parse each line, read
 * the old item, write the item and its stream record, one transaction)
 * with pdb's schema and statements but none of its generality: no
 * validation, no number normalisation, no canonical form, a naive key.
 * bench/floor DB < items  (items with "pk" S and "sk" N, as bench/gen makes)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

static const char schema[] =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
    "PRAGMA cache_size = -16384;"
    "CREATE TABLE items(id INTEGER PRIMARY KEY, tbl INTEGER NOT NULL,"
    " key BLOB NOT NULL, size INTEGER NOT NULL, item TEXT NOT NULL);"
    "CREATE UNIQUE INDEX items_key ON items(tbl, key);"
    "CREATE TABLE records(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " stream INTEGER NOT NULL, event INTEGER NOT NULL,"
    " created_ms INTEGER NOT NULL, size INTEGER NOT NULL,"
    " identity INTEGER NOT NULL DEFAULT 0, keys TEXT NOT NULL,"
    " new_image TEXT, old_image TEXT);"
    "CREATE INDEX records_stream ON records(stream, seq);";

static sqlite3_stmt *
prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		fprintf(stderr, "floor: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	return st;
}

int
main(int argc, char *argv[])
{
	sqlite3 *db;
	sqlite3_stmt *old, *put, *rec;
	char *line = NULL, key[256], keys[256], *text;
	const char *pk, *sk;
	size_t cap = 0, klen;
	ssize_t len;
	json_t *item;
	int found;

	if (argc != 2 || sqlite3_open(argv[1], &db) != SQLITE_OK ||
	    sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "usage: floor NEW.db < items\n");
		return 2;
	}
	old = prepare(db, "SELECT item FROM items WHERE tbl = 1 AND key = ?1");
	put = prepare(db, "INSERT INTO items(tbl, key, size, item)"
	    " VALUES(1, ?1, ?2, ?3) ON CONFLICT(tbl, key) DO UPDATE"
	    " SET size = excluded.size, item = excluded.item");
	rec = prepare(db, "INSERT INTO records(stream, event, created_ms,"
	    " size, keys, new_image, old_image) VALUES(1, ?1, ?2, ?3, ?4, ?5,"
	    " ?6)");
	sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	while ((len = getline(&line, &cap, stdin)) > 0) {
		if ((item = json_loadb(line, (size_t)len, 0, NULL)) == NULL)
			continue;
		pk = json_string_value(json_object_get(json_object_get(item,
		    "pk"), "S"));
		sk = json_string_value(json_object_get(json_object_get(item,
		    "sk"), "N"));
		klen = (size_t)snprintf(key, sizeof(key), "%s%c%s", pk, 0, sk);
		snprintf(keys, sizeof(keys), "{\"pk\":{\"S\":\"%s\"},"
		    "\"sk\":{\"N\":\"%s\"}}", pk, sk);
		text = json_dumps(item, JSON_COMPACT);
		sqlite3_bind_blob(old, 1, key, (int)klen, SQLITE_STATIC);
		found = sqlite3_step(old) == SQLITE_ROW;
		sqlite3_bind_int(rec, 1, found ? 2 : 1);
		sqlite3_bind_int64(rec, 2, (sqlite3_int64)time(NULL) * 1000);
		sqlite3_bind_int(rec, 3, (int)strlen(text));
		sqlite3_bind_text(rec, 4, keys, -1, SQLITE_STATIC);
		sqlite3_bind_text(rec, 5, text, -1, SQLITE_STATIC);
		if (found)
			sqlite3_bind_text(rec, 6, (const char *)
			    sqlite3_column_text(old, 0), -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(rec, 6);
		sqlite3_step(rec);
		sqlite3_reset(rec);
		sqlite3_reset(old);
		sqlite3_bind_blob(put, 1, key, (int)klen, SQLITE_STATIC);
		sqlite3_bind_int(put, 2, (int)strlen(text));
		sqlite3_bind_text(put, 3, text, -1, SQLITE_STATIC);
		sqlite3_step(put);
		sqlite3_reset(put);
		free(text);
		json_decref(item);
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	free(line);
	sqlite3_finalize(old);
	sqlite3_finalize(put);
	sqlite3_finalize(rec);
	sqlite3_close(db);
	return 0;
}
