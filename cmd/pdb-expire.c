/* pdb-expire — delete the items whose Time to Live has passed. */
#include <stdio.h>

#include "pdb/cli.h"

static const char synopsis[] = "pdb-expire [-d db] [TABLE ...]";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Delete the items of every table with Time to Live enabled (or of "
	    "the TABLEs\nnamed) whose TTL attribute, a number of epoch "
	    "seconds, is past ($PDB_NOW\ncounts), as DynamoDB's TTL sweep "
	    "does: each deletion writes a REMOVE record\nwith the service's "
	    "userIdentity, in the same transaction.\n\n"
	    "  -d, --db PATH  database file (default $PDB_DB, ./pdb.db)\n"
	    "  -h, --help     show this help\n"
	    "      --version  show the version\n\n"
	    "See pdb-expire(1).\n", synopsis);
}

int
main(int argc, char *argv[])
{
	return pdb_cli_tables_main(argc, argv, synopsis, help, pdb_cli_expire);
}
