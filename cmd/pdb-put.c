/* pdb-put — put items read from stdin, capturing each change. */
#include "pdb/cli.h"

int
main(int argc, char *argv[])
{
	static const struct pdb_cli_writer w = {
		.synopsis =
		    "pdb-put [-c EXPR] [-N JSON] [-V JSON] [-R WHAT] [-pS] [-b N]\n"
		    "               [-d db] TABLE < items",
		.about =
		    "Put each item read from stdin (DynamoDB JSON, one per line) "
		    "into TABLE,\n"
		    "writing its INSERT or MODIFY stream record in the same "
		    "transaction.\n"
		    "DynamoDB's S3 export lines ({\"Item\":{…}}) and the "
		    "AWS CLI's scan and query\n"
		    "output ({\"Items\":[…], …}, pretty-printed or not) put "
		    "each of their items.",
		.op = pdb_op_put,
	};

	return pdb_cli_write_main(argc, argv, &w);
}
