/*
 * shard.h — a stream's shards: the hash that places a partition key in a
 * shard, deterministic shard ids, and opening, rolling, splitting and
 * closing shards inside the caller's write transaction.
 *
 * A shard covers lo..hi of pdb_shard_hash of the encoded partition key;
 * the open shards of a stream cover 0..UINT32_MAX without overlap.  A
 * parent is closed in the transaction that opens its children, so all of
 * a parent's records come before all of its children's.
 */
#ifndef PDB_SHARD_H
#define PDB_SHARD_H

#include <stddef.h>
#include <stdint.h>

#include "pdb/catalog.h"
#include "pdb/db.h"

#define PDB_SHARDS_MAX 1000	/* --shards N, at a stream's creation */

enum pdb_shard_change {
	PDB_SHARD_ROLL,		/* one child over the same range */
	PDB_SHARD_SPLIT		/* two children over the halves */
};

/* FNV-1a (32 bits) of the n bytes of key, then murmur3's fmix32, so that
 * the high bits, which the ranges cut, depend on every byte. */
uint32_t pdb_shard_hash(const unsigned char *key, size_t n);

/*
 * The id of a shard created at created_ms: "shardId-" + created_ms in 20
 * digits + "-" + 8 hex digits of a hash of the stream's ARN, the parent's
 * id ("" for a stream's first shards) and the child's index, so the same
 * history gives the same ids.  out holds PDB_SHARD_MAX bytes.
 */
void pdb_shard_name(const char *arn, const char *parent_id, int index,
    int64_t created_ms, char *out);

/* Open n (1..PDB_SHARDS_MAX) shards over equal ranges for the new stream
 * s, created at s->created_ms. */
int pdb_shard_open_first(struct pdb_db *db, const struct pdb_stream *s,
    int n, struct pdb_err *e);

/* Close the open shard sh of the stream arn at now and open its children
 * (a split of a shard over one hash value is a roll). */
int pdb_shard_change(struct pdb_db *db, const char *arn,
    const struct pdb_shard *sh, enum pdb_shard_change how, int64_t now,
    struct pdb_err *e);

/* Close every open shard of stream at now (disabling it). */
int pdb_shard_close_all(struct pdb_db *db, int64_t stream, int64_t now,
    struct pdb_err *e);

/* The open shard of t (shards loaded) whose range holds hash. */
struct pdb_shard *pdb_shard_pick(struct pdb_table *t, uint32_t hash);

#endif
