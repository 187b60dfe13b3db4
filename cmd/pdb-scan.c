/* pdb-scan — print a table's items in key order. */
#include <getopt.h>
#include <stdio.h>

#include "pdb/cli.h"
#include "pdb/db.h"
#include "pdb/item.h"
#include "pdb/table.h"

static const char synopsis[] = "pdb-scan [-p] [-d db] TABLE";

static void
help(void)
{
	printf("usage: %s\n\n"
	    "Print every item of TABLE as a JSON line, in key order.\n\n"
	    "  -d, --db PATH  database file (default $PDB_DB, ./pdb.db)\n"
	    "  -p, --plain    print plain JSON instead of DynamoDB JSON\n"
	    "  -h, --help     show this help\n"
	    "      --version  show the version\n\n"
	    "See pdb-scan(1).\n", synopsis);
}

static int
print_item(void *arg, const char *text, size_t len)
{
	return pdb_item_print(stdout, text, len, *(int *)arg);
}

static int
scan(const char *dbopt, const char *table, int plain)
{
	struct pdb_table t;
	struct pdb_db *db;
	struct pdb_err e;
	int rc;

	if (pdb_db_open(&db, pdb_db_path(dbopt), 0, &e) != PDB_OK)
		return pdb_cli_error(NULL, &e);
	rc = pdb_table_get(db, table, &t, &e);
	if (rc == PDB_OK)
		rc = pdb_item_scan(db, &t, print_item, &plain, &e);
	if (rc != PDB_OK)
		pdb_cli_error(NULL, &e);
	pdb_db_close(db);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "plain", no_argument, NULL, 'p' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL;
	int c, plain = 0;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "d:hp", opts, NULL)) != -1)
		switch (c) {
		case 'd':
			dbopt = optarg;
			break;
		case 'h':
			help();
			return pdb_cli_finish(0);
		case 'p':
			plain = 1;
			break;
		case 'v':
			pdb_cli_version();
			return pdb_cli_finish(0);
		default:
			return pdb_cli_usage(synopsis, NULL);
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return pdb_cli_usage(synopsis, "expected one table name");
	return pdb_cli_finish(scan(dbopt, argv[0], plain));
}
