/*
 * read.h — reading a shard: GetRecords pages from an iterator, records
 * printed exactly as DynamoDB Streams returns them (stored Keys and images
 * spliced in as text, never parsed again), and waiting for the next commit
 * of another process.
 *
 * A struct pdb_record borrows its text from the page being read: it is
 * valid only during the callback.  A watch is owned by its caller.
 */
#ifndef PDB_READ_H
#define PDB_READ_H

#include <stdint.h>
#include <stdio.h>

#include "pdb/buf.h"
#include "pdb/iter.h"

#define PDB_PAGE_RECORDS_MAX 1000
#define PDB_PAGE_BYTES_MAX (1024 * 1024)

struct pdb_record {
	int64_t seq;
	int event;		/* enum pdb_event */
	int64_t created_ms;
	int64_t size;
	int service;		/* a TTL deletion */
	const char *keys, *new_image, *old_image;	/* NULL when absent */
	size_t keys_len, new_len, old_len;
};

/*
 * One GetRecords call: up to limit records after it->pos (at most 1000 and
 * about 1 MB), each passed to fn; it->pos moves past them.  *ended is set
 * when the shard is closed and read to its end (no NextShardIterator).
 * TrimmedDataAccessException when it->pos is older than the trim horizon.
 * fn returning non-0 stops the page after that record.
 */
int pdb_read_page(struct pdb_db *db, struct pdb_iter *it, int limit,
    int (*fn)(void *, const struct pdb_record *), void *arg, int *ended,
    struct pdb_err *e);

/* The bit of an event in an event mask (1 << event). */
#define PDB_EVENT_BIT(ev) (1u << (ev))
/* Parse "INSERT,MODIFY,REMOVE" into a mask; 0 if a name is unknown. */
unsigned pdb_read_event_mask(const char *list);

/* Append r to b as one Record object (no newline).  With lambda, the
 * record carries eventSourceARN and Lambda's lower-case userIdentity. */
void pdb_record_put(struct pdb_buf *b, struct pdb_db *db,
    const struct pdb_stream *s, const struct pdb_record *r, int lambda);

struct pdb_watch;

/* Watch the database's write-ahead log for other processes' commits. */
int pdb_watch_open(struct pdb_watch **out, const char *dbpath,
    struct pdb_err *e);
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
void pdb_watch_close(struct pdb_watch *w);

#endif
