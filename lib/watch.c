/* watch.c — waiting for other processes' commits to a database file. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdb/watch.h"

struct pdb_watch {
	int fd;			/* inotify, or -1 */
	int wd;
	char wal[PATH_MAX];
	char path[PATH_MAX];
	dev_t dev;		/* the database file when opened */
	ino_t ino;
};

int
pdb_watch_open(struct pdb_watch **out, const char *dbpath, struct pdb_err *e)
{
	struct pdb_watch *w = calloc(1, sizeof(*w));
	struct stat sb;

	if ((*out = w) == NULL)
		return pdb_err_system(e, "out of memory");
	snprintf(w->wal, sizeof(w->wal), "%s-wal", dbpath);
	snprintf(w->path, sizeof(w->path), "%s", dbpath);
	if (stat(dbpath, &sb) == 0) {
		w->dev = sb.st_dev;
		w->ino = sb.st_ino;
	}
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

int
pdb_watch_check_file(struct pdb_watch *w, struct pdb_err *e)
{
	struct stat sb;

	if (stat(w->path, &sb) != 0)
		return pdb_err_system(e, "%s: the database file is gone: %s",
		    w->path, strerror(errno));
	if (sb.st_dev != w->dev || sb.st_ino != w->ino)
		return pdb_err_system(e, "%s: the database file was replaced "
		    "by another", w->path);
	return PDB_OK;
}
