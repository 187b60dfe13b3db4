/* op_item.c — PutItem, DeleteItem, UpdateItem and GetItem. */
#include <stdlib.h>
#include <string.h>

#include "op_impl.h"
#include "pdb/op_item.h"
#include "pdb/value.h"

int
pdb_return_parse(const char *s)
{
	static const char *const names[] = { "NONE", "ALL_OLD",
	    "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW" };
	int i;

	for (i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* The key a path of more than one step goes into. */
struct key_path {
	const struct pdb_table *t;
	const char *name;
	int index;		/* an index's key, not the table's */
};

static int
into_key(void *arg, const char *name, int steps, int target)
{
	struct key_path *k = arg;
	int i;

	if (steps < 2)
		return 0;
	k->name = name;
	/* A write into the table's key is refused by the update itself
	 * ("Cannot update attribute"), after this check, as DynamoDB
	 * does. */
	if (pdb_key_attr(&k->t->ks, name))
		return !target;
	k->index = 1;
	for (i = 0; i < k->t->nindex; i++)
		if (pdb_key_attr(&k->t->index[i].ks, name))
			return 1;
	k->index = 0;
	return 0;
}

int
pdb_check_key_paths(const struct pdb_table *t, const struct pdb_expr *x,
    struct pdb_err *e)
{
	struct key_path k = { .t = t };

	if (x == NULL || !pdb_expr_each_path(x, into_key, &k))
		return PDB_OK;
	return pdb_err_invalid(e, "Key attributes must be scalars; list "
	    "random access '[]' and map lookup '.' are not allowed: %s: %s",
	    k.index ? "IndexKey" : "Key", k.name);
}

int
pdb_check_item_paths(const struct pdb_table *t, const struct pdb_item_req *r,
    struct pdb_err *e)
{
	if (pdb_check_key_paths(t, r->update, e) != PDB_OK ||
	    pdb_check_key_paths(t, r->condition, e) != PDB_OK ||
	    pdb_check_key_paths(t, r->projection, e) != PDB_OK)
		return e->status;
	return PDB_OK;
}

void
pdb_item_res_free(struct pdb_item_res *res)
{
	free(res->item);
	free(res->old);
	free(res->index);
	memset(res, 0, sizeof(*res));
}

static int
fail_condition(struct pdb_tx *tx, const struct pdb_item_req *r,
    struct pdb_item_res *res, struct pdb_err *e)
{
	if (r->old_on_failure && tx->w.old.found &&
	    (res->old = strdup(tx->w.old.text.data)) == NULL)
		return pdb_err_system(e, "out of memory");
	return pdb_err_set(e, PDB_E_CONDITION_FAILED, "The conditional "
	    "request failed");
}

/* The condition holds on the stored item (or its absence). */
static int
check_condition(struct pdb_tx *tx, const struct pdb_item_req *r,
    struct pdb_item_res *res, struct pdb_err *e)
{
	const json_t *old;
	int ok;

	if (r->condition == NULL)
		return PDB_OK;
	if (pdb_write_old(tx, &old, e) != PDB_OK ||
	    pdb_expr_test(r->condition, old, &ok, e) != PDB_OK)
		return e->status;
	return ok ? PDB_OK : fail_condition(tx, r, res, e);
}

static int
keep_old(struct pdb_tx *tx, struct pdb_item_res *res, struct pdb_err *e)
{
	if (tx->w.old.found && (res->item = strdup(tx->w.old.text.data)) ==
	    NULL)
		return pdb_err_system(e, "out of memory");
	return PDB_OK;
}

void
pdb_item_prepare(json_t *item, struct pdb_item_ready *ready)
{
	memset(ready, 0, sizeof(*ready));
	pdb_err_clear(&ready->err);
	if ((ready->rc = pdb_value_check_item(item, &ready->size,
	    &ready->err)) == PDB_OK && (ready->text = pdb_value_dump(item)) ==
	    NULL)
		ready->rc = pdb_err_system(&ready->err, "out of memory");
}

void
pdb_item_ready_free(struct pdb_item_ready *ready)
{
	free(ready->text);
	ready->text = NULL;
}

/* pdb_write_begin, or its rest when the item was prepared: the item's
 * own fault still comes after the table's. */
static int
begin_put(struct pdb_tx *tx, const struct pdb_table *t,
    const struct pdb_item_req *r, size_t *size, struct pdb_err *e)
{
	if (r->ready == NULL)
		return pdb_write_begin(tx, t, r->item, PDB_KEY_ITEM, size, e);
	if (r->ready->rc != PDB_OK) {
		*e = r->ready->err;
		return e->status;
	}
	*size = r->ready->size;
	return pdb_write_begin_checked(tx, t, r->item, *size, e);
}

int
pdb_op_put(struct pdb_tx *tx, const struct pdb_item_req *r,
    struct pdb_item_res *res, struct pdb_err *e)
{
	const struct pdb_table *t;
	size_t size;

	memset(res, 0, sizeof(*res));
	if (pdb_tx_table(tx, r->table, &t, e) != PDB_OK ||
	    pdb_check_item_paths(t, r, e) != PDB_OK ||
	    begin_put(tx, t, r, &size, e) != PDB_OK ||
	    check_condition(tx, r, res, e) != PDB_OK)
		return e->status;
	res->units = pdb_write_units(tx->w.old.size, (int64_t)size);
	if (r->ret == PDB_RETURN_ALL_OLD && keep_old(tx, res, e) != PDB_OK)
		return e->status;
	if ((r->ready != NULL ? pdb_write_put_text(tx, r->item,
	    r->ready->text, size, e) : pdb_write_put(tx, r->item, size, e)) !=
	    PDB_OK)
		return e->status;
	return pdb_write_index_costs(tx, &res->index, &res->nindex, e);
}

int
pdb_op_check(struct pdb_tx *tx, const struct pdb_item_req *r,
    struct pdb_item_res *res, struct pdb_err *e)
{
	const struct pdb_table *t;
	size_t size;

	/* A ConditionCheck's paths into keys are not refused: DynamoDB
	 * Local evaluates them (a missing attribute). */
	memset(res, 0, sizeof(*res));
	if (pdb_tx_table(tx, r->table, &t, e) != PDB_OK ||
	    pdb_write_begin(tx, t, r->item, PDB_KEY_LOOKUP, &size, e) !=
	    PDB_OK || check_condition(tx, r, res, e) != PDB_OK)
		return e->status;
	res->units = pdb_write_units(tx->w.old.size, 0);
	return PDB_OK;
}

/* A delete is a ConditionCheck that then deletes. */
int
pdb_op_delete(struct pdb_tx *tx, const struct pdb_item_req *r,
    struct pdb_item_res *res, struct pdb_err *e)
{
	const struct pdb_table *t;

	memset(res, 0, sizeof(*res));
	if (pdb_tx_table(tx, r->table, &t, e) != PDB_OK ||
	    pdb_check_item_paths(t, r, e) != PDB_OK ||
	    pdb_op_check(tx, r, res, e) != PDB_OK ||
	    (r->ret == PDB_RETURN_ALL_OLD && keep_old(tx, res, e) != PDB_OK))
		return e->status;
	if (pdb_write_delete(tx, r->item, 0, e) != PDB_OK)
		return e->status;
	return pdb_write_index_costs(tx, &res->index, &res->nindex, e);
}

/* The image ReturnValues asks of an update, as text; NULL for none.
 * UPDATED_OLD and UPDATED_NEW hold only the paths the update changes. */
static int
update_image(const struct pdb_item_req *r, const json_t *old,
    const json_t *new, struct pdb_item_res *res, struct pdb_err *e)
{
	const json_t *whole = r->ret == PDB_RETURN_ALL_OLD ||
	    r->ret == PDB_RETURN_UPDATED_OLD ? old : new;
	json_t *part;

	if (r->ret == PDB_RETURN_NONE || whole == NULL)
		return PDB_OK;
	if (r->ret == PDB_RETURN_ALL_OLD || r->ret == PDB_RETURN_ALL_NEW)
		part = json_incref((json_t *)whole);
	else if (r->update != NULL)
		part = pdb_expr_project(r->update, whole);
	else
		part = json_object();
	if (part == NULL)
		return pdb_err_system(e, "out of memory");
	if (json_object_size(part) > 0 &&
	    (res->item = pdb_value_dump(part)) == NULL) {
		json_decref(part);
		return pdb_err_system(e, "out of memory");
	}
	json_decref(part);
	return PDB_OK;
}

int
pdb_op_update(struct pdb_tx *tx, const struct pdb_item_req *r,
    struct pdb_item_res *res, struct pdb_err *e)
{
	const struct pdb_table *t;
	const json_t *old;
	json_t *key, *new = NULL;
	size_t size, nkey;
	int rc, stays_missing;

	memset(res, 0, sizeof(*res));
	if (pdb_tx_table(tx, r->table, &t, e) != PDB_OK ||
	    pdb_check_item_paths(t, r, e) != PDB_OK)
		return e->status;
	/* A copy: the new item grows from it when there is no old one. */
	key = pdb_key_extract(&t->ks, r->item);
	nkey = json_object_size(key);
	if ((rc = pdb_value_check_item(r->item, &size, e)) == PDB_OK &&
	    (rc = pdb_key_encode(&t->ks, r->item, PDB_KEY_LOOKUP, tx->w.key,
	    &tx->w.keylen, NULL, e)) == PDB_OK &&
	    (rc = pdb_write_begin(tx, t, key, PDB_KEY_LOOKUP, &size, e)) ==
	    PDB_OK && (rc = check_condition(tx, r, res, e)) == PDB_OK &&
	    (rc = pdb_write_old(tx, &old, e)) == PDB_OK) {
		new = old ? json_deep_copy(old) : json_incref(key);
		/* Without an expression, an update makes sure the item is. */
		if (r->update != NULL)
			rc = pdb_expr_update(r->update, &t->ks, new, e);
		if (rc == PDB_OK && (rc = pdb_value_check_item(new, &size, e))
		    == PDB_OK && (rc = pdb_value_check_size(size, 1, e)) ==
		    PDB_OK) {
			res->units = pdb_write_units(tx->w.old.size,
			    (int64_t)size);
			/* Only REMOVE and DELETE on a missing item leave it
			 * missing: no item, no record, no image (AWS, as
			 * Alternator's test_update_item_non_existent shows;
			 * DynamoDB Local makes the key-only item, D26). */
			stays_missing = old == NULL && r->update != NULL &&
			    json_object_size(new) == nkey;
			if (!stays_missing && (rc = update_image(r, old, new,
			    res, e)) == PDB_OK)
				rc = pdb_write_put(tx, new, size, e);
		}
		if (rc == PDB_OK)
			rc = pdb_write_index_costs(tx, &res->index,
			    &res->nindex, e);
	}
	json_decref(new);
	json_decref(key);
	return rc;
}

int
pdb_op_get(struct pdb_tx *tx, const struct pdb_item_req *r,
    struct pdb_item_res *res, struct pdb_err *e)
{
	const struct pdb_table *t;
	const json_t *old;
	json_t *shown;
	size_t size;

	memset(res, 0, sizeof(*res));
	if (pdb_tx_table(tx, r->table, &t, e) != PDB_OK ||
	    pdb_check_item_paths(t, r, e) != PDB_OK ||
	    pdb_write_begin(tx, t, r->item, PDB_KEY_LOOKUP, &size, e) != PDB_OK)
		return e->status;
	res->units = pdb_read_units(tx->w.old.size, r->consistent);
	if (!tx->w.old.found)
		return PDB_OK;
	if (r->projection == NULL)
		return keep_old(tx, res, e);
	if (pdb_write_old(tx, &old, e) != PDB_OK)
		return e->status;
	shown = pdb_expr_project(r->projection, old);
	res->item = pdb_value_dump(shown);
	json_decref(shown);
	return res->item ? PDB_OK : pdb_err_system(e, "out of memory");
}
