/* pdb-stream-describe — list streams, or describe one. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "pdb/cli.h"
#include "pdb/op_stream.h"
#include "pdb/wire.h"

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

/* Append j to b as a line; takes j. */
static int
put_json(struct pdb_buf *b, json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT);

	json_decref(j);
	if (text == NULL)
		return 1;
	pdb_buf_puts(b, text);
	pdb_buf_putc(b, '\n');
	free(text);
	return 0;
}

static int
put_entry(void *arg, const struct pdb_stream *s)
{
	return put_json(arg, pdb_wire_stream_entry(s));
}

static int
describe(const char *dbopt, const char *table, const char *target)
{
	struct pdb_buf out = { 0 };
	char last[PDB_ARN_MAX];
	struct pdb_stream s;
	struct pdb_db *db;
	struct pdb_err e;
	int rc;

	if ((rc = pdb_cli_open(dbopt, 0, &db)) != PDB_OK)
		return rc;
	if (target == NULL)
		rc = pdb_op_list_streams(db, table, NULL, 0, put_entry, &out,
		    last, &e);
	else if ((rc = pdb_op_describe_stream(db, target, &s, &e)) == PDB_OK)
		put_json(&out, pdb_wire_stream_description(&s));
	if (rc == PDB_OK)
		rc = pdb_cli_write(&out, &e);
	if (rc != PDB_OK)
		pdb_cli_error(NULL, &e);
	pdb_buf_free(&out);
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
