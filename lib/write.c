/* write.c — transactions, and item writes with their stream records. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/shard.h"
#include "pdb/ttl.h"
#include "pdb/value.h"
#include "pdb/write.h"

void
pdb_tx_init(struct pdb_tx *tx, struct pdb_db *db)
{
	memset(tx, 0, sizeof(*tx));
	tx->db = db;
}

static void
write_reset(struct pdb_write *w)
{
	json_decref(w->old_item);
	w->old_item = NULL;
	w->old.found = 0;
}

void
pdb_tx_free(struct pdb_tx *tx)
{
	pdb_tx_rollback(tx);
	write_reset(&tx->w);
	pdb_stored_free(&tx->w.old);
	pdb_table_free(&tx->table);
}

int
pdb_tx_begin_write(struct pdb_tx *tx, struct pdb_err *e)
{
	tx->table_checked = 0;
	if (pdb_db_begin_write(tx->db, e) != PDB_OK)
		return e->status;
	tx->open = 1;
	tx->writing = 1;
	if (pdb_store_record_trim(tx->db, pdb_db_now_ms(tx->db) -
	    pdb_db_keep_ms(tx->db), e) != PDB_OK) {
		pdb_tx_rollback(tx);
		return e->status;
	}
	return PDB_OK;
}

int
pdb_tx_begin_read(struct pdb_tx *tx, struct pdb_err *e)
{
	tx->table_checked = 0;
	if (pdb_db_begin_read(tx->db, e) != PDB_OK)
		return e->status;
	tx->open = 1;
	tx->writing = 0;
	return PDB_OK;
}

int
pdb_tx_commit(struct pdb_tx *tx, struct pdb_err *e)
{
	tx->open = 0;
	if (pdb_db_commit(tx->db, e) == PDB_OK)
		return PDB_OK;
	pdb_tx_forget_table(tx);
	return e->status;
}

void
pdb_tx_rollback(struct pdb_tx *tx)
{
	if (tx->open)
		pdb_db_rollback(tx->db);
	tx->open = 0;
	/* The table may hold what the transaction changed. */
	if (tx->writing)
		pdb_tx_forget_table(tx);
}

void
pdb_tx_forget_table(struct pdb_tx *tx)
{
	tx->table_version = 0;
	tx->table_checked = 0;
}

/* Whether the table kept is name's, as it is in this transaction. */
static int
table_kept(struct pdb_tx *tx, const char *name, int64_t *version,
    struct pdb_err *e)
{
	if (pdb_store_catalog_version(tx->db, version, e) != PDB_OK)
		return -1;
	return tx->table_version == *version && tx->table_version != 0 &&
	    strcmp(tx->table.name, name) == 0;
}

int
pdb_tx_table(struct pdb_tx *tx, const char *name, const struct pdb_table **t,
    struct pdb_err *e)
{
	int64_t version;
	int kept;

	if (tx->table_checked && strcmp(tx->table.name, name) == 0) {
		*t = &tx->table;
		return PDB_OK;
	}
	if ((kept = table_kept(tx, name, &version, e)) < 0)
		return e->status;
	if (!kept) {
		pdb_tx_forget_table(tx);
		pdb_table_free(&tx->table);
		if (pdb_store_table_get(tx->db, name, &tx->table, e) != PDB_OK ||
		    pdb_store_index_load(tx->db, &tx->table, e) != PDB_OK ||
		    (tx->table.stream != 0 && pdb_store_shard_open(tx->db,
		    tx->table.stream, &tx->table.shard, &tx->table.nshard, e) !=
		    PDB_OK)) {
			/* Item operations do not name the table (only
			 * DescribeTable and DeleteTable do). */
			if (e->code == PDB_E_NOT_FOUND) {
				pdb_err_notfound(e, "Requested resource not "
				    "found");
				pdb_err_detail(e, ": Table: %s not found", name);
			}
			return e->status;
		}
		tx->table_version = version;
	}
	tx->table_checked = 1;
	*t = &tx->table;
	return PDB_OK;
}

