/* pdb-delete — delete the items whose keys are read from stdin. */
#include "pdb/cli.h"

int
main(int argc, char *argv[])
{
	static const struct pdb_cli_writer w = {
		.synopsis =
		    "pdb-delete [-c EXPR] [-N JSON] [-V JSON] [-R WHAT] [-pS] [-b N]\n"
		    "                  [-d db] TABLE < keys",
		.about =
		    "Delete the item of each key read from stdin (DynamoDB JSON, "
		    "one per line)\n"
		    "from TABLE, writing its REMOVE stream record in the same "
		    "transaction.\n"
		    "Attributes other than the key are ignored, so pdb-scan "
		    "output can be piped in.",
		.op = pdb_op_delete,
	};

	return pdb_cli_write_main(argc, argv, &w);
}
