/* pdb-stream-run — run a command per batch of stream records, the way
 * Lambda's event-source mapping invokes a function. */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/cli.h"
#include "pdb/run.h"

static const char synopsis[] =
    "pdb-stream-run [-1BR] [-b N] [-w SECONDS] [-s POSITION] [-r N]\n"
    "                      [-a SECONDS] [-t SECONDS] [-F PATTERN] "
    "[-o FILE] [-c FILE]\n"
    "                      [-P N] [-d db] TABLE|ARN -- COMMAND [ARG ...]";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Run COMMAND once per batch of the stream's records, with a "
	    "Lambda event\n{\"Records\":[...]} on its stdin, as Lambda's "
	    "event-source mapping does.\n\n"
	    "  -1, --once                   stop when caught up; exit 1 if "
	    "records were given up\n"
	    "  -a, --maximum-record-age S   give up records older than S "
	    "seconds (-1, 60-604800)\n"
	    "  -B, --bisect-batch-on-function-error\n"
	    "                               split a failed batch in two "
	    "and retry the halves\n"
	    "  -b, --batch-size N           records per batch, 1-10000 "
	    "(default 100)\n"
	    "  -c, --checkpoint FILE        resume from FILE; keep it past "
	    "records handled\n"
	    "  -d, --db PATH                database file (default $PDB_DB, "
	    "./pdb.db)\n"
	    "  -F, --filter PATTERN         Lambda event-filter pattern "
	    "(up to 5, any matches)\n"
	    "  -o, --on-failure FILE        append Lambda's failure records "
	    "to FILE\n"
	    "  -P, --parallelization-factor N  batches per shard at once, "
	    "1-10 (default 1)\n"
	    "  -R, --report-batch-item-failures\n"
	    "                               COMMAND's stdout is a "
	    "{\"batchItemFailures\":[...]} response\n"
	    "  -r, --maximum-retry-attempts N  retries before giving up "
	    "(-1: until records expire)\n"
	    "  -s, --starting-position POS  TRIM_HORIZON (default) or "
	    "LATEST, without a checkpoint\n"
	    "  -t, --timeout S              COMMAND's time limit, 1-900 "
	    "seconds (default 3)\n"
	    "  -w, --batching-window S      gather records up to S "
	    "seconds, 0-300 (default 0)\n"
	    "  -h, --help                   show this help\n"
	    "      --version                show the version\n\n"
	    "See pdb-stream-run(1).\n", synopsis);
}

static void
note(void *arg, const char *msg)
{
	fprintf(stderr, "%s: %s\n", pdb_cli_prog(), msg);
}

/* A whole number in [min, max] for opt into *v; min -1 takes "-1" (no
 * limit) besides the range from 0 or from PDB_RUN_AGE_MIN.  0, or -1
 * after printing why not. */
