/* pdb-query — print the items of one partition, in sort-key order. */
#include "pdb/cli.h"

int
main(int argc, char *argv[])
{
	static const struct pdb_cli_reader r = {
		.synopsis =
		    "pdb-query -k EXPR [-gpr] [-F EXPR] [-P EXPR] [-N JSON] [-V JSON] [-l N]\n"
		    "                 [-s JSON] [-S WHAT] [-i NAME] [-d db] TABLE",
		.about =
		    "Print the items of TABLE that the key condition EXPR selects "
		    "(partition key\nequality, optionally one sort key condition), "
		    "in sort key order, read\nthrough the key index, page "
		    "after page as DynamoDB's Query reads them.",
		.query = 1,
	};

	return pdb_cli_read_main(argc, argv, &r);
}
