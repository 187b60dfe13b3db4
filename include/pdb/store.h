/*
 * store.h — the only code that speaks SQL: one set of functions per table
 * of the database (tables, streams, shards, items, records, tokens).  Each runs in the
 * caller's transaction, decides nothing DynamoDB would decide, and
 * reports SQLite failures as PDB_E_SYSTEM.
 *
 * Text handed to a callback is borrowed for the callback's duration; a
 * struct pdb_stored owns its buffer (pdb_stored_free).
 */
#ifndef PDB_STORE_H
#define PDB_STORE_H

#include <stdint.h>

#include "pdb/buf.h"
#include "pdb/catalog.h"
#include "pdb/db.h"
#include "pdb/key.h"

/* tables */

int pdb_store_table_insert(struct pdb_db *db, const char *name,
    const struct pdb_keyschema *ks, const char *table_id, int64_t created_ms,
    const char *extra_json, struct pdb_err *e);
/* The catalog's version: a number the file's triggers raise with every
 * change to tables, indexes, streams or shards that a struct pdb_table
 * shows (not with the counters writes keep), in any process. */
int pdb_store_catalog_version(struct pdb_db *db, int64_t *version,
    struct pdb_err *e);
/* ResourceNotFoundException when there is no such table. */
int pdb_store_table_get(struct pdb_db *db, const char *name,
    struct pdb_table *t, struct pdb_err *e);
/* Each table name after after (NULL: from the first) in order, until fn
 * returns non-0. */
int pdb_store_table_list(struct pdb_db *db, const char *after,
    int (*fn)(void *, const char *), void *arg, struct pdb_err *e);
/* The table's row and every item of it. */
int pdb_store_table_delete(struct pdb_db *db, int64_t id, struct pdb_err *e);
/* The number of items and the sum of their sizes. */
int pdb_store_table_stats(struct pdb_db *db, int64_t id, int64_t *count,
    int64_t *bytes, struct pdb_err *e);
/* The members kept from the CreateTable request, as JSON text (malloc'd). */
int pdb_store_table_extra(struct pdb_db *db, int64_t id, char **json,
    struct pdb_err *e);
int pdb_store_table_set_extra(struct pdb_db *db, int64_t id,
    const char *json, struct pdb_err *e);
/* The table's TTL attribute; "" turns TTL off. */
int pdb_store_table_set_ttl(struct pdb_db *db, int64_t id, const char *attr,
    struct pdb_err *e);

/* streams */

/* The creation time of the table's newest stream, or 0. */
int pdb_store_stream_newest(struct pdb_db *db, const char *table,
    int64_t *created_ms, struct pdb_err *e);
/* Insert s (its id is set) as the table's latest stream, starting at the
 * next sequence number. */
int pdb_store_stream_insert(struct pdb_db *db, int64_t table_id,
    struct pdb_stream *s, struct pdb_err *e);
/* Disable the stream, its EndingSequenceNumber its last record (its
 * shards are closed apart: pdb_store_shard_close). */
int pdb_store_stream_disable(struct pdb_db *db, int64_t id,
    struct pdb_err *e);
/* A table's latest stream (by name) or the stream with an ARN (arn:...);
 * PDB_E_NOT_FOUND when there is none. */
int pdb_store_stream_find(struct pdb_db *db, const char *table_or_arn,
    struct pdb_stream *s, struct pdb_err *e);
int pdb_store_stream_get(struct pdb_db *db, int64_t id, struct pdb_stream *s,
    struct pdb_err *e);
/* Each stream of table (NULL: all) that is enabled or holds a record
 * created at cutoff_ms or later, newest first, until fn returns non-0. */
int pdb_store_stream_list(struct pdb_db *db, const char *table,
    int64_t cutoff_ms, int (*fn)(void *, const struct pdb_stream *),
    void *arg, struct pdb_err *e);

/* The stream's automatic triggers (0: none). */
int pdb_store_stream_set_triggers(struct pdb_db *db, int64_t id,
    int64_t roll_every_ms, int64_t split_after, struct pdb_err *e);

/* shards */

/* Insert sh (its id is set) starting at the next sequence number. */
int pdb_store_shard_insert(struct pdb_db *db, struct pdb_shard *sh,
    struct pdb_err *e);
/* Close the open shard id at closed_ms, ending at its last record (its
 * start when it has none). */
int pdb_store_shard_close(struct pdb_db *db, int64_t id, int64_t closed_ms,
    struct pdb_err *e);
/* The stream's open shards by lo, into a new array *out of *n. */
int pdb_store_shard_open(struct pdb_db *db, int64_t stream,
    struct pdb_shard **out, int *n, struct pdb_err *e);
/* Each shard of stream after row after (0: from the first), children of
 * row parent only (0: all), open or closed at cutoff_ms or later, in
 * creation order (parents first), until fn returns non-0. */
int pdb_store_shard_list(struct pdb_db *db, int64_t stream, int64_t after,
    int64_t parent, int64_t cutoff_ms,
    int (*fn)(void *, const struct pdb_shard *), void *arg,
    struct pdb_err *e);
/* The shard of stream called shard_id, or the one in row id;
 * PDB_E_NOT_FOUND when there is none. */
int pdb_store_shard_find(struct pdb_db *db, int64_t stream,
    const char *shard_id, struct pdb_shard *sh, struct pdb_err *e);
int pdb_store_shard_get(struct pdb_db *db, int64_t id, struct pdb_shard *sh,
    struct pdb_err *e);
/* Count one more record into shard id; *records gets the new count. */
int pdb_store_shard_count(struct pdb_db *db, int64_t id, int64_t *records,
    struct pdb_err *e);