static int
number(const char *opt, const char *s, long long min, long long max, int *v)
{
	long long n;

	if (min < 0 && strcmp(s, "-1") == 0) {
		*v = -1;
		return 0;
	}
	if ((n = pdb_cli_number(opt, s, min < 0 ? 0 : min, max)) < 0)
		return -1;
	*v = (int)n;
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "batch-size", required_argument, NULL, 'b' },
		{ "batching-window", required_argument, NULL, 'w' },
		{ "bisect-batch-on-function-error", no_argument, NULL, 'B' },
		{ "checkpoint", required_argument, NULL, 'c' },
		{ "filter", required_argument, NULL, 'F' },
		{ "maximum-record-age", required_argument, NULL, 'a' },
		{ "maximum-retry-attempts", required_argument, NULL, 'r' },
		{ "on-failure", required_argument, NULL, 'o' },
		{ "once", no_argument, NULL, '1' },
		{ "parallelization-factor", required_argument, NULL, 'P' },
		{ "report-batch-item-failures", no_argument, NULL, 'R' },
		{ "starting-position", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct pdb_filter filter = { 0 };
	struct pdb_run_opts o = { .batch_size = 100, .parallel = 1,
	    .max_retries = -1,
	    .max_age_s = -1, .timeout_s = 3, .filter = &filter, .note = note };
	struct pdb_run_stats st;
	struct pdb_db *db;
	struct pdb_err e;
	const char *dbopt = NULL;
	int c, status, dash, rc = PDB_USAGE;

	pdb_cli_init(argv[0]);
	/* Only what comes before "--" is ours: COMMAND's options are its. */
	for (dash = 1; dash < argc && strcmp(argv[dash], "--") != 0; dash++)
		;
	while ((c = getopt_long(dash, argv, "1a:Bb:c:d:F:ho:P:Rr:s:t:w:",
	    opts, NULL)) != -1) {
		switch (c) {
		case '1':
			o.once = 1;
			continue;
		case 'a':
			if (number("--maximum-record-age", optarg, -1,
			    PDB_RUN_AGE_MAX, &o.max_age_s) != 0)
				goto out;
			if (o.max_age_s >= 0 && o.max_age_s < PDB_RUN_AGE_MIN) {
				rc = pdb_cli_usage(synopsis, "invalid "
				    "--maximum-record-age '%s': expected -1 or "
				    "a whole number from %d to %d", optarg,
				    PDB_RUN_AGE_MIN, PDB_RUN_AGE_MAX);
				goto out;
			}
			continue;
		case 'B':
			o.bisect = 1;
			continue;
		case 'b':
			if (number("--batch-size", optarg, 1, PDB_RUN_BATCH_MAX,
			    &o.batch_size) != 0)
				goto out;
			continue;
		case 'c':
			o.checkpoint = optarg;
			continue;
		case 'F':
			if (pdb_filter_add(&filter, optarg, &e) != PDB_OK) {
				rc = pdb_cli_usage(synopsis, "--filter: %s",
				    e.msg);
				goto out;
			}
			continue;
		case 'o':
			o.on_failure = optarg;
			continue;
		case 'P':
			if (number("--parallelization-factor", optarg, 1,
			    PDB_RUN_PARALLEL_MAX, &o.parallel) != 0)
				goto out;
			continue;
		case 'R':
			o.report_failures = 1;
			continue;
		case 'r':
			if (number("--maximum-retry-attempts", optarg, -1,
			    PDB_RUN_RETRIES_MAX, &o.max_retries) != 0)
				goto out;
			continue;
		case 's':
			if (strcmp(optarg, "LATEST") == 0)
				o.latest = 1;
			else if (strcmp(optarg, "TRIM_HORIZON") != 0) {
				rc = pdb_cli_usage(synopsis, "invalid "
				    "--starting-position '%s': expected "
				    "TRIM_HORIZON or LATEST", optarg);
				goto out;
			}
			continue;
		case 't':
			if (number("--timeout", optarg, 1, PDB_RUN_TIMEOUT_MAX,
			    &o.timeout_s) != 0)
				goto out;
			continue;
		case 'w':
			if (number("--batching-window", optarg, 0,
			    PDB_RUN_WINDOW_MAX, &o.window_s) != 0)
				goto out;
			continue;
		}
		if (!pdb_cli_common(c, &dbopt, help, NULL, &status)) {
			rc = pdb_cli_usage(synopsis, NULL);
			goto out;
		}
		if (status >= 0) {
			rc = status;
			goto out;
		}
	}
	if (optind != dash - 1 || dash + 1 >= argc) {
		rc = pdb_cli_usage(synopsis, "expected a table or a stream "
		    "ARN, then -- COMMAND");
		goto out;
	}
	o.target = argv[optind];
	o.argv = argv + dash + 1;
	o.dbpath = pdb_cli_db_path(dbopt);
	o.stop = pdb_cli_catch_stop();
	signal(SIGPIPE, SIG_IGN);	/* a command may not read its event */
	if ((rc = pdb_cli_open(dbopt, 0, &db)) == PDB_OK) {
		if ((rc = pdb_run(db, &o, &st, &e)) != PDB_OK)
			pdb_cli_error(NULL, &e);
		else if (st.failed > 0)
			rc = PDB_NEGATIVE;
		fprintf(stderr, "%s: %" PRId64 " batches, %" PRId64 " records, "
		    "%" PRId64 " retries, %" PRId64 " bisections, %" PRId64
		    " failed, %" PRId64 " filtered\n", pdb_cli_prog(),
		    st.batches, st.records, st.retries, st.bisections,
		    st.failed, st.filtered);
		pdb_db_close(db);
	}
	pdb_filter_free(&filter);
	return pdb_cli_finish(rc);
out:
	pdb_filter_free(&filter);
	return rc;
}
