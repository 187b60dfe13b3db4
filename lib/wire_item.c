/* wire_item.c — PutItem, GetItem, DeleteItem, UpdateItem, Query, Scan,
 * BatchWriteItem and BatchGetItem requests and responses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/value.h"
#include "wire_impl.h"

static const char *const returns[] = { "NONE", "ALL_OLD", "UPDATED_OLD",
    "ALL_NEW", "UPDATED_NEW", NULL };

struct item_call {
	struct pdb_item_req req;
	struct pdb_item_res res;
	int (*op)(struct pdb_tx *, const struct pdb_item_req *,
	    struct pdb_item_res *, struct pdb_err *);
	const char *table;
};

static int
run_item(struct wreq *r, void *arg)
{
	struct item_call *ic = arg;

	return ic->op(r->c->tx, &ic->req, &ic->res, r->e);
}

/* ReturnValues: any of the five for UpdateItem, NONE or ALL_OLD else. */
static int
return_values(struct wreq *r, int update, enum pdb_return *ret)
{
	int v;

	if (w_enum(r, "ReturnValues", "returnValues", returns, 0, &v) !=
	    PDB_OK)
		return r->e->status;
	/* AWS's text (dynalite's test/putItem.js); DynamoDB Local's is
	 * "Return values set to invalid value" (deviations.md D11). */
	if (!update && v > PDB_RETURN_ALL_OLD)
		return pdb_err_invalid(r->e, "ReturnValues can only be ALL_OLD "
		    "or NONE");
	*ret = (enum pdb_return)v;
	return PDB_OK;
}

static int
on_failure(struct wreq *r, int *old)
{
	static const char *const values[] = { "NONE", "ALL_OLD", NULL };

	return w_enum(r, "ReturnValuesOnConditionCheckFailure",
	    "returnValuesOnConditionCheckFailure", values, 0, old);
}

/* A failed condition's ALL_OLD item, as the error's member; NULL when out
 * of memory. */
static char *
failed_item(const char *item)
{
	struct pdb_buf b = { 0 };

	pdb_buf_puts(&b, "\"Item\":");
	pdb_buf_puts(&b, item);
	pdb_buf_putc(&b, '\0');
	if (!b.oom)
		return b.data;
	pdb_buf_free(&b);
	return NULL;
}

/* The answer of a write: Attributes, ConsumedCapacity. */
static void
write_response(struct wreq *r, struct item_call *ic)
{
	w_open(r);
	if (ic->res.item != NULL) {
		w_member(r, "Attributes");
		pdb_buf_puts(r->out, ic->res.item);
	}
	w_consumed_write(r, ic->table, ic->res.units, ic->res.index,
	    ic->res.nindex);
	w_close(r);
}

/* A request's item or key, and a PutItem's item prepared. */
struct item_values {
	int put;
	json_t *item;
	struct pdb_item_ready *ready;
};

/*
 * The item's or key's values, checked before the legacy members and the
 * expressions, and before the table is looked for: AWS's order
 * (dynalite's tests, against a table that does not exist; DynamoDB Local
 * too for the expressions, D29).  A PutItem's item is prepared here, not
 * while the other writers wait.
 */
static int
item_values(struct wreq *r, void *arg)
{
	struct item_values *v = arg;
	size_t size;

	if (!v->put)
		return pdb_value_check_item(v->item, &size, r->e);
	pdb_item_prepare(v->item, v->ready);
	if (v->ready->rc == PDB_OK)
		return PDB_OK;
	*r->e = v->ready->err;
	pdb_item_ready_free(v->ready);
	return r->e->status;
}

static int
write_item(struct wreq *r, struct item_call *ic, const char *member,
    const char *path, int update)
{
	struct pdb_expr_set set;
	struct pdb_item_ready ready = { .text = NULL };
	struct item_values values = { .put = ic->op == pdb_op_put,
	    .ready = &ready };
	const struct w_checks checks = { .first = item_values,
	    .arg = &values };
	json_t *item = NULL;
	int rc;

	if (w_table(r, &ic->table) != PDB_OK ||
	    w_object(r, r->body, member, &item) != PDB_OK ||
	    w_required(r, item, path) != PDB_OK ||
	    return_values(r, update, &ic->req.ret) != PDB_OK ||
	    on_failure(r, &ic->req.old_on_failure) != PDB_OK ||
	    w_capacity(r) != PDB_OK)
		return r->e->status;
	values.item = item;
	if ((rc = w_exprs_legacy(r, NULL, "ConditionExpression", update ?
	    "UpdateExpression" : NULL, NULL, NULL, &checks, &set)) == PDB_OK) {
		ic->req.table = ic->table;
		ic->req.item = item;
		ic->req.condition = set.condition;
		ic->req.update = set.update;
		ic->req.ready = ic->op == pdb_op_put ? &ready : NULL;
		rc = w_write(r, run_item, ic);
	}
	pdb_item_ready_free(&ready);
	if (rc == PDB_OK)
		write_response(r, ic);
	else if (ic->res.old != NULL && r->e->code == PDB_E_CONDITION_FAILED)
		r->error_members = failed_item(ic->res.old);
	pdb_item_res_free(&ic->res);
	pdb_exprs_free(set.x);
	return rc;
}

