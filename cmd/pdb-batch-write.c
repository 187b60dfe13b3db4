/* pdb-batch-write — load the AWS CLI's BatchWriteItem request files: puts
 * and deletes in many tables, any number of them, all or nothing. */
#include <getopt.h>
#include <stdio.h>

#include "pdb/cli.h"

static const char synopsis[] = "pdb-batch-write [-b N] [-d db] [FILE ...]";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Apply the BatchWriteItem requests of each FILE (default stdin, "
	    "also -): the\nAWS CLI's --request-items, {\"TABLE\":[{\"PutRequest\":"
	    "{\"Item\":…}},\n{\"DeleteRequest\":{\"Key\":…}}, …], …}, or whole "
	    "requests {\"RequestItems\":{…}},\none after another in any layout, "
	    "of any length, each request in order.  Every\nchange writes its "
	    "stream record.  The whole input is one transaction.\n\n"
	    "  -b, --batch-size N  commit every N requests\n"
	    "  -d, --db PATH       database file (default $PDB_DB, "
	    "./pdb.db)\n"
	    "  -h, --help          show this help\n"
	    "      --version       show the version\n\n"
	    "See pdb-batch-write(1).\n", synopsis);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "batch-size", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	struct pdb_cli_load l = { .batch_write = 1 };
	int c, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "b:d:h", opts, NULL)) != -1)
		switch (c) {
		case 'b':
			if (pdb_cli_batch_size(optarg, &l.batch) != PDB_OK)
				return PDB_USAGE;
			break;
		default:
			if (!pdb_cli_common(c, &l.dbopt, help, NULL, &status))
				return pdb_cli_usage(synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	argv += optind;
	l.inputs = argv;
	l.ninputs = argc;
	return pdb_cli_finish(pdb_cli_load(&l));
}
