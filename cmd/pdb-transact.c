/* pdb-transact — apply transactions (TransactWriteItems), or read items
 * together (TransactGetItems), one per line. */
#include <getopt.h>
#include <stdio.h>

#include "pdb/cli.h"

static const char synopsis[] = "pdb-transact [--get] [-b N] [-d db]";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Apply one transaction per line of stdin, all of its actions or "
	    "none: a list\nof actions as the AWS CLI's --transact-items "
	    "takes them ([{\"Put\":{…}},\n{\"Update\":{…}}, …]), or a whole "
	    "TransactWriteItems request object.  A\ncancelled transaction "
	    "names each action's reason and exits 1.  With --get,\neach line "
	    "is a TransactGetItems list or request and its response is "
	    "printed.\nThe whole input is one transaction.\n\n"
	    "  -b, --batch-size N  commit every N lines\n"
	    "  -d, --db PATH       database file (default $PDB_DB, "
	    "./pdb.db)\n"
	    "  -g, --get           read: TransactGetItems\n"
	    "  -h, --help          show this help\n"
	    "      --version       show the version\n\n"
	    "See pdb-transact(1).\n", synopsis);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "batch-size", required_argument, NULL, 'b' },
		{ "get", no_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 }
	};
	struct pdb_cli_load l = { .transact = 1 };
	int c, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "b:d:gh", opts, NULL)) != -1)
		switch (c) {
		case 'b':
			if (pdb_cli_batch_size(optarg, &l.batch) != PDB_OK)
				return PDB_USAGE;
			break;
		case 'g':
			l.get = 1;
			break;
		default:
			if (!pdb_cli_common(c, &l.dbopt, help, NULL, &status))
				return pdb_cli_usage(synopsis, NULL);
			if (status >= 0)
				return status;
		}
	if (optind < argc)
		return pdb_cli_usage(synopsis, "unexpected operand '%s'",
		    argv[optind]);
	return pdb_cli_finish(pdb_cli_load(&l));
}
