/*
 * consume.h — the stream consumer loop: position a reader (an iterator
 * token, a checkpoint file or a --from position), then read page after
 * page, drain and stop or follow new commits until told to stop, and keep
 * the checkpoint only past records the front end says it delivered.
 * What a record looks like and where it goes is the front end's.
 */
#ifndef PDB_CONSUME_H
#define PDB_CONSUME_H

#include <signal.h>
#include <stdint.h>

#include "pdb/op_stream.h"

struct pdb_consumer {
	const char *dbpath;	/* watched for commits when following */
	const char *target;	/* TABLE or stream ARN, or NULL */
	const char *iterator;	/* a shard iterator token, or NULL */
	const char *from;	/* trim-horizon, latest, at:SEQ, after:SEQ */
	const char *shard;	/* NULL: the stream's shard */
	const char *checkpoint;	/* file to resume from and update, or NULL */
	int limit;		/* page size, 1..1000 */
	int follow;
	int hangup_fd;		/* stop when it hangs up (stdout), or -1 */
	volatile sig_atomic_t *stop;	/* set by a signal handler */
	/* Each record of a page while it is read; non-0 when the consumer
	 * has had enough: the page ends after it, the loop after the page. */
	int (*record)(void *arg, const struct pdb_stream *s,
	    const struct pdb_record *r);
	/* After a page that read records up to read_to: deliver what
	 * record() gathered.  *covered gets the number the checkpoint may
	 * cover: read_to when all was delivered; when delivery failed part
	 * way (non-0 returned, e filled), the last record delivered whole,
	 * or -1. */
	int (*flush)(void *arg, int64_t read_to, int64_t *covered,
	    struct pdb_err *e);
	/* A follower's stream was disabled and read to its end. */
	void (*ended)(void *arg, const struct pdb_stream *s);
	void *arg;
};

/* Where c starts reading: its iterator, its checkpoint, or its --from
 * position. */
int pdb_consume_position(struct pdb_db *db, const struct pdb_consumer *c,
    struct pdb_iter *it, struct pdb_err *e);

/* Replace the checkpoint file with pos, atomically (a new file renamed
 * over it): a reader killed at any moment leaves the old or the new. */
int pdb_checkpoint_write(const char *file, int64_t pos, struct pdb_err *e);

/*
 * A follower's wait, on w (watch.h), for a commit to db after its
 * data_version was seen: PDB_OK when one may be visible or timeout_ms
 * (-1: none) passed; PDB_NEGATIVE, quietly, when *stop is set, a signal
 * interrupted or hangup_fd (-1: none) hung up; else an error.
 */
struct pdb_watch;
int pdb_consume_wait(struct pdb_db *db, struct pdb_watch *w, int64_t seen,
    int timeout_ms, int hangup_fd, volatile sig_atomic_t *stop,
    struct pdb_err *e);

/* Run c until drained, stopped or failed; returns a pdb_status. */
int pdb_consume(struct pdb_db *db, const struct pdb_consumer *c,
    struct pdb_err *e);

#endif
