/* consume.c — draining and following a stream, with checkpoints. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdb/consume.h"
#include "pdb/watch.h"

#define IDLE_POLL_MS 100	/* safety net for changes inotify misses */
#define RECHECK_MS 1		/* an event may come before its commit shows */
#define RECHECKS 5

struct run {
	struct pdb_db *db;
	const struct pdb_consumer *c;
	struct pdb_iter it;
	int enough;		/* record() said so */
	int64_t seen;		/* data_version before the last page */
};

static int
checkpoint_read(const char *file, int64_t *pos, struct pdb_err *e)
{
	char buf[64] = "";
	FILE *f = fopen(file, "r");
	int bad;

	if (f == NULL && errno == ENOENT)
		return PDB_NEGATIVE;	/* no checkpoint yet */
	if (f == NULL)
		return pdb_err_system(e, "cannot read checkpoint %s: %s", file,
		    strerror(errno));
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	bad = ferror(f);
	fclose(f);
	if (bad)
		return pdb_err_system(e, "cannot read checkpoint %s: %s", file,
		    strerror(errno));
	buf[strcspn(buf, "\n")] = '\0';
	if ((*pos = pdb_seq_parse(buf)) < 0)
		return pdb_err_set(e, PDB_E_INPUT, "%s: expected a sequence "
		    "number of 21 digits, found '%.40s'", file, buf);
	return PDB_OK;
}

/* A checkpoint names a record the stream has had: one past its newest is
 * another stream's (a database made anew), and reading after it would
 * skip every record up to it. */
static int
checkpoint_check(struct pdb_db *db, const char *file,
    const struct pdb_stream *s, int64_t pos, struct pdb_err *e)
{
	int64_t last;

	if (pdb_stream_last(db, s, &last, e) != PDB_OK)
		return e->status;
	if (pos <= last)
		return PDB_OK;
	return pdb_err_invalid(e, "%s: sequence number %021" PRId64 " is past "
	    "the stream's newest, %021" PRId64 " (a checkpoint of another "
	    "stream?)", file, pos, last);
}

/* Replace the file atomically: a reader killed at any moment leaves the
 * old number or the new one, never half of one. */
