/* pdb-dump — a whole database, or some tables, as JSON lines. */
#include <getopt.h>
#include <stdio.h>

#include "pdb/cli.h"

static const char synopsis[] = "pdb-dump [-d db] [TABLE ...]";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Print every table (or the TABLEs named) as a CreateTable "
	    "request on one\nJSON line, followed by its items in key order, "
	    "each a PutItem request\n({\"TableName\":…,\"Item\":…}).  The "
	    "dump is one snapshot, taken while writers\nrun, and the same "
	    "bytes for the same database; pdb-load reads it back.\n\n"
	    "  -d, --db PATH  database file (default $PDB_DB, ./pdb.db)\n"
	    "  -h, --help     show this help\n"
	    "      --version  show the version\n\n"
	    "See pdb-dump(1).\n", synopsis);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL;
	int c, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1)
		if (!pdb_cli_common(c, &dbopt, help, NULL, &status))
			return pdb_cli_usage(synopsis, NULL);
		else if (status >= 0)
			return status;
	return pdb_cli_finish(pdb_cli_dump(dbopt, argv + optind,
	    argc - optind));
}