int
w_put_item(struct wreq *r)
{
	struct item_call ic = { .op = pdb_op_put };

	return write_item(r, &ic, "Item", "item", 0);
}

int
w_delete_item(struct wreq *r)
{
	struct item_call ic = { .op = pdb_op_delete };

	return write_item(r, &ic, "Key", "key", 0);
}

int
w_update_item(struct wreq *r)
{
	struct item_call ic = { .op = pdb_op_update };

	return write_item(r, &ic, "Key", "key", 1);
}

/* GetItem's and BatchGetItem's projection: an expression, or the legacy
 * AttributesToGet. */
static int
projection(struct wreq *r, const struct w_checks *checks,
    struct pdb_expr_set *set)
{
	return w_exprs_legacy(r, NULL, NULL, NULL, NULL,
	    "ProjectionExpression", checks, set);
}

int
w_get_item(struct wreq *r)
{
	struct item_call ic = { .op = pdb_op_get };
	struct pdb_expr_set set = { NULL };
	struct item_values values = { .put = 0 };
	const struct w_checks checks = { .first = item_values,
	    .arg = &values };
	json_t *key = NULL;
	int rc;

	if (w_table(r, &ic.table) != PDB_OK ||
	    w_object(r, r->body, "Key", &key) != PDB_OK ||
	    w_required(r, key, "key") != PDB_OK ||
	    w_bool(r, r->body, "ConsistentRead", &ic.req.consistent) !=
	    PDB_OK || w_capacity(r) != PDB_OK)
		return r->e->status;
	values.item = key;
	if ((rc = projection(r, &checks, &set)) == PDB_OK) {
		ic.req.table = ic.table;
		ic.req.item = key;
		ic.req.projection = set.projection;
		rc = w_read(r, run_item, &ic);
	}
	if (rc == PDB_OK) {
		w_open(r);
		if (ic.res.item != NULL) {
			w_member(r, "Item");
			pdb_buf_puts(r->out, ic.res.item);
		}
		w_consumed(r, ic.table, ic.res.units);
		w_close(r);
	}
	pdb_item_res_free(&ic.res);
	pdb_exprs_free(set.x);
	return rc;
}

struct read_call {
	struct pdb_read_req req;
	struct pdb_read_res res;
	struct pdb_buf *out;
	int items;		/* written so far */
};

static int
put_read_item(void *arg, const char *text, size_t len, struct pdb_err *e)
{
	struct read_call *rc = arg;

	if (rc->items++ > 0)
		pdb_buf_putc(rc->out, ',');
	pdb_buf_put(rc->out, text, len);
	return 0;
}

static int
run_read(struct wreq *r, void *arg)
{
	struct read_call *rc = arg;

	return pdb_op_read(r->c->tx, &rc->req, put_read_item, rc, &rc->res,
	    r->e);
}

/* Select, as named; the op layer weighs it against the rest. */
static int
select_mode(struct wreq *r, enum pdb_select *sel)
{
	static const char *const values[] = { "ALL_ATTRIBUTES",
	    "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT", NULL };
	static const enum pdb_select as[] = { PDB_SELECT_ALL_ATTRIBUTES,
	    PDB_SELECT_ALL_PROJECTED, PDB_SELECT_SPECIFIC, PDB_SELECT_COUNT,
	    PDB_SELECT_ALL };
	int v;

	if (w_enum(r, "Select", "select", values, 4, &v) != PDB_OK)
		return r->e->status;
	*sel = as[v];
	return PDB_OK;
}

