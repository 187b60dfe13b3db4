/* cli.c — messages, options, progress and stdout for the programs. */
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
#include "pdb/db.h"
#include "pdb/expr.h"
#include "pdb/value.h"
#include "pdb/item.h"
#include "pdb/jsonl.h"
#include "pdb/table.h"

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
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		fprintf(stderr, "%s: invalid %s '%s': expected a whole number "
		    "from %lld to %lld\n", progname, opt, s, min, max);
		return -1;
	}
	return v;
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
	char *end;

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
		errno = 0;
		v = strtoll(s, &end, 10);
		if (*end != '\0' || errno != 0 || v < 0 || v > INT_MAX)
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
pdb_cli_load(const char *dbopt, const char *table, struct pdb_load *load)
{
	struct pdb_progress progress;
	struct pdb_writer *w = NULL;
	struct pdb_lines in;
	struct pdb_db *db;
	struct pdb_err e;
	char where[64];
	int rc;

	if ((rc = pdb_cli_open(dbopt, 0, &db)) != PDB_OK)
		return rc;
	pdb_lines_init(&in, stdin, "stdin");
	pdb_progress_start(&progress, "items");
	load->progress = &progress;
	if ((rc = pdb_writer_new(&w, db, table, &e)) == PDB_OK)
		rc = pdb_writer_load(w, &in, load, &e);
	pdb_progress_end(&progress);
	if (rc != PDB_OK) {
		snprintf(where, sizeof(where), "%s:%ld", in.name, in.lineno);
		pdb_cli_error(in.lineno > 0 ? where :
		    NULL, &e);
	}
	pdb_lines_free(&in);
	pdb_writer_free(w);
	pdb_db_close(db);
	return rc;
}

static json_t *
parse_option_json(const char *opt, const char *text, struct pdb_err *e)
{
	json_error_t je;
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &je);

	if (j == NULL)
		pdb_err_set(e, PDB_E_SERIALIZATION, "%s: "
		    "malformed JSON at column %d: %s", opt, je.column, je.text);
	else if (!json_is_object(j)) {
		pdb_err_set(e, PDB_E_SERIALIZATION, "%s: "
		    "expected a JSON object", opt);
		json_decref(j);
		j = NULL;
	}
	return j;
}

static int
request_placeholders(const char *names, const char *values, int plain,
    struct pdb_exprs **out)
{
	json_t *n = NULL, *v = NULL, *m;
	struct pdb_err e;
	int rc = PDB_OK;

	*out = NULL;
	if (names != NULL && (n = parse_option_json(
	    "--expression-attribute-names", names, &e)) == NULL)
		return pdb_cli_error(NULL, &e);
	if (values != NULL && (v = parse_option_json(
	    "--expression-attribute-values", values, &e)) == NULL)
		rc = e.status;
	if (rc == PDB_OK && v != NULL && plain) {
		if ((m = pdb_value_marshal(v, &e)) == NULL)
			rc = e.status;
		else {
			json_decref(v);
			v = json_incref(json_object_get(m, "M"));
			json_decref(m);
		}
	}
	if (rc != PDB_OK) {
		json_decref(n);
		json_decref(v);
		return pdb_cli_error(NULL, &e);
	}
	if (pdb_exprs_new(out, n, v, &e) != PDB_OK)
		return pdb_cli_error(NULL, &e);
	return PDB_OK;
}

int
pdb_cli_request(const char *names, const char *values, int plain,
    const struct pdb_cli_want *want, int nwant, struct pdb_exprs **x)
{
	struct pdb_expr *ex;
	struct pdb_err e;
	int i;

	if (request_placeholders(names, values, plain, x) != PDB_OK)
		return PDB_INVALID;
	for (i = 0; i < nwant; i++) {
		*want[i].out = NULL;
		if (want[i].text == NULL)
			continue;
		if (pdb_exprs_parse(*x, want[i].kind, want[i].text, &ex, &e) !=
		    PDB_OK)
			return pdb_cli_error(NULL, &e);
		*want[i].out = ex;
	}
	if (pdb_exprs_check_unused(*x, &e) != PDB_OK)
		return pdb_cli_error(NULL, &e);
	return PDB_OK;
}

static void
skipped(long lineno, const struct pdb_err *e)
{
	char where[64];

	snprintf(where, sizeof(where), "stdin:%ld", lineno);
	fprintf(stderr, "%s: %s: %s: %s (line skipped)\n", progname, where,
	    pdb_err_name(e->code), e->msg);
}

