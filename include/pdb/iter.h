/*
 * iter.h — finding streams, their trim horizon, and shard iterators,
 * shaped like AWS's "<StreamArn>|1|<opaque>".  The opaque part names the
 * shard, the position as an exclusive sequence number (never a row
 * position, so trimming cannot shift it) and the time the iterator was
 * issued; a checksum keyed by the database catches tampering and typos.
 */
#ifndef PDB_ITER_H
#define PDB_ITER_H

#include <stdint.h>

#include "pdb/catalog.h"
#include "pdb/db.h"

#define PDB_ITER_MAX 2048
#define PDB_ITER_TTL_MS (15 * 60 * 1000)

enum pdb_iter_type {
	PDB_ITER_TRIM_HORIZON,
	PDB_ITER_LATEST,
	PDB_ITER_AT_SEQUENCE_NUMBER,
	PDB_ITER_AFTER_SEQUENCE_NUMBER
};

/* An iterator on one shard, or (shard.id 0, a pdb extension for the
 * command line) on the whole stream, every shard in sequence order. */
struct pdb_iter {
	struct pdb_stream stream;
	struct pdb_shard shard;	/* shard.id 0: the whole stream */
	int64_t pos;		/* the next record read has seq > pos */
	int64_t issued_ms;
};

/* A table's latest stream (by name, also after the table was deleted)
 * or the stream with this ARN; ResourceNotFoundException when there is
 * none. */
int pdb_stream_find(struct pdb_db *db, const char *table_or_arn,
    struct pdb_stream *s, struct pdb_err *e);
/* The same, with GetShardIterator's text for a stream that is not
 * there: "Stream does not exist", not DescribeStream's, which names it. */
int pdb_stream_find_to_iterate(struct pdb_db *db, const char *table_or_arn,
    struct pdb_stream *s, struct pdb_err *e);

/* The newest sequence number past retention (the trim horizon), or the
 * position just before the first one of the iterator's shard (or
 * stream).  Records up to it are gone for readers. */
int pdb_iter_horizon(struct pdb_db *db, const struct pdb_iter *it,
    int64_t *horizon, struct pdb_err *e);

/* The newest sequence number of the stream: its last record, or its
 * EndingSequenceNumber once disabled; one before its first when it has
 * none. */
int pdb_stream_last(struct pdb_db *db, const struct pdb_stream *s,
    int64_t *last, struct pdb_err *e);

/* The shard of stream s called id, as readers see it: one closed longer
 * ago than retention is gone.  ResourceNotFoundException ("Shard does not
 * exist") when there is none. */
int pdb_shard_find(struct pdb_db *db, const struct pdb_stream *s,
    const char *id, struct pdb_shard *sh, struct pdb_err *e);

/* The id of the shard in row (PDB_SHARD_MAX bytes), for a record's
 * shard. */
int pdb_shard_id_of(struct pdb_db *db, int64_t row, char *out,
    struct pdb_err *e);

/* The type named s ("LATEST", ...), or -1. */
int pdb_iter_type_parse(const char *s);

/*
 * GetShardIterator: position it on the stream's shard called shard (NULL:
 * on the whole stream) for type and, with the *_SEQUENCE_NUMBER types,
 * seq.  ResourceNotFoundException for an unknown shard,
 * ValidationException for a sequence number outside the shard or of
 * another shard's record, TrimmedDataAccessException for one past
 * retention.
 */
int pdb_iter_start(struct pdb_db *db, const struct pdb_stream *s,
    const char *shard, enum pdb_iter_type type, const char *seq,
    struct pdb_iter *it, struct pdb_err *e);

/* The token for it, issued now, into out (PDB_ITER_MAX + 1 bytes). */
void pdb_iter_encode(struct pdb_db *db, struct pdb_iter *it, char *out);

/* Read a token back: ValidationException if malformed, ResourceNotFound
 * for an unknown stream or shard, ExpiredIteratorException 15 minutes
 * after it was issued. */
int pdb_iter_decode(struct pdb_db *db, const char *token, struct pdb_iter *it,
    struct pdb_err *e);

#endif
