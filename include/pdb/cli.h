/*
 * cli.h — the command-line front end: what every program does the same
 * way (its name in messages, "PROGRAM: WHERE: ErrorName: message", option
 * values, the environment's configuration, --version, progress on a
 * terminal, checking stdout at exit), and the translation of input lines
 * and options into requests and of results into lines.  The only part of
 * pdb that prints.
 */
#ifndef PDB_CLI_H
#define PDB_CLI_H

#include <stdint.h>

#include <jansson.h>

#include "pdb/buf.h"
#include "pdb/consume.h"
#include "pdb/db.h"
#include "pdb/error.h"
#include "pdb/expr.h"
#include "pdb/jsonl.h"
#include "pdb/op_item.h"
#include "pdb/op_read.h"

/* Remember the program's name (basename of argv[0]) and set up signals. */
void pdb_cli_init(const char *argv0);
const char *pdb_cli_prog(void);

/* Set a flag on SIGINT and SIGTERM, for a follower to stop cleanly; no
 * SA_RESTART, so a wait wakes.  Returns the flag. */
volatile sig_atomic_t *pdb_cli_catch_stop(void);

/* Print e to stderr; where (may be NULL) is e.g. "stdin:12".  Returns
 * e->status. */
int pdb_cli_error(const char *where, const struct pdb_err *e);

