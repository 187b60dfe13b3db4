/* read.c — GetRecords pages, record printing, and waiting for commits. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "pdb/capture.h"
#include "pdb/clock.h"
#include "pdb/read.h"

static int
trimmed(struct pdb_err *e)
{
	return pdb_err_set(e, PDB_E_TRIMMED,
	    "The data you are trying to access has been trimmed.");
}

static void
from_row(struct pdb_record *r, sqlite3_stmt *st)
{
	r->seq = sqlite3_column_int64(st, 0);
	r->event = sqlite3_column_int(st, 1);
	r->created_ms = sqlite3_column_int64(st, 2);
	r->size = sqlite3_column_int64(st, 3);
	r->service = sqlite3_column_int(st, 4);
	r->keys = (const char *)sqlite3_column_text(st, 5);
	r->new_image = (const char *)sqlite3_column_text(st, 6);
	r->old_image = (const char *)sqlite3_column_text(st, 7);
	r->keys_len = (size_t)sqlite3_column_bytes(st, 5);
	r->new_len = (size_t)sqlite3_column_bytes(st, 6);
	r->old_len = (size_t)sqlite3_column_bytes(st, 7);
}

static int64_t
row_bytes(sqlite3_stmt *st)
{
	return sqlite3_column_bytes(st, 5) + sqlite3_column_bytes(st, 6) +
	    sqlite3_column_bytes(st, 7) + 300;
}

/* The page's records, read in the caller's snapshot. */
static int
read_records(struct pdb_db *db, struct pdb_iter *it, int limit,
    int (*fn)(void *, const struct pdb_record *), void *arg, int *ended,
    struct pdb_err *e)
{
	static const char sql[] = "SELECT seq, event, created_ms, size,"
	    " identity, keys, new_image, old_image FROM records"
	    " WHERE stream = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3";
	int64_t cutoff = pdb_db_now_ms(db) - pdb_db_retention_ms(db);
	int64_t bytes = 0, horizon;
	struct pdb_record r;
	sqlite3_stmt *st;
	int rc, n = 0;

	/* The stream's state now: trimming and disabling move on. */
	if (pdb_stream_find(db, it->stream.arn, &it->stream, e) != PDB_OK)
		return e->status;
	if (it->pos < it->stream.trimmed_seq)
		return trimmed(e);
	if ((st = pdb_db_stmt(db, sql, e)) == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, it->stream.id);
	sqlite3_bind_int64(st, 2, it->pos);
	sqlite3_bind_int(st, 3, limit);
	/* An expired first record: the position is trimmed if it lies before
	 * the horizon (a live record may precede it when a writer's clock
	 * went back). */
	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_int64(st, 2) < cutoff) {
		if (pdb_stream_horizon(db, &it->stream, &horizon, e) !=
		    PDB_OK) {
			sqlite3_reset(st);
			return e->status;
		}
		if (it->pos < horizon) {
			sqlite3_reset(st);
			return trimmed(e);
		}
	}
	for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		/* About 1 MB a page, but always at least one record. */
		if ((bytes += row_bytes(st)) > PDB_PAGE_BYTES_MAX && n > 0)
			break;
		from_row(&r, st);
		it->pos = r.seq;
		n++;
		if (fn(arg, &r) != 0)
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read stream records");
	/* A closed shard is at its end when nothing follows the page: also
	 * an empty one, whose EndingSequenceNumber holds no record. */
	*ended = it->stream.end_seq != 0 && rc == SQLITE_DONE && n < limit;
	return PDB_OK;
}

int
pdb_read_page(struct pdb_db *db, struct pdb_iter *it, int limit,
    int (*fn)(void *, const struct pdb_record *), void *arg, int *ended,
    struct pdb_err *e)
{
	int rc;

	*ended = 0;
	/* One snapshot: a trim committed between reading the horizon and
	 * the records must not skip records unnoticed. */
	if (pdb_db_begin_read(db, e) != PDB_OK)
		return e->status;
	rc = read_records(db, it, limit, fn, arg, ended, e);
	pdb_db_rollback(db);
	return rc;
}

unsigned
pdb_read_event_mask(const char *list)
{
	char buf[64], *tok, *save = NULL;
	unsigned mask = 0;
	int ev;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		for (ev = PDB_EVENT_INSERT; ev <= PDB_EVENT_REMOVE; ev++)
			if (strcmp(tok, pdb_event_name(ev)) == 0)
				break;
		if (ev > PDB_EVENT_REMOVE)
			return 0;
		mask |= PDB_EVENT_BIT(ev);
	}
	return mask;
}

/* splitmix64's finaliser: a bijection, so distinct records get distinct
 * eventIDs without storing any. */
