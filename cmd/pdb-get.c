/* pdb-get — print the items whose keys are read from stdin. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/cli.h"
#include "pdb/db.h"
#include "pdb/item.h"
#include "pdb/jsonl.h"
#include "pdb/table.h"

static const char synopsis[] = "pdb-get [-p] [-d db] TABLE < keys";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Print the item of each key read from stdin (DynamoDB JSON, one "
	    "per line).\nA key with no item prints nothing, is named on "
	    "stderr, and makes the exit\nstatus 1.\n\n"
	    "  -d, --db PATH  database file (default $PDB_DB, ./pdb.db)\n"
	    "  -p, --plain    keys in and items out as plain JSON\n"
	    "  -h, --help     show this help\n"
	    "      --version  show the version\n\n"
	    "See pdb-get(1).\n", synopsis);
}

/* Look up one key line; a missing item is reported and remembered. */
static int
get_line(struct pdb_db *db, const struct pdb_table *t, const char *line,
    size_t len, int plain, const char *where, int *missing)
{
	struct pdb_err e;
	json_t *key;
	char *text;
	int rc;

	if (pdb_item_parse(line, len, plain, &key, &e) != PDB_OK)
		return pdb_cli_error(where, &e);
	rc = pdb_item_get(db, t, key, &text, &e);
	json_decref(key);
	if (rc == PDB_NEGATIVE) {
		fprintf(stderr, "%s: %s: no item with key %.*s\n",
		    pdb_cli_prog(), where, (int)len, line);
		*missing = 1;
		return PDB_OK;
	}
	if (rc != PDB_OK)
		return pdb_cli_error(where, &e);
	pdb_item_print(stdout, text, strlen(text), plain);
	free(text);
	return PDB_OK;
}

static int
get_all(struct pdb_db *db, const char *table, int plain)
{
	struct pdb_table t;
	struct pdb_lines in;
	struct pdb_err e;
	const char *line;
	char where[64];
	ssize_t len;
	int rc = PDB_OK, missing = 0;

	if (pdb_table_get(db, table, &t, &e) != PDB_OK)
		return pdb_cli_error(NULL, &e);
	pdb_lines_init(&in, stdin, "stdin");
	while (rc == PDB_OK && (len = pdb_lines_next(&in, &line)) >= 0) {
		snprintf(where, sizeof(where), "stdin:%ld", in.lineno);
		rc = get_line(db, &t, line, (size_t)len, plain, where,
		    &missing);
	}
	pdb_lines_free(&in);
	return rc != PDB_OK ? rc : missing ? PDB_NEGATIVE : PDB_OK;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "plain", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL;
	struct pdb_db *db;
	int c, plain = 0, rc, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "d:hp", opts, NULL)) != -1)
		switch (c) {
		case 'p':
			plain = 1;
			break;
		default:
			if (!pdb_cli_common(c, &dbopt, help, NULL, &status))
				return pdb_cli_usage(synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return pdb_cli_usage(synopsis, "expected one table name");
	if ((rc = pdb_cli_open(dbopt, 0, &db)) != PDB_OK)
		return rc;
	rc = get_all(db, argv[0], plain);
	pdb_db_close(db);
	return pdb_cli_finish(rc);
}
