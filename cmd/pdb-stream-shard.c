/* pdb-stream-shard — roll and split stream shards, and set their triggers. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/cli.h"
#include "pdb/op_shard.h"
#include "pdb/wire.h"

static const char synopsis[] =
    "pdb-stream-shard [-d db] [-r DURATION|off] [-s N|off] TABLE|ARN "
    "[roll|split [SHARD]]";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Close open shards of the stream of TABLE (or the stream ARN) and "
	    "open their\nchildren: roll opens one child over the same hash "
	    "range, split two over its\nhalves; without SHARD, every open "
	    "shard.  Each new shard is printed as a\nDescribeStream Shard, "
	    "one JSON line each.\n\n"
	    "  -d, --db PATH               database file (default $PDB_DB, "
	    "./pdb.db)\n"
	    "  -r, --roll-every DURATION   roll every open shard as old as "
	    "DURATION (90s,\n"
	    "                              15m, 4h) at the next write; off: "
	    "never\n"
	    "  -s, --split-after N         split a shard once it holds N "
	    "records; off: never\n"
	    "  -h, --help                  show this help\n"
	    "      --version               show the version\n\n"
	    "With -r or -s and no command, print the stream's triggers.  See "
	    "pdb-stream-shard(1).\n", synopsis);
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
put_shard(void *arg, const struct pdb_shard *sh)
{
	return put_json(arg, pdb_wire_shard(sh));
}

struct request {
	const char *target, *shard;
	int change;		/* -1: none, else enum pdb_shard_change */
	int64_t roll_every_ms, split_after;	/* -1: unchanged */
};

static int
work(struct pdb_tx *tx, const struct request *rq, struct pdb_buf *out,
    struct pdb_err *e)
{
	struct pdb_stream s;

	if (rq->roll_every_ms >= 0 || rq->split_after >= 0 || rq->change < 0) {
		if (pdb_op_shard_triggers(tx, rq->target, rq->roll_every_ms,
		    rq->split_after, &s, e) != PDB_OK)
			return e->status;
		if (rq->change < 0)
			return put_json(out, json_pack("{s:s,s:I,s:I}",
			    "StreamArn", s.arn, "RollEveryMilliseconds",
			    (json_int_t)s.roll_every_ms, "SplitAfterRecords",
			    (json_int_t)s.split_after)) ? pdb_err_system(e,
			    "out of memory") : PDB_OK;
	}
	return pdb_op_shard_change(tx, rq->target,
	    (enum pdb_shard_change)rq->change, rq->shard, put_shard, out, e);
}

static int
run(const char *dbopt, const struct request *rq)
{
	struct pdb_buf out = { 0 };
	struct pdb_tx tx;
	struct pdb_db *db;
	struct pdb_err e;
	int rc;

	if ((rc = pdb_cli_open(dbopt, 0, &db)) != PDB_OK)
		return rc;
	pdb_tx_init(&tx, db);
	if ((rc = pdb_tx_begin_write(&tx, &e)) == PDB_OK &&
	    (rc = work(&tx, rq, &out, &e)) == PDB_OK &&
	    (rc = pdb_tx_commit(&tx, &e)) == PDB_OK)
		rc = pdb_cli_write(&out, &e);
	if (rc != PDB_OK)
		pdb_cli_error(NULL, &e);
	pdb_tx_free(&tx);
	pdb_buf_free(&out);
	pdb_db_close(db);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "roll-every", required_argument, NULL, 'r' },
		{ "split-after", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct request rq = { .change = -1, .roll_every_ms = -1,
	    .split_after = -1 };
	const char *dbopt = NULL;
	long long n;
	int c, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "d:hr:s:", opts, NULL)) != -1)
		switch (c) {
		case 'r':
			if (strcmp(optarg, "off") == 0)
				rq.roll_every_ms = 0;
			else if (pdb_clock_parse_duration(optarg,
			    &rq.roll_every_ms) != 0 || rq.roll_every_ms <= 0)
				return pdb_cli_usage(synopsis, "invalid "
				    "--roll-every '%s': expected a duration "
				    "such as 90s, 15m or 4h, or off", optarg);
			break;
		case 's':
			if (strcmp(optarg, "off") == 0)
				rq.split_after = 0;
			else if ((n = pdb_cli_number("--split-after", optarg, 1,
			    1000000000000LL)) < 0)
				return PDB_USAGE;
			else
				rq.split_after = n;
			break;
		default:
			if (!pdb_cli_common(c, &dbopt, help, NULL, &status))
				return pdb_cli_usage(synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 3)
		return pdb_cli_usage(synopsis, "expected a table or a stream "
		    "ARN, then roll or split and maybe a shard");
	rq.target = argv[0];
	if (argc >= 2) {
		if (strcmp(argv[1], "roll") == 0)
			rq.change = PDB_SHARD_ROLL;
		else if (strcmp(argv[1], "split") == 0)
			rq.change = PDB_SHARD_SPLIT;
		else
			return pdb_cli_usage(synopsis, "unknown command '%s': "
			    "expected roll or split", argv[1]);
		rq.shard = argc == 3 ? argv[2] : NULL;
	} else if (rq.roll_every_ms < 0 && rq.split_after < 0)
		return pdb_cli_usage(synopsis, "expected roll or split, or "
		    "-r or -s");
	return pdb_cli_finish(run(dbopt, &rq));
}
