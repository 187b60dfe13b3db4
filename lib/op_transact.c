/* op_transact.c — TransactWriteItems and TransactGetItems. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "op_impl.h"
#include "pdb/op_transact.h"
#include "pdb/store.h"
#include "pdb/value.h"

int
pdb_transact_init(struct pdb_transact *t, size_t n, struct pdb_err *e)
{
	memset(t, 0, sizeof(*t));
	if (n > 0 && (t->a = calloc(n, sizeof(*t->a))) == NULL)
		return pdb_err_system(e, "out of memory");
	t->n = n;
	return PDB_OK;
}

void
pdb_transact_free(struct pdb_transact *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		pdb_exprs_free(t->a[i].exprs);
		free(t->a[i].message);
		free(t->a[i].item);
		free(t->a[i].index);
	}
	free(t->a);
	free(t->request);
	memset(t, 0, sizeof(*t));
}

const char *
pdb_reason_name(enum pdb_reason r)
{
	static const char *const names[] = { "None", "ConditionalCheckFailed",
	    "ValidationError" };

	return names[r];
}

int
pdb_transact_check_counts(const struct pdb_transact *t, struct pdb_err *e)
{
	if (t->n == 0)
		return pdb_err_invalid(e, "1 validation error detected: Value "
		    "'[]' at 'transactItems' failed to satisfy constraint: "
		    "Member must have length greater than or equal to 1");
	if (t->n > PDB_TRANSACT_MAX)
		return pdb_err_invalid(e, "1 validation error detected: Value "
		    "at 'TransactItems' failed to satisfy constraint: Member "
		    "must have length less than or equal to %d",
		    PDB_TRANSACT_MAX);
	if (t->token != NULL && (*t->token == '\0' ||
	    strlen(t->token) > PDB_TOKEN_MAX))
		return pdb_err_invalid(e, "1 validation error detected: Value "
		    "'%s' at 'clientRequestToken' failed to satisfy "
		    "constraint: Member must have length %s", t->token,
		    *t->token ? "less than or equal to 36" :
		    "greater than or equal to 1");
	return PDB_OK;
}

/* The key attributes are there with the schema's types: when not, the
 * action is cancelled rather than the request refused. */
static int
key_types_match(const struct pdb_keyschema *ks, const json_t *item)
{
	const char *names[2] = { ks->hash, ks->range };
	const char types[2] = { ks->hash_type, ks->range_type };
	const json_t *v;
	const char *type;
	int i;

	for (i = 0; i < 2 && names[i][0] != '\0'; i++) {
		v = json_object_get(item, names[i]);
		if (!json_is_object(v) || json_object_size(v) != 1)
			return 0;
		type = json_object_iter_key(json_object_iter((json_t *)v));
		if (type[0] != types[i] || type[1] != '\0')
			return 0;
	}
	return 1;
}

static int
set_reason(struct pdb_action *a, enum pdb_reason r, const struct pdb_err *ae,
    struct pdb_err *e)
{
	a->reason = r;
	if ((a->message = strdup(ae->msg)) == NULL)
		return pdb_err_system(e, "out of memory");
	a->aws_len = ae->aws_len;
	return PDB_OK;
}

/* TransactionCanceledException, the reasons summarised as DynamoDB does;
 * the command line also learns which actions failed and why. */
static int
cancel(const struct pdb_transact *t, struct pdb_err *e)
{
	size_t i;

	pdb_err_set(e, PDB_E_TRANSACTION_CANCELED, "Transaction cancelled, "
	    "please refer cancellation reasons for specific reasons [");
	for (i = 0; i < t->n; i++)
		pdb_err_append(e, "%s%s", i ? ", " : "",
		    pdb_reason_name(t->a[i].reason));
	pdb_err_append(e, "]");
	for (i = 0; i < t->n; i++)
		if (t->a[i].reason != PDB_REASON_NONE)
			pdb_err_detail(e, "; action %zu on table %s: %s", i + 1,
			    t->a[i].req.table, t->a[i].message);
	return e->status;
}