static void
writer_help(const void *arg)
{
	const struct pdb_cli_writer *prog = arg;

	printf("usage: %s\n\n%s\n\n"
	    "  -b, --batch-size N                   commit every N lines "
	    "(default: the\n"
	    "                                       whole input is one "
	    "transaction)\n"
	    "  -c, --condition-expression EXPR      write only where EXPR "
	    "holds on the\n"
	    "                                       old item\n"
	    "  -d, --db PATH                        database file (default "
	    "$PDB_DB, ./pdb.db)\n"
	    "  -N, --expression-attribute-names J   {\"#n\":\"name\"}\n"
	    "  -V, --expression-attribute-values J  {\":v\":{\"N\":\"1\"}} "
	    "(plain JSON with -p)\n"
	    "  -p, --plain                          lines are plain JSON, "
	    "marshalled as the\n"
	    "                                       AWS SDKs do\n"
	    "  -R, --return-values WHAT             print images: NONE, "
	    "ALL_OLD%s\n"
	    "  -S, --skip-failed-conditions         skip lines whose "
	    "condition fails\n"
	    "%s"
	    "  -h, --help                           show this help\n"
	    "      --version                        show the version\n\n"
	    "See %s(1).\n", prog->synopsis, prog->about, prog->update ?
	    ",\n                                       UPDATED_OLD, ALL_NEW, "
	    "UPDATED_NEW" : "", prog->update ? "  -u, --update-expression "
	    "EXPR         the UpdateExpression (required)\n" : "",
	    pdb_cli_prog());
}

struct writer_args {
	const char *dbopt, *condition, *update, *names, *values;
	int skip;
};

static int
writer_run(const struct pdb_cli_writer *prog, const char *table,
    struct writer_args *a, struct pdb_load *load, struct pdb_write_opts *o)
{
	const struct pdb_cli_want want[] = {
		{ PDB_EXPR_CONDITION, a->condition, &o->condition },
		{ PDB_EXPR_UPDATE, a->update, &o->update },
	};
	struct pdb_exprs *x = NULL;
	int rc;

	if (prog->update && a->update == NULL)
		return pdb_cli_usage(prog->synopsis, "-u EXPR is required");
	if ((rc = pdb_cli_request(a->names, a->values, load->plain, want, 2,
	    &x)) == PDB_OK) {
		load->skipped = a->skip ? skipped : NULL;
		rc = pdb_cli_load(a->dbopt, table, load);
	}
	pdb_exprs_free(x);
	return rc;
}

