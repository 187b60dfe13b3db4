/* pdb-stream-iter — make a shard iterator, as GetShardIterator does. */
#include <getopt.h>
#include <stdio.h>

#include "pdb/cli.h"
#include "pdb/op_stream.h"

static const char synopsis[] =
    "pdb-stream-iter [-j] -t TYPE [-s SEQ] [-S SHARD] [-d db] TABLE|ARN";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Print a shard iterator for the stream of TABLE (or the stream "
	    "ARN) alone on\none line, ready for $(...).  It expires after 15 "
	    "minutes.\n\n"
	    "  -d, --db PATH     database file (default $PDB_DB, ./pdb.db)\n"
	    "  -j, --json        print {\"ShardIterator\":...} as "
	    "GetShardIterator does\n"
	    "  -s, --seq N       the sequence number for AT_ and "
	    "AFTER_SEQUENCE_NUMBER\n"
	    "  -S, --shard ID    the shard (default: the stream's open one)\n"
	    "  -t, --type TYPE   TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or\n"
	    "                    AFTER_SEQUENCE_NUMBER\n"
	    "  -h, --help        show this help\n"
	    "      --version     show the version\n\n"
	    "See pdb-stream-iter(1).\n", synopsis);
}

static int
make_iterator(const char *dbopt, const char *target, int type,
    const char *seq, const char *shard, int json)
{
	char token[PDB_ITER_MAX + 1];
	struct pdb_buf out = { 0 };
	struct pdb_db *db;
	struct pdb_err e;
	int rc;

	if ((rc = pdb_cli_open(dbopt, 0, &db)) != PDB_OK)
		return rc;
	if ((rc = pdb_op_get_iterator(db, target, shard, type, seq, token,
	    &e)) == PDB_OK) {
		pdb_buf_puts(&out, json ? "{\"ShardIterator\":\"" : "");
		pdb_buf_puts(&out, token);
		pdb_buf_puts(&out, json ? "\"}\n" : "\n");
		rc = pdb_cli_write(&out, &e);
	}
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
		{ "json", no_argument, NULL, 'j' },
		{ "seq", required_argument, NULL, 's' },
		{ "shard", required_argument, NULL, 'S' },
		{ "type", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *seq = NULL, *shard = NULL, *type = NULL;
	int c, json = 0, t, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "d:hjs:S:t:", opts, NULL)) != -1)
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 's':
			seq = optarg;
			break;
		case 'S':
			shard = optarg;
			break;
		case 't':
			type = optarg;
			break;
		default:
			if (!pdb_cli_common(c, &dbopt, help, NULL, &status))
				return pdb_cli_usage(synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return pdb_cli_usage(synopsis, "expected a table or a stream "
		    "ARN");
	if (type == NULL)
		return pdb_cli_usage(synopsis, "expected -t TRIM_HORIZON, "
		    "LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER");
	if ((t = pdb_iter_type_parse(type)) < 0)
		return pdb_cli_usage(synopsis, "invalid -t '%s': expected "
		    "TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or "
		    "AFTER_SEQUENCE_NUMBER", type);
	return pdb_cli_finish(make_iterator(dbopt, argv[0], t, seq, shard,
	    json));
}
