/* pdb-stream-describe — list streams, or describe one. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "pdb/cli.h"
#include "pdb/op_stream.h"
#include "pdb/wire.h"

static const char synopsis[] =
    "pdb-stream-describe [-d db] [-t TABLE] [TABLE|ARN]\n"
    "       pdb-stream-describe [-d db] [-l N] [-x SHARD] [-c SHARD] "
    "TABLE|ARN";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Without an operand, print the streams as ListStreams entries, "
	    "one JSON line\neach, newest first (disabled streams stay listed "
	    "while they hold records).\nWith a table or stream ARN, print its "
	    "StreamDescription as DescribeStream does:\nevery shard, parents "
	    "before children, unless asked for a page.\n\n"
	    "  -d, --db PATH     database file (default $PDB_DB, ./pdb.db)\n"
	    "  -t, --table NAME  list only this table's streams\n"
	    "  -l, --limit N     at most N shards (1 to 100), with "
	    "LastEvaluatedShardId\n"
	    "                    when more follow\n"
	    "  -x, --exclusive-start-shard-id SHARD\n"
	    "                    the shards after SHARD "
	    "(a LastEvaluatedShardId)\n"
	    "  -c, --child-shards SHARD\n"
	    "                    only SHARD's children (ShardFilter "
	    "CHILD_SHARDS)\n"
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
put_shard(void *arg, const struct pdb_shard *sh)
{
	json_array_append_new(arg, pdb_wire_shard(sh));
	return 0;
}

static int
describe(const char *dbopt, const char *table, struct pdb_describe_stream *rq)
{
	struct pdb_buf out = { 0 };
	char last[PDB_ARN_MAX];
	struct pdb_stream s;
	struct pdb_db *db;
	struct pdb_err e;
	json_t *shards = json_array();
	int rc;

	if ((rc = pdb_cli_open(dbopt, 0, &db)) != PDB_OK) {
		json_decref(shards);
		return rc;
	}
	if (rq->target == NULL)
		rc = pdb_op_list_streams(db, table, NULL, 0, put_entry, &out,
		    last, &e);
	else if ((rc = pdb_op_describe_stream(db, rq, 1, &s, put_shard,
	    shards, last, &e)) == PDB_OK) {
		put_json(&out, pdb_wire_stream_description(&s, shards, last));
		shards = NULL;
	}
	json_decref(shards);
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
		{ "child-shards", required_argument, NULL, 'c' },
		{ "exclusive-start-shard-id", required_argument, NULL, 'x' },
		{ "limit", required_argument, NULL, 'l' },
		{ "table", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct pdb_describe_stream rq = { 0 };
	const char *dbopt = NULL, *table = NULL;
	int c, status, paged = 0;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "c:d:hl:t:x:", opts, NULL)) != -1)
		switch (c) {
		case 'c':
			rq.filter = 1;
			rq.filter_type = "CHILD_SHARDS";
			rq.filter_shard = optarg;
			paged = 1;
			break;
		case 'l':
			if (pdb_parse_whole(optarg, -1000000, 1000000,
			    &rq.limit) != 0)
				return pdb_cli_usage(synopsis, "invalid --limit "
				    "'%s': expected a number from 1 to 100",
				    optarg);
			rq.limit_given = paged = 1;
			break;
		case 'x':
			rq.start = optarg;
			paged = 1;
			break;
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
	if (paged && argc == 0)
		return pdb_cli_usage(synopsis, "-l, -x and -c describe one "
		    "stream: name its table or ARN");
	rq.target = argc ? argv[0] : NULL;
	return pdb_cli_finish(describe(dbopt, table, &rq));
}
