/*
 * run.h — a Lambda event-source mapping for a DynamoDB stream, with a
 * command as the function: batches of records (BatchSize, the batching
 * window, the 6 MB payload cap) as Lambda events on the command's stdin,
 * retries, bisection, partial batch responses, event filters, record age,
 * on-failure records with DDBStreamBatchInfo, ParallelizationFactor (lanes
 * by partition key, each in order), several shards side by side (a parent's
 * records before its children's), and a checkpoint that moves only past
 * records handled.  The caller ignores SIGPIPE (a command
 * may exit without reading its event) and owns the options, the filter and
 * the statistics; the runner owns nothing it hands back.
 */
#ifndef PDB_RUN_H
#define PDB_RUN_H

#include <signal.h>
#include <stdint.h>

#include "pdb/db.h"
#include "pdb/filter.h"

#define PDB_RUN_PAYLOAD_MAX (6 * 1024 * 1024)	/* Lambda's invoke limit */
#define PDB_RUN_BATCH_MAX 10000
#define PDB_RUN_WINDOW_MAX 300
#define PDB_RUN_RETRIES_MAX 10000
#define PDB_RUN_AGE_MIN 60
#define PDB_RUN_AGE_MAX 604800
#define PDB_RUN_TIMEOUT_MAX 900
#define PDB_RUN_PARALLEL_MAX 10

struct pdb_run_opts {
	const char *dbpath;	/* watched for commits when following */
	const char *target;	/* TABLE or stream ARN */
	const char *checkpoint;	/* resume from and update, or NULL */
	const char *on_failure;	/* append failure records here, or NULL */
	char *const *argv;	/* COMMAND [ARG...], run once per batch */
	int batch_size;		/* BatchSize, 1..10000 */
	int window_s;		/* MaximumBatchingWindowInSeconds, 0..300 */
	int latest;		/* StartingPosition LATEST, else TRIM_HORIZON */
	int max_retries;	/* MaximumRetryAttempts, -1 (no limit)..10000 */
	int max_age_s;		/* MaximumRecordAgeInSeconds, -1 or 60..604800 */
	int bisect;		/* BisectBatchOnFunctionError */
	int report_failures;	/* FunctionResponseTypes ReportBatchItemFailures */
	int timeout_s;		/* the function's timeout, 1..900 */
	int once;		/* stop when caught up, not follow */
	int parallel;		/* ParallelizationFactor, 1..10 (0: 1) */
	const struct pdb_filter *filter;	/* FilterCriteria */
	volatile sig_atomic_t *stop;	/* set by a signal handler */
	/* What happened to a batch, for the front end to show. */
	void (*note)(void *arg, const char *msg);
	void *arg;
};

struct pdb_run_stats {
	int64_t batches;	/* invocations of the command */
	int64_t records;	/* records whose batch succeeded */
	int64_t retries;	/* invocations that repeated records */
	int64_t bisections;
	int64_t failed;		/* records given up (on-failure records) */
	int64_t filtered;	/* records no filter matched */
};

/*
 * Run the mapping until caught up (once) or until *stop; st counts what
 * happened.  PDB_OK, or an error (a missing stream, a bad checkpoint, a
 * command that cannot be started, a system error) in e.
 */
int pdb_run(struct pdb_db *db, const struct pdb_run_opts *o,
    struct pdb_run_stats *st, struct pdb_err *e);

#endif