/* DynamoDB refuses a whole item whose index keys are not as declared,
 * before any condition is looked at. */
static int
check_index_keys(const struct pdb_table *t, const json_t *item,
    struct pdb_err *e)
{
	unsigned char key[PDB_KEY_MAX];
	size_t len;
	int i;

	for (i = 0; i < t->nindex; i++)
		if (pdb_key_encode_index(&t->index[i].ks, t->index[i].name,
		    item, key, &len, e) != PDB_OK)
			return e->status;
	return PDB_OK;
}

/* pdb_write_begin after write_reset and the item's own check. */
static int
begin(struct pdb_tx *tx, const struct pdb_table *t, json_t *item,
    enum pdb_key_use use, size_t size, struct pdb_err *e)
{
	struct pdb_write *w = &tx->w;

	w->t = t;
	/* Only a table's indexes have units to clear: none on most. */
	memset(w->index_units, 0, sizeof(*w->index_units) * (size_t)(t->nindex <
	    PDB_LSI_MAX + PDB_GSI_MAX ? t->nindex : PDB_LSI_MAX + PDB_GSI_MAX));
	if ((use == PDB_KEY_ITEM && pdb_value_check_size(size, 0, e) !=
	    PDB_OK) || pdb_key_encode(&t->ks, item, use, w->key, &w->keylen,
	    &w->keysize, e) != PDB_OK ||
	    (use == PDB_KEY_ITEM && check_index_keys(t, item, e) != PDB_OK))
		return e->status;
	return pdb_store_item_get(tx->db, t->id, w->key, w->keylen, &w->old, e);
}

int
pdb_write_begin(struct pdb_tx *tx, const struct pdb_table *t, json_t *item,
    enum pdb_key_use use, size_t *size, struct pdb_err *e)
{
	write_reset(&tx->w);
	if (pdb_value_check_item(item, size, e) != PDB_OK)
		return e->status;
	return begin(tx, t, item, use, *size, e);
}

int
pdb_write_begin_checked(struct pdb_tx *tx, const struct pdb_table *t,
    json_t *item, size_t size, struct pdb_err *e)
{
	write_reset(&tx->w);
	return begin(tx, t, item, PDB_KEY_ITEM, size, e);
}

int
pdb_write_old(struct pdb_tx *tx, const json_t **old, struct pdb_err *e)
{
	struct pdb_write *w = &tx->w;

	*old = NULL;
	if (!w->old.found)
		return PDB_OK;
	if (w->old_item == NULL && (w->old_item = pdb_value_load(
	    w->old.text.data, w->old.text.len)) == NULL)
		return pdb_err_system(e, "cannot read the stored item");
	*old = w->old_item;
	return PDB_OK;
}

/* The capturing stream's open shards again, after a change. */
static int
reload_shards(struct pdb_tx *tx, struct pdb_err *e)
{
	struct pdb_table *t = &tx->table;

	/* Right for the rest of this transaction, not beyond: read again
	 * in the next one, whether this one commits or not. */
	tx->table_version = 0;
	free(t->shard);
	t->shard = NULL;
	if (pdb_store_shard_open(tx->db, t->stream, &t->shard, &t->nshard, e) !=
	    PDB_OK)
		return e->status;
	if (t->nshard == 0)
		return pdb_err_system(e, "stream %s has no open shard",
		    t->stream_arn);
	return PDB_OK;
}

/* The automatic roll: every open shard as old as the stream's interval
 * is rolled by the first write that finds it so. */
static int
roll_due(struct pdb_tx *tx, int64_t now, struct pdb_err *e)
{
	struct pdb_table *t = &tx->table;
	int i, rolled = 0;

	for (i = 0; i < t->nshard; i++)
		if (now - t->shard[i].created_ms >= t->roll_every_ms) {
			if (pdb_shard_change(tx->db, t->stream_arn, &t->shard[i],
			    PDB_SHARD_ROLL, now, e) != PDB_OK)
				return e->status;
			rolled = 1;
		}
	return rolled ? reload_shards(tx, e) : PDB_OK;
}

