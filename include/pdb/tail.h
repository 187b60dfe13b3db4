/*
 * tail.h — pdb-stream-tail's work: position a reader (an iterator token, a
 * checkpoint file or a --from position), then print records as JSON lines,
 * Lambda event batches or one GetRecords page; drain and stop, or follow
 * new commits until told to stop.
 */
#ifndef PDB_TAIL_H
#define PDB_TAIL_H

#include <signal.h>
#include <stdio.h>

#include "pdb/db.h"

struct pdb_tail {
	const char *dbpath;	/* watched for commits when following */
	const char *target;	/* TABLE or stream ARN, or NULL */
	const char *iterator;	/* a shard iterator token, or NULL */
	const char *from;	/* trim-horizon, latest, at:SEQ, after:SEQ */
	const char *shard;	/* NULL: the stream's shard */
	const char *checkpoint;	/* file to resume from and update, or NULL */
	long long count;	/* stop after this many records; 0: no limit */
	int limit;		/* page size, 1..1000 */
	unsigned events;	/* PDB_EVENT_BIT mask of events to print */
	int follow, page, lambda;
	int out_fd;		/* where records go, written a page at a time */
	volatile sig_atomic_t *stop;	/* set by a signal handler */
};

/* Run it; messages for the user other than errors (a follower's stream was
 * disabled) go to stderr.  Returns a pdb_status. */
int pdb_tail_run(struct pdb_db *db, const struct pdb_tail *t,
    struct pdb_err *e);

#endif
