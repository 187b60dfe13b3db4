/* tail.c — draining and following a stream, as pdb-stream-tail does. */
#include <errno.h>
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
	struct pdb_buf out;	/* the page, written whole */
	/* Each record read in the page and the output length once it was
	 * added: after a short write, the records that fully reached the
	 * output are known exactly, and only those are checkpointed. */
	int nread;
	int64_t seq[PDB_PAGE_RECORDS_MAX];
	size_t end[PDB_PAGE_RECORDS_MAX];
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
		return pdb_err_set(e, PDB_E_SYSTEM, "cannot write checkpoint "
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
		return pdb_err_set(e, PDB_E_USAGE, "invalid --from '%s': "
		    "expected trim-horizon, latest, at:SEQ or after:SEQ",
		    t->from);
	return pdb_iter_start(r->db, &s, t->shard, type, seq, &r->it, e);
}

static int
print_record(void *arg, const struct pdb_record *rec)
{
	struct run *r = arg;
	const struct pdb_tail *t = r->t;
	int stop = 0;

	if (t->events & PDB_EVENT_BIT(rec->event)) {
		if (t->page || t->lambda)
			pdb_buf_puts(&r->out, r->in_page ? "," : t->page ? "" :
			    "{\"Records\":[");
		pdb_record_put(&r->out, r->db, &r->it.stream, rec, t->lambda);
		if (!t->page && !t->lambda)
			pdb_buf_putc(&r->out, '\n');
		r->in_page++;
		stop = t->count > 0 && ++r->printed >= t->count;
	}
	r->seq[r->nread] = rec->seq;
	r->end[r->nread++] = r->out.len;
	return stop;
}

static void
page_start(struct run *r)
{
	r->out.len = 0;
	r->in_page = 0;
	r->nread = 0;
}

static int
output_failed(struct pdb_err *e)
{
	return pdb_err_set(e, PDB_E_SYSTEM, "cannot write to stdout: %s",
	    strerror(errno));
}

/* --page: exactly one GetRecords response, printed only once read whole. */
static int
one_page(struct run *r, struct pdb_err *e)
{
	char next[PDB_ITER_MAX + 1];
	int ended;

	page_start(r);
	pdb_buf_puts(&r->out, "{\"Records\":[");
	if (pdb_read_page(r->db, &r->it, r->t->limit, print_record, r,
	    &ended, e) != PDB_OK)
		return e->status;
	pdb_buf_putc(&r->out, ']');
	if (!ended) {
		pdb_iter_encode(r->db, &r->it, next);
		pdb_buf_puts(&r->out, ",\"NextShardIterator\":\"");
		pdb_buf_puts(&r->out, next);
		pdb_buf_putc(&r->out, '"');
	}
	pdb_buf_puts(&r->out, "}\n");
	if (pdb_buf_write(&r->out, r->t->out_fd, NULL) != 0)
		return output_failed(e);
	return PDB_OK;
}

/*
 * Write the page; then move the checkpoint past what was written: every
 * record read when the write was whole, else only the records whose
 * bytes all reached the output.  A Lambda event is written whole or not
 * at all, so a short write covers none of its records.
 */
static int
flush_page(struct run *r, struct pdb_err *e)
{
	int64_t covered = r->it.pos;
	size_t written;
	int i, failed;

	if ((failed = pdb_buf_write(&r->out, r->t->out_fd, &written) != 0)) {
		output_failed(e);
		covered = -1;
		for (i = 0; i < r->nread && !r->t->lambda; i++)
			if (r->end[i] <= written)
				covered = r->seq[i];
	}
	if (r->t->checkpoint != NULL && covered >= 0 &&
	    checkpoint_write(r->t->checkpoint, covered,
	    failed ? NULL : e) != PDB_OK)
		return failed ? PDB_SYSTEM : e->status;
	return failed ? PDB_SYSTEM : PDB_OK;
}

/* One page of records as lines or as a Lambda batch; *got says how many
 * records the page read (printed or filtered out). */
static int
page(struct run *r, int *got, int *ended, struct pdb_err *e)
{
	int64_t before = r->it.pos;

	page_start(r);
	if (pdb_read_page(r->db, &r->it, r->t->limit, print_record, r, ended,
	    e) != PDB_OK)
		return e->status;
	if (r->t->lambda && r->in_page > 0)
		pdb_buf_puts(&r->out, "]}\n");
	*got = r->it.pos != before;
	return *got ? flush_page(r, e) : PDB_OK;
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
		    IDLE_POLL_MS, r->t->out_fd);
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
	struct run *r = calloc(1, sizeof(*r));
	int rc;

	pdb_err_clear(e);
	if (r == NULL)
		return pdb_err_set(e, PDB_E_SYSTEM, "out of memory");
	r->db = db;
	r->t = t;
	if ((rc = position(r, e)) == PDB_OK)
		rc = t->page ? one_page(r, e) : drain_and_follow(r, e);
	pdb_buf_free(&r->out);
	free(r);
	return rc;
}
