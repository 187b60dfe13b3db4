/* test-iter — iterator tokens: round trip, shape, tampering, expiry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdb/iter.h"
#include "pdb/op_table.h"
#include "unit.h"

static struct pdb_db *
fresh_db(char *path, size_t n)
{
	struct pdb_table_spec spec;
	struct pdb_table_info info;
	struct pdb_config cfg;
	struct pdb_tx tx;
	struct pdb_db *db;
	struct pdb_err e;

	pdb_config_defaults(&cfg);
	snprintf(path, n, "/tmp/pdb-test-iter-%ld.db", (long)getpid());
	unlink(path);
	if (pdb_db_open(&db, path, PDB_DB_CREATE, &cfg, &e) != PDB_OK)
		return NULL;
	pdb_table_spec_args(&spec, "users", "id", NULL, "KEYS_ONLY", &e);
	pdb_tx_init(&tx, db);
	pdb_tx_begin_write(&tx, &e);
	pdb_op_create_table(&tx, &spec, &info, &e);
	pdb_tx_commit(&tx, &e);
	pdb_tx_free(&tx);
	pdb_table_info_free(&info);
	pdb_table_spec_free(&spec);
	return db;
}

/* Reopen path as a handle whose clock stands at ms. */
static int
at(struct pdb_db **db, const char *path, int64_t ms)
{
	struct pdb_config cfg;
	struct pdb_err e;

	pdb_db_close(*db);
	pdb_config_defaults(&cfg);
	cfg.now_ms = ms;
	return pdb_db_open(db, path, 0, &cfg, &e);
}

int
main(void)
{
	char path[64], token[PDB_ITER_MAX + 1], bad[PDB_ITER_MAX + 1], *bar;
	struct pdb_stream s;
	struct pdb_iter it, back;
	struct pdb_err e;
	struct pdb_db *db = fresh_db(path, sizeof(path));

	CHECK(db != NULL);
	if (db == NULL)
		return unit_done();
	CHECK(pdb_stream_find(db, "users", &s, &e) == PDB_OK);
	CHECK(pdb_iter_start(db, &s, NULL, PDB_ITER_TRIM_HORIZON, NULL, &it,
	    &e) == PDB_OK);
	it.pos = 41;
	pdb_iter_encode(db, &it, token);
	CHECK(strncmp(token, s.arn, strlen(s.arn)) == 0);
	CHECK(strncmp(token + strlen(s.arn), "|1|", 3) == 0);
	CHECK(strlen(token) <= PDB_ITER_MAX);
	CHECK(pdb_iter_decode(db, token, &back, &e) == PDB_OK);
	CHECK_INT(back.pos, 41);
	CHECK_INT(back.shard.id, 0);	/* the whole stream */

	/* Every single-character change is refused, never misread. */
	bar = strstr(token, "|1|") + 3;
	for (size_t i = 0; bar[i] != '\0'; i++) {
		strcpy(bad, token);
		bad[bar - token + i] = bad[bar - token + i] == 'A' ? 'B' : 'A';
		if (strcmp(bad, token) == 0)
			continue;
		if (pdb_iter_decode(db, bad, &back, &e) == PDB_OK) {
			CHECK(!"a tampered iterator decoded");
			break;
		}
	}
	CHECK(pdb_iter_decode(db, "garbage", &back, &e) == PDB_INVALID);
	CHECK(e.code == PDB_E_VALIDATION);

	/* Expiry: 15 minutes after issue, on the clock each handle is given. */
	CHECK(at(&db, path, 1700000000000) == PDB_OK);
	pdb_iter_encode(db, &it, token);
	CHECK(at(&db, path, 1700000899000) == PDB_OK);
	CHECK(pdb_iter_decode(db, token, &back, &e) == PDB_OK);
	CHECK(at(&db, path, 1700000901000) == PDB_OK);
	CHECK(pdb_iter_decode(db, token, &back, &e) == PDB_INVALID);
	CHECK(e.code == PDB_E_EXPIRED_ITERATOR);

	pdb_db_close(db);
	unlink(path);
	return unit_done();
}
