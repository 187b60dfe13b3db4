/* pdb-update — apply an UpdateExpression to the items whose keys are read. */
#include "pdb/cli.h"

int
main(int argc, char *argv[])
{
	static const struct pdb_cli_writer w = {
		.synopsis =
		    "pdb-update -u EXPR [-c EXPR] [-N JSON] [-V JSON] [-R WHAT] [-pS] [-b N]\n"
		    "                  [-d db] TABLE < keys",
		.about =
		    "Apply the UpdateExpression EXPR to the item of each key "
		    "read from stdin\n"
		    "(DynamoDB JSON, one per line), creating the item if it does "
		    "not exist\n"
		    "(unless EXPR only removes), and write its stream record in "
		    "the same\ntransaction.",
		.op = pdb_op_update,
	};

	return pdb_cli_write_main(argc, argv, &w);
}