/* Query (key set) and Scan share all but the key and the segments. */
static int
read_members(struct wreq *r, struct read_call *rc, int query)
{
	const char *index = NULL;
	long long limit = 0;
	int given = 0, forward = 1;

	if (w_table(r, &rc->req.table) != PDB_OK ||
	    w_string(r, r->body, "IndexName", &index) != PDB_OK ||
	    w_int(r, r->body, "Limit", &limit, &given) != PDB_OK ||
	    w_object(r, r->body, "ExclusiveStartKey", &rc->req.start) !=
	    PDB_OK ||
	    w_bool(r, r->body, "ConsistentRead", &rc->req.consistent) !=
	    PDB_OK || w_capacity(r) != PDB_OK)
		return r->e->status;
	rc->req.index = index;
	if (given && limit < 1)
		return pdb_err_invalid(r->e, "1 validation error detected: "
		    "Value '%lld' at 'limit' failed to satisfy constraint: "
		    "Member must have value greater than or equal to 1", limit);
	rc->req.limit = limit;
	if (query) {
		if (w_bool(r, r->body, "ScanIndexForward", &forward) != PDB_OK)
			return r->e->status;
		rc->req.reverse = !forward;
		return PDB_OK;
	}
	limit = 0;
	given = 0;
	if (w_int(r, r->body, "TotalSegments", &limit, &given) != PDB_OK)
		return r->e->status;
	rc->req.segments = given ? (int)(limit > 1000001 ? 1000001 : limit < 0 ?
	    -1 : limit) : 0;
	limit = 0;
	if (w_int(r, r->body, "Segment", &limit, &given) != PDB_OK)
		return r->e->status;
	if (!given && rc->req.segments != 0)
		return pdb_err_invalid(r->e, "The Segment parameter is required "
		    "but was not present in the request when parameter "
		    "TotalSegments is present");
	rc->req.segment = (int)(limit > 1000001 ? 1000001 : limit < -1 ? -1 :
	    limit);
	return PDB_OK;
}

static void
read_response(struct wreq *r, struct read_call *rc, int count_only)
{
	pdb_buf_putc(r->out, ']');
	if (count_only)
		r->out->len = 0;
	else
		r->members = 1;
	if (count_only)
		w_open(r);
	w_member(r, "Count");
	w_json(r, json_integer(rc->res.count));
	w_member(r, "ScannedCount");
	w_json(r, json_integer(rc->res.scanned));
	if (rc->res.last_key != NULL) {
		w_member(r, "LastEvaluatedKey");
		w_json(r, json_incref(rc->res.last_key));
	}
	w_consumed_read(r, rc->req.table, rc->res.units, rc->res.table_units,
	    rc->req.index, rc->res.global_index);
	w_close(r);
}

/* ExclusiveStartKey's values, after the legacy members (AWS's order,
 * dynalite's query.js and scan.js; D29). */
static int
start_values(struct wreq *r, void *arg)
{
	json_t *start = arg;

	return start != NULL ? pdb_read_check_start(start, r->e) : PDB_OK;
}

static int
read_call(struct wreq *r, int query)
{
	struct read_call rc = { .out = r->out };
	struct pdb_expr_set set = { NULL };
	struct w_checks checks = { .late = start_values };
	int status;

	if (read_members(r, &rc, query) != PDB_OK)
		return r->e->status;
	checks.arg = rc.req.start;
	if ((status = w_exprs_legacy(r, query ? "KeyConditionExpression" : NULL,
	    NULL, NULL, "FilterExpression", "ProjectionExpression", &checks,
	    &set)) ==
	    PDB_OK && query && set.key == NULL)
		status = pdb_err_invalid(r->e, "Either the KeyConditions or "
		    "KeyConditionExpression parameter must be specified in the "
		    "request.");
	if (status == PDB_OK &&
	    (status = select_mode(r, &rc.req.select)) == PDB_OK) {
		rc.req.key = set.key;
		rc.req.filter = set.filter;
		rc.req.projection = set.projection;
		pdb_buf_puts(r->out, "{\"Items\":[");
		status = w_read(r, run_read, &rc);
	}
	if (status == PDB_OK)
		read_response(r, &rc, rc.req.select == PDB_SELECT_COUNT);
	pdb_read_res_free(&rc.res);
	pdb_exprs_free(set.x);
	return status;
}

int
w_query(struct wreq *r)
{
	return read_call(r, 1);
}

int
w_scan(struct wreq *r)
{
	return read_call(r, 0);
}

