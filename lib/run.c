/* run.c — a Lambda event-source mapping over a stream, the function being
 * a command run once per batch. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pdb/buf.h"
#include "pdb/consume.h"
#include "pdb/run.h"
#include "pdb/store.h"
#include "pdb/watch.h"
#include "pdb/wire.h"

#define EVENT_OPEN "{\"Records\":["
#define EVENT_CLOSE "]}"
#define RESPONSE_MAX PDB_RUN_PAYLOAD_MAX	/* Lambda's response limit */
#define BACKOFF_MAX_MS 1000
#define BISECT_DEPTH 64
#define LANE_BATCHES 4		/* per lane between checkpoints */
#define LANES_AT_ONCE 64	/* lane processes running together */
#define QUEUE_MAX 65536		/* records read ahead for many lanes */

extern char **environ;

/* A record read and not yet handled; its Lambda JSON, then a comma, is at
 * text[off], len bytes without the comma. */
struct queued {
	int64_t seq, created_ms;
	int64_t shard;		/* its shard's row */
	size_t off, len;
	int lane;		/* of ParallelizationFactor's, by partition key */
};

/* Records settled together, in order, by one process: one shard's, of
 * one ParallelizationFactor lane. */
struct lane {
	int64_t shard;
	int lane;
};

/* The records of a batch still to settle, [lo, hi) of the queue, and
 * what their invocations so far were. */
struct range {
	int hi;
	int retries, invokes;
};

enum outcome { DONE, FAILED, PARTIAL, STOPPED };

struct runner {
	struct pdb_db *db;
	const struct pdb_run_opts *o;
	struct pdb_run_stats *st;
	struct pdb_iter it;		/* the next read is after it.pos */
	struct queued *q;		/* cap of them */
	int nq, cap;			/* BatchSize, times the lanes' batches */
	int qalloc;			/* room in q */
	int lanes;			/* ParallelizationFactor */
	int in_lane;			/* a lane's process: the parent saves */
	struct lane *lane;		/* the lanes of a window, of cap */
	struct pdb_buf text;
	size_t bytes;			/* the queued records' length */
	int full;			/* the queue holds a whole payload */
	int cut;			/* the last queued record opens a window */
	int64_t old_shard;		/* shards up to this row opened before q[0] */
	int reshape;			/* a shard was seen first: size the queue */
	struct pdb_err read_err;	/* a lookup failed while reading */
	int read_failed;
	int ended;			/* a disabled stream read to its end */
	int64_t saved;			/* the checkpoint as written */
	struct pdb_buf resp;		/* the command's stdout */
	int resp_over;			/* it passed RESPONSE_MAX */
	char path[4096];		/* the command, found in $PATH once */
	const char *why;		/* why the last invocation failed */
	int fn_error;			/* a function error, not a response */
	char msg[512];
};

