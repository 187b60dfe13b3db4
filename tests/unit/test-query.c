/* test-query — a query reads its range through the key index, never a scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/db_sql.h"
#include "pdb/op_item.h"
#include "pdb/op_read.h"
#include "pdb/op_table.h"
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
count(void *arg, const char *text, size_t len, struct pdb_err *e)
{
	(*(int *)arg)++;
	return 0;
}

/* 2000 orders of 20 customers, c0..c19, numbered n 0..1999. */
static void
load(struct pdb_tx *tx)
{
	struct pdb_table_spec spec;
	struct pdb_table_info info;
	struct pdb_item_req req = { .table = "orders" };
	struct pdb_item_res res;
	struct pdb_err e;
	char line[128];
	int i;

	pdb_table_spec_args(&spec, "orders", "c", "n:N", NULL, &e);
	CHECK(pdb_tx_begin_write(tx, &e) == PDB_OK);
	CHECK(pdb_op_create_table(tx, &spec, &info, &e) == PDB_OK);
	pdb_table_info_free(&info);
	pdb_table_spec_free(&spec);
	for (i = 0; i < 2000; i++) {
		snprintf(line, sizeof(line), "{\"c\":{\"S\":\"c%d\"},"
		    "\"n\":{\"N\":\"%d\"}}", i % 20, i);
		req.item = json_loads(line, 0, NULL);
		pdb_op_put(tx, &req, &res, &e);
		pdb_item_res_free(&res);
		json_decref(req.item);
	}
	CHECK(pdb_tx_commit(tx, &e) == PDB_OK);
}

int
main(void)
{
	struct pdb_read_req q = { .table = "orders" };
	struct pdb_read_res res;
	struct pdb_exprs *x;
	struct pdb_expr *k;
	struct pdb_config cfg;
	struct pdb_tx tx;
	struct pdb_db *db;
	struct pdb_err e;
	char path[64];
	json_t *values;
	int n = 0;

	snprintf(path, sizeof(path), "/tmp/pdb-test-query-%ld.db",
	    (long)getpid());
	unlink(path);
	pdb_config_defaults(&cfg);
	CHECK(pdb_db_open(&db, path, PDB_DB_CREATE, &cfg, &e) == PDB_OK);
	pdb_tx_init(&tx, db);
	load(&tx);

	values = json_loads("{\":c\":{\"S\":\"c7\"},\":a\":{\"N\":\"100\"},"
	    "\":b\":{\"N\":\"500\"}}", 0, NULL);
	CHECK(pdb_exprs_new(&x, NULL, values, &e) == PDB_OK);
	CHECK(pdb_exprs_parse(x, PDB_EXPR_KEY, "c = :c AND n BETWEEN :a AND :b",
	    &k, &e) == PDB_OK);
	q.key = k;
	sqlite3_trace_v2(pdb_db_sqlite(db), SQLITE_TRACE_PROFILE, on_trace,
	    pdb_db_sqlite(db));
	CHECK(pdb_tx_begin_read(&tx, &e) == PDB_OK);
	CHECK(pdb_op_read(&tx, &q, count, &n, &res, &e) == PDB_OK);
	CHECK_INT(n, 20);	/* 107, 127, ..., 487 */
	CHECK(res.last_key == NULL);
	n = 0;
	q.reverse = 1;
	CHECK(pdb_op_read(&tx, &q, count, &n, &res, &e) == PDB_OK);
	CHECK_INT(n, 20);
	/* A page of 5 after a LastEvaluatedKey: the index again. */
	n = 0;
	q.limit = 5;
	CHECK(pdb_op_read(&tx, &q, count, &n, &res, &e) == PDB_OK);
	CHECK(res.last_key != NULL);
	q.start = res.last_key;
	CHECK(pdb_op_read(&tx, &q, count, &n, &res, &e) == PDB_OK);
	CHECK_INT(n, 10);
	json_decref(q.start);
	pdb_read_res_free(&res);
	pdb_tx_rollback(&tx);
	CHECK_INT(statements, 4);
	CHECK_INT(fullscans, 0);
	CHECK(strstr(plan, "USING INDEX items_key (tbl=? AND key>? AND key<?)")
	    != NULL);
	CHECK(strstr(plan, "SCAN items;") == NULL);
	if (strstr(plan, "USING INDEX") == NULL)
		printf("# plan: %s\n", plan);
	pdb_exprs_free(x);
	pdb_tx_free(&tx);
	pdb_db_close(db);
	unlink(path);
	return unit_done();
}
