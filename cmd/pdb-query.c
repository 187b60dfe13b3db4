/* pdb-query — print the items of one partition, in sort-key order. */
#include <getopt.h>
#include <stdio.h>

#include "pdb/cli.h"

static const char synopsis[] =
    "pdb-query -k EXPR [-pr] [-F EXPR] [-P EXPR] [-N JSON] [-V JSON] [-l N]\n"
    "                 [-d db] TABLE";

static void
help(const void *arg)
{
	pdb_cli_read_help(synopsis,
	    "Print the items of TABLE that the key condition EXPR selects "
	    "(partition key\nequality, optionally one sort key condition), "
	    "in sort key order, read\nthrough the key index.", 1);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "expression-attribute-names", required_argument, NULL, 'N' },
		{ "expression-attribute-values", required_argument, NULL, 'V' },
		{ "filter-expression", required_argument, NULL, 'F' },
		{ "key-condition-expression", required_argument, NULL, 'k' },
		{ "limit", required_argument, NULL, 'l' },
		{ "plain", no_argument, NULL, 'p' },
		{ "projection-expression", required_argument, NULL, 'P' },
		{ "reverse", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct pdb_read_req req = { NULL };
	struct pdb_cli_read r = { .req = &req };
	struct pdb_cli_exprs x = { NULL };
	struct pdb_expr_set p;
	int c, rc, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "d:F:hk:l:N:pP:rV:", opts, NULL)) != -1)
		switch (c) {
		case 'F':
			x.filter = optarg;
			break;
		case 'k':
			x.key = optarg;
			break;
		case 'l':
			if ((r.limit = pdb_cli_number("--limit", optarg, 1,
			    1LL << 62)) < 0)
				return 2;
			break;
		case 'N':
			x.names = optarg;
			break;
		case 'p':
			r.plain = 1;
			break;
		case 'P':
			x.projection = optarg;
			break;
		case 'r':
			req.reverse = 1;
			break;
		case 'V':
			x.values = optarg;
			break;
		default:
			if (!pdb_cli_common(c, &r.dbopt, help, NULL, &status))
				return pdb_cli_usage(synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return pdb_cli_usage(synopsis, "expected one table name");
	if (x.key == NULL)
		return pdb_cli_usage(synopsis, "-k EXPR is required");
	req.table = argv[0];
	if ((rc = pdb_cli_exprs(&x, r.plain, &p)) == PDB_OK) {
		req.key = p.key;
		req.filter = p.filter;
		req.projection = p.projection;
		rc = pdb_cli_read(&r);
	}
	pdb_exprs_free(p.x);
	return pdb_cli_finish(rc);
}
