/* pdb-put — put items read from stdin, capturing each change. */
#include "pdb/cli.h"
#include "pdb/item.h"

int
main(int argc, char *argv[])
{
	static const struct pdb_cli_writer prog = {
		.synopsis = "pdb-put [-c EXPR] [-N JSON] [-V JSON] [-R WHAT] [-pS] [-b N]\n"
		    "               [-d db] TABLE < items",
		.about = "Put each item read from stdin (DynamoDB JSON, one per "
		    "line) into TABLE,\nwriting its INSERT or MODIFY stream "
		    "record in the same transaction.",
		.apply = pdb_apply_put,
	};

	return pdb_cli_writer_main(argc, argv, &prog);
}
