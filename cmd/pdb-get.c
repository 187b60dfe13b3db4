/* pdb-get — print the items whose keys are read from stdin. */
#include <getopt.h>
#include <stdio.h>

#include "pdb/cli.h"

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

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "plain", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL;
	int c, plain = 0, status;

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
	return pdb_cli_finish(pdb_cli_get(dbopt, argv[0], plain));
}