/* The open shard that takes the record of item's key. */
static int
shard_of(struct pdb_tx *tx, const json_t *item, int64_t now, int64_t *row,
    struct pdb_err *e)
{
	struct pdb_table *t = &tx->table;
	unsigned char key[PDB_KEY_MAX];
	size_t n;

	if (t->roll_every_ms > 0 && roll_due(tx, now, e) != PDB_OK)
		return e->status;
	if (t->nshard == 0)
		return pdb_err_system(e, "stream %s has no open shard",
		    t->stream_arn);
	if (t->nshard == 1) {
		*row = t->shard[0].id;
		return PDB_OK;
	}
	n = pdb_key_encode_value(t->ks.hash_type, json_object_get(item,
	    t->ks.hash), key);
	*row = pdb_shard_pick(t, pdb_shard_hash(key, n))->id;
	return PDB_OK;
}

/* The automatic split: a shard that has taken split_after records is
 * split after the last of them. */
static int
split_due(struct pdb_tx *tx, int64_t row, int64_t now, struct pdb_err *e)
{
	struct pdb_table *t = &tx->table;
	int64_t n;
	int i;

	if (pdb_store_shard_count(tx->db, row, &n, e) != PDB_OK)
		return e->status;
	if (n < t->split_after)
		return PDB_OK;
	for (i = 0; i < t->nshard && t->shard[i].id != row; i++)
		;
	if (i == t->nshard || t->shard[i].lo == t->shard[i].hi)
		return PDB_OK;	/* a range of one value cannot split */
	if (pdb_shard_change(tx->db, t->stream_arn, &t->shard[i],
	    PDB_SHARD_SPLIT, now, e) != PDB_OK)
		return e->status;
	return reload_shards(tx, e);
}

/* The record of a change, with the images the stream's view keeps. */
static int
capture(struct pdb_tx *tx, int event, const json_t *item, const char *new,
    size_t new_size, int service, struct pdb_err *e)
{
	struct pdb_write *w = &tx->w;
	enum pdb_view view = w->t->view;
	struct pdb_record r = { .event = event, .service = service };
	json_t *keys;
	char *text;
	int rc;

	if (w->t->stream == 0 || tx->no_capture)
		return PDB_OK;
	r.created_ms = pdb_db_now_ms(tx->db);
	if (shard_of(tx, item, r.created_ms, &r.shard, e) != PDB_OK)
		return e->status;
	keys = pdb_key_extract(&w->t->ks, item);
	text = pdb_value_dump(keys);
	json_decref(keys);
	if (text == NULL)
		return pdb_err_system(e, "out of memory");
	r.keys = text;
	r.keys_len = strlen(text);
	r.size = (int64_t)w->keysize;
	if (new != NULL && (view == PDB_VIEW_NEW_IMAGE ||
	    view == PDB_VIEW_NEW_AND_OLD_IMAGES)) {
		r.new_image = new;
		r.new_len = strlen(new);
		r.size += (int64_t)new_size;
	}
	if (w->old.found && (view == PDB_VIEW_OLD_IMAGE ||
	    view == PDB_VIEW_NEW_AND_OLD_IMAGES)) {
		r.old_image = w->old.text.data;
		r.old_len = w->old.text.len;
		r.size += w->old.size;
	}
	rc = pdb_store_record_append(tx->db, w->t->stream, &r, e);
	free(text);
	if (rc == PDB_OK && tx->table.split_after > 0)
		rc = split_due(tx, r.shard, r.created_ms, e);
	return rc;
}

double
pdb_write_units(int64_t a, int64_t b)
{
	int64_t n = a > b ? a : b;

	return n <= 1024 ? 1 : ceil((double)n / 1024);
}

