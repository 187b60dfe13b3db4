/* store_table.c — the tables table: SQL for table rows. */
#include <stdlib.h>
#include <string.h>

#include "db_sql.h"
#include "pdb/store.h"

static void
bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
	if (*s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void
bind_keyschema(sqlite3_stmt *st, int first, const struct pdb_keyschema *ks)
{
	char ht[2] = { ks->hash_type, 0 }, rt[2] = { ks->range_type, 0 };

	sqlite3_bind_text(st, first, ks->hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, first + 1, ht, -1, SQLITE_TRANSIENT);
	bind_opt_text(st, first + 2, ks->range);
	bind_opt_text(st, first + 3, ks->range[0] ? rt : "");
}

/* Columns first..first + 3: hash name and type, range name and type. */
static void
column_keyschema(sqlite3_stmt *st, int first, struct pdb_keyschema *ks)
{
	char type[8];

	pdb_db_column_text(st, first, ks->hash, sizeof(ks->hash));
	pdb_db_column_text(st, first + 1, type, sizeof(type));
	ks->hash_type = type[0];
	pdb_db_column_text(st, first + 2, ks->range, sizeof(ks->range));
	pdb_db_column_text(st, first + 3, type, sizeof(type));
	ks->range_type = type[0];
}

int
pdb_store_table_insert(struct pdb_db *db, const char *name,
    const struct pdb_keyschema *ks, const char *table_id, int64_t created_ms,
    const char *extra_json, struct pdb_err *e)
{
	static const char sql[] = "INSERT INTO tables(name, table_id,"
	    " created_ms, hash_name, hash_type, range_name, range_type, extra)"
	    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, table_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, created_ms);
	bind_keyschema(st, 4, ks);
	sqlite3_bind_text(st, 8, extra_json, -1, SQLITE_STATIC);
	return pdb_db_step_done(db, st, e, "cannot create table");
}

int
pdb_store_catalog_version(struct pdb_db *db, int64_t *version,
    struct pdb_err *e)
{
	static const char sql[] = "SELECT value FROM meta"
	    " WHERE key = 'catalog'";

	return pdb_db_scalar(db, sql, version, e);
}

int
pdb_store_table_get(struct pdb_db *db, const char *name, struct pdb_table *t,
    struct pdb_err *e)
{
	static const char sql[] = "SELECT t.id, t.name, t.table_id,"
	    " t.created_ms, t.hash_name, t.hash_type, t.range_name,"
	    " t.range_type, s.id, s.view, t.stream, t.ttl_attr,"
	    " s.roll_every_ms, s.split_after, s.arn FROM tables t"
	    " LEFT JOIN streams s ON s.id = t.stream AND s.enabled"
	    " WHERE t.name = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return pdb_db_fail(db, e, "cannot read table");
		return pdb_err_notfound(e, "Requested resource not found: "
		    "Table: %s not found", name);
	}
	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(st, 0);
	pdb_db_column_text(st, 1, t->name, sizeof(t->name));
	pdb_db_column_text(st, 2, t->table_id, sizeof(t->table_id));
	t->created_ms = sqlite3_column_int64(st, 3);
	column_keyschema(st, 4, &t->ks);
	t->stream = sqlite3_column_int64(st, 8);
	if (t->stream != 0)
		t->view = pdb_view_parse((const char *)sqlite3_column_text(st,
		    9));
	t->latest_stream = sqlite3_column_int64(st, 10);
	pdb_db_column_text(st, 11, t->ttl, sizeof(t->ttl));
	t->roll_every_ms = sqlite3_column_int64(st, 12);
	t->split_after = sqlite3_column_int64(st, 13);
	pdb_db_column_text(st, 14, t->stream_arn, sizeof(t->stream_arn));
	sqlite3_reset(st);
	return PDB_OK;
}

int
pdb_store_table_list(struct pdb_db *db, const char *after,
    int (*fn)(void *, const char *), void *arg, struct pdb_err *e)
{
	static const char sql[] = "SELECT name FROM tables"
	    " WHERE ?1 IS NULL OR name > ?1 ORDER BY name";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	if (after != NULL)
		sqlite3_bind_text(st, 1, after, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(arg, (const char *)sqlite3_column_text(st, 0)) != 0)
			break;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot list tables");
	return PDB_OK;
}

static int
run_with_id(struct pdb_db *db, const char *sql, int64_t id,
    struct pdb_err *e, const char *context)
{
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, id);
	return pdb_db_step_done(db, st, e, context);
}

int
pdb_store_table_delete(struct pdb_db *db, int64_t id, struct pdb_err *e)
{
	static const char items_sql[] = "DELETE FROM items WHERE tbl = ?1";
	static const char rows_sql[] = "DELETE FROM index_rows WHERE idx IN"
	    " (SELECT id FROM indexes WHERE tbl = ?1)";
	static const char indexes_sql[] = "DELETE FROM indexes WHERE tbl = ?1";
	static const char table_sql[] = "DELETE FROM tables WHERE id = ?1";

	if (run_with_id(db, items_sql, id, e, "cannot delete items") != PDB_OK ||
	    run_with_id(db, rows_sql, id, e, "cannot delete index rows") !=
	    PDB_OK || run_with_id(db, indexes_sql, id, e,
	    "cannot delete indexes") != PDB_OK)
		return e->status;
	return run_with_id(db, table_sql, id, e, "cannot delete table");
}

