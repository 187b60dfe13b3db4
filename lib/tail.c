/* tail.c — draining and following a stream, as pdb-stream-tail does. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdb/cli.h"
#include "pdb/read.h"
#include "pdb/tail.h"

#define IDLE_POLL_MS 100	/* safety net for changes inotify misses */
#define RECHECK_MS 1		/* an event may come before its commit shows */
#define RECHECKS 5

struct run {
	struct pdb_db *db;
	const struct pdb_tail *t;
	struct pdb_iter it;
	long long printed;
	int in_page;		/* records printed in this page or batch */
};

static int
checkpoint_read(const char *file, int64_t *pos, struct pdb_err *e)
{
	char buf[64] = "";
	FILE *f = fopen(file, "r");

	if (f == NULL)
		return PDB_NEGATIVE;	/* no checkpoint yet */
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	if ((*pos = pdb_seq_parse(buf)) < 0)
		return pdb_err_invalid(e, "%s: expected a sequence number, "
		    "found '%s'", file, buf);
	return PDB_OK;
}

/* Replace the file atomically: a reader killed at any moment leaves the
 * old number or the new one, never half of one. */
static int
checkpoint_write(const char *file, int64_t pos, struct pdb_err *e)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", file, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL ||
	    fprintf(f, "%021" PRId64 "\n", pos) < 0 || fclose(f) != 0 ||
	    rename(tmp, file) != 0) {
		unlink(tmp);
		return pdb_err_set(e, PDB_SYSTEM, "", "cannot write checkpoint "
		    "%s", file);
	}
	return PDB_OK;
}

/* "trim-horizon", "latest", "at:SEQ", "after:SEQ". */
static int
parse_from(const char *from, enum pdb_iter_type *type, const char **seq)
{
	*seq = NULL;
	if (from == NULL || strcmp(from, "trim-horizon") == 0)
		*type = PDB_ITER_TRIM_HORIZON;
	else if (strcmp(from, "latest") == 0)
		*type = PDB_ITER_LATEST;
	else if (strncmp(from, "at:", 3) == 0)
		*type = PDB_ITER_AT_SEQUENCE_NUMBER, *seq = from + 3;
	else if (strncmp(from, "after:", 6) == 0)
		*type = PDB_ITER_AFTER_SEQUENCE_NUMBER, *seq = from + 6;
	else
		return -1;
	return 0;
}

static int
position(struct run *r, struct pdb_err *e)
{
	const struct pdb_tail *t = r->t;
	struct pdb_stream s;
	enum pdb_iter_type type;
	const char *seq;
	int64_t pos;
	int rc;

	if (t->iterator != NULL)
		return pdb_iter_decode(r->db, t->iterator, &r->it, e);
	if (pdb_stream_find(r->db, t->target, &s, e) != PDB_OK)
		return e->status;
	if (t->checkpoint != NULL &&
	    (rc = checkpoint_read(t->checkpoint, &pos, e)) != PDB_NEGATIVE) {
		if (rc != PDB_OK)
			return rc;
		memset(&r->it, 0, sizeof(r->it));
		r->it.stream = s;
		r->it.pos = pos;
		return PDB_OK;
	}
	if (parse_from(t->from, &type, &seq) != 0)
		return pdb_err_set(e, PDB_USAGE, "", "invalid --from '%s': "
		    "expected trim-horizon, latest, at:SEQ or after:SEQ",
		    t->from);
	return pdb_iter_start(r->db, &s, t->shard, type, seq, &r->it, e);
}

static int
print_record(void *arg, const struct pdb_record *rec)
{
	struct run *r = arg;
	const struct pdb_tail *t = r->t;

	if (!(t->events & PDB_EVENT_BIT(rec->event)))
		return 0;
	if (t->page || t->lambda)
		fputs(r->in_page ? "," : t->page ? "" : "{\"Records\":[",
		    t->out);
	pdb_record_print(t->out, r->db, &r->it.stream, rec, t->lambda);
	if (!t->page && !t->lambda)
		putc('\n', t->out);
	r->in_page++;
	return t->count > 0 && ++r->printed >= t->count;
}

/* --page: exactly one GetRecords response. */
static int
one_page(struct run *r, struct pdb_err *e)
{
	char next[PDB_ITER_MAX + 1];
	int ended;

	fputs("{\"Records\":[", r->t->out);
	if (pdb_read_page(r->db, &r->it, r->t->limit, print_record, r,
	    &ended, e) != PDB_OK)
		return e->status;
	fputs("]", r->t->out);
	if (!ended) {
		pdb_iter_encode(r->db, &r->it, next);
		fprintf(r->t->out, ",\"NextShardIterator\":\"%s\"", next);
	}
	fputs("}\n", r->t->out);
	return PDB_OK;
}

/* One page of records as lines or as a Lambda batch; *got says how many
 * records the page read (printed or filtered out). */
static int
page(struct run *r, int *got, int *ended, struct pdb_err *e)
{
	int64_t before = r->it.pos;

	r->in_page = 0;
	if (pdb_read_page(r->db, &r->it, r->t->limit, print_record, r, ended,
	    e) != PDB_OK)
		return e->status;
	if (r->t->lambda && r->in_page > 0)
		fputs("]}\n", r->t->out);
	*got = r->it.pos != before;
	if (!*got)
		return PDB_OK;
	fflush(r->t->out);
	if (r->t->checkpoint != NULL)
		return checkpoint_write(r->t->checkpoint, r->it.pos, e);
	return PDB_OK;
}

static int
done(const struct run *r)
{
	return (r->t->count > 0 && r->printed >= r->t->count) ||
	    (r->t->stop != NULL && *r->t->stop);
}

static int
drain_and_follow(struct run *r, struct pdb_err *e)
{
	struct pdb_watch *w = NULL;
	int got, ended, rechecks = 0, woke;

	if (r->t->follow && pdb_watch_open(&w, r->t->dbpath, e) != PDB_OK)
		return e->status;
	while (!done(r)) {
		if (page(r, &got, &ended, e) != PDB_OK)
			break;
		if (got) {
			rechecks = 0;
			continue;
		}
		if (ended && r->t->follow)
			fprintf(stderr, "%s: stream %s is disabled and read to "
			    "its end\n", pdb_cli_prog(), r->it.stream.arn);
		if (ended || !r->t->follow)
			break;
		woke = pdb_watch_wait(w, rechecks > 0 ? RECHECK_MS :
		    IDLE_POLL_MS, fileno(r->t->out));
		if (woke < 0 || (woke & PDB_WATCH_HANGUP))
			break;
		if (woke & PDB_WATCH_COMMIT)
			rechecks = RECHECKS;
		else if (rechecks > 0)
			rechecks--;
	}
	pdb_watch_close(w);
	return e->status;
}

int
pdb_tail_run(struct pdb_db *db, const struct pdb_tail *t, struct pdb_err *e)
{
	struct run r = { .db = db, .t = t };

	static char buf[1 << 20];

	pdb_err_clear(e);
	/* Big writes for drains; a follower flushes every page anyway. */
	setvbuf(t->out, buf, _IOFBF, sizeof(buf));
	if (position(&r, e) != PDB_OK)
		return e->status;
	if (t->page)
		return one_page(&r, e);
	return drain_and_follow(&r, e);
}