int
pdb_checkpoint_write(const char *file, int64_t pos, struct pdb_err *e)
{
	char tmp[4096];
	FILE *f;
	int bad;

	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", file, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL)
		return pdb_err_system(e, "cannot write checkpoint %s", file);
	bad = fprintf(f, "%021" PRId64 "\n", pos) < 0;
	if (fclose(f) != 0 || bad || rename(tmp, file) != 0) {
		unlink(tmp);
		return pdb_err_system(e, "cannot write checkpoint %s", file);
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

int
pdb_consume_position(struct pdb_db *db, const struct pdb_consumer *c,
    struct pdb_iter *it, struct pdb_err *e)
{
	struct pdb_stream s;
	enum pdb_iter_type type;
	const char *seq;
	int64_t pos = 0;
	int rc;

	if (c->iterator != NULL)
		return pdb_iter_decode(db, c->iterator, it, e);
	if (pdb_stream_find(db, c->target, &s, e) != PDB_OK)
		return e->status;
	if (c->checkpoint != NULL &&
	    (rc = checkpoint_read(c->checkpoint, &pos, e)) != PDB_NEGATIVE) {
		if (rc != PDB_OK || (rc = checkpoint_check(db, c->checkpoint,
		    &s, pos, e)) != PDB_OK)
			return rc;
		memset(it, 0, sizeof(*it));
		it->stream = s;
		it->pos = pos;
		return PDB_OK;
	}
	if (parse_from(c->from, &type, &seq) != 0)
		return pdb_err_usage(e, "invalid --from '%s': expected "
		    "trim-horizon, latest, at:SEQ or after:SEQ", c->from);
	return pdb_iter_start(db, &s, c->shard, type, seq, it, e);
}

static int
each_record(void *arg, const struct pdb_stream *s, const struct pdb_record *rec)
{
	struct run *r = arg;

	return r->enough = r->c->record(r->c->arg, s, rec) != 0;
}

/*
 * One page; *got says whether it read records (delivered or filtered
 * out).  The checkpoint moves past what the front end delivered: all of
 * the page, or, when delivery failed, only what reached its destination.
 */
static int
page(struct run *r, int *got, int *ended, struct pdb_err *e)
{
	const struct pdb_consumer *c = r->c;
	int64_t before = r->it.pos, covered;
	int failed;

	if (pdb_op_records_page(r->db, &r->it, c->limit, each_record, r, ended,
	    e) != PDB_OK)
		return e->status;
	if (!(*got = r->it.pos != before))
		return PDB_OK;
	failed = c->flush(c->arg, r->it.pos, &covered, e) != PDB_OK;
	if (c->checkpoint != NULL && covered >= 0 &&
	    pdb_checkpoint_write(c->checkpoint, covered, failed ? NULL : e) !=
	    PDB_OK && !failed)
		return e->status;
	return failed ? e->status : PDB_OK;
}

static int
done(const struct run *r)
{
	return r->enough || (r->c->stop != NULL && *r->c->stop);
}

int
pdb_consume_wait(struct pdb_db *db, struct pdb_watch *w, int64_t seen,
    int timeout_ms, int hangup_fd, volatile sig_atomic_t *stop,
    struct pdb_err *e)
{
	int64_t now, deadline = timeout_ms < 0 ? -1 :
	    pdb_clock_real_ms() + timeout_ms;
	int woke, rechecks = 0, wait;

	for (;;) {
		wait = rechecks > 0 ? RECHECK_MS : IDLE_POLL_MS;
		if (deadline >= 0 && (now = deadline - pdb_clock_real_ms()) <
		    wait)
			wait = now > 0 ? (int)now : 0;
		woke = pdb_watch_wait(w, wait, hangup_fd);
		if (woke < 0 || (woke & PDB_WATCH_HANGUP) ||
		    (stop != NULL && *stop))
			return PDB_NEGATIVE;	/* stop quietly */
		if (woke & PDB_WATCH_COMMIT)
			rechecks = RECHECKS;
		else if (rechecks > 0)
			rechecks--;
		else if (pdb_watch_check_file(w, e) != PDB_OK)
			return e->status;
		if (pdb_db_data_version(db, &now, e) != PDB_OK)
			return e->status;
		if (now != seen || (deadline >= 0 &&
		    pdb_clock_real_ms() >= deadline))
			return PDB_OK;
	}
}

static int
drain_and_follow(struct run *r, struct pdb_err *e)
{
	struct pdb_watch *w = NULL;
	int got, ended, rc = PDB_OK;

	if (r->c->follow && pdb_watch_open(&w, r->c->dbpath, e) != PDB_OK)
		return e->status;
	while (!done(r)) {
		/* Before the page: a commit after it changes the version. */
		if ((w != NULL && (rc = pdb_db_data_version(r->db, &r->seen,
		    e)) != PDB_OK) || (rc = page(r, &got, &ended, e)) != PDB_OK)
			break;
		if (got)
			continue;
		if (ended && r->c->follow && r->c->ended != NULL)
			r->c->ended(r->c->arg, &r->it.stream);
		if (ended || !r->c->follow)
			break;
		if (r->enough || (rc = pdb_consume_wait(r->db, w, r->seen, -1,
		    r->c->hangup_fd, r->c->stop, e)) != PDB_OK) {
			rc = rc == PDB_NEGATIVE ? PDB_OK : rc;
			break;
		}
	}
	pdb_watch_close(w);
	return rc;
}

int
pdb_consume(struct pdb_db *db, const struct pdb_consumer *c, struct pdb_err *e)
{
	struct run r = { .db = db, .c = c };

	pdb_err_clear(e);
	if (pdb_consume_position(db, c, &r.it, e) != PDB_OK)
		return e->status;
	return drain_and_follow(&r, e);
}