int
pdb_cli_writer_main(int argc, char *argv[], const struct pdb_cli_writer *prog)
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "batch-size", required_argument, NULL, 'b' },
		{ "condition-expression", required_argument, NULL, 'c' },
		{ "expression-attribute-names", required_argument, NULL, 'N' },
		{ "expression-attribute-values", required_argument, NULL, 'V' },
		{ "plain", no_argument, NULL, 'p' },
		{ "return-values", required_argument, NULL, 'R' },
		{ "skip-failed-conditions", no_argument, NULL, 'S' },
		{ "update-expression", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct pdb_write_opts o = { .out = stdout };
	struct pdb_load load = { .apply = prog->apply, .arg = &o };
	struct writer_args a = { NULL };
	int c, ret, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, prog->update ? "b:c:d:hN:pR:Su:V:" :
	    "b:c:d:hN:pR:SV:", opts, NULL)) != -1)
		switch (c) {
		case 'b':
			if ((load.batch = pdb_cli_number("--batch-size",
			    optarg, 1, 1000000000)) < 0)
				return 2;
			break;
		case 'c':
			a.condition = optarg;
			break;
		case 'N':
			a.names = optarg;
			break;
		case 'p':
			load.plain = o.plain = 1;
			break;
		case 'R':
			ret = pdb_return_parse(optarg);
			if (ret < 0 || (!prog->update && ret > PDB_RETURN_ALL_OLD))
				return pdb_cli_usage(prog->synopsis, "invalid "
				    "--return-values '%s': expected %s", optarg,
				    prog->update ? "NONE, ALL_OLD, UPDATED_OLD, "
				    "ALL_NEW or UPDATED_NEW" : "NONE or ALL_OLD");
			o.ret = ret;
			break;
		case 'S':
			a.skip = 1;
			break;
		case 'u':
			if (!prog->update)
				return pdb_cli_usage(prog->synopsis, NULL);
			a.update = optarg;
			break;
		case 'V':
			a.values = optarg;
			break;
		default:
			if (!pdb_cli_common(c, &a.dbopt, writer_help, prog,
			    &status))
				return pdb_cli_usage(prog->synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return pdb_cli_usage(prog->synopsis, "expected one table name");
	return pdb_cli_finish(writer_run(prog, argv[0], &a, &load, &o));
}

struct reading {
	int plain;
	const struct pdb_expr *key, *filter, *projection;
	long long limit, seen;
};

/* Limit counts items read, as DynamoDB's does: before the filter. */
static int
print_read_item(void *arg, const char *text, size_t len)
{
	struct reading *r = arg;
	struct pdb_err e;
	json_t *item, *shown;
	char *out;
	int ok = 1;

	if (r->limit > 0 && r->seen++ >= r->limit)
		return 1;
	if (r->filter == NULL && r->projection == NULL)
		return pdb_item_print(stdout, text, len, r->plain);
	if ((item = json_loadb(text, len, 0, NULL)) == NULL)
		return 1;
	if (r->filter != NULL && pdb_expr_test(r->filter, item, &ok, &e) !=
	    PDB_OK) {
		pdb_cli_error(NULL, &e);
		json_decref(item);
		return 1;
	}
	if (ok) {
		shown = r->projection ? pdb_expr_project(r->projection, item) :
		    json_incref(item);
		if ((out = pdb_value_dump(shown)) != NULL)
			pdb_item_print(stdout, out, strlen(out), r->plain);
		free(out);
		json_decref(shown);
	}
	json_decref(item);
	return 0;
}

static int
read_items(const char *dbopt, const char *table, struct reading *r,
    int reverse)
{
	struct pdb_key_range range;
	struct pdb_table t;
	struct pdb_db *db;
	struct pdb_err e;
	int rc;

	pdb_err_clear(&e);
	if ((rc = pdb_cli_open(dbopt, 0, &db)) != PDB_OK)
		return rc;
	if ((rc = pdb_table_get(db, table, &t, &e)) == PDB_OK) {
		if (r->key == NULL)
			rc = pdb_item_scan(db, &t, print_read_item, r, &e);
		else if ((rc = pdb_expr_key_range(r->key, &t.ks, &range, &e))
		    == PDB_OK)
			rc = pdb_item_query(db, &t, &range, reverse,
			    print_read_item, r, &e);
	}
	if (rc != PDB_OK)
		pdb_cli_error(NULL, &e);
	pdb_db_close(db);
	return rc;
}

static void
reader_help(const void *arg)
{
	const struct pdb_cli_reader *prog = arg;

	printf("usage: %s\n\n%s\n\n"
	    "  -d, --db PATH                        database file (default "
	    "$PDB_DB, ./pdb.db)\n"
	    "  -F, --filter-expression EXPR         print only items where "
	    "EXPR holds\n"
	    "%s"
	    "  -l, --limit N                        read at most N items "
	    "(before -F)\n"
	    "  -N, --expression-attribute-names J   {\"#n\":\"name\"}\n"
	    "  -P, --projection-expression EXPR     print only these "
	    "attributes\n"
	    "  -p, --plain                          print plain JSON; -V "
	    "takes plain JSON\n"
	    "%s"
	    "  -V, --expression-attribute-values J  {\":v\":{\"N\":\"1\"}}\n"
	    "  -h, --help                           show this help\n"
	    "      --version                        show the version\n\n"
	    "See %s(1).\n", prog->synopsis, prog->about, prog->query ?
	    "  -k, --key-condition-expression EXPR  the partition and sort "
	    "keys to read\n" : "", prog->query ? "  -r, --reverse           "
	    "             descending sort key order\n" : "", pdb_cli_prog());
}

int
pdb_cli_reader_main(int argc, char *argv[], const struct pdb_cli_reader *prog)
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "expression-attribute-names", required_argument, NULL, 'N' },
		{ "expression-attribute-values", required_argument, NULL, 'V' },
		{ "filter-expression", required_argument, NULL, 'F' },
		{ "key-condition-expression", required_argument, NULL, 'k' },
		{ "limit", required_argument, NULL, 'l' },
		{ "plain", no_argument, NULL, 'p' },
		{ "projection-expression", required_argument, NULL, 'P' },
		{ "reverse", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *key = NULL, *filter = NULL, *proj = NULL;
	const char *names = NULL, *values = NULL;
	struct reading r = { 0 };
	struct pdb_cli_want want[3];
	struct pdb_exprs *x = NULL;
	int c, reverse = 0, rc;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, prog->query ? "d:F:hk:l:N:pP:rV:" :
	    "d:F:hl:N:pP:V:", opts, NULL)) != -1)
		switch (c) {
		case 'F': filter = optarg; break;
		case 'k': key = optarg; break;
		case 'l':
			if ((r.limit = pdb_cli_number("--limit", optarg, 1,
			    1LL << 62)) < 0)
				return 2;
			break;
		case 'N': names = optarg; break;
		case 'p': r.plain = 1; break;
		case 'P': proj = optarg; break;
		case 'r': reverse = 1; break;
		case 'V': values = optarg; break;
		default:
			if (!pdb_cli_common(c, &dbopt, reader_help, prog, &rc))
				return pdb_cli_usage(prog->synopsis, NULL);
			if (rc >= 0)
				return rc;
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return pdb_cli_usage(prog->synopsis, "expected one table name");
	if (prog->query && key == NULL)
		return pdb_cli_usage(prog->synopsis, "-k EXPR is required");
	want[0] = (struct pdb_cli_want){ PDB_EXPR_KEY, key, &r.key };
	want[1] = (struct pdb_cli_want){ PDB_EXPR_FILTER, filter, &r.filter };
	want[2] = (struct pdb_cli_want){ PDB_EXPR_PROJECTION, proj,
	    &r.projection };
	if ((rc = pdb_cli_request(names, values, r.plain, want, 3, &x)) ==
	    PDB_OK)
		rc = read_items(dbopt, argv[0], &r, reverse);
	pdb_exprs_free(x);
	return pdb_cli_finish(rc);
}
