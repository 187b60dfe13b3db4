/* op_shard.c — shard roll and split on demand, and automatic triggers. */
#include <stdlib.h>
#include <string.h>

#include "pdb/iter.h"
#include "pdb/op_shard.h"
#include "pdb/store.h"

/* The stream of target, enabled: a disabled one has no open shard. */
static int
open_stream(struct pdb_tx *tx, const char *target, struct pdb_stream *s,
    struct pdb_err *e)
{
	if (pdb_stream_find(tx->db, target, s, e) != PDB_OK)
		return e->status;
	if (!s->enabled)
		return pdb_err_invalid(e, "stream %s is disabled: its shards "
		    "are closed", s->arn);
	return PDB_OK;
}

int
pdb_op_shard_change(struct pdb_tx *tx, const char *target,
    enum pdb_shard_change how, const char *shard,
    int (*fn)(void *, const struct pdb_shard *), void *arg,
    struct pdb_err *e)
{
	int64_t now = pdb_db_now_ms(tx->db), newest = 0;
	struct pdb_shard *open = NULL, one;
	struct pdb_stream s;
	int i, n, rc;

	if (open_stream(tx, target, &s, e) != PDB_OK)
		return e->status;
	if (pdb_store_shard_open(tx->db, s.id, &open, &n, e) != PDB_OK)
		return e->status;
	for (i = 0; i < n; i++)
		if (open[i].id > newest)
			newest = open[i].id;
	if (shard != NULL) {
		free(open);
		open = NULL;
		if (pdb_shard_find(tx->db, &s, shard, &one, e) != PDB_OK)
			return e->status;
		if (one.end_seq != 0)
			return pdb_err_invalid(e, "shard %s is closed: only an "
			    "open shard rolls or splits", shard);
		open = &one;
		n = 1;
	}
	/* The table's cached shards are stale after this. */
	pdb_tx_forget_table(tx);
	for (i = 0, rc = PDB_OK; i < n && rc == PDB_OK; i++)
		rc = pdb_shard_change(tx->db, s.arn, &open[i], how, now, e);
	if (shard == NULL)
		free(open);
	if (rc != PDB_OK)
		return rc;
	return pdb_store_shard_list(tx->db, s.id, newest, 0, INT64_MIN, fn,
	    arg, e);
}

int
pdb_op_shard_triggers(struct pdb_tx *tx, const char *target,
    int64_t roll_every_ms, int64_t split_after, struct pdb_stream *s,
    struct pdb_err *e)
{
	if (open_stream(tx, target, s, e) != PDB_OK)
		return e->status;
	if (roll_every_ms < 0)
		roll_every_ms = s->roll_every_ms;
	if (split_after < 0)
		split_after = s->split_after;
	pdb_tx_forget_table(tx);
	if (pdb_store_stream_set_triggers(tx->db, s->id, roll_every_ms,
	    split_after, e) != PDB_OK)
		return e->status;
	s->roll_every_ms = roll_every_ms;
	s->split_after = split_after;
	return PDB_OK;
}
