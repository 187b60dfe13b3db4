/* wire_transact.c — TransactWriteItems and TransactGetItems requests and
 * responses, for pdb-serve and pdb-transact alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/value.h"
#include "wire_impl.h"

/* The members of an action, as DynamoDB names them in paths. */
static const struct kind {
	const char *member, *path;
	const char *item, *item_path;	/* "Item" or "Key" */
	const char *required;		/* an expression it must have */
} kinds[] = {
	[PDB_ACTION_PUT] = { "Put", "put", "Item", "item", NULL },
	[PDB_ACTION_UPDATE] = { "Update", "update", "Key", "key",
	    "UpdateExpression" },
	[PDB_ACTION_DELETE] = { "Delete", "delete", "Key", "key", NULL },
	[PDB_ACTION_CHECK] = { "ConditionCheck", "conditionCheck", "Key", "key",
	    "ConditionExpression" },
	[PDB_ACTION_GET] = { "Get", "get", "Key", "key", NULL },
};

/* Which kind of write el holds. */
static int
write_kind(struct wreq *r, const json_t *el, enum pdb_action_kind *kind)
{
	int k, found = 0;

	for (k = PDB_ACTION_PUT; k <= PDB_ACTION_CHECK; k++)
		if (json_object_get(el, kinds[k].member) != NULL) {
			*kind = (enum pdb_action_kind)k;
			found++;
		}
	if (found == 0)
		return pdb_err_invalid(r->e, "Invalid Request: "
		    "TransactWriteRequest should contain Delete or Put or "
		    "Update request");
	if (found > 1)
		return pdb_err_invalid(r->e, "TransactItems can only contain one "
		    "of Check, Put, Update or Delete");
	return PDB_OK;
}

/* The members of one action, read as a request of its own. */
static int
action_members(struct wreq *r, size_t i, struct pdb_action *a)
{
	static const char *const on_failure[] = { "NONE", "ALL_OLD", NULL };
	const struct kind *k = &kinds[a->kind];
	struct pdb_expr_set set = { NULL };
	char path[160];
	const char *name = NULL, *text = NULL;
	int rc;

#define AT(m) (snprintf(path, sizeof(path), "transactItems.%zu.member.%s.%s", \
    i + 1, k->path, (m)), path)
	if (w_string(r, r->body, "TableName", &name) != PDB_OK ||
	    w_required(r, name, AT("tableName")) != PDB_OK ||
	    w_table(r, &a->req.table) != PDB_OK ||
	    w_object(r, r->body, k->item, &a->req.item) != PDB_OK ||
	    w_required(r, a->req.item, AT(k->item_path)) != PDB_OK)
		return r->e->status;
	if (k->required != NULL && (w_string(r, r->body, k->required, &text) !=
	    PDB_OK || w_required(r, text, AT(a->kind == PDB_ACTION_CHECK ?
	    "conditionExpression" : "updateExpression")) != PDB_OK))
		return r->e->status;
	if (a->kind != PDB_ACTION_GET && w_enum(r,
	    "ReturnValuesOnConditionCheckFailure",
	    AT("returnValuesOnConditionCheckFailure"), on_failure, 0,
	    &a->req.old_on_failure) != PDB_OK)
		return r->e->status;
#undef AT
	if (a->kind == PDB_ACTION_GET)
		rc = w_exprs(r, NULL, NULL, NULL, NULL, "ProjectionExpression",
		    &set);
	else
		rc = w_exprs(r, NULL, "ConditionExpression", a->kind ==
		    PDB_ACTION_UPDATE ? "UpdateExpression" : NULL, NULL, NULL,
		    &set);
	a->exprs = set.x;
	a->req.condition = set.condition;
	a->req.update = set.update;
	a->req.projection = set.projection;
	return rc;
}

static int
action(struct wreq *r, int get, size_t i, json_t *el, struct pdb_action *a)
{
	struct wreq sub = *r;
	json_t *o = NULL;
	char path[64];

	if (!json_is_object(el))
		return pdb_err_set(r->e, PDB_E_SERIALIZATION, "%s cannot be "
		    "converted to %s", pdb_value_token_name(el), get ?
		    "TransactGetItem" : "TransactWriteItem");
	if (get) {
		a->kind = PDB_ACTION_GET;
		snprintf(path, sizeof(path), "transactItems.%zu.member.get",
		    i + 1);
		if (w_object(r, el, "Get", &o) != PDB_OK ||
		    w_required(r, o, path) != PDB_OK)
			return r->e->status;
	} else if (write_kind(r, el, &a->kind) != PDB_OK ||
	    w_object(r, el, kinds[a->kind].member, &o) != PDB_OK)
		return r->e->status;
	sub.body = o;
	return action_members(&sub, i, a);
}

