/*
 * op_shard.h — rolling and splitting a stream's shards, and its automatic
 * triggers, as pdb-stream-shard asks for them.  Each runs in the caller's
 * write transaction; a roll or split of one shard is a constant amount of
 * work whatever the stream holds.
 */
#ifndef PDB_OP_SHARD_H
#define PDB_OP_SHARD_H

#include "pdb/shard.h"
#include "pdb/write.h"

/*
 * Roll or split the open shard called shard (NULL: every open shard) of
 * the stream of target (a table's latest stream, or an ARN), now; each
 * new shard to fn.  ResourceNotFoundException for an unknown stream or
 * shard; ValidationException for a disabled stream or a closed shard.
 */
int pdb_op_shard_change(struct pdb_tx *tx, const char *target,
    enum pdb_shard_change how, const char *shard,
    int (*fn)(void *, const struct pdb_shard *), void *arg,
    struct pdb_err *e);

/* Set the automatic triggers of target's stream: a roll of every open
 * shard as old as roll_every_ms, a split of a shard after split_after
 * records (0: off; -1: unchanged); s gets the stream as it is after. */
int pdb_op_shard_triggers(struct pdb_tx *tx, const char *target,
    int64_t roll_every_ms, int64_t split_after, struct pdb_stream *s,
    struct pdb_err *e);

#endif
