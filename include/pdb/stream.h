/*
 * stream.h — reading streams: finding one by table or ARN, ListStreams
 * entries and StreamDescriptions, shard iterators, GetRecords pages, and
 * printing records exactly as DynamoDB Streams returns them.
 *
 * Structs here are plain values the caller owns; json_t results are new
 * references.
 */
#ifndef PDB_STREAM_H
#define PDB_STREAM_H

#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "pdb/db.h"
#include "pdb/key.h"
#include "pdb/table.h"

#define PDB_SEQ_DIGITS 21
#define PDB_SHARD_MAX 64
#define PDB_ITER_MAX 2048
#define PDB_ITER_TTL_MS (15 * 60 * 1000)

struct pdb_stream {
	int64_t id;
	char table[PDB_NAME_MAX];
	char arn[PDB_ARN_MAX];
	char label[PDB_LABEL_LEN];
	char shard[PDB_SHARD_MAX];
	enum pdb_view view;
	int64_t created_ms;
	int64_t start_seq;
	int64_t end_seq;	/* 0 while the shard is open */
	int64_t trimmed_seq;	/* newest record deleted by retention */
	int enabled;
	struct pdb_keyschema ks;
};

/* A table's latest stream (by name) or the stream with this ARN.
 * ResourceNotFoundException when there is none. */
int pdb_stream_find(struct pdb_db *db, const char *table_or_arn,
    struct pdb_stream *s, struct pdb_err *e);

/* Call fn for each listed stream, newest first: enabled ones, and disabled
 * ones that still hold records within retention.  table may be NULL. */
int pdb_stream_list(struct pdb_db *db, const char *table,
    int (*fn)(void *, const struct pdb_stream *), void *arg,
    struct pdb_err *e);

/* A ListStreams entry {StreamArn, TableName, StreamLabel}. */
json_t *pdb_stream_entry(const struct pdb_stream *s);
/* DescribeStream's StreamDescription. */
json_t *pdb_stream_description(const struct pdb_stream *s);

/* The newest sequence number past retention (the trim horizon), or the
 * position just before the shard's first one.  Records up to it are gone. */
int pdb_stream_horizon(struct pdb_db *db, const struct pdb_stream *s,
    int64_t *horizon, struct pdb_err *e);

/* Print a sequence number as DynamoDB does: 21 digits, zero-padded. */
void pdb_seq_format(int64_t seq, char out[PDB_SEQ_DIGITS + 1]);
/* Parse a sequence number (digits only); -1 if malformed, INT64_MAX
 * when larger than any. */
int64_t pdb_seq_parse(const char *s);

#endif
