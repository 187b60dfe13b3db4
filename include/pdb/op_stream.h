/*
 * op_stream.h — the DynamoDB Streams operations as both front ends call
 * them: ListStreams, DescribeStream, GetShardIterator and GetRecords.
 * Records are passed to a callback while the page is read; their text is
 * borrowed for the callback's duration.
 */
#ifndef PDB_OP_STREAM_H
#define PDB_OP_STREAM_H

#include "pdb/iter.h"

#define PDB_PAGE_RECORDS_MAX 1000
#define PDB_PAGE_BYTES_MAX (1024 * 1024)
#define PDB_LIST_STREAMS_MAX 100
#define PDB_DESCRIBE_SHARDS_MAX 100
/* The records one GetRecords call on a shard looks at, its own and its
 * siblings' (a shard is read through its stream's records). */
#define PDB_PAGE_SCAN_MAX 20000

/*
 * ListStreams: the streams of table (NULL: all), newest first, after the
 * stream start_arn (NULL: from the newest), at most limit (1..100, 0: no
 * limit), each to fn; last (PDB_ARN_MAX bytes) gets the last stream's ARN
 * when more follow, else "".  Enabled streams, and disabled ones that
 * still hold records within retention.
 */
int pdb_op_list_streams(struct pdb_db *db, const char *table,
    const char *start_arn, int limit,
    int (*fn)(void *, const struct pdb_stream *), void *arg, char *last,
    struct pdb_err *e);

/* A DescribeStream request. */
struct pdb_describe_stream {
	const char *target;	/* the ARN (or, for the command line, table) */
	int limit_given;
	long long limit;	/* Limit, 1..100 */
	const char *start;	/* ExclusiveStartShardId, or NULL */
	int filter;		/* a ShardFilter was given: */
	const char *filter_type;	/* its Type (CHILD_SHARDS), or NULL */
	const char *filter_shard;	/* its ShardId, or NULL */
};

/*
 * DescribeStream: the stream into s, and its shards, parents before
 * children, each to fn: at most limit (all when 0 on the command line,
 * where all is the default: all_by_default), after the shard start,
 * children of filter_shard only.  last (PDB_SHARD_MAX bytes) gets the
 * LastEvaluatedShardId when more follow, else "".  A closed shard is
 * listed until retention passes its closing.  DynamoDB's
 * ValidationExceptions for the members.
 */
int pdb_op_describe_stream(struct pdb_db *db,
    const struct pdb_describe_stream *rq, int all_by_default,
    struct pdb_stream *s, int (*fn)(void *, const struct pdb_shard *),
    void *arg, char *last, struct pdb_err *e);

/* GetShardIterator: the token (PDB_ITER_MAX + 1 bytes) for the stream's
 * shard; see pdb_iter_start. */
int pdb_op_get_iterator(struct pdb_db *db, const char *table_or_arn,
    const char *shard, enum pdb_iter_type type, const char *seq,
    char *token, struct pdb_err *e);

/*
 * One GetRecords page after it->pos, read in one snapshot: up to limit
 * records (1..1000) and about 1 MB, each passed to fn with the stream;
 * it->pos moves past each.  fn returning non-0 ends the page after that
 * record.  *ended is set when the shard is closed and read to its end.
 * TrimmedDataAccessException when it->pos is before the trim horizon.
 */
int pdb_op_records_page(struct pdb_db *db, struct pdb_iter *it, int limit,
    int (*fn)(void *, const struct pdb_stream *, const struct pdb_record *),
    void *arg, int *ended, struct pdb_err *e);

/* GetRecords from a token: the page as above, and in next the
 * NextShardIterator, or "" when the shard is closed and read to its end.
 * A bad limit is DynamoDB's ValidationException. */
int pdb_op_get_records(struct pdb_db *db, const char *token, int limit,
    int (*fn)(void *, const struct pdb_stream *, const struct pdb_record *),
    void *arg, char *next, struct pdb_err *e);

/* Which operation's Limit pdb_op_stream_limit checks. */
enum pdb_stream_limit {
	PDB_LIMIT_LIST_STREAMS,
	PDB_LIMIT_DESCRIBE_STREAM,
	PDB_LIMIT_GET_RECORDS
};

/* A Limit of ListStreams, DescribeStream (1..100) or GetRecords
 * (1..1000): ValidationException, in DynamoDB's words, when out of range. */
int pdb_op_stream_limit(enum pdb_stream_limit which, long long limit,
    struct pdb_err *e);

/* GetRecords' Limit from its text; DynamoDB's ValidationException when it
 * is not a whole number from 1 to 1000. */
int pdb_op_records_limit(const char *s, int *limit, struct pdb_err *e);

#endif