double
pdb_read_units(int64_t bytes, int consistent)
{
	return (bytes <= 4096 ? 1 : ceil((double)bytes / 4096)) *
	    (consistent ? 1 : 0.5);
}

/* The size of item's entry in ix (item_size for ALL); *cut, the entry,
 * for the other projections (the caller's). */
static int64_t
entry_size(const struct pdb_table *t, const struct pdb_index *ix,
    const json_t *item, size_t item_size, json_t **cut)
{
	struct pdb_err ignore;
	size_t n = item_size;

	*cut = NULL;
	if (ix->projection == PDB_PROJECT_ALL)
		return (int64_t)item_size;
	*cut = pdb_index_cut(ix, &t->ks, item);
	pdb_value_check_item(*cut, &n, &ignore);
	return (int64_t)n;
}

/* The row of an entry of entry bytes: ikey (ilen) the item's encoded
 * index key, key (keylen) its table key. */
static int
store_row(struct pdb_tx *tx, const struct pdb_index *ix,
    const unsigned char *ikey, size_t ilen, const unsigned char *key,
    size_t keylen, int64_t rowid, int64_t entry, struct pdb_err *e)
{
	unsigned char row[2 * PDB_KEY_MAX];

	memcpy(row, ikey, ilen);
	memcpy(row + ilen, key, keylen);
	return pdb_store_index_put(tx->db, ix->id, row, ilen + keylen, rowid,
	    entry, e);
}

int
pdb_write_index_row(struct pdb_tx *tx, const struct pdb_table *t,
    const struct pdb_index *ix, const json_t *item, size_t size,
    const unsigned char *ikey, size_t ilen, const unsigned char *key,
    size_t keylen, int64_t rowid, struct pdb_err *e)
{
	json_t *cut;
	int64_t entry = entry_size(t, ix, item, size, &cut);

	json_decref(cut);
	return store_row(tx, ix, ikey, ilen, key, keylen, rowid, entry, e);
}

/*
 * What a change cost ix, as DynamoDB counts it (and DynamoDB Local shows
 * it), from its old and new entries (size 0: none; cut: what a projection
 * other than ALL keeps): an entry added or removed, its size's units; a
 * key moved, both; an entry changed in place, the larger's; an entry the
 * change left as it was, nothing.
 */
static double
entry_units(const struct pdb_index *ix, int64_t was, const json_t *was_cut,
    int64_t now, const json_t *now_cut, int moved)
{
	if (was == 0 || now == 0 || moved)
		return (was ? pdb_write_units(was, 0) : 0) +
		    (now ? pdb_write_units(now, 0) : 0);
	if (ix->projection != PDB_PROJECT_ALL && json_equal(was_cut, now_cut))
		return 0;
	return pdb_write_units(was, now);
}

/*
 * The write's index rows: the old item's (if any) removed where its index
 * key is not the new item's, the new item's (if any) stored, and what
 * that cost each index.  An old item whose key does not fit an index
 * added after it was written is not in that index.
 */
static int
index_rows(struct pdb_tx *tx, const json_t *item, size_t size, int64_t rowid,
    struct pdb_err *e)
{
	struct pdb_write *w = &tx->w;
	const struct pdb_index *ix;
	unsigned char was[2 * PDB_KEY_MAX], now[PDB_KEY_MAX];
	size_t waslen, nowlen;
	const json_t *old = NULL;
	json_t *was_cut, *now_cut;
	int64_t was_size, now_size;
	struct pdb_err ignore;
	int i, moved, rc = PDB_OK;

