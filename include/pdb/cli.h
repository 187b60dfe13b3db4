/*
 * cli.h — what every program does the same way: its name in messages,
 * printing errors as "PROGRAM: WHERE: ErrorName: message", option values,
 * --version, progress on a terminal, and checking stdout at exit.  The only
 * part of the library that prints.
 */
#ifndef PDB_CLI_H
#define PDB_CLI_H

#include <stdint.h>

#include <jansson.h>

#include "pdb/db.h"
#include "pdb/error.h"

struct pdb_writer;

/* Remember the program's name (basename of argv[0]) and set up signals. */
void pdb_cli_init(const char *argv0);
const char *pdb_cli_prog(void);

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


struct pdb_load;

/*
 * The body of the writing programs: open the database, apply every line
 * of stdin to table as load says, print any error as
 * "PROGRAM: stdin:LINE: ErrorName: message".  Returns the exit status.
 */
int pdb_cli_load(const char *dbopt, const char *table, struct pdb_load *load);

/* A program that applies stdin's lines to a table: pdb-put, pdb-delete,
 * pdb-update. */
struct pdb_cli_writer {
	const char *synopsis;	/* as in the man page */
	const char *about;	/* --help's description */
	int (*apply)(struct pdb_writer *, json_t *, void *, struct pdb_err *);
	int update;		/* takes and needs -u EXPR */
};

/* Parse the writers' shared options, then run pdb_cli_load. */
int pdb_cli_writer_main(int argc, char *argv[],
    const struct pdb_cli_writer *prog);

struct pdb_exprs;
struct pdb_expr;

/* One expression a program wants parsed: its kind (enum pdb_expr_kind),
 * the text given (NULL: none) and where the result goes. */
struct pdb_cli_want {
	int kind;
	const char *text;
	const struct pdb_expr **out;
};

/*
 * The expressions of one request: -N and -V as given (JSON text, NULL when
 * absent; with plain, -V holds plain JSON values), then each wanted
 * expression, then the check that every placeholder was used.  Prints
 * errors; *x is the caller's to free with pdb_exprs_free.
 */
int pdb_cli_request(const char *names, const char *values, int plain,
    const struct pdb_cli_want *want, int nwant, struct pdb_exprs **x);

/* A program that prints a table's items: pdb-scan, pdb-query. */
struct pdb_cli_reader {
	const char *synopsis;
	const char *about;
	int query;		/* takes and needs -k EXPR; --reverse */
};

/* Parse the readers' shared options, then print the items. */
int pdb_cli_reader_main(int argc, char *argv[],
    const struct pdb_cli_reader *prog);

#endif
