/*
 * watch.h — waiting for another process's commit to a database: inotify
 * on its write-ahead log, which may come and go, and a check that the
 * database file is still the one that was opened.  A watch is owned by
 * its caller (pdb_watch_close).
 */
#ifndef PDB_WATCH_H
#define PDB_WATCH_H

#include "pdb/error.h"

struct pdb_watch;

int pdb_watch_open(struct pdb_watch **out, const char *dbpath,
    struct pdb_err *e);
void pdb_watch_close(struct pdb_watch *w);

enum {
	PDB_WATCH_COMMIT = 1,	/* the log changed: a commit may be visible */
	PDB_WATCH_HANGUP = 2	/* fd reported an error or hang-up */
};

/*
 * Wait until a commit may have happened or timeout_ms passes; also returns
 * early when fd (e.g. stdout; -1 for none) reports an error or hang-up.
 * Returns PDB_WATCH_* bits, 0 on timeout, -1 when a signal interrupted.
 */
int pdb_watch_wait(struct pdb_watch *w, int timeout_ms, int fd);

/* The database file was deleted or replaced since the watch was opened:
 * 0, or PDB_E_SYSTEM with a message. */
int pdb_watch_check_file(struct pdb_watch *w, struct pdb_err *e);

#endif
