/* pdb-dump — a whole database, or some tables, as JSON lines. */
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
	return pdb_cli_tables_main(argc, argv, synopsis, help, pdb_cli_dump);
}