int
pdb_wire_transact_request(json_t *req, int get, struct pdb_transact *t,
    int *capacity, struct pdb_err *e)
{
	static const char *const metrics[] = { "NONE", "SIZE", NULL };
	struct wreq r = { .body = req, .e = e };
	struct pdb_transact asked = { 0 };
	json_t *items = NULL;
	int ignored;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (w_array(&r, req, "TransactItems", &items) != PDB_OK ||
	    w_required(&r, items, "transactItems") != PDB_OK ||
	    (!get && w_string(&r, req, "ClientRequestToken", &asked.token) !=
	    PDB_OK))
		return e->status;
	/* The limits before the actions are allocated: a body of a million
	 * actions is refused, not made room for. */
	asked.n = json_array_size(items);
	if (pdb_transact_check_counts(&asked, e) != PDB_OK ||
	    pdb_transact_init(t, asked.n, e) != PDB_OK)
		return e->status;
	t->token = asked.token;
	if (w_capacity(&r) != PDB_OK ||
	    (!get && w_enum(&r, "ReturnItemCollectionMetrics",
	    "returnItemCollectionMetrics", metrics, 0, &ignored) != PDB_OK))
		return e->status;
	*capacity = r.capacity;
	if (t->token != NULL && (t->request = json_dumps(items, JSON_COMPACT |
	    JSON_SORT_KEYS)) == NULL)
		return pdb_err_system(e, "out of memory");
	for (i = 0; i < t->n; i++)
		if (action(&r, get, i, json_array_get(items, i), &t->a[i]) !=
		    PDB_OK)
			return e->status;
	return PDB_OK;
}

/* ConsumedCapacity of a transaction: one entry a table, in request
 * order, its units counted as reads (TransactGetItems, or a retry of a
 * write) or writes, a write's in its table's indexes too. */
static void
consumed(struct pdb_buf *b, const struct pdb_transact *t, int get,
    int capacity)
{
	const char *kind = get || t->replayed ? "ReadCapacityUnits" :
	    "WriteCapacityUnits";
	struct w_tally tally[PDB_TRANSACT_MAX];
	json_t *list = json_array();
	char *text;
	size_t i, n = 0;

	for (i = 0; i < t->n && i < PDB_TRANSACT_MAX; i++)
		w_tally_add(tally, &n, t->a[i].req.table, t->a[i].units,
		    t->a[i].index, t->a[i].nindex);
	/* INDEXES: TransactGetItems's reads, as GetItem's, name only
	 * CapacityUnits in Table; a retry's name their kind too, as
	 * DynamoDB Local answers. */
	for (i = 0; i < n; i++)
		json_array_append_new(list, w_tally_entry(&tally[i], capacity,
		    kind, !get));
	w_tally_free(tally, n);
	pdb_buf_puts(b, "\"ConsumedCapacity\":");
	text = json_dumps(list, JSON_COMPACT | JSON_REAL_PRECISION(17));
	if (text == NULL)
		b->oom = 1;
	else
		pdb_buf_puts(b, text);
	free(text);
	json_decref(list);
}

void
pdb_wire_transact_response(struct pdb_buf *b, const struct pdb_transact *t,
    int get, int capacity)
{
	size_t i;

	pdb_buf_putc(b, '{');
	if (capacity != 0) {
		consumed(b, t, get, capacity);
		if (get)
			pdb_buf_putc(b, ',');
	}
	if (get) {
		pdb_buf_puts(b, "\"Responses\":[");
		for (i = 0; i < t->n; i++) {
			pdb_buf_puts(b, i ? ",{" : "{");
			if (t->a[i].item != NULL) {
				pdb_buf_puts(b, "\"Item\":");
				pdb_buf_puts(b, t->a[i].item);
			}
			pdb_buf_putc(b, '}');
		}
		pdb_buf_putc(b, ']');
	}
	pdb_buf_putc(b, '}');
}

void
pdb_wire_transact_reasons(struct pdb_buf *b, const struct pdb_transact *t)
{
	const struct pdb_action *a;
	size_t i;

	pdb_buf_puts(b, "\"CancellationReasons\":[");
	for (i = 0; i < t->n; i++) {
		a = &t->a[i];
		pdb_buf_puts(b, i ? ",{\"Code\":" : "{\"Code\":");
		pdb_buf_put_json_string(b, pdb_reason_name(a->reason),
		    strlen(pdb_reason_name(a->reason)));
		if (a->reason != PDB_REASON_NONE) {
			pdb_buf_puts(b, ",\"Message\":");
			pdb_buf_put_json_string(b, a->message, a->aws_len);
		}
		if (a->item != NULL && a->reason == PDB_REASON_CONDITION) {
			pdb_buf_puts(b, ",\"Item\":");
			pdb_buf_puts(b, a->item);
		}
		pdb_buf_putc(b, '}');
	}
	pdb_buf_putc(b, ']');
}

struct transact_call {
	struct pdb_transact t;
	int get;
};

static int
run_transact(struct wreq *r, void *arg)
{
	struct transact_call *tc = arg;

	return (tc->get ? pdb_op_transact_get : pdb_op_transact_write)(
	    r->c->tx, &tc->t, r->e);
}

static int
transact(struct wreq *r, int get)
{
	struct transact_call tc = { .get = get };
	struct pdb_buf reasons = { 0 };
	int rc;

	if ((rc = pdb_wire_transact_request(r->body, get, &tc.t, &r->capacity,
	    r->e)) == PDB_OK)
		rc = (get ? w_read : w_write)(r, run_transact, &tc);
	if (rc == PDB_OK)
		pdb_wire_transact_response(r->out, &tc.t, get, r->capacity);
	else if (r->e->code == PDB_E_TRANSACTION_CANCELED) {
		pdb_wire_transact_reasons(&reasons, &tc.t);
		pdb_buf_putc(&reasons, '\0');
		r->error_members = reasons.oom ? NULL : reasons.data;
		if (reasons.oom)
			pdb_buf_free(&reasons);
	}
	pdb_transact_free(&tc.t);
	return rc;
}

int
w_transact_write(struct wreq *r)
{
	return transact(r, 0);
}

int
w_transact_get(struct wreq *r)
{
	return transact(r, 1);
}