/*
 * What is checked before any item is read, in DynamoDB's order: tables,
 * items, the payload, then each key against its schema (a mismatch
 * cancels the transaction: the first one gets the reason), then that no
 * two actions name one item.  *cancelled is set for a mismatch.
 */
static int
check_actions(struct pdb_tx *tx, struct pdb_transact *t, int *cancelled,
    struct pdb_err *e)
{
	struct pdb_item_name *names;
	const struct pdb_table *tbl;
	struct pdb_action *a;
	struct pdb_err ke;
	size_t i, size, total = 0;
	int rc = PDB_OK;

	*cancelled = 0;
	for (i = 0; i < t->n && rc == PDB_OK; i++) {
		a = &t->a[i];
		/* A path into a key refuses the whole request, as DynamoDB
		 * Local answers, not one action. */
		if ((rc = pdb_tx_table(tx, a->req.table, &tbl, e)) == PDB_OK &&
		    (a->kind == PDB_ACTION_CHECK || (rc =
		    pdb_check_item_paths(tbl, &a->req, e)) == PDB_OK) &&
		    (rc = pdb_value_check_item(a->req.item, &size, e)) ==
		    PDB_OK && (a->kind != PDB_ACTION_PUT ||
		    (rc = pdb_value_check_size(size, 0, e)) == PDB_OK))
			total += size;
	}
	if (rc == PDB_OK && total > PDB_TRANSACT_BYTES)
		rc = pdb_err_invalid(e, "Transaction payload size cannot "
		    "exceed 4MB. Payload Size: %zu", total);
	if (rc != PDB_OK)
		return rc;
	if ((names = calloc(t->n, sizeof(*names))) == NULL)
		return pdb_err_system(e, "out of memory");
	for (i = 0; i < t->n && rc == PDB_OK; i++) {
		a = &t->a[i];
		names[i].table = a->req.table;
		if ((rc = pdb_tx_table(tx, a->req.table, &tbl, e)) != PDB_OK ||
		    pdb_key_encode(&tbl->ks, a->req.item, a->kind ==
		    PDB_ACTION_PUT ? PDB_KEY_ITEM : PDB_KEY_LOOKUP,
		    names[i].key, &names[i].len, NULL, &ke) == PDB_OK)
			continue;
		if (key_types_match(&tbl->ks, a->req.item)) {
			*e = ke;	/* an empty or oversized key value */
			rc = e->status;
		} else if (!*cancelled) {
			*cancelled = 1;
			rc = set_reason(a, PDB_REASON_VALIDATION, &ke, e);
		}
	}
	if (rc == PDB_OK && !*cancelled)
		rc = pdb_items_distinct(names, t->n, "Transaction request "
		    "cannot include multiple operations on one item", e);
	free(names);
	return rc == PDB_OK && *cancelled ? cancel(t, e) : rc;
}

/* A retry of a committed transaction within the token's life: *replayed;
 * the same token with another request: a mismatch. */
static int
check_token(struct pdb_tx *tx, struct pdb_transact *t, struct pdb_err *e)
{
	char *request;
	int rc = PDB_OK;

	if (t->token == NULL)
		return PDB_OK;
	if (pdb_store_token_get(tx->db, t->token, pdb_db_now_ms(tx->db) -
	    PDB_TOKEN_LIFE_MS, &request, e) != PDB_OK)
		return e->status;
	if (request != NULL && strcmp(request, t->request) != 0) {
		pdb_err_set(e, PDB_E_IDEMPOTENT_MISMATCH, "%s", "");
		rc = pdb_err_detail(e, "ClientRequestToken %s was used in the "
		    "last 10 minutes with another request", t->token);
	}
	t->replayed = request != NULL;
	free(request);
	return rc;
}

/* A retry writes nothing and reads each item as it is now: AWS counts "the
 * read capacity units consumed in reading the item", and a transactional
 * read costs what TransactGetItems's does. */