/* items */

/* An item row as read for a write: found or not, its row, size, text. */
struct pdb_stored {
	int found;
	int64_t rowid;
	int64_t size;
	struct pdb_buf text;	/* NUL-terminated when found */
};
void pdb_stored_free(struct pdb_stored *s);

int pdb_store_item_get(struct pdb_db *db, int64_t tbl,
    const unsigned char *key, size_t keylen, struct pdb_stored *out,
    struct pdb_err *e);
/* Insert or replace the item with key; expiry as ttl.h says (0: none).
 * *rowid (if not NULL) gets the row of an item inserted. */
int pdb_store_item_put(struct pdb_db *db, int64_t tbl,
    const unsigned char *key, size_t keylen, int64_t size, const char *text,
    int64_t expiry, int64_t *rowid, struct pdb_err *e);
struct pdb_row {
	int64_t size;
	const char *text;
	size_t len;
	int64_t id;	/* the item's row */
};
/* Each item whose key lies in r, in key order (or reversed), until fn
 * returns non-0. */
int pdb_store_item_range(struct pdb_db *db, int64_t tbl,
    const struct pdb_key_range *r, int reverse,
    int (*fn)(void *, const struct pdb_row *), void *arg, struct pdb_err *e);
/* Give every item of the table the expiry fn computes from its text
 * (fn NULL: none). */
int pdb_store_item_set_expiries(struct pdb_db *db, int64_t tbl,
    int64_t (*fn)(void *, const char *, size_t), void *arg,
    struct pdb_err *e);
/* Up to limit items of the table whose expiry lies in (after, upto], the
 * soonest first, each to fn until it returns non-0. */
int pdb_store_item_due(struct pdb_db *db, int64_t tbl, int64_t after,
    int64_t upto, int limit, int (*fn)(void *, const struct pdb_row *),
    void *arg, struct pdb_err *e);
int pdb_store_item_delete(struct pdb_db *db, int64_t rowid,
    struct pdb_err *e);

/* indexes: the catalog of a table's secondary indexes, and their rows.
 * An index row's key is the index key's encoding then the table key's. */

int pdb_store_index_insert(struct pdb_db *db, int64_t tbl,
    const struct pdb_index *ix, int64_t created_ms, struct pdb_err *e);
/* t's indexes (t->id set), in creation order, into t (replacing any). */
int pdb_store_index_load(struct pdb_db *db, struct pdb_table *t,
    struct pdb_err *e);
/* The index and its rows. */
int pdb_store_index_drop(struct pdb_db *db, int64_t idx, struct pdb_err *e);
/* Point the index row key at the item in row item, of projected size. */
int pdb_store_index_put(struct pdb_db *db, int64_t idx,
    const unsigned char *key, size_t keylen, int64_t item, int64_t size,
    struct pdb_err *e);
int pdb_store_index_remove(struct pdb_db *db, int64_t idx,
    const unsigned char *key, size_t keylen, struct pdb_err *e);
/* Each index row whose key lies in r, in key order (or reversed): its
 * size and its whole item's text, until fn returns non-0. */
int pdb_store_index_range(struct pdb_db *db, int64_t idx,
    const struct pdb_key_range *r, int reverse,
    int (*fn)(void *, const struct pdb_row *), void *arg, struct pdb_err *e);
/* The number of rows and the sum of their sizes. */
int pdb_store_index_stats(struct pdb_db *db, int64_t idx, int64_t *count,
    int64_t *bytes, struct pdb_err *e);

/* records */

/* Append r (its seq is set) to stream. */
int pdb_store_record_append(struct pdb_db *db, int64_t stream,
    struct pdb_record *r, struct pdb_err *e);
/* Delete the oldest records up to the first one created at cutoff_ms or
 * later, a bounded batch at a time, remembering per stream the newest
 * deleted.  Cheap when there is nothing to do. */
int pdb_store_record_trim(struct pdb_db *db, int64_t cutoff_ms,
    struct pdb_err *e);
/* Up to limit records of stream numbered after after up to upto, in
 * order, until fn returns non-0; *exhausted is set when no record of the
 * range followed the last one passed. */
int pdb_store_record_each(struct pdb_db *db, int64_t stream, int64_t after,
    int64_t upto, int limit, int (*fn)(void *, const struct pdb_record *),
    void *arg, int *exhausted, struct pdb_err *e);
/* The shard row of record seq of stream, or 0 when there is no such
 * record. */
int pdb_store_record_shard(struct pdb_db *db, int64_t stream, int64_t seq,
    int64_t *shard, struct pdb_err *e);
/* The stream's newest sequence number, or none_seq when it has none. */
int pdb_store_record_last(struct pdb_db *db, int64_t stream, int64_t none_seq,
    int64_t *last, struct pdb_err *e);
/* Starting after after, the last record of the stream's run of records
 * created before cutoff_ms (after itself when there is none). */
int pdb_store_record_expired(struct pdb_db *db, int64_t stream,
    int64_t after, int64_t cutoff_ms, int64_t *last, struct pdb_err *e);

/* tokens */

/* The request bound to token at since_ms or later (malloc'd), or NULL. */
int pdb_store_token_get(struct pdb_db *db, const char *token,
    int64_t since_ms, char **request, struct pdb_err *e);
/* Bind token to request at at_ms, and forget tokens bound before
 * since_ms. */
int pdb_store_token_put(struct pdb_db *db, const char *token,
    const char *request, int64_t at_ms, int64_t since_ms, struct pdb_err *e);

#endif
