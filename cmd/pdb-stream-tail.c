/* pdb-stream-tail — print a stream's records; follow new ones as they commit. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/cli.h"

static const char synopsis[] =
    "pdb-stream-tail [-fgL] [-n N] [-l N] [-s POS] [-c FILE] [-e EVENTS]\n"
    "                       [-S SHARD] [-d db] TABLE|ARN|-i ITERATOR";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Print a stream's records as JSON lines, as GetRecords returns "
	    "them, and exit\nwhen caught up; with -f keep printing new "
	    "records as they commit.\n\n"
	    "  -c, --checkpoint FILE  resume after the sequence number in "
	    "FILE; keep it\n"
	    "                         updated (atomically) as records are "
	    "printed\n"
	    "  -d, --db PATH          database file (default $PDB_DB, "
	    "./pdb.db)\n"
	    "  -e, --events LIST      only these events: INSERT,MODIFY,REMOVE\n"
	    "  -f, --follow           wait for new records until interrupted\n"
	    "  -g, --page             print one GetRecords response "
	    "{\"Records\",\"NextShardIterator\"}\n"
	    "  -i, --iterator TOKEN   start from a shard iterator "
	    "(pdb-stream-iter)\n"
	    "  -L, --lambda           print Lambda events {\"Records\":[...]}, "
	    "one per page\n"
	    "  -l, --limit N          records per page, 1 to 1000 (default "
	    "1000)\n"
	    "  -n, --count N          stop after N records\n"
	    "  -s, --from POS         trim-horizon (default), latest, at:SEQ, "
	    "after:SEQ\n"
	    "  -S, --shard ID         the shard (default: the stream's open "
	    "one)\n"
	    "  -h, --help             show this help\n"
	    "      --version          show the version\n\n"
	    "See pdb-stream-tail(1).\n", synopsis);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "checkpoint", required_argument, NULL, 'c' },
		{ "count", required_argument, NULL, 'n' },
		{ "events", required_argument, NULL, 'e' },
		{ "follow", no_argument, NULL, 'f' },
		{ "from", required_argument, NULL, 's' },
		{ "iterator", required_argument, NULL, 'i' },
		{ "lambda", no_argument, NULL, 'L' },
		{ "limit", required_argument, NULL, 'l' },
		{ "page", no_argument, NULL, 'g' },
		{ "shard", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	struct pdb_cli_tail t = { .limit = PDB_PAGE_RECORDS_MAX,
	    .events = ~0u };
	struct pdb_err e;
	int c, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "c:d:e:fghi:Ll:n:s:S:", opts,
	    NULL)) != -1)
		switch (c) {
		case 'c':
			t.checkpoint = optarg;
			break;
		case 'e':
			if ((t.events = pdb_event_mask(optarg)) == 0)
				return pdb_cli_usage(synopsis, "invalid "
				    "--events '%s': expected INSERT, MODIFY, "
				    "REMOVE, comma-separated", optarg);
			break;
		case 'f':
			t.follow = 1;
			break;
		case 'g':
			t.page = 1;
			break;
		case 'i':
			t.iterator = optarg;
			break;
		case 'L':
			t.lambda = 1;
			break;
		case 'l':
			/* GetRecords' Limit: DynamoDB's ValidationException. */
			if (pdb_op_records_limit(optarg, &t.limit, &e) != PDB_OK)
				return pdb_cli_error(NULL, &e);
			break;
		case 'n':
			if ((t.count = pdb_cli_number("--count", optarg, 1,
			    1LL << 62)) < 0)
				return 2;
			break;
		case 's':
			t.from = optarg;
			break;
		case 'S':
			t.shard = optarg;
			break;
		default:
			if (!pdb_cli_common(c, &t.dbopt, help, NULL, &status))
				return pdb_cli_usage(synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	argv += optind;
	if ((argc == 1) == (t.iterator != NULL) || argc > 1)
		return pdb_cli_usage(synopsis, "expected a table, a stream ARN "
		    "or -i ITERATOR");
	if (t.page && (t.follow || t.lambda))
		return pdb_cli_usage(synopsis, "--page prints one response: "
		    "no -f or -L with it");
	t.target = argc == 1 ? argv[0] : NULL;
	t.stop = pdb_cli_catch_stop();
	return pdb_cli_finish(pdb_cli_tail(&t));
}
