/* pdb-load — load a dump (pdb-dump's JSON lines) into a database. */
#include <getopt.h>
#include <stdio.h>

#include "pdb/cli.h"

static const char synopsis[] =
    "pdb-load [--replace] [--no-records] [-b N] [-d db] [FILE]";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Load a dump from FILE (default stdin) as pdb-dump writes it: "
	    "each table is\ncreated if missing (and must be as the dump "
	    "says if not), each item put with\nits stream record.  The "
	    "whole input is one transaction; the database file\nis created "
	    "if missing.\n\n"
	    "  -b, --batch-size N  commit every N lines\n"
	    "  -d, --db PATH       database file (default $PDB_DB, "
	    "./pdb.db)\n"
	    "      --no-records    write no stream records: a restore\n"
	    "      --replace       delete the items of each table in the "
	    "dump first\n"
	    "  -h, --help          show this help\n"
	    "      --version       show the version\n\n"
	    "See pdb-load(1).\n", synopsis);
}

int
main(int argc, char *argv[])
{
	enum { NO_RECORDS = 256, REPLACE };
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "batch-size", required_argument, NULL, 'b' },
		{ "no-records", no_argument, NULL, NO_RECORDS },
		{ "replace", no_argument, NULL, REPLACE },
		{ NULL, 0, NULL, 0 }
	};
	struct pdb_cli_load l = { .dump = 1 };
	int c, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "b:d:h", opts, NULL)) != -1)
		switch (c) {
		case 'b':
			if (pdb_cli_batch_size(optarg, &l.batch) != PDB_OK)
				return PDB_USAGE;
			break;
		case NO_RECORDS:
			l.no_records = 1;
			break;
		case REPLACE:
			l.replace = 1;
			break;
		default:
			if (!pdb_cli_common(c, &l.dbopt, help, NULL, &status))
				return pdb_cli_usage(synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		return pdb_cli_usage(synopsis, "expected at most one FILE");
	l.inputs = argv;
	l.ninputs = argc;
	return pdb_cli_finish(pdb_cli_load(&l));
}
