/* cli.c — messages, options, configuration, progress and stdout for the
 * programs, and lines and options into requests. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pdb/cli.h"
#include "pdb/clock.h"
#include "pdb/value.h"

static const char *progname = "pdb";

void
pdb_cli_init(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	progname = slash ? slash + 1 : argv0 ? argv0 : "pdb";
	/* A closed pipe ends a program quietly: the default SIGPIPE. */
	signal(SIGPIPE, SIG_DFL);
	/* A file size limit is a write error to report, not a silent death. */
	signal(SIGXFSZ, SIG_IGN);
}

const char *
pdb_cli_prog(void)
{
	return progname;
}

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	stopping = 1;
}

volatile sig_atomic_t *
pdb_cli_catch_stop(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return &stopping;
}

int
pdb_cli_error(const char *where, const struct pdb_err *e)
{
	fprintf(stderr, "%s: ", progname);
	if (where != NULL && *where != '\0')
		fprintf(stderr, "%s: ", where);
	if (*pdb_err_name(e->code) != '\0')
		fprintf(stderr, "%s: ", pdb_err_name(e->code));
	fprintf(stderr, "%s\n", e->msg);
	return e->status;
}

int
pdb_cli_usage(const char *synopsis, const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		fprintf(stderr, "%s: ", progname);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "usage: %s\nTry '%s --help' for more.\n", synopsis,
	    progname);
	return 2;
}

long long
pdb_cli_number(const char *opt, const char *s, long long min, long long max)
{
	long long v;

	if (pdb_parse_whole(s, min, max, &v) != 0) {
		fprintf(stderr, "%s: invalid %s '%s': expected a whole number "
		    "from %lld to %lld\n", progname, opt, s, min, max);
		return -1;
	}
	return v;
}

int
pdb_cli_batch_size(const char *arg, long *batch)
{
	long long n = pdb_cli_number("--batch-size", arg, 1, 1000000000);

	if (n < 0)
		return PDB_USAGE;
	*batch = (long)n;
	return PDB_OK;
}

void
pdb_cli_version(void)
{
	printf("%s (pdb) %s\n", progname, PDB_VERSION);
}

int
pdb_cli_common(int c, const char **dbopt, void (*help)(const void *),
    const void *arg, int *status)
{
	*status = -1;
	switch (c) {
	case 'd':
		*dbopt = optarg;
		return 1;
	case 'h':
		help(arg);
		*status = pdb_cli_finish(0);
		return 1;
	case 'v':
		pdb_cli_version();
		*status = pdb_cli_finish(0);
		return 1;
	}
	return 0;
}

int
pdb_cli_finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno == EPIPE)
			return status;
		fprintf(stderr, "%s: cannot write to stdout: %s\n", progname,
		    strerror(errno ? errno : EIO));
		return status ? status : 4;
	}
	return status;
}