static int
replay_units(struct pdb_tx *tx, struct pdb_action *a, struct pdb_err *e)
{
	struct pdb_item_req r = { .table = a->req.table, .consistent = 1 };
	const struct pdb_table *tbl;
	struct pdb_item_res res;
	int rc;

	if (pdb_tx_table(tx, r.table, &tbl, e) != PDB_OK)
		return e->status;
	if ((r.item = pdb_key_extract(&tbl->ks, a->req.item)) == NULL)
		return pdb_err_system(e, "out of memory");
	rc = pdb_op_get(tx, &r, &res, e);
	a->units = 2 * res.units;
	pdb_item_res_free(&res);
	json_decref(r.item);
	return rc;
}

/* Run one action; a failure of its own becomes its reason. */
static int
run_action(struct pdb_tx *tx, struct pdb_action *a, struct pdb_err *e)
{
	static int (*const ops[])(struct pdb_tx *, const struct pdb_item_req *,
	    struct pdb_item_res *, struct pdb_err *) = { pdb_op_put,
	    pdb_op_update, pdb_op_delete, pdb_op_check };
	struct pdb_item_res res;
	struct pdb_err ae;
	int rc, k;

	pdb_err_clear(&ae);
	rc = ops[a->kind](tx, &a->req, &res, &ae);
	/* Two units a write, in the table and in each index. */
	a->units = 2 * res.units;
	a->item = res.old;
	res.old = NULL;
	free(a->index);
	a->index = res.index;
	a->nindex = res.nindex;
	res.index = NULL;
	for (k = 0; k < a->nindex; k++)
		a->index[k].units *= 2;
	pdb_item_res_free(&res);
	if (rc == PDB_OK)
		return PDB_OK;
	if (ae.code == PDB_E_CONDITION_FAILED) {
		/* DynamoDB Local words a ConditionCheck's failure apart. */
		if (a->kind == PDB_ACTION_CHECK)
			pdb_err_append(&ae, ".");
		return set_reason(a, PDB_REASON_CONDITION, &ae, e);
	}
	if (ae.code == PDB_E_VALIDATION)
		return set_reason(a, PDB_REASON_VALIDATION, &ae, e);
	*e = ae;
	return e->status;
}

int
pdb_op_transact_write(struct pdb_tx *tx, struct pdb_transact *t,
    struct pdb_err *e)
{
	int cancelled = 0;
	size_t i;

	if (pdb_transact_check_counts(t, e) != PDB_OK ||
	    check_actions(tx, t, &cancelled, e) != PDB_OK ||
	    check_token(tx, t, e) != PDB_OK)
		return e->status;
	if (t->replayed) {
		for (i = 0; i < t->n; i++)
			if (replay_units(tx, &t->a[i], e) != PDB_OK)
				return e->status;
		return PDB_OK;
	}
	for (i = 0; i < t->n; i++) {
		if (run_action(tx, &t->a[i], e) != PDB_OK)
			return e->status;
		cancelled |= t->a[i].reason != PDB_REASON_NONE;
	}
	if (cancelled)
		return cancel(t, e);
	if (t->token == NULL)
		return PDB_OK;
	return pdb_store_token_put(tx->db, t->token, t->request,
	    pdb_db_now_ms(tx->db), pdb_db_now_ms(tx->db) - PDB_TOKEN_LIFE_MS, e);
}

int
pdb_op_transact_get(struct pdb_tx *tx, struct pdb_transact *t,
    struct pdb_err *e)
{
	struct pdb_item_res res;
	int cancelled;
	size_t i;

	if (pdb_transact_check_counts(t, e) != PDB_OK ||
	    check_actions(tx, t, &cancelled, e) != PDB_OK)
		return e->status;
	for (i = 0; i < t->n; i++) {
		t->a[i].req.consistent = 1;	/* and read units doubled */
		if (pdb_op_get(tx, &t->a[i].req, &res, e) != PDB_OK)
			return e->status;
		t->a[i].item = res.item;
		t->a[i].units = 2 * res.units;
	}
	return PDB_OK;
}
