/* pdb-scan — print a table's items in key order. */
#include "pdb/cli.h"

int
main(int argc, char *argv[])
{
	static const struct pdb_cli_reader r = {
		.synopsis =
		    "pdb-scan [-p] [-F EXPR] [-P EXPR] [-N JSON] [-V JSON] [-l N] "
		    "[-d db] TABLE",
		.about =
		    "Print every item of TABLE as a JSON line, in key order.",
		.query = 0,
	};

	return pdb_cli_read_main(argc, argv, &r);
}
