/* pdb-delete — delete the items whose keys are read from stdin. */
#include <getopt.h>
#include <stdio.h>

#include "pdb/cli.h"

static const char synopsis[] =
    "pdb-delete [-c EXPR] [-N JSON] [-V JSON] [-R WHAT] [-pS] [-b N]\n"
    "                  [-d db] TABLE < keys";

static void
help(const void *arg)
{
	pdb_cli_write_help(synopsis,
	    "Delete the item of each key read from stdin (DynamoDB JSON, "
	    "one per line)\n"
	    "from TABLE, writing its REMOVE stream record in the same "
	    "transaction.\n"
	    "Attributes other than the key are ignored, so pdb-scan "
	    "output can be piped in.", 0);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "batch-size", required_argument, NULL, 'b' },
		{ "condition-expression", required_argument, NULL, 'c' },
		{ "expression-attribute-names", required_argument, NULL, 'N' },
		{ "expression-attribute-values", required_argument, NULL, 'V' },
		{ "plain", no_argument, NULL, 'p' },
		{ "return-values", required_argument, NULL, 'R' },
		{ "skip-failed-conditions", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	struct pdb_cli_load l = { .op = pdb_op_delete };
	struct pdb_cli_exprs x = { NULL };
	struct pdb_expr_set p;
	int c, rc, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "b:c:d:hN:pR:SV:", opts, NULL)) != -1)
		switch (c) {
		case 'b':
			if ((l.batch = pdb_cli_number("--batch-size", optarg, 1,
			    1000000000)) < 0)
				return 2;
			break;
		case 'c':
			x.condition = optarg;
			break;
		case 'N':
			x.names = optarg;
			break;
		case 'p':
			l.plain = 1;
			break;
		case 'R':
			if ((rc = pdb_cli_return_values(synopsis, optarg,
			    PDB_RETURN_ALL_OLD)) < 0)
				return 2;
			l.req.ret = (enum pdb_return)rc;
			break;
		case 'S':
			l.skip = 1;
			break;
		case 'V':
			x.values = optarg;
			break;
		default:
			if (!pdb_cli_common(c, &l.dbopt, help, NULL, &status))
				return pdb_cli_usage(synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return pdb_cli_usage(synopsis, "expected one table name");
	l.table = argv[0];
	if ((rc = pdb_cli_exprs(&x, l.plain, &p)) == PDB_OK) {
		l.req.condition = p.condition;
		l.req.update = p.update;
		rc = pdb_cli_load(&l);
	}
	pdb_exprs_free(p.x);
	return pdb_cli_finish(rc);
}