	if (w->old.found && pdb_write_old(tx, &old, e) != PDB_OK)
		return e->status;
	for (i = 0; i < w->t->nindex && rc == PDB_OK; i++) {
		ix = &w->t->index[i];
		waslen = nowlen = 0;
		was_cut = now_cut = NULL;
		was_size = now_size = 0;
		if (old != NULL && pdb_key_encode_index(&ix->ks, ix->name, old,
		    was, &waslen, &ignore) != PDB_OK)
			waslen = 0;
		if (item != NULL && pdb_key_encode_index(&ix->ks, ix->name,
		    item, now, &nowlen, e) != PDB_OK)
			return e->status;
		if (waslen > 0)
			was_size = entry_size(w->t, ix, old,
			    (size_t)w->old.size, &was_cut);
		if (nowlen > 0)
			now_size = entry_size(w->t, ix, item, size, &now_cut);
		moved = waslen > 0 && (waslen != nowlen || memcmp(was, now,
		    waslen) != 0);
		if (i < PDB_LSI_MAX + PDB_GSI_MAX)
			w->index_units[i] = entry_units(ix, was_size, was_cut,
			    now_size, now_cut, moved);
		json_decref(was_cut);
		json_decref(now_cut);
		if (moved) {
			memcpy(was + waslen, w->key, w->keylen);
			rc = pdb_store_index_remove(tx->db, ix->id, was,
			    waslen + w->keylen, e);
		}
		if (rc == PDB_OK && nowlen > 0)
			rc = store_row(tx, ix, now, nowlen, w->key, w->keylen,
			    rowid, now_size, e);
	}
	return rc;
}

int
pdb_write_index_costs(const struct pdb_tx *tx, struct pdb_index_units **out,
    int *n, struct pdb_err *e)
{
	const struct pdb_write *w = &tx->w;
	int i;

	*out = NULL;
	*n = 0;
	for (i = 0; i < w->t->nindex && i < PDB_LSI_MAX + PDB_GSI_MAX; i++) {
		if (w->index_units[i] == 0)
			continue;
		if (*out == NULL && (*out = calloc((size_t)w->t->nindex,
		    sizeof(**out))) == NULL)
			return pdb_err_system(e, "out of memory");
		snprintf((*out)[*n].name, sizeof((*out)[*n].name), "%s",
		    w->t->index[i].name);
		(*out)[*n].global = w->t->index[i].global;
		(*out)[(*n)++].units = w->index_units[i];
	}
	return PDB_OK;
}

int
pdb_write_put(struct pdb_tx *tx, const json_t *item, size_t size,
    struct pdb_err *e)
{
	char *text;
	int rc;

	if ((text = pdb_value_dump(item)) == NULL)
		return pdb_err_system(e, "out of memory");
	rc = pdb_write_put_text(tx, item, text, size, e);
	free(text);
	return rc;
}

int
pdb_write_put_text(struct pdb_tx *tx, const json_t *item, const char *text,
    size_t size, struct pdb_err *e)
{
	struct pdb_write *w = &tx->w;
	int64_t rowid = 0;
	int rc;

	if (w->old.found && strcmp(text, w->old.text.data) == 0)
		return PDB_OK;	/* no change, no record */
	rc = capture(tx, w->old.found ? PDB_EVENT_MODIFY : PDB_EVENT_INSERT,
	    item, text, size, 0, e);
	if (rc == PDB_OK)
		rc = pdb_store_item_put(tx->db, w->t->id, w->key, w->keylen,
		    (int64_t)size, text, w->t->ttl[0] ? pdb_ttl_expiry(item,
		    w->t->ttl) : 0, &rowid, e);
	if (rc == PDB_OK && w->t->nindex > 0)
		rc = index_rows(tx, item, size, w->old.found ? w->old.rowid :
		    rowid, e);
	return rc;
}

int
pdb_write_delete(struct pdb_tx *tx, const json_t *key, int service,
    struct pdb_err *e)
{
	struct pdb_write *w = &tx->w;

	if (!w->old.found)
		return PDB_OK;	/* nothing deleted, no record */
	if (capture(tx, PDB_EVENT_REMOVE, key, NULL, 0, service, e) != PDB_OK ||
	    (w->t->nindex > 0 && index_rows(tx, NULL, 0, 0, e) != PDB_OK))
		return e->status;
	return pdb_store_item_delete(tx->db, w->old.rowid, e);
}
