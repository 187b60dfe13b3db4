/* pdb-update — apply an UpdateExpression to the items whose keys are read. */
#include <getopt.h>
#include <stdio.h>

#include "pdb/cli.h"

static const char synopsis[] =
    "pdb-update -u EXPR [-c EXPR] [-N JSON] [-V JSON] [-R WHAT] [-pS] [-b N]\n"
    "                  [-d db] TABLE < keys";

static void
help(const void *arg)
{
	pdb_cli_write_help(synopsis,
	    "Apply the UpdateExpression EXPR to the item of each key "
	    "read from stdin\n"
	    "(DynamoDB JSON, one per line), creating the item if it does "
	    "not exist,\n"
	    "and write its stream record in the same transaction.", 1);
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
		{ "update-expression", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct pdb_cli_load l = { .op = pdb_op_update };
	struct pdb_cli_exprs x = { NULL };
	struct pdb_expr_set p;
	int c, rc, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "b:c:d:hN:pR:Su:V:", opts, NULL)) != -1)
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
			    PDB_RETURN_UPDATED_NEW)) < 0)
				return 2;
			l.req.ret = (enum pdb_return)rc;
			break;
		case 'S':
			l.skip = 1;
			break;
		case 'u':
			x.update = optarg;
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
	if (x.update == NULL)
		return pdb_cli_usage(synopsis, "-u EXPR is required");
	l.table = argv[0];
	if ((rc = pdb_cli_exprs(&x, l.plain, &p)) == PDB_OK) {
		l.req.condition = p.condition;
		l.req.update = p.update;
		rc = pdb_cli_load(&l);
	}
	pdb_exprs_free(p.x);
	return pdb_cli_finish(rc);
}
