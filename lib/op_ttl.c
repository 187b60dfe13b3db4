/* op_ttl.c — UpdateTimeToLive, DescribeTimeToLive and the expiry sweep. */
#include <stdio.h>
#include <string.h>

#include "pdb/key.h"
#include "pdb/op_table.h"
#include "pdb/op_ttl.h"
#include "pdb/ttl.h"
#include "pdb/value.h"

static int64_t
expiry_of(void *attr, const char *text, size_t len)
{
	json_t *item = pdb_value_load(text, len);
	int64_t at = item ? pdb_ttl_expiry(item, attr) : 0;

	json_decref(item);
	return at;
}

int
pdb_op_update_ttl(struct pdb_tx *tx, const char *name, int enabled,
    const char *attr, struct pdb_err *e)
{
	const struct pdb_table *t;
	char now[PDB_NAME_MAX];
	int64_t id;

	if (attr == NULL && enabled)
		return pdb_err_invalid(e, "AttributeName cannot be null when "
		    "time to live is being enabled");
	if (attr != NULL && (strlen(attr) < 1 || strlen(attr) > 255))
		return pdb_err_invalid(e, PDB_VALIDATION "Value '%s' at "
		    "'timeToLiveSpecification.attributeName' failed to "
		    "satisfy constraint: Member must have length %s", attr,
		    *attr ? "less than or equal to 255" : "greater than or "
		    "equal to 1");
	if (pdb_tx_table(tx, name, &t, e) != PDB_OK)
		return e->status;
	snprintf(now, sizeof(now), "%s", t->ttl);
	id = t->id;
	if (enabled && strcmp(now, attr) == 0)
		return pdb_err_invalid(e, "TimeToLive is already enabled");
	if (!enabled && now[0] == '\0')
		return pdb_err_invalid(e, "TimeToLive is already disabled");
	if (now[0] != '\0' && attr != NULL && strcmp(now, attr) != 0)
		return pdb_err_invalid(e, "TimeToLive is active on a different "
		    "AttributeName");
	pdb_tx_forget_table(tx);
	if (pdb_store_table_set_ttl(tx->db, id, enabled ? attr : "", e) !=
	    PDB_OK)
		return e->status;
	return pdb_store_item_set_expiries(tx->db, id, enabled ? expiry_of :
	    NULL, (void *)attr, e);
}

int
pdb_op_describe_ttl(struct pdb_tx *tx, const char *name, char *attr,
    struct pdb_err *e)
{
	const struct pdb_table *t;

	/* A control-plane answer names the table, as DescribeTable's does
	 * (AWS, recorded by dynalite's test/describeTimeToLive.js). */
	if (pdb_tx_table(tx, name, &t, e) != PDB_OK) {
		if (e->code == PDB_E_NOT_FOUND)
			pdb_err_notfound(e, "Requested resource not found: "
			    "Table: %s not found", name);
		return e->status;
	}
	snprintf(attr, PDB_NAME_MAX, "%s", t->ttl);
	return PDB_OK;
}

/* The keys of the due items, read before any is deleted. */
struct due {
	const struct pdb_table *t;
	json_t *keys;
	int damaged;		/* a stored item did not parse */
};

static int
due_key(void *arg, const struct pdb_row *row)
{
	struct due *d = arg;
	json_t *item = pdb_value_load(row->text, row->len);

	if (item == NULL)
		return d->damaged = 1;
	json_array_append_new(d->keys, pdb_key_extract(&d->t->ks, item));
	json_decref(item);
	return 0;
}

int
pdb_op_expire(struct pdb_tx *tx, const char *name, int limit, int *deleted,
    struct pdb_err *e)
{
	int64_t now = pdb_db_now_ms(tx->db);
	struct due d = { NULL };
	size_t i, size;
	int rc;

	*deleted = 0;
	if (pdb_tx_table(tx, name, &d.t, e) != PDB_OK)
		return e->status;
	if (d.t->ttl[0] == '\0')
		return PDB_OK;
	d.keys = json_array();
	rc = pdb_store_item_due(tx->db, d.t->id, pdb_ttl_oldest(now), now,
	    limit, due_key, &d, e);
	if (rc == PDB_OK && d.damaged)
		rc = pdb_err_system(e, "cannot read a stored item");
	for (i = 0; rc == PDB_OK && i < json_array_size(d.keys); i++) {
		json_t *key = json_array_get(d.keys, i);

		if ((rc = pdb_write_begin(tx, d.t, key, PDB_KEY_LOOKUP, &size,
		    e)) == PDB_OK && (rc = pdb_write_delete(tx, key, 1, e)) ==
		    PDB_OK)
			(*deleted)++;
	}
	json_decref(d.keys);
	return rc;
}

int
pdb_expire_table(struct pdb_tx *tx, const char *name, int64_t *deleted,
    struct pdb_err *e)
{
	int n = PDB_EXPIRE_BATCH;

	while (n == PDB_EXPIRE_BATCH) {
		if (pdb_tx_begin_write(tx, e) != PDB_OK ||
		    pdb_op_expire(tx, name, PDB_EXPIRE_BATCH, &n, e) != PDB_OK ||
		    pdb_tx_commit(tx, e) != PDB_OK) {
			pdb_tx_rollback(tx);
			return e->status;
		}
		*deleted += n;
	}
	return PDB_OK;
}

static int
add_name(void *arg, const char *name)
{
	return json_array_append_new(arg, json_string(name)) != 0;
}

int
pdb_expire_all(struct pdb_tx *tx, int64_t *deleted, struct pdb_err *e)
{
	json_t *names = json_array();
	size_t i;
	int more, rc;

	if ((rc = pdb_tx_begin_read(tx, e)) == PDB_OK)
		rc = pdb_op_list_tables(tx, NULL, 0, add_name, names, &more, e);
	pdb_tx_rollback(tx);
	for (i = 0; rc == PDB_OK && i < json_array_size(names); i++)
		if ((rc = pdb_expire_table(tx, json_string_value(
		    json_array_get(names, i)), deleted, e)) ==
		    PDB_NEGATIVE && e->code == PDB_E_NOT_FOUND)
			rc = PDB_OK;
	json_decref(names);
	return rc;
}
