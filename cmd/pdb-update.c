/* pdb-update — apply an UpdateExpression to the items whose keys are read. */
#include "pdb/cli.h"
#include "pdb/item.h"

int
main(int argc, char *argv[])
{
	static const struct pdb_cli_writer prog = {
		.synopsis = "pdb-update -u EXPR [-c EXPR] [-N JSON] [-V JSON] "
		    "[-R WHAT] [-pS] [-b N]\n                  [-d db] TABLE "
		    "< keys",
		.about = "Apply the UpdateExpression EXPR to the item of each "
		    "key read from stdin\n(DynamoDB JSON, one per line), creating "
		    "the item if it does not exist,\nand write its stream "
		    "record in the same transaction.",
		.apply = pdb_apply_update,
		.update = 1,
	};

	return pdb_cli_writer_main(argc, argv, &prog);
}