const char *
pdb_cli_db_path(const char *opt)
{
	const char *env;

	if (opt != NULL)
		return opt;
	if ((env = getenv("PDB_DB")) != NULL && *env != '\0')
		return env;
	return "./pdb.db";
}

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* Region and account go into every ARN and record: plain names only. */
static int
config_names(struct pdb_config *c, struct pdb_err *e)
{
	const char *region = env("AWS_REGION"), *account = env("PDB_ACCOUNT_ID");
	const char *name = "AWS_REGION";

	if (region == NULL) {
		region = env("AWS_DEFAULT_REGION");
		name = "AWS_DEFAULT_REGION";
	}
	if (region != NULL) {
		if (strlen(region) >= sizeof(c->region) || strspn(region,
		    "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(region))
			return pdb_err_usage(e, "invalid %s '%s': expected a "
			    "region name such as us-east-1 (a-z, 0-9 and -, at "
			    "most %zu characters)", name, region,
			    sizeof(c->region) - 1);
		snprintf(c->region, sizeof(c->region), "%s", region);
	}
	if (account != NULL) {
		if (strlen(account) != 12 || strspn(account, "0123456789") != 12)
			return pdb_err_usage(e, "invalid PDB_ACCOUNT_ID '%s': "
			    "expected an AWS account ID of 12 digits", account);
		snprintf(c->account, sizeof(c->account), "%s", account);
	}
	return PDB_OK;
}

int
pdb_cli_config(struct pdb_config *c, struct pdb_err *e)
{
	const char *s;
	long long v;

	pdb_config_defaults(c);
	if ((s = env("PDB_NOW")) != NULL && pdb_clock_parse_time(s,
	    &c->now_ms) != 0)
		return pdb_err_usage(e, "invalid PDB_NOW '%s': expected epoch "
		    "milliseconds or an ISO 8601 time from 1970 on", s);
	if ((s = env("PDB_RETENTION")) != NULL) {
		if (pdb_clock_parse_duration(s, &c->retention_ms) != 0 ||
		    c->retention_ms == 0)
			return pdb_err_usage(e, "invalid PDB_RETENTION '%s': "
			    "expected a duration such as 90s, 15m or 24h", s);
		c->new_retention_ms = c->retention_ms;
	}
	if ((s = env("PDB_BUSY_TIMEOUT_MS")) != NULL) {
		if (pdb_parse_whole(s, 0, INT_MAX, &v) != 0)
			return pdb_err_usage(e, "invalid PDB_BUSY_TIMEOUT_MS "
			    "'%s': expected milliseconds", s);
		c->busy_timeout_ms = (int)v;
	}
	if ((s = env("PDB_SYNC")) != NULL) {
		if (strcmp(s, "full") != 0 && strcmp(s, "normal") != 0)
			return pdb_err_usage(e, "invalid PDB_SYNC '%s': "
			    "expected 'full' or 'normal'", s);
		c->sync_full = strcmp(s, "full") == 0;
	}
	return config_names(c, e);
}

int
pdb_cli_open(const char *dbopt, int flags, struct pdb_db **db)
{
	struct pdb_config cfg;
	struct pdb_err e;

	*db = NULL;
	if (pdb_cli_config(&cfg, &e) != PDB_OK ||
	    pdb_db_open(db, pdb_cli_db_path(dbopt), flags, &cfg, &e) != PDB_OK)
		return pdb_cli_error(NULL, &e);
	return PDB_OK;
}

static int64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
pdb_progress_start(struct pdb_progress *p, const char *unit)
{
	memset(p, 0, sizeof(*p));
	p->unit = unit;
	p->on = isatty(STDERR_FILENO);
	p->start_ms = p->shown_ms = monotonic_ms();
}

static void
show(struct pdb_progress *p, int64_t now)
{
	int64_t elapsed = now - p->start_ms;

	fprintf(stderr, "\r%s: %lld %s, %lld %s/s ", progname,
	    (long long)p->count, p->unit, elapsed > 0 ?
	    (long long)(p->count * 1000 / elapsed) : 0LL, p->unit);
	p->shown_ms = now;
}

void
pdb_progress_add(struct pdb_progress *p, int64_t n)
{
	int64_t now;

	p->count += n;
	/* Look at the clock every 4096 items only: this is the hot loop. */
	if (!p->on || (p->count & 4095) != 0)
		return;
	if ((now = monotonic_ms()) - p->shown_ms >= 1000)
		show(p, now);
}

void
pdb_progress_end(struct pdb_progress *p)
{
	if (p->on && p->shown_ms != p->start_ms) {
		show(p, monotonic_ms());
		fputc('\n', stderr);
	}
}

int
pdb_cli_write(const struct pdb_buf *b, struct pdb_err *e)
{
	if (pdb_buf_write(b, STDOUT_FILENO, NULL) != 0)
		return pdb_err_system(e, "cannot write to stdout: %s",
		    strerror(errno));
	return PDB_OK;
}

int
pdb_cli_parse_json_at(const char *text, size_t len, int plain,
    const struct pdb_pos *at, json_t **out, struct pdb_err *e)
{
	/* A line is an object or an array; a value within text, anything. */
	size_t flags = JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL |
	    (at != NULL ? JSON_DECODE_ANY : 0);
	json_error_t je;

	*out = json_loadb(text, len, flags, &je);
	/* Plain integers past 64 bits go through a double, as documented. */
	if (*out == NULL && plain && strstr(je.text, "too big integer") !=
	    NULL)
		*out = json_loadb(text, len, flags | JSON_DECODE_INT_AS_REAL,
		    &je);
	if (*out != NULL)
		return PDB_OK;
	if (at == NULL)
		return pdb_err_set(e, PDB_E_SERIALIZATION,
		    "malformed JSON at column %d: %s", je.column, je.text);
	return pdb_err_set(e, PDB_E_SERIALIZATION, "malformed JSON at line "
	    "%ld, column %ld: %s", at->line + je.line - 1, je.line > 1 ?
	    (long)je.column : at->col + je.column - 1, je.text);
}

int
pdb_cli_parse_json(const char *line, size_t len, int plain, json_t **out,
    struct pdb_err *e)
{
	return pdb_cli_parse_json_at(line, len, plain, NULL, out, e);
}

int
pdb_cli_item(json_t *v, int plain, json_t **out, struct pdb_err *e)
{
	json_t *m;

	*out = NULL;
	if (!json_is_object(v))
		return pdb_err_set(e, PDB_E_SERIALIZATION,
		    "expected an item, a JSON object, one per line");
	if (!plain) {
		*out = json_incref(v);
		return PDB_OK;
	}
	if ((m = pdb_value_marshal(v, e)) == NULL)
		return e->status;
	/* marshal wraps the object as {"M":{...}}; an item is the map. */
	*out = json_incref(json_object_get(m, "M"));
	json_decref(m);
	return PDB_OK;
}

int
pdb_cli_parse_item(const char *line, size_t len, int plain, json_t **out,
    struct pdb_err *e)
{
	json_t *v;
	int rc;

	*out = NULL;
	if (pdb_cli_parse_json(line, len, plain, &v, e) != PDB_OK)
		return e->status;
	rc = pdb_cli_item(v, plain, out, e);
	json_decref(v);
	return rc;
}

int
pdb_cli_key_of(struct pdb_tx *tx, const char *table, json_t **item,
    struct pdb_err *e)
{
	const struct pdb_table *t;
	json_t *key;
	size_t size;

	/* The whole line must be valid, though only its key is used. */
	if (pdb_value_check_item(*item, &size, e) != PDB_OK ||
	    pdb_tx_table(tx, table, &t, e) != PDB_OK)
		return e->status;
	key = pdb_key_extract(&t->ks, *item);
	json_decref(*item);
	*item = key;
	return PDB_OK;
}

int
pdb_cli_put_value(struct pdb_buf *b, const char *text, size_t len, int plain,
    struct pdb_err *e)
{
	json_t *item;

	if (!plain)
		pdb_buf_put(b, text, len);
	else if ((item = pdb_value_load(text, len)) != NULL) {
		pdb_value_put_plain(b, item);
		json_decref(item);
	} else
		return pdb_err_system(e, "cannot read a stored item");
	return PDB_OK;
}

int
pdb_cli_put_item(struct pdb_buf *b, const char *text, size_t len, int plain,
    struct pdb_err *e)
{
	if (pdb_cli_put_value(b, text, len, plain, e) != PDB_OK)
		return e->status;
	pdb_buf_putc(b, '\n');
	return PDB_OK;
}

json_t *
pdb_cli_option_object(const char *opt, const char *text, int plain,
    struct pdb_err *e)
{
	json_error_t je;
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES |
	    JSON_ALLOW_NUL, &je), *item;

	if (j == NULL)
		pdb_err_set(e, PDB_E_SERIALIZATION, "%s: malformed JSON at "
		    "column %d: %s", opt, je.column, je.text);
	else if (!json_is_object(j)) {
		pdb_err_set(e, PDB_E_SERIALIZATION, "%s: expected a JSON "
		    "object", opt);
		json_decref(j);
		j = NULL;
	}
	if (j == NULL || !plain)
		return j;
	pdb_cli_item(j, plain, &item, e);
	json_decref(j);
	return item;
}

/* -N and -V into the request's placeholders. */
static int
placeholders(const struct pdb_cli_exprs *given, int plain, json_t **names,
    json_t **values, struct pdb_err *e)
{
	*names = *values = NULL;
	if (given->names != NULL && (*names = pdb_cli_option_object(
	    "--expression-attribute-names", given->names, 0, e)) == NULL)
		return e->status;
	if (given->values != NULL && (*values = pdb_cli_option_object(
	    "--expression-attribute-values", given->values, plain, e)) ==
	    NULL) {
		json_decref(*names);
		return e->status;
	}
	return PDB_OK;
}

int
pdb_cli_exprs(const struct pdb_cli_exprs *given, int plain,
    struct pdb_expr_set *out)
{
	const struct pdb_expr_texts t = { .key = given->key,
	    .condition = given->condition, .update = given->update,
	    .filter = given->filter, .projection = given->projection,
	    .takes = given->takes };
	json_t *names, *values;
	struct pdb_err e;

	memset(out, 0, sizeof(*out));
	if (placeholders(given, plain, &names, &values, &e) != PDB_OK ||
	    pdb_exprs_request(names, values, &t, out, &e) != PDB_OK)
		return pdb_cli_error(NULL, &e);
	return PDB_OK;
}

int
pdb_cli_tables_main(int argc, char *argv[], const char *synopsis,
    void (*help)(const void *),
    int (*run)(const char *dbopt, char *const *tables, int n))
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL;
	int c, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1)
		if (!pdb_cli_common(c, &dbopt, help, NULL, &status))
			return pdb_cli_usage(synopsis, NULL);
		else if (status >= 0)
			return status;
	return pdb_cli_finish(run(dbopt, argv + optind, argc - optind));
}