int
pdb_store_table_stats(struct pdb_db *db, int64_t id, int64_t *count,
    int64_t *bytes, struct pdb_err *e)
{
	static const char sql[] = "SELECT count(*), coalesce(sum(size), 0)"
	    " FROM items WHERE tbl = ?1";

	return pdb_db_count_sum(db, sql, id, count, bytes, e,
	    "cannot count items");
}

int
pdb_store_table_extra(struct pdb_db *db, int64_t id, char **json,
    struct pdb_err *e)
{
	static const char sql[] = "SELECT extra FROM tables WHERE id = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	*json = NULL;
	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*json = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read table");
	if (rc == SQLITE_ROW && *json == NULL)
		return pdb_err_system(e, "out of memory");
	return PDB_OK;
}

int
pdb_store_table_set_extra(struct pdb_db *db, int64_t id, const char *json,
    struct pdb_err *e)
{
	static const char sql[] = "UPDATE tables SET extra = ?2 WHERE id = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, json, -1, SQLITE_STATIC);
	return pdb_db_step_done(db, st, e, "cannot update table");
}

int
pdb_store_table_set_ttl(struct pdb_db *db, int64_t id, const char *attr,
    struct pdb_err *e)
{
	static const char sql[] = "UPDATE tables SET ttl_attr = ?2"
	    " WHERE id = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, id);
	bind_opt_text(st, 2, attr);
	return pdb_db_step_done(db, st, e, "cannot set time to live");
}

/* indexes */

int
pdb_store_index_insert(struct pdb_db *db, int64_t tbl,
    const struct pdb_index *ix, int64_t created_ms, struct pdb_err *e)
{
	static const char sql[] = "INSERT INTO indexes(tbl, name, global,"
	    " hash_name, hash_type, range_name, range_type, projection,"
	    " include, created_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10)";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	json_t *names = json_array();
	char *include;
	int i, rc;

	for (i = 0; i < ix->ninclude; i++)
		json_array_append_new(names, json_string(ix->include[i]));
	include = json_dumps(names, JSON_COMPACT);
	json_decref(names);
	if (st == NULL || include == NULL) {
		free(include);
		return st == NULL ? PDB_SYSTEM : pdb_err_system(e,
		    "out of memory");
	}
	sqlite3_bind_int64(st, 1, tbl);
	sqlite3_bind_text(st, 2, ix->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, ix->global);
	bind_keyschema(st, 4, &ix->ks);
	sqlite3_bind_text(st, 8, pdb_projection_name(ix->projection), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 9, include, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, created_ms);
	rc = pdb_db_step_done(db, st, e, "cannot create index");
	free(include);
	return rc;
}

/* The NonKeyAttributes kept as a JSON array, into ix. */
static int
column_include(sqlite3_stmt *st, int col, struct pdb_index *ix)
{
	json_t *names = json_loads((const char *)sqlite3_column_text(st, col),
	    0, NULL), *v;
	size_t i, n;

	if ((ix->include = calloc(json_array_size(names) + 1,
	    sizeof(char *))) == NULL) {
		json_decref(names);
		return -1;
	}
	json_array_foreach(names, i, v)
		if ((ix->include[ix->ninclude++] = strdup(json_string_value(v)))
		    == NULL)
			break;
	n = json_array_size(names);
	json_decref(names);
	return i == n ? 0 : -1;
}

static int
load_index(sqlite3_stmt *st, struct pdb_table *t)
{
	struct pdb_index *ix, *grown;

	if ((grown = realloc(t->index, (size_t)(t->nindex + 1) *
	    sizeof(*grown))) == NULL)
		return -1;
	t->index = grown;
	ix = &t->index[t->nindex++];
	memset(ix, 0, sizeof(*ix));
	ix->id = sqlite3_column_int64(st, 0);
	pdb_db_column_text(st, 1, ix->name, sizeof(ix->name));
	ix->global = sqlite3_column_int(st, 2);
	column_keyschema(st, 3, &ix->ks);
	ix->projection = (enum pdb_projection)pdb_projection_parse(
	    (const char *)sqlite3_column_text(st, 7));
	return column_include(st, 8, ix);
}

/* t's indexes go; its shards stay. */
static void
drop_indexes(struct pdb_table *t)
{
	pdb_indexes_free(t->index, t->nindex);
	t->index = NULL;
	t->nindex = 0;
}

int
pdb_store_index_load(struct pdb_db *db, struct pdb_table *t,
    struct pdb_err *e)
{
	static const char sql[] = "SELECT id, name, global, hash_name,"
	    " hash_type, range_name, range_type, projection, include"
	    " FROM indexes WHERE tbl = ?1 ORDER BY id";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	drop_indexes(t);
	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, t->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (load_index(st, t) != 0) {
			sqlite3_reset(st);
			drop_indexes(t);
			return pdb_err_system(e, "out of memory");
		}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		drop_indexes(t);
		return pdb_db_fail(db, e, "cannot read indexes");
	}
	return PDB_OK;
}

int
pdb_store_index_drop(struct pdb_db *db, int64_t idx, struct pdb_err *e)
{
	static const char rows_sql[] = "DELETE FROM index_rows WHERE idx = ?1";
	static const char index_sql[] = "DELETE FROM indexes WHERE id = ?1";

	if (run_with_id(db, rows_sql, idx, e, "cannot delete index rows") !=
	    PDB_OK)
		return e->status;
	return run_with_id(db, index_sql, idx, e, "cannot delete index");
}
