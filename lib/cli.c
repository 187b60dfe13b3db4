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
#include "pdb/db.h"
#include "pdb/item.h"
#include "pdb/jsonl.h"

static const char *progname = "pdb";

void
pdb_cli_init(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	progname = slash ? slash + 1 : argv0 ? argv0 : "pdb";
	/* A closed pipe ends a program quietly: the default SIGPIPE. */
	signal(SIGPIPE, SIG_DFL);
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
	if (e->name[0] != '\0')
		fprintf(stderr, "%s: ", e->name);
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

	if (pdb_db_open(&db, pdb_db_path(dbopt), 0, &e) != PDB_OK)
		return pdb_cli_error(NULL, &e);
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

static void
writer_help(const struct pdb_cli_writer *prog)
{
	printf("usage: %s\n\n%s\n\n"
	    "  -b, --batch-size N  commit every N lines (default: the whole "
	    "input\n"
	    "                      is one transaction)\n"
	    "  -d, --db PATH       database file (default $PDB_DB, ./pdb.db)\n"
	    "  -p, --plain         lines are plain JSON, marshalled as the "
	    "AWS SDKs do\n"
	    "  -h, --help          show this help\n"
	    "      --version       show the version\n\n"
	    "See %s(1).\n", prog->synopsis, prog->about, pdb_cli_prog());
}

int
pdb_cli_writer_main(int argc, char *argv[], const struct pdb_cli_writer *prog)
{
	static const struct option opts[] = {
		{ "batch-size", required_argument, NULL, 'b' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "plain", no_argument, NULL, 'p' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct pdb_load load = { .apply = prog->apply };
	const char *dbopt = NULL;
	int c;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "b:d:hp", opts, NULL)) != -1)
		switch (c) {
		case 'b':
			if ((load.batch = pdb_cli_number("--batch-size",
			    optarg, 1, 1000000000)) < 0)
				return 2;
			break;
		case 'd':
			dbopt = optarg;
			break;
		case 'h':
			writer_help(prog);
			return pdb_cli_finish(0);
		case 'p':
			load.plain = 1;
			break;
		case 'v':
			pdb_cli_version();
			return pdb_cli_finish(0);
		default:
			return pdb_cli_usage(prog->synopsis, NULL);
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return pdb_cli_usage(prog->synopsis, "expected one table name");
	return pdb_cli_finish(pdb_cli_load(dbopt, argv[0], &load));
}
