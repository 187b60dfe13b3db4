/* pdb-stream-describe — list streams, or describe one. */
#include <getopt.h>
#include <stdio.h>

#include "pdb/cli.h"
#include "pdb/db.h"
#include "pdb/stream.h"

static const char synopsis[] =
    "pdb-stream-describe [-d db] [-t TABLE] [TABLE|ARN]";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Without an operand, print the streams as ListStreams entries, "
	    "one JSON line\neach, newest first (disabled streams stay listed "
	    "while they hold records).\nWith a table or stream ARN, print its "
	    "StreamDescription as DescribeStream does.\n\n"
	    "  -d, --db PATH     database file (default $PDB_DB, ./pdb.db)\n"
	    "  -t, --table NAME  list only this table's streams\n"
	    "  -h, --help        show this help\n"
	    "      --version     show the version\n\n"
	    "See pdb-stream-describe(1).\n", synopsis);
}

static int
print_json(json_t *j)
{
	int rc = json_dumpf(j, stdout, JSON_COMPACT);

	json_decref(j);
	return rc != 0 || putchar('\n') == EOF;
}

static int
print_entry(void *arg, const struct pdb_stream *s)
{
	return print_json(pdb_stream_entry(s));
}

static int
describe(const char *dbopt, const char *table, const char *target)
{
	struct pdb_stream s;
	struct pdb_db *db;
	struct pdb_err e;
	int rc;

	if ((rc = pdb_cli_open(dbopt, 0, &db)) != PDB_OK)
		return rc;
	if (target == NULL)
		rc = pdb_stream_list(db, table, print_entry, NULL, &e);
	else if ((rc = pdb_stream_find(db, target, &s, &e)) == PDB_OK)
		print_json(pdb_stream_description(&s));
	if (rc != PDB_OK)
		pdb_cli_error(NULL, &e);
	pdb_db_close(db);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "table", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *table = NULL;
	int c, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "d:ht:", opts, NULL)) != -1)
		switch (c) {
		case 't':
			table = optarg;
			break;
		default:
			if (!pdb_cli_common(c, &dbopt, help, NULL, &status))
				return pdb_cli_usage(synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (argc == 1 && table != NULL))
		return pdb_cli_usage(synopsis, "expected at most one table or "
		    "stream ARN, or -t TABLE");
	return pdb_cli_finish(describe(dbopt, table, argc ? argv[0] : NULL));
}
