/* shard.c — shard ids, key hashing, and shard changes in a write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/shard.h"
#include "pdb/store.h"

static uint32_t
fnv1a(uint32_t h, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static uint32_t
fmix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ (h >> 16);
}

uint32_t
pdb_shard_hash(const unsigned char *key, size_t n)
{
	return fmix32(fnv1a(2166136261u, key, n));
}

void
pdb_shard_name(const char *arn, const char *parent_id, int index,
    int64_t created_ms, char *out)
{
	char idx[16];
	uint32_t h = 2166136261u;

	snprintf(idx, sizeof(idx), "%d", index);
	/* NUL bytes between the parts: "a" + "bc" is not "ab" + "c". */
	h = fnv1a(h, (const unsigned char *)arn, strlen(arn) + 1);
	h = fnv1a(h, (const unsigned char *)parent_id, strlen(parent_id) + 1);
	h = fnv1a(h, (const unsigned char *)idx, strlen(idx));
	snprintf(out, PDB_SHARD_MAX, "shardId-%020lld-%08x",
	    (long long)created_ms, (unsigned)fmix32(h));
}

static int
open_child(struct pdb_db *db, const char *arn, int64_t stream,
    const struct pdb_shard *parent, int index, uint32_t lo, uint32_t hi,
    int64_t now, struct pdb_err *e)
{
	struct pdb_shard sh;

	memset(&sh, 0, sizeof(sh));
	sh.stream = stream;
	sh.parent = parent ? parent->id : 0;
	sh.lo = lo;
	sh.hi = hi;
	sh.created_ms = now;
	pdb_shard_name(arn, parent ? parent->shard_id : "", index, now,
	    sh.shard_id);
	return pdb_store_shard_insert(db, &sh, e);
}

int
pdb_shard_open_first(struct pdb_db *db, const struct pdb_stream *s, int n,
    struct pdb_err *e)
{
	uint64_t span = (uint64_t)UINT32_MAX + 1;
	int i;

	for (i = 0; i < n; i++)
		if (open_child(db, s->arn, s->id, NULL, i,
		    (uint32_t)(span * (uint64_t)i / (uint64_t)n),
		    (uint32_t)(span * (uint64_t)(i + 1) / (uint64_t)n - 1),
		    s->created_ms, e) != PDB_OK)
			return e->status;
	return PDB_OK;
}

int
pdb_shard_change(struct pdb_db *db, const char *arn,
    const struct pdb_shard *sh, enum pdb_shard_change how, int64_t now,
    struct pdb_err *e)
{
	uint32_t mid = sh->lo + (sh->hi - sh->lo) / 2;

	if (pdb_store_shard_close(db, sh->id, now, e) != PDB_OK)
		return e->status;
	if (how == PDB_SHARD_ROLL || sh->lo == sh->hi)
		return open_child(db, arn, sh->stream, sh, 0, sh->lo, sh->hi,
		    now, e);
	if (open_child(db, arn, sh->stream, sh, 0, sh->lo, mid, now, e) !=
	    PDB_OK)
		return e->status;
	return open_child(db, arn, sh->stream, sh, 1, mid + 1, sh->hi, now, e);
}

int
pdb_shard_close_all(struct pdb_db *db, int64_t stream, int64_t now,
    struct pdb_err *e)
{
	struct pdb_shard *a;
	int i, n, rc = PDB_OK;

	if (pdb_store_shard_open(db, stream, &a, &n, e) != PDB_OK)
		return e->status;
	for (i = 0; i < n && rc == PDB_OK; i++)
		rc = pdb_store_shard_close(db, a[i].id, now, e);
	free(a);
	return rc;
}

struct pdb_shard *
pdb_shard_pick(struct pdb_table *t, uint32_t hash)
{
	int lo = 0, hi = t->nshard - 1, mid;

	/* The last shard whose lo is at most hash. */
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		if (t->shard[mid].lo <= hash)
			lo = mid;
		else
			hi = mid - 1;
	}
	return &t->shard[lo];
}