static uint64_t
mix(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void
put_hex(char *o, uint64_t v)
{
	int shift;

	for (shift = 60; shift >= 0; shift -= 4)
		*o++ = "0123456789abcdef"[(v >> shift) & 15];
}

void
pdb_record_put(struct pdb_buf *b, struct pdb_db *db,
    const struct pdb_stream *s, const struct pdb_record *r, int lambda)
{
	uint64_t salt = pdb_db_salt(db), id = mix((uint64_t)r->seq ^ salt);
	char *o;

	/* Built without printf: this is the drain's inner loop. */
	pdb_buf_puts(b, "{\"eventID\":\"");
	if ((o = pdb_buf_reserve(b, 32)) != NULL) {
		put_hex(o, id);
		put_hex(o + 16, mix(id ^ salt));
		b->len += 32;
	}
	pdb_buf_puts(b, "\",\"eventName\":\"");
	pdb_buf_puts(b, pdb_event_name(r->event));
	pdb_buf_puts(b, "\",\"eventVersion\":\"1.1\",\"eventSource\":"
	    "\"aws:dynamodb\",\"awsRegion\":");
	pdb_buf_put_json_string(b, pdb_db_region(db), strlen(pdb_db_region(db)));
	pdb_buf_puts(b, ",\"dynamodb\":{\"ApproximateCreationDateTime\":");
	pdb_buf_put_uint(b, (uint64_t)(r->created_ms / 1000), 0);
	pdb_buf_puts(b, ",\"Keys\":");
	pdb_buf_put(b, r->keys, r->keys_len);
	if (r->new_image != NULL) {
		pdb_buf_puts(b, ",\"NewImage\":");
		pdb_buf_put(b, r->new_image, r->new_len);
	}
	if (r->old_image != NULL) {
		pdb_buf_puts(b, ",\"OldImage\":");
		pdb_buf_put(b, r->old_image, r->old_len);
	}
	pdb_buf_puts(b, ",\"SequenceNumber\":\"");
	pdb_buf_put_uint(b, (uint64_t)r->seq, PDB_SEQ_DIGITS);
	pdb_buf_puts(b, "\",\"SizeBytes\":");
	pdb_buf_put_uint(b, (uint64_t)r->size, 0);
	pdb_buf_puts(b, ",\"StreamViewType\":\"");
	pdb_buf_puts(b, pdb_view_name(s->view));
	pdb_buf_puts(b, "\"}");
	if (r->service)
		pdb_buf_puts(b, lambda ? ",\"userIdentity\":{\"type\":"
		    "\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}" :
		    ",\"userIdentity\":{\"Type\":\"Service\",\"PrincipalId\":"
		    "\"dynamodb.amazonaws.com\"}");
	if (lambda) {
		pdb_buf_puts(b, ",\"eventSourceARN\":");
		pdb_buf_put_json_string(b, s->arn, strlen(s->arn));
	}
	pdb_buf_putc(b, '}');
}

struct pdb_watch {
	int fd;			/* inotify, or -1 */
	int wd;
	char wal[PATH_MAX];
};

int
pdb_watch_open(struct pdb_watch **out, const char *dbpath, struct pdb_err *e)
{
	struct pdb_watch *w = calloc(1, sizeof(*w));

	if ((*out = w) == NULL)
		return pdb_err_set(e, PDB_E_SYSTEM, "out of memory");
	snprintf(w->wal, sizeof(w->wal), "%s-wal", dbpath);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	w->wd = -1;
	return PDB_OK;
}

/* The WAL file may come and go; (re)attach when it is there. */
static void
attach(struct pdb_watch *w)
{
	if (w->fd >= 0 && w->wd < 0)
		w->wd = inotify_add_watch(w->fd, w->wal, IN_MODIFY |
		    IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB);
}

static void
drain(struct pdb_watch *w)
{
	char buf[4096] __attribute__((aligned(8)));
	const struct inotify_event *ev;
	ssize_t n;
	char *p;

	while ((n = read(w->fd, buf, sizeof(buf))) > 0)
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(void *)p;
			if (ev->mask & (IN_IGNORED | IN_DELETE_SELF |
			    IN_MOVE_SELF))
				w->wd = -1;
		}
}

int
pdb_watch_wait(struct pdb_watch *w, int timeout_ms, int fd)
{
	struct pollfd p[2] = { { .fd = -1 }, { .fd = fd } };
	int n;

	attach(w);
	p[0].fd = w->wd >= 0 ? w->fd : -1;
	p[0].events = POLLIN;
	/* events 0: poll still reports POLLERR and POLLHUP for fd. */
	if ((n = poll(p, 2, timeout_ms)) < 0)
		return errno == EINTR ? -1 : 0;
	if (p[0].revents & POLLIN) {
		drain(w);
		n = PDB_WATCH_COMMIT;
	} else
		n = 0;
	if (fd >= 0 && (p[1].revents & (POLLERR | POLLHUP)))
		n |= PDB_WATCH_HANGUP;
	return n;
}

void
pdb_watch_close(struct pdb_watch *w)
{
	if (w == NULL)
		return;
	if (w->fd >= 0)
		close(w->fd);
	free(w);
}