/* The tables of RequestItems, with their members checked. */
static int
request_items(struct wreq *r, json_t **items)
{
	const char *table;
	json_t *v;

	*items = NULL;
	if (w_object(r, r->body, "RequestItems", items) != PDB_OK ||
	    w_required(r, *items, "requestItems") != PDB_OK)
		return r->e->status;
	/* AWS's model (dynalite); DynamoDB Local's words differ (D10.14). */
	if (json_object_size(*items) == 0)
		return pdb_err_invalid(r->e, "1 validation error detected: Value "
		    "'{}' at 'requestItems' failed to satisfy constraint: Member "
		    "must have length greater than or equal to 1");
	json_object_foreach(*items, table, v)
		if (pdb_table_check_name(table, r->e) != PDB_OK)
			return r->e->status;
	return PDB_OK;
}

/* One element of a table's list: {"PutRequest":{"Item":…}} or
 * {"DeleteRequest":{"Key":…}}. */
static int
write_request(struct wreq *r, const char *table, json_t *el,
    struct pdb_batch_write *w)
{
	json_t *put = NULL, *del = NULL, *item = NULL;

	if (!json_is_object(el))
		return pdb_err_set(r->e, PDB_E_SERIALIZATION, "%s cannot be "
		    "converted to WriteRequest (table %s)",
		    pdb_value_token_name(el), table);
	if (w_object(r, el, "PutRequest", &put) != PDB_OK ||
	    w_object(r, el, "DeleteRequest", &del) != PDB_OK)
		return r->e->status;
	/* DynamoDB's words for a union with both or neither member set
	 * (DynamoDB Local; the emulators that copied AWS agree). */
	if ((put == NULL) == (del == NULL)) {
		pdb_err_invalid(r->e, "Supplied AttributeValue has more than "
		    "one datatypes set, must contain exactly one of the "
		    "supported datatypes");
		return pdb_err_detail(r->e, " (a WriteRequest of table %s)",
		    table);
	}
	if (w_object(r, put ? put : del, put ? "Item" : "Key", &item) !=
	    PDB_OK || w_required(r, item, put ? "item" : "key") != PDB_OK)
		return r->e->status;
	memset(w, 0, sizeof(*w));
	w->table = table;
	w->item = item;
	w->del = del != NULL;
	return PDB_OK;
}

int
pdb_wire_write_request(const char *table, json_t *el,
    struct pdb_batch_write *w, struct pdb_err *e)
{
	struct wreq r = { .e = e };

	return write_request(&r, table, el, w);
}

struct batch_write {
	struct pdb_batch_write *w;
	size_t n;
};

static int
run_batch_write(struct wreq *r, void *arg)
{
	struct batch_write *b = arg;

	return pdb_op_batch_write(r->c->tx, b->w, b->n, r->e);
}

/* ConsumedCapacity of a batch: one entry a table, in request order, as
 * w_consumed gives a single item's (AWS, recorded by dynalite's
 * test/batchGetItem.js and test/batchWriteItem.js). */
static void
batch_consumed(struct wreq *r, struct w_tally *tally, size_t n)
{
	json_t *list;
	size_t i;

	if (r->capacity != 0) {
		list = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(list, w_tally_entry(&tally[i],
			    r->capacity, NULL, 0));
		w_member(r, "ConsumedCapacity");
		w_json(r, list);
	}
	w_tally_free(tally, n);
}

static void
batch_write_free(struct pdb_batch_write *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(w[i].index);
}

int
w_batch_write(struct wreq *r)
{
	struct pdb_batch_write w[PDB_BATCH_WRITE_MAX];
	struct w_tally tally[PDB_BATCH_WRITE_MAX];
	struct batch_write b = { w, 0 };
	const char *table;
	json_t *items, *list, *el;
	size_t i, nt = 0;

	if (request_items(r, &items) != PDB_OK || w_capacity(r) != PDB_OK)
		return r->e->status;
	json_object_foreach(items, table, list) {
		if (!json_is_array(list) || json_array_size(list) == 0)
			return pdb_err_invalid(r->e, "The batch write request "
			    "list for a table cannot be null or empty: %s",
			    table);
		json_array_foreach(list, i, el) {
			if (b.n == PDB_BATCH_WRITE_MAX)
				return pdb_err_invalid(r->e, "Too many items "
				    "requested for the BatchWriteItem call");
			if (write_request(r, table, el, &w[b.n++]) != PDB_OK)
				return r->e->status;
		}
	}
	if (w_write(r, run_batch_write, &b) != PDB_OK) {
		batch_write_free(w, b.n);
		return r->e->status;
	}
	for (i = 0; i < b.n; i++)
		w_tally_add(tally, &nt, w[i].table, w[i].units, w[i].index,
		    w[i].nindex);
	batch_write_free(w, b.n);
	w_open(r);
	w_member(r, "UnprocessedItems");
	pdb_buf_puts(r->out, "{}");
	batch_consumed(r, tally, nt);
	w_close(r);
	return PDB_OK;
}

