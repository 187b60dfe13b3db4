/* fuzz-iter — decode arbitrary iterator tokens: refused or sound. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdb/iter.h"
#include "pdb/op_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pdb_db *db;
static char valid[PDB_ITER_MAX + 1];

static void
setup(void)
{
	struct pdb_table_spec spec;
	struct pdb_table_info info;
	struct pdb_tx tx;
	struct pdb_stream s;
	struct pdb_iter it;
	struct pdb_config cfg;
	struct pdb_err e;
	char path[64];

	snprintf(path, sizeof(path), "/tmp/pdb-fuzz-iter-%ld.db",
	    (long)getpid());
	unlink(path);
	pdb_config_defaults(&cfg);
	if (pdb_db_open(&db, path, PDB_DB_CREATE, &cfg, &e) != PDB_OK)
		abort();
	pdb_table_spec_args(&spec, "users", "id", NULL, "KEYS_ONLY", &e);
	pdb_tx_init(&tx, db);
	pdb_tx_begin_write(&tx, &e);
	pdb_op_create_table(&tx, &spec, &info, &e);
	pdb_tx_commit(&tx, &e);
	pdb_tx_free(&tx);
	pdb_table_info_free(&info);
	pdb_table_spec_free(&spec);
	pdb_stream_find(db, "users", &s, &e);
	pdb_iter_start(db, &s, NULL, PDB_ITER_LATEST, NULL, &it, &e);
	pdb_iter_encode(db, &it, valid);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdb_iter it;
	struct pdb_err e;
	char *token;

	if (db == NULL)
		setup();
	/* Half the inputs splice fuzz into a real token's opaque part. */
	if ((token = malloc(size + sizeof(valid) + 1)) == NULL)
		return 0;
	if (size > 0 && (data[0] & 1)) {
		size_t keep = strlen(valid) - (size < 20 ? size : 20);

		memcpy(token, valid, keep);
		memcpy(token + keep, data + 1, size - 1);
		token[keep + size - 1] = '\0';
	} else {
		memcpy(token, data, size);
		token[size] = '\0';
	}
	if (pdb_iter_decode(db, token, &it, &e) == PDB_OK &&
	    strcmp(token, valid) != 0 && strlen(token) == strlen(valid))
		__builtin_trap();	/* a changed token was accepted */
	free(token);
	return 0;
}
