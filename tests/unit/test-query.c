/* test-query — a query reads its range through the key index, never a scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdb/expr.h"
#include "pdb/item.h"
#include "pdb/table.h"
#include "unit.h"

static char plan[4096];
static int fullscans, statements;

static int
on_plan_row(void *arg, int n, char **cols, char **names)
{
	strncat(plan, cols[n - 1], sizeof(plan) - strlen(plan) - 2);
	strcat(plan, ";");
	return 0;
}

/* Each statement the library runs: its plan and its full-scan steps. */
static int
on_trace(unsigned type, void *db, void *p, void *x)
{
	sqlite3_stmt *st = p;
	char sql[1024];

	if (type != SQLITE_TRACE_PROFILE ||
	    strstr(sqlite3_sql(st), "FROM items") == NULL ||
	    strncmp(sqlite3_sql(st), "EXPLAIN", 7) == 0)
		return 0;
	statements++;
	fullscans += sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP,
	    0);
	snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s", sqlite3_sql(st));
	sqlite3_exec(db, sql, on_plan_row, NULL, NULL);
	return 0;
}

static int
count(void *arg, const char *text, size_t len)
{
	(*(int *)arg)++;
	return 0;
}

int
main(void)
{
	struct pdb_table_spec spec;
	struct pdb_writer *w;
	struct pdb_exprs *x;
	struct pdb_expr *k;
	struct pdb_key_range r;
	struct pdb_table t;
	struct pdb_config cfg;
	struct pdb_db *db;
	struct pdb_err e;
	char path[64], line[128];
	json_t *item, *values;
	int i, n = 0;

	snprintf(path, sizeof(path), "/tmp/pdb-test-query-%ld.db",
	    (long)getpid());
	unlink(path);
	pdb_config_defaults(&cfg);
	CHECK(pdb_db_open(&db, path, PDB_DB_CREATE, &cfg, &e) == PDB_OK);
	pdb_table_spec_args(&spec, "orders", "c", "n:N", NULL, &e);
	CHECK(pdb_table_create(db, &spec, &e) == PDB_OK);
	pdb_table_spec_free(&spec);
	pdb_writer_new(&w, db, "orders", &e);
	pdb_writer_begin(w, &e);
	for (i = 0; i < 2000; i++) {
		snprintf(line, sizeof(line), "{\"c\":{\"S\":\"c%d\"},"
		    "\"n\":{\"N\":\"%d\"}}", i % 20, i);
		item = json_loads(line, 0, NULL);
		pdb_writer_put(w, item, &e);
		json_decref(item);
	}
	CHECK(pdb_writer_commit(w, &e) == PDB_OK);
	pdb_writer_free(w);

	values = json_loads("{\":c\":{\"S\":\"c7\"},\":a\":{\"N\":\"100\"},"
	    "\":b\":{\"N\":\"500\"}}", 0, NULL);
	CHECK(pdb_exprs_new(&x, NULL, values, &e) == PDB_OK);
	CHECK(pdb_exprs_parse(x, PDB_EXPR_KEY, "c = :c AND n BETWEEN :a AND :b",
	    &k, &e) == PDB_OK);
	pdb_table_get(db, "orders", &t, &e);
	CHECK(pdb_expr_key_range(k, &t.ks, &r, &e) == PDB_OK);
	sqlite3_trace_v2(pdb_db_sqlite(db), SQLITE_TRACE_PROFILE, on_trace,
	    pdb_db_sqlite(db));
	CHECK(pdb_item_query(db, &t, &r, 0, count, &n, &e) == PDB_OK);
	CHECK_INT(n, 20);	/* 107, 127, ..., 487 */
	n = 0;
	CHECK(pdb_item_query(db, &t, &r, 1, count, &n, &e) == PDB_OK);
	CHECK_INT(n, 20);
	CHECK_INT(statements, 2);
	CHECK_INT(fullscans, 0);
	CHECK(strstr(plan, "USING INDEX items_key (tbl=? AND key>? AND key<?)")
	    != NULL);
	CHECK(strstr(plan, "SCAN items;") == NULL);
	if (strstr(plan, "USING INDEX") == NULL)
		printf("# plan: %s\n", plan);
	pdb_exprs_free(x);
	pdb_db_close(db);
	unlink(path);
	return unit_done();
}
