/* pdb-scan — print a table's items in key order. */
#include "pdb/cli.h"

int
main(int argc, char *argv[])
{
	static const struct pdb_cli_reader r = {
		.synopsis =
		    "pdb-scan [-gpx] [-F EXPR] [-P EXPR] [-N JSON] [-V JSON] [-l N] [-s JSON]\n"
		    "                [-S WHAT] [-i NAME] [-e I -t N] [-d db] TABLE",
		.about =
		    "Print every item of TABLE as a JSON line, in key order, page "
		    "after page as\nDynamoDB's Scan reads them.",
		.query = 0,
	};

	return pdb_cli_read_main(argc, argv, &r);
}