/* One table's request of a BatchGetItem, read as a request of its own. */
static int
get_request(struct wreq *r, const char *table, json_t *o,
    struct pdb_batch_get *g, struct pdb_expr_set *set)
{
	struct wreq sub = *r;

	if (!json_is_object(o))
		return pdb_err_set(r->e, PDB_E_SERIALIZATION, "%s cannot be "
		    "converted to KeysAndAttributes (table %s)",
		    pdb_value_token_name(o), table);
	sub.body = o;
	g->table = table;
	g->keys = NULL;
	if (w_array(&sub, o, "Keys", &g->keys) != PDB_OK ||
	    w_required(&sub, g->keys, "keys") != PDB_OK ||
	    w_bool(&sub, o, "ConsistentRead", &g->consistent) != PDB_OK ||
	    projection(&sub, NULL, set) != PDB_OK)
		return r->e->status;
	g->projection = set->projection;
	return PDB_OK;
}

struct batch_get {
	struct pdb_batch_get *g;
	size_t n;
	struct pdb_buf *items;	/* one buffer a table */
	int *count;
};

static int
put_batch_item(void *arg, size_t table, const char *text)
{
	struct batch_get *b = arg;

	if (b->count[table]++ > 0)
		pdb_buf_putc(&b->items[table], ',');
	pdb_buf_puts(&b->items[table], text);
	return b->items[table].oom;
}

static int
run_batch_get(struct wreq *r, void *arg)
{
	struct batch_get *b = arg;

	return pdb_op_batch_get(r->c->tx, b->g, b->n, put_batch_item, b, r->e);
}

static void
batch_get_response(struct wreq *r, struct batch_get *b)
{
	struct w_tally tally[PDB_BATCH_GET_MAX];
	size_t i, nt = 0;

	w_open(r);
	w_member(r, "Responses");
	pdb_buf_putc(r->out, '{');
	for (i = 0; i < b->n; i++) {
		if (i)
			pdb_buf_putc(r->out, ',');
		pdb_buf_put_json_string(r->out, b->g[i].table,
		    strlen(b->g[i].table));
		pdb_buf_puts(r->out, ":[");
		pdb_buf_put(r->out, b->items[i].data, b->items[i].len);
		pdb_buf_putc(r->out, ']');
		w_tally_add(tally, &nt, b->g[i].table, b->g[i].units, NULL, 0);
	}
	pdb_buf_putc(r->out, '}');
	w_member(r, "UnprocessedKeys");
	pdb_buf_puts(r->out, "{}");
	batch_consumed(r, tally, nt);
	w_close(r);
}

int
w_batch_get(struct wreq *r)
{
	struct pdb_batch_get g[PDB_BATCH_GET_MAX];
	struct pdb_expr_set sets[PDB_BATCH_GET_MAX];
	struct pdb_buf items[PDB_BATCH_GET_MAX];
	int count[PDB_BATCH_GET_MAX];
	struct batch_get b = { g, 0, items, count };
	const char *table;
	json_t *tables, *o;
	size_t i;
	int rc = PDB_OK;

	memset(items, 0, sizeof(items));
	memset(count, 0, sizeof(count));
	memset(g, 0, sizeof(g));
	if (request_items(r, &tables) != PDB_OK || w_capacity(r) != PDB_OK)
		return r->e->status;
	if (json_object_size(tables) > PDB_BATCH_GET_MAX)
		return pdb_err_invalid(r->e, "Too many items requested for the "
		    "BatchGetItem call");
	json_object_foreach(tables, table, o) {
		memset(&sets[b.n], 0, sizeof(sets[b.n]));
		if ((rc = get_request(r, table, o, &g[b.n], &sets[b.n])) !=
		    PDB_OK) {
			b.n++;
			break;
		}
		b.n++;
	}
	if (rc == PDB_OK && (rc = w_read(r, run_batch_get, &b)) == PDB_OK)
		batch_get_response(r, &b);
	for (i = 0; i < b.n; i++) {
		pdb_exprs_free(sets[i].x);
		pdb_buf_free(&items[i]);
	}
	return rc;
}