static void
note(struct runner *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note(struct runner *r, const char *fmt, ...)
{
	va_list ap;

	if (r->o->note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	r->o->note(r->o->arg, r->msg);
}

static int
stopped(const struct runner *r)
{
	return r->o->stop != NULL && *r->o->stop;
}

/* The size of an event of n records of total length len. */
static size_t
event_size(size_t len, int n)
{
	return strlen(EVENT_OPEN) + len + (n > 0 ? n - 1 : 0) +
	    strlen(EVENT_CLOSE);
}

/* The lane of a record: its partition key's value, hashed (FNV-1a), so
 * that one key's records stay in one lane, in order. */
static int
lane_of(const struct pdb_stream *s, const struct pdb_record *rec, int lanes)
{
	json_t *keys = json_loadb(rec->keys, rec->keys_len, 0, NULL);
	char *text = json_dumps(json_object_get(keys, s->ks.hash),
	    JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	uint32_t h = 2166136261u;
	const char *c;

	for (c = text ? text : ""; *c != '\0'; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	free(text);
	json_decref(keys);
	return (int)(h % (uint32_t)lanes);
}

/*
 * Whether rec, about to be queued, opens a new window: its shard opened
 * after the queue's first record, so it may descend from a shard the
 * window holds, and a parent's records are handled before its
 * children's.  Shards open in row order, so only a shard past old_shard
 * is looked up, once.
 */
static int
opens_window(struct runner *r, const struct pdb_record *rec)
{
	struct pdb_shard sh;

	if (rec->shard <= r->old_shard)
		return 0;
	r->reshape = 1;
	if (r->nq == 0) {
		r->old_shard = rec->shard;
		return 0;
	}
	if (pdb_store_shard_get(r->db, rec->shard, &sh, &r->read_err) !=
	    PDB_OK) {
		r->read_failed = 1;
		return 0;
	}
	if (sh.start_seq > r->q[0].seq)
		return 1;
	r->old_shard = rec->shard;
	return 0;
}

static int
each_record(void *arg, const struct pdb_stream *s, const struct pdb_record *rec)
{
	struct runner *r = arg;
	struct queued *q = &r->q[r->nq];
	json_t *j;
	int pass = 1;

	q->off = r->text.len;
	pdb_wire_record(&r->text, r->db, s, rec, 1);
	q->len = r->text.len - q->off;
	if (r->o->filter != NULL && r->o->filter->n > 0) {
		j = json_loadb(r->text.data + q->off, q->len, 0, NULL);
		pass = j != NULL && pdb_filter_match(r->o->filter, j);
		json_decref(j);
	}
	if (!pass) {
		r->text.len = q->off;
		r->st->filtered++;
		return 0;
	}
	pdb_buf_putc(&r->text, ',');
	r->cut = opens_window(r, rec);
	q->seq = rec->seq;
	q->created_ms = rec->created_ms;
	q->shard = rec->shard;
	q->lane = r->lanes > 1 ? lane_of(s, rec, r->lanes) : 0;
	r->bytes += q->len;
	/* The record past the payload stays queued for the next batch. */
	if (event_size(r->bytes, ++r->nq) > PDB_RUN_PAYLOAD_MAX)
		r->full = 1;
	return r->full || r->cut || r->read_failed || r->nq == r->cap;
}

/* Read until the queue holds a batch or a payload, or the shard is read
 * to now. */
static int
fill(struct runner *r, struct pdb_err *e)
{
	int64_t before;
	int want;

	while (!r->full && !r->cut && r->nq < r->cap) {
		want = r->cap - r->nq;
		before = r->it.pos;
		if (pdb_op_records_page(r->db, &r->it, want < PDB_PAGE_RECORDS_MAX ?
		    want : PDB_PAGE_RECORDS_MAX, each_record, r, &r->ended, e) !=
		    PDB_OK)
			return e->status;
		if (r->text.oom)
			return pdb_err_system(e, "out of memory");
		if (r->read_failed) {
			*e = r->read_err;
			return e->status;
		}
		if (r->it.pos == before)
			break;
	}
	return PDB_OK;
}

/* The checkpoint once the first i queued records are handled: just
 * before the next one, or all that was read. */
static int64_t
position(const struct runner *r, int i)
{
	return i < r->nq ? r->q[i].seq - 1 : r->it.pos;
}

static int
save(struct runner *r, int i, struct pdb_err *e)
{
	int64_t pos = position(r, i);

	if (r->o->checkpoint == NULL || r->in_lane || pos <= r->saved)
		return PDB_OK;
	if (pdb_checkpoint_write(r->o->checkpoint, pos, e) != PDB_OK)
		return e->status;
	r->saved = pos;
	return PDB_OK;
}

/* Forget the first n queued records. */
static void
drop(struct runner *r, int n)
{
	size_t off = n < r->nq ? r->q[n].off : r->text.len;
	int i;

	memmove(r->text.data, r->text.data + off, r->text.len - off);
	r->text.len -= off;
	memmove(r->q, r->q + n, (size_t)(r->nq - n) * sizeof(*r->q));
	r->nq -= n;
	r->bytes = 0;
	for (i = 0; i < r->nq; i++) {
		r->q[i].off -= off;
		r->bytes += r->q[i].len;
	}
	r->full = 0;
	/* Once its window is gone, the record that cut it is the first. */
	if (r->nq <= 1)
		r->cut = 0;
}

/* The queued records read before any that opens a new window. */
static int
window_len(const struct runner *r)
{
	return r->cut ? r->nq - 1 : r->nq;
}

/* How many queued records the next batch takes: up to BatchSize, within
 * the payload and the window. */
static int
batch_len(const struct runner *r)
{
	int w = window_len(r);
	size_t len = 0;
	int n;

	for (n = 0; n < w && n < r->o->batch_size; n++) {
		if (n > 0 && event_size(len + r->q[n].len, n + 1) >
		    PDB_RUN_PAYLOAD_MAX)
			break;
		len += r->q[n].len;
	}
	return n;
}

static void
iso_time(int64_t ms, int with_ms, char out[32])
{
	char label[PDB_LABEL_LEN];

	pdb_clock_label(ms, label);
	snprintf(out, 32, "%.*sZ", with_ms ? 23 : 19, label);
}

static void
put_field(struct pdb_buf *b, const char *name, const char *value)
{
	pdb_buf_putc(b, '"');
	pdb_buf_puts(b, name);
	pdb_buf_puts(b, "\":");
	pdb_buf_put_json_string(b, value, strlen(value));
}

/*
 * Lambda's on-failure record for queued records [lo, hi), appended to
 * the --on-failure file as one line.  Records dropped before any
 * invocation have no responseContext; a partial batch response, no
 * functionError.
 */
static int
on_failure(struct runner *r, int lo, int hi, const char *condition,
    int invokes, int function_error, struct pdb_err *e)
{
	const struct pdb_stream *s = &r->it.stream;
	const char *cmd = strrchr(r->o->argv[0], '/');
	unsigned char u[16];
	char id[40], t[32], seq[PDB_SEQ_DIGITS + 1], arn[PDB_ARN_MAX];
	char shard[PDB_SHARD_MAX];
	struct pdb_buf b = { 0 };
	int fd, rc = PDB_OK;

	r->st->failed += hi - lo;
	note(r, "gave up %d record%s from %021" PRId64 ": %s (%s)", hi - lo,
	    hi - lo == 1 ? "" : "s", r->q[lo].seq, condition, r->why);
	if (r->o->on_failure == NULL)
		return PDB_OK;
	if (getrandom(u, sizeof(u), 0) != (ssize_t)sizeof(u))
		memset(u, 0, sizeof(u));
	u[6] = (u[6] & 0x0f) | 0x40, u[8] = (u[8] & 0x3f) | 0x80;
	snprintf(id, sizeof(id), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
	    u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
	pdb_buf_puts(&b, "{\"requestContext\":{");
	put_field(&b, "requestId", id);
	cmd = cmd ? cmd + 1 : r->o->argv[0];
	snprintf(arn, sizeof(arn), "arn:aws:lambda:%s:%s:function:%s",
	    pdb_db_region(r->db), pdb_db_account(r->db), cmd);
	pdb_buf_putc(&b, ',');
	put_field(&b, "functionArn", arn);
	pdb_buf_putc(&b, ',');
	put_field(&b, "condition", condition);
	pdb_buf_puts(&b, ",\"approximateInvokeCount\":");
	pdb_buf_put_uint(&b, (uint64_t)invokes, 0);
	pdb_buf_putc(&b, '}');
	if (invokes > 0) {
		pdb_buf_puts(&b, ",\"responseContext\":{\"statusCode\":200,"
		    "\"executedVersion\":\"$LATEST\"");
		if (function_error)
			pdb_buf_puts(&b, ",\"functionError\":\"Unhandled\"");
		pdb_buf_putc(&b, '}');
	}
	pdb_buf_puts(&b, ",\"version\":\"1.0\",");
	iso_time(pdb_db_now_ms(r->db), 1, t);
	put_field(&b, "timestamp", t);
	pdb_buf_puts(&b, ",\"DDBStreamBatchInfo\":{");
	if (pdb_shard_id_of(r->db, r->q[lo].shard, shard, e) != PDB_OK) {
		pdb_buf_free(&b);
		return e->status;
	}
	put_field(&b, "shardId", shard);
	pdb_seq_format(r->q[lo].seq, seq);
	pdb_buf_putc(&b, ',');
	put_field(&b, "startSequenceNumber", seq);
	pdb_seq_format(r->q[hi - 1].seq, seq);
	pdb_buf_putc(&b, ',');
	put_field(&b, "endSequenceNumber", seq);
	iso_time(r->q[lo].created_ms, 0, t);
	pdb_buf_putc(&b, ',');
	put_field(&b, "approximateArrivalOfFirstRecord", t);
	iso_time(r->q[hi - 1].created_ms, 0, t);
	pdb_buf_putc(&b, ',');
	put_field(&b, "approximateArrivalOfLastRecord", t);
	pdb_buf_puts(&b, ",\"batchSize\":");
	pdb_buf_put_uint(&b, (uint64_t)(hi - lo), 0);
	pdb_buf_putc(&b, ',');
	put_field(&b, "streamArn", s->arn);
	pdb_buf_puts(&b, "}}\n");
	/* One write of one line with O_APPEND: lines never interleave. */
	if ((fd = open(r->o->on_failure, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0666)) < 0 || pdb_buf_write(&b, fd, NULL) != 0)
		rc = pdb_err_system(e, "cannot write to %s: %s",
		    r->o->on_failure, strerror(errno));
	if (fd >= 0 && close(fd) != 0 && rc == PDB_OK)
		rc = pdb_err_system(e, "cannot write to %s: %s",
		    r->o->on_failure, strerror(errno));
	pdb_buf_free(&b);
	return rc;
}

/* Records of [lo, hi) past MaximumRecordAge (or retention), oldest
 * first: how many lead the range. */
static int
aged(const struct runner *r, int lo, int hi)
{
	int64_t max = r->o->max_age_s >= 0 ? r->o->max_age_s * 1000LL :
	    pdb_db_retention_ms(r->db);
	int64_t now = pdb_db_now_ms(r->db);
	int n = 0;

	while (lo + n < hi && now - r->q[lo + n].created_ms > max)
		n++;
	return n;
}

/* Kill the command's process group and reap it. */
static int
reap(pid_t pid, int pidfd, int sig)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int status = 0;

	if (sig != 0) {
		kill(-pid, sig);
		if (sig != SIGKILL && poll(&p, 1, 1000) == 0)
			kill(-pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static int
spawn(struct runner *r, int in[2], int out[2], pid_t *pid, struct pdb_err *e)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t def, none;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	if (out[1] >= 0)
		posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	/* Its own process group, so a timeout kills all it started; the
	 * default signals, whatever this program ignores or catches. */
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGXFSZ);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	rc = posix_spawn(pid, r->path, &fa, &at, r->o->argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0)
		return pdb_err_system(e, "cannot run %s: %s", r->o->argv[0],
		    strerror(rc));
	return PDB_OK;
}

/* Find the command as execvp would, once: a missing command is an error
 * at the start, not a function error per batch, and no batch searches
 * $PATH again. */
static int
find_command(struct runner *r, struct pdb_err *e)
{
	const char *name = r->o->argv[0], *dirs = getenv("PATH"), *end;
	size_t n;

	if (strchr(name, '/') != NULL) {
		snprintf(r->path, sizeof(r->path), "%s", name);
		if (access(r->path, X_OK) == 0)
			return PDB_OK;
		return pdb_err_system(e, "cannot run %s: %s", name,
		    strerror(errno));
	}
	for (dirs = dirs ? dirs : "/usr/bin:/bin"; ; dirs = end + 1) {
		end = strchr(dirs, ':');
		n = end ? (size_t)(end - dirs) : strlen(dirs);
		snprintf(r->path, sizeof(r->path), "%.*s%s%s", (int)n, dirs,
		    n ? "/" : "", name);
		if (access(r->path, X_OK) == 0)
			return PDB_OK;
		if (end == NULL)
			break;
	}
	return pdb_err_system(e, "cannot run %s: not found in $PATH", name);
}

/* Feed the event to the command and read its stdout until it exits, the
 * timeout passes or a stop; returns its wait status, or -1 on timeout,
 * -2 on a stop. */
static int
converse(struct runner *r, pid_t pid, int pidfd, int in, int out, int lo,
    int hi)
{
	const char *part[3] = { EVENT_OPEN, r->text.data + r->q[lo].off,
	    EVENT_CLOSE };
	size_t len[3] = { strlen(EVENT_OPEN), r->q[hi - 1].off +
	    r->q[hi - 1].len - r->q[lo].off, strlen(EVENT_CLOSE) };
	int64_t deadline = pdb_clock_real_ms() + r->o->timeout_s * 1000LL;
	struct pollfd p[3];
	size_t done = 0;
	int k = 0, n, exited = 0, reaped = 0, status = 0, wait;
	ssize_t w;
	char *room;

	fcntl(in, F_SETFL, O_NONBLOCK);
	if (out >= 0)
		fcntl(out, F_SETFL, O_NONBLOCK);
	while (!exited || out >= 0) {
		n = 0;
		p[n++] = (struct pollfd){ .fd = exited ? -1 : pidfd,
		    .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = in, .events = POLLOUT };
		p[n++] = (struct pollfd){ .fd = out, .events = POLLIN };
		wait = exited ? 0 : (int)(deadline - pdb_clock_real_ms() > 0 ?
		    deadline - pdb_clock_real_ms() : 0);
		if (pidfd < 0 && wait > 1)
			wait = 1;	/* no pidfd: look every millisecond */
		if (poll(p, n, wait) < 0 && errno != EINTR)
			break;
		if (pidfd < 0 && !exited && waitpid(pid, &status, WNOHANG) ==
		    pid)
			exited = reaped = 1;
		if (p[0].revents)
			exited = 1;
		/* A command that has exited finished its batch: a stop that
		 * comes now must not throw its answer away. */
		if (!exited && stopped(r))
			return reap(pid, pidfd, SIGTERM), -2;
		if (!exited && pdb_clock_real_ms() >= deadline)
			return reap(pid, pidfd, SIGKILL), -1;
		if (in >= 0 && p[1].revents) {
			while (k < 3 && (w = write(in, part[k] + done,
			    len[k] - done)) >= 0)
				if ((done += (size_t)w) == len[k])
					k++, done = 0;
			if (k == 3 || errno != EAGAIN)	/* all, or EPIPE */
				close(in), in = -1;
		}
		if (out >= 0 && (p[2].revents || exited)) {
			if ((room = pdb_buf_reserve(&r->resp, 65536)) == NULL ||
			    (w = read(out, room, 65536)) <= 0) {
				if (room == NULL || w == 0 || errno != EAGAIN ||
				    exited)
					close(out), out = -1;
			} else if (r->resp.len + (size_t)w > RESPONSE_MAX)
				r->resp_over = 1;
			else
				r->resp.len += (size_t)w;
		}
	}
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return reaped ? status : reap(pid, pidfd, 0);
}

/* A partial batch response by Lambda's rules: an empty or null response
 * or batchItemFailures is success; malformed JSON, an itemIdentifier
 * empty, null, misnamed or not a sequence number of the batch fail it
 * whole.  *at gets the queue index of the lowest failed record. */
static enum outcome
response(struct runner *r, int lo, int hi, int *at)
{
	json_t *j, *list, *item, *id;
	int64_t seq;
	size_t i;
	int k, lowest = hi;
	enum outcome o = FAILED;

	r->why = "malformed batchItemFailures response";
	if (r->resp_over) {
		r->why = "response over 6 MB";
		return FAILED;
	}
	while (r->resp.len > 0 && strchr(" \t\r\n", r->resp.data[r->resp.len - 1]))
		r->resp.len--;
	if (r->resp.len == 0)
		return DONE;
	if ((j = json_loadb(r->resp.data, r->resp.len, JSON_DECODE_ANY,
	    NULL)) == NULL)
		return FAILED;
	list = json_is_object(j) ? json_object_get(j, "batchItemFailures") :
	    NULL;
	if (json_is_null(j) || (json_is_object(j) && (list == NULL ||
	    json_is_null(list) || (json_is_array(list) &&
	    json_array_size(list) == 0))))
		o = DONE;
	else if (json_is_array(list)) {
		json_array_foreach(list, i, item) {
			id = json_object_get(item, "itemIdentifier");
			if (!json_is_string(id) || (seq =
			    pdb_seq_parse(json_string_value(id))) < 0)
				break;
			for (k = lo; k < hi && r->q[k].seq != seq; k++)
				;
			if (k == hi)
				break;
			lowest = k < lowest ? k : lowest;
		}
		if (i == json_array_size(list))
			o = PARTIAL, *at = lowest;
	}
	json_decref(j);
	return o;
}

/* A pipe whose ends the command does not inherit (single-threaded, so
 * pipe then FD_CLOEXEC is as good as pipe2). */
static int
cloexec_pipe(int p[2])
{
	if (pipe(p) != 0)
		return -1;
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

/* One invocation with queued records [lo, hi). */
static enum outcome
invoke(struct runner *r, int lo, int hi, int *at, struct pdb_err *e)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, pidfd, status;
	pid_t pid;

	r->st->batches++;
	r->fn_error = 1;
	r->resp.len = 0;
	r->resp_over = 0;
	if (cloexec_pipe(in) != 0 || (r->o->report_failures &&
	    cloexec_pipe(out) != 0)) {
		pdb_err_system(e, "cannot make a pipe: %s", strerror(errno));
		goto fail;
	}
	if (spawn(r, in, out, &pid, e) != PDB_OK)
		goto fail;
	close(in[0]);
	if (out[1] >= 0)
		close(out[1]);
	/* A pidfd wakes poll when the command exits; without one (an old
	 * kernel, valgrind) converse looks every millisecond. */
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	status = converse(r, pid, pidfd, in[1], out[0], lo, hi);
	if (pidfd >= 0)
		close(pidfd);
	if (status == -2)
		return STOPPED;
	if (status == -1) {
		r->why = "timed out";
		return FAILED;
	}
	if (WIFSIGNALED(status)) {
		r->why = strsignal(WTERMSIG(status));
		return FAILED;
	}
	if (WEXITSTATUS(status) != 0) {
		r->why = "exit status not 0";
		return FAILED;
	}
	r->fn_error = 0;
	return r->o->report_failures ? response(r, lo, hi, at) : DONE;
fail:
	for (pidfd = 0; pidfd < 2; pidfd++) {
		if (in[pidfd] >= 0)
			close(in[pidfd]);
		if (out[pidfd] >= 0)
			close(out[pidfd]);
	}
	return STOPPED;
}

/* Wait before retry n (1, 2, ...): 10 ms, doubling, at most 1 s. */
static void
backoff(struct runner *r, int n)
{
	int64_t ms = 10LL << (n < 7 ? n - 1 : 6);
	struct timespec ts;

	ms = ms < BACKOFF_MAX_MS ? ms : BACKOFF_MAX_MS;
	ts.tv_sec = ms / 1000, ts.tv_nsec = (ms % 1000) * 1000000L;
	while (!stopped(r) && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * Settle the first n queued records as Lambda does: invoke, and on a
 * function error bisect (not a retry) or retry until MaximumRetryAttempts,
 * then give the range up; a partial response settles the records before
 * the lowest failed one and retries from it.  The checkpoint follows each
 * settled range.  PDB_NEGATIVE when stopped mid-batch.
 */
static int
settle(struct runner *r, int n, struct pdb_err *e)
{
	struct range st[BISECT_DEPTH];
	int sp = 0, lo = 0, at = 0, c;
	enum outcome o;

	st[sp++] = (struct range){ .hi = n };
	pdb_err_clear(e);
	while (sp > 0) {
		struct range *t = &st[sp - 1];

		if ((c = aged(r, lo, t->hi)) > 0) {
			r->why = "past the maximum record age";
			if (on_failure(r, lo, lo + c, "RecordAgeExceeded",
			    t->invokes, r->fn_error, e) != PDB_OK)
				return e->status;
			lo += c;
		} else {
			t->invokes++;
			if ((o = invoke(r, lo, t->hi, &at, e)) == STOPPED)
				return e->code != PDB_E_NONE ? e->status :
				    PDB_NEGATIVE;
			if (o == DONE) {
				r->st->records += t->hi - lo;
				lo = t->hi;
			} else if (o == FAILED && r->o->bisect &&
			    t->hi - lo > 1 && sp < BISECT_DEPTH) {
				note(r, "batch of %d from %021" PRId64 " failed "
				    "(%s): bisecting", t->hi - lo, r->q[lo].seq,
				    r->why);
				r->st->bisections++;
				st[sp] = *t;
				st[sp++].hi = lo + (t->hi - lo) / 2;
				continue;
			} else {
				if (o == PARTIAL) {
					r->st->records += at - lo;
					lo = at;
					r->why = "batchItemFailures";
				}
				if (r->o->max_retries < 0 ||
				    t->retries < r->o->max_retries) {
					note(r, "batch of %d from %021" PRId64
					    " failed (%s): retrying", t->hi - lo,
					    r->q[lo].seq, r->why);
					t->retries++;
					r->st->retries++;
					if (save(r, lo, e) != PDB_OK)
						return e->status;
					backoff(r, t->retries);
					if (stopped(r))
						return PDB_NEGATIVE;
					continue;
				}
				if (on_failure(r, lo, t->hi,
				    "RetryAttemptsExhausted", t->invokes,
				    o == FAILED && r->fn_error, e) != PDB_OK)
					return e->status;
				lo = t->hi;
			}
		}
		if (lo == t->hi)
			sp--;
		if (save(r, lo, e) != PDB_OK)
			return e->status;
	}
	return PDB_OK;
}

/* What a lane's process hands back. */
struct lane_result {
	int rc;
	struct pdb_err e;
	struct pdb_run_stats st;
};

static int
in_lane(const struct queued *q, const struct lane *l)
{
	return q->shard == l->shard && q->lane == l->lane;
}

/* Keep only the first n queued records that are in lane l, in order. */
static void
keep_lane(struct runner *r, int n, const struct lane *l)
{
	size_t off = 0;
	int i, k = 0;

	r->bytes = 0;
	for (i = 0; i < n; i++) {
		if (!in_lane(&r->q[i], l))
			continue;
		/* The record and its comma; off never passes q[i].off. */
		memmove(r->text.data + off, r->text.data + r->q[i].off,
		    r->q[i].len + 1);
		r->q[k] = r->q[i];
		r->q[k].off = off;
		off += r->q[k].len + 1;
		r->bytes += r->q[k++].len;
	}
	r->text.len = off;
	r->nq = k;
	r->full = 0;
	r->cut = 0;
}

/* A lane's process: its records of the first n, batch by batch, as one
 * mapping would; the counts and any error go back through fd.  The
 * parent keeps the checkpoint. */
static void
run_lane(struct runner *r, int n, const struct lane *l, int fd)
{
	struct lane_result res;
	const char *p = (const char *)&res;
	size_t done = 0;
	ssize_t k;
	int m;

	/* A runner killed with -9 takes its lanes with it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	memset(&res, 0, sizeof(res));
	r->in_lane = 1;
	r->st = &res.st;
	keep_lane(r, n, l);
	while (r->nq > 0 && res.rc == PDB_OK) {
		m = batch_len(r);
		res.rc = settle(r, m, &res.e);
		drop(r, m);
	}
	while (done < sizeof(res) && (k = write(fd, p + done,
	    sizeof(res) - done)) > 0)
		done += (size_t)k;
	_exit(0);
}

/* The lanes of the first n queued records, in r->lane; how many. */
static int
lanes_of(struct runner *r, int n)
{
	int i, k, nl = 0;

	for (i = 0; i < n; i++) {
		for (k = nl - 1; k >= 0 && !in_lane(&r->q[i], &r->lane[k]); k--)
			;
		if (k < 0)
			r->lane[nl++] = (struct lane){ r->q[i].shard,
			    r->q[i].lane };
	}
	return nl;
}

/* A lane's answer, added to the runner's counts; its error, or
 * PDB_SYSTEM when it ended without one. */
static int
lane_done(struct runner *r, pid_t pid, int fd, struct pdb_err *e)
{
	struct lane_result res;
	char *p = (char *)&res;
	size_t done = 0;
	ssize_t k;
	int status;

	while (done < sizeof(res) && (k = read(fd, p + done,
	    sizeof(res) - done)) > 0)
		done += (size_t)k;
	close(fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (done != sizeof(res))
		return pdb_err_system(e, "a lane of --parallelization-factor "
		    "ended without its answer");
	r->st->batches += res.st.batches;
	r->st->records += res.st.records;
	r->st->retries += res.st.retries;
	r->st->bisections += res.st.bisections;
	r->st->failed += res.st.failed;
	if (res.rc != PDB_OK)
		*e = res.e;
	return res.rc;
}

/* Start the lane process of l on the first n queued records; -1 and e
 * when it cannot. */
static pid_t
start_lane(struct runner *r, int n, const struct lane *l, int *fd,
    struct pdb_err *e)
{
	int p[2];
	pid_t pid;

	if (cloexec_pipe(p) != 0) {
		pdb_err_system(e, "cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == 0) {
		close(p[0]);
		run_lane(r, n, l, p[1]);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		pdb_err_system(e, "cannot fork: %s", strerror(errno));
		return -1;
	}
	*fd = p[0];
	return pid;
}

/*
 * The first n queued records in lanes, by shard and (ParallelizationFactor)
 * by partition key, each lane settled in its own process at once, its
 * batches in order, as Lambda polls shards side by side; the checkpoint
 * passes them when every lane is done.
 */
static int
settle_lanes(struct runner *r, int nl, int n, struct pdb_err *e)
{
	pid_t pid[LANES_AT_ONCE];
	int fd[LANES_AT_ONCE], from, k, m, rc = PDB_OK, lrc;

	pdb_err_clear(e);
	for (from = 0; from < nl && rc == PDB_OK; from += m) {
		m = nl - from < LANES_AT_ONCE ? nl - from : LANES_AT_ONCE;
		for (k = 0; k < m; k++)
			pid[k] = rc != PDB_OK ? -1 :
			    start_lane(r, n, &r->lane[from + k], &fd[k], e);
		for (k = 0; k < m; k++) {
			if (pid[k] < 0) {
				rc = rc == PDB_OK ? e->status : rc;
				continue;
			}
			lrc = lane_done(r, pid[k], fd[k],
			    rc == PDB_OK ? e : &(struct pdb_err){ 0 });
			if (lrc != PDB_OK && rc == PDB_OK)
				rc = lrc;
		}
	}
	return rc == PDB_OK ? save(r, n, e) : rc;
}

/*
 * Room for the batches of every lane that may be busy at once: BatchSize
 * for one lane; LANE_BATCHES batches of each of the open shards' lanes
 * when there are several, within QUEUE_MAX (or one shard's, when more).
 */
static int
size_queue(struct runner *r, struct pdb_err *e)
{
	struct pdb_shard *open = NULL;
	int nopen = 0, shards, cap;
	int64_t per_shard = (int64_t)r->o->batch_size * r->lanes * LANE_BATCHES;
	void *q;

	if (pdb_store_shard_open(r->db, r->it.stream.id, &open, &nopen, e) !=
	    PDB_OK)
		return e->status;
	free(open);
	shards = nopen > 1 ? nopen : 1;
	if (r->lanes * shards == 1)
		cap = r->o->batch_size;
	else if (per_shard * shards <= QUEUE_MAX)
		cap = (int)(per_shard * shards);
	else	/* never less than one shard's lanes had */
		cap = (int)(per_shard > QUEUE_MAX ? per_shard : QUEUE_MAX);
	if (cap > r->qalloc) {
		if ((q = realloc(r->q, (size_t)cap * sizeof(*r->q))) == NULL)
			return pdb_err_system(e, "out of memory");
		r->q = q;
		if ((q = realloc(r->lane, (size_t)cap * sizeof(*r->lane))) ==
		    NULL)
			return pdb_err_system(e, "out of memory");
		r->lane = q;
		r->qalloc = cap;
	}
	r->cap = cap;
	r->reshape = 0;
	return PDB_OK;
}

/* Settle the next batch, or the window's lanes when it has several. */
static int
settle_next(struct runner *r, int *n, struct pdb_err *e)
{
	int w = window_len(r), nl = lanes_of(r, w);

	if (nl > 1 || r->lanes > 1) {
		*n = w;
		return settle_lanes(r, nl, w, e);
	}
	*n = batch_len(r);
	return settle(r, *n, e);
}

int
pdb_run(struct pdb_db *db, const struct pdb_run_opts *o,
    struct pdb_run_stats *st, struct pdb_err *e)
{
	struct pdb_consumer c = { .target = o->target,
	    .checkpoint = o->checkpoint,
	    .from = o->latest ? "latest" : "trim-horizon" };
	struct runner r = { .db = db, .o = o, .st = st };
	struct pdb_watch *w = NULL;
	int64_t seen = 0, window_end = -1, now;
	int rc, n;

	memset(st, 0, sizeof(*st));
	pdb_err_clear(e);
	if ((rc = find_command(&r, e)) != PDB_OK ||
	    (rc = pdb_consume_position(db, &c, &r.it, e)) != PDB_OK)
		return rc;
	r.saved = -1;	/* the start is saved at once: LATEST is kept */
	r.lanes = o->parallel > 1 ? o->parallel : 1;
	if ((rc = size_queue(&r, e)) != PDB_OK)
		goto out;
	if (!o->once && (rc = pdb_watch_open(&w, o->dbpath, e)) != PDB_OK)
		goto out;
	while (!stopped(&r)) {
		/* Before the read: a commit after it changes the version. */
		if ((w != NULL && (rc = pdb_db_data_version(db, &seen, e)) !=
		    PDB_OK) || (r.reshape && (rc = size_queue(&r, e)) !=
		    PDB_OK) || (rc = fill(&r, e)) != PDB_OK ||
		    (rc = save(&r, 0, e)) != PDB_OK)
			break;
		if (r.nq == 0 && (o->once || r.ended)) {
			if (r.ended && !o->once)
				note(&r, "stream %s is disabled and read to its "
				    "end", r.it.stream.arn);
			break;
		}
		now = pdb_clock_real_ms();
		if (r.nq > 0 && window_end < 0)
			window_end = now + o->window_s * 1000LL;
		if (r.nq == 0 || (!o->once && !r.full && !r.cut && !r.ended &&
		    r.nq < r.cap && now < window_end)) {
			if ((rc = pdb_consume_wait(db, w, seen, r.nq == 0 ? -1 :
			    (int)(window_end - now), -1, o->stop, e)) != PDB_OK) {
				rc = rc == PDB_NEGATIVE ? PDB_OK : rc;
				break;
			}
			continue;
		}
		if ((rc = settle_next(&r, &n, e)) != PDB_OK) {
			rc = rc == PDB_NEGATIVE ? PDB_OK : rc;
			break;
		}
		drop(&r, n);
		window_end = -1;
	}
out:
	pdb_watch_close(w);
	pdb_buf_free(&r.text);
	pdb_buf_free(&r.resp);
	free(r.q);
	free(r.lane);
	return rc;
}