/* Print "PROGRAM: message" and "usage: SYNOPSIS" lines; returns 2. */
int pdb_cli_usage(const char *synopsis, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parse a whole number in [min, max] for option opt, or print and return
 * -1. */
long long pdb_cli_number(const char *opt, const char *s, long long min,
    long long max);

/* -b/--batch-size N into *batch: 0, or 2 after printing why not. */
int pdb_cli_batch_size(const char *arg, long *batch);

void pdb_cli_version(void);

/* The database path: opt if given, else $PDB_DB, else "./pdb.db". */
const char *pdb_cli_db_path(const char *opt);
/* The configuration the environment gives: $PDB_NOW, $PDB_RETENTION,
 * $PDB_BUSY_TIMEOUT_MS, $PDB_SYNC, $AWS_REGION (or $AWS_DEFAULT_REGION)
 * and $PDB_ACCOUNT_ID.  A bad value is PDB_E_USAGE. */
int pdb_cli_config(struct pdb_config *c, struct pdb_err *e);
/* Open the database of -d opt with that configuration, printing any
 * error; returns the exit status. */
int pdb_cli_open(const char *dbopt, int flags, struct pdb_db **db);

/* The long options every program takes, for its struct option table. */
#define PDB_CLI_COMMON_OPTIONS \
	{ "db", required_argument, NULL, 'd' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'v' }

/*
 * Handle an option every program takes: -d PATH into *dbopt, -h by
 * calling help(arg), --version.  Returns 0 when c is not one of them; else
 * 1, with *status -1 to go on or the exit status to return at once.
 */
int pdb_cli_common(int c, const char **dbopt, void (*help)(const void *),
    const void *arg, int *status);

/* Write b to stdout whole; on failure PDB_E_SYSTEM with why.  A closed
 * pipe ends the program quietly (SIGPIPE). */
int pdb_cli_write(const struct pdb_buf *b, struct pdb_err *e);
/* Flush and close stdout; on failure print why and return 4. */
int pdb_cli_finish(int status);

/* Progress on stderr, only when it is a terminal: "N items, R items/s". */
struct pdb_progress {
	const char *unit;
	int64_t count, start_ms, shown_ms;
	int on;
};
void pdb_progress_start(struct pdb_progress *p, const char *unit);
void pdb_progress_add(struct pdb_progress *p, int64_t n);
void pdb_progress_end(struct pdb_progress *p);

/* One input line's JSON value (a new reference); with plain, integers
 * past 64 bits are read as doubles. */
int pdb_cli_parse_json(const char *line, size_t len, int plain, json_t **out,
    struct pdb_err *e);
/* The same for the text of a value of any type that began at *at in the
 * input (NULL: a line, an object or an array), whose errors name the
 * line and column there. */
int pdb_cli_parse_json_at(const char *text, size_t len, int plain,
    const struct pdb_pos *at, json_t **out, struct pdb_err *e);
/* One input line into an item: DynamoDB JSON, or plain JSON marshalled
 * as the SDKs do.  *out is a new reference. */
int pdb_cli_parse_item(const char *line, size_t len, int plain, json_t **out,
    struct pdb_err *e);
/* A JSON value v (borrowed) read as such an item. */
int pdb_cli_item(json_t *v, int plain, json_t **out, struct pdb_err *e);
/* A line names an item by its key: *item (a new reference; the whole line
 * must be a valid item) is replaced by its key attributes, so whole items
 * (pdb-scan's output) can be piped in where a key is read. */
int pdb_cli_key_of(struct pdb_tx *tx, const char *table, json_t **item,
    struct pdb_err *e);
/* Append stored item text to b, DynamoDB JSON or plain; put_item makes
 * it a line. */
int pdb_cli_put_value(struct pdb_buf *b, const char *text, size_t len,
    int plain, struct pdb_err *e);
int pdb_cli_put_item(struct pdb_buf *b, const char *text, size_t len,
    int plain, struct pdb_err *e);
/* The JSON object text that option opt was given (a new reference), its
 * values marshalled as the SDKs do with plain (-V, a key); NULL with e
 * filled when it is not one. */
json_t *pdb_cli_option_object(const char *opt, const char *text, int plain,
    struct pdb_err *e);

/* The expressions of one request, as given on the command line. */
struct pdb_cli_exprs {
	const char *names, *values;	/* -N and -V: JSON text, or NULL */
	const char *condition, *update, *key, *filter, *projection;
	unsigned takes;		/* the program's kinds: PDB_TAKES(kind) */
};
/*
 * Parse -N and -V (with plain, -V holds plain JSON values), each
 * expression given, then check that every placeholder was used
 * (pdb_exprs_request).  Prints errors; returns the exit status.
 */
int pdb_cli_exprs(const struct pdb_cli_exprs *given, int plain,
    struct pdb_expr_set *out);

/*
 * The writing programs (pdb-put, pdb-delete, pdb-update) and the reading
 * programs (pdb-scan, pdb-query) differ only in their words and their
 * operation: each main is one call.  Returns the exit status.
 */
struct pdb_cli_writer {
	const char *synopsis, *about;	/* for usage and --help */
	int (*op)(struct pdb_tx *, const struct pdb_item_req *,
	    struct pdb_item_res *, struct pdb_err *);
};
int pdb_cli_write_main(int argc, char *argv[], const struct pdb_cli_writer *w);

struct pdb_cli_reader {
	const char *synopsis, *about;
	int query;		/* -k and -r: a Query, not a Scan */
};
int pdb_cli_read_main(int argc, char *argv[], const struct pdb_cli_reader *r);

/* Room for "FILE:LINE:COL: request N of table TABLE". */
#define PDB_CLI_WHERE_MAX (4096 + 512)

/*
 * The fixture formats that exist, read into writes: the AWS CLI's
 * BatchWriteItem request files (pdb-batch-write), and DynamoDB's S3
 * export lines and Scan and Query output (pdb-put).  The reader calls
 * write for each put of an item (del 0) or delete of a key (del 1, with
 * table), having said in where which part of the input it is (and where
 * an error is, when it fails).
 */
struct pdb_cli_fixture {
	struct pdb_lines *in;
	int plain;		/* pdb-put -p: every line is an item */
	const char *table;	/* pdb-put: the table */
	int (*write)(void *arg, const char *table, json_t *item, int del,
	    struct pdb_err *e);
	/* pdb-put: the table's partition key, which an S3 export line's
	 * item holds */
	int (*hash_key)(void *arg, const char **name, struct pdb_err *e);
	void *arg;
	/* "FILE:LINE: item 2 of Items"; "" for the line last read, whole. */
	char where[PDB_CLI_WHERE_MAX];
	struct pdb_pos start;	/* of the object being read */
	struct pdb_buf text;	/* the value being read */
};
void pdb_cli_fixture_free(struct pdb_cli_fixture *f);
/* pdb-batch-write: the whole input, BatchWriteItem requests one after
 * another. */
int pdb_cli_fixture_batch(struct pdb_cli_fixture *f, struct pdb_err *e);
/* pdb-put: a line just read, with the lines after it when it holds only
 * "{". */
int pdb_cli_fixture_line(struct pdb_cli_fixture *f, const char *line,
    size_t len, struct pdb_err *e);

/* What a writing program does with each line of stdin. */
struct pdb_cli_load {
	const char *dbopt, *table;
	int plain;		/* lines in and images out are plain JSON */
	long batch;		/* commit every batch lines; 0: all or nothing */
	int skip;		/* skip lines whose condition fails */
	int (*op)(struct pdb_tx *, const struct pdb_item_req *,
	    struct pdb_item_res *, struct pdb_err *);
	struct pdb_item_req req;	/* all but the item */
	/* pdb-load: lines of a dump (dump.h) instead of items for op, into
	 * a database made if missing. */
	int dump, replace, no_records;
	/* pdb-batch-write: BatchWriteItem requests; op is NULL. */
	int batch_write;
	/* The files to read in turn, "-" for stdin; none: stdin. */
	char *const *inputs;
	int ninputs;
	/* pdb-transact: lines are transactions; get: TransactGetItems, each
	 * response printed. */
	int transact, get;
};
/*
 * Apply every line of the input, printing ReturnValues images; output is
 * flushed before each commit, so a failure to print is a failure to
 * commit.  Errors are printed as "PROGRAM: stdin:LINE: ..."; returns the
 * exit status.
 */
int pdb_cli_load(const struct pdb_cli_load *l);

/* What a reading program prints: every page of a Query or Scan as item
 * lines, or one page as its response object; with Select COUNT, the
 * counts alone. */
struct pdb_cli_read {
	const char *dbopt;
	int plain;
	int page;		/* {"Items":[…],"Count":N,…} of one page */
	int exporting;		/* S3 export lines, {"Item":{…}} */
	long long limit;	/* items read at most (before -F); 0: all */
	struct pdb_read_req *req;	/* req->start: where to resume */
};
int pdb_cli_read(const struct pdb_cli_read *r);

/* pdb-stream-tail: what to read and how to print it. */
struct pdb_cli_tail {
	const char *dbopt;
	const char *target;	/* TABLE or stream ARN, or NULL */
	const char *iterator;	/* a shard iterator token, or NULL */
	const char *from;	/* trim-horizon, latest, at:SEQ, after:SEQ */
	const char *shard;	/* NULL: the stream's shard */
	const char *checkpoint;	/* file to resume from and update, or NULL */
	long long count;	/* stop after this many records; 0: no limit */
	int limit;		/* page size, 1..1000 */
	unsigned events;	/* PDB_EVENT_BIT mask of events to print */
	int follow, page, lambda;
	volatile sig_atomic_t *stop;	/* set by a signal handler */
};
int pdb_cli_tail(const struct pdb_cli_tail *t);

/* The main of a program whose operands are table names and whose only
 * option is -d (pdb-dump, pdb-expire): run gives the exit status. */
int pdb_cli_tables_main(int argc, char *argv[], const char *synopsis,
    void (*help)(const void *),
    int (*run)(const char *dbopt, char *const *tables, int n));

/* pdb-expire: delete what has expired in the tables named (all when n is
 * 0), a bounded batch per transaction; returns the exit status. */
int pdb_cli_expire(const char *dbopt, char *const *tables, int n);

/* pdb-dump: the tables named (all when n is 0) on stdout, in one read
 * snapshot; returns the exit status. */
int pdb_cli_dump(const char *dbopt, char *const *tables, int n);

/* pdb-get: the item of each key line of stdin; a key without one is named
 * on stderr and makes the status 1. */
int pdb_cli_get(const char *dbopt, const char *table, int plain);

#endif
