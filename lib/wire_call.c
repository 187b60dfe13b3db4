/* wire_call.c — answering one call of the DynamoDB JSON protocol: the
 * target, the request's members, transactions and the response. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "pdb/value.h"
#include "wire_impl.h"

static int
wrong_type(struct wreq *r, const json_t *v, const char *name,
    const char *want)
{
	return pdb_wire_wrong_type(r->e, v, name, want);
}

int
w_string(struct wreq *r, const json_t *o, const char *name, const char **out)
{
	const json_t *v = json_object_get(o, name);

	if (v == NULL || json_is_null(v))
		return PDB_OK;
	if (!json_is_string(v))
		return wrong_type(r, v, name, "String");
	*out = json_string_value(v);
	return PDB_OK;
}

int
w_object(struct wreq *r, const json_t *o, const char *name, json_t **out)
{
	json_t *v = json_object_get(o, name);

	if (v == NULL || json_is_null(v))
		return PDB_OK;
	if (!json_is_object(v))
		return wrong_type(r, v, name, "Map");
	*out = v;
	return PDB_OK;
}

int
w_array(struct wreq *r, const json_t *o, const char *name, json_t **out)
{
	json_t *v = json_object_get(o, name);

	if (v == NULL || json_is_null(v))
		return PDB_OK;
	if (!json_is_array(v))
		return wrong_type(r, v, name, "List");
	*out = v;
	return PDB_OK;
}

int
w_bool(struct wreq *r, const json_t *o, const char *name, int *out)
{
	const json_t *v = json_object_get(o, name);

	if (v == NULL || json_is_null(v))
		return PDB_OK;
	if (!json_is_boolean(v))
		return wrong_type(r, v, name, "Boolean");
	*out = json_is_true(v);
	return PDB_OK;
}

int
w_int(struct wreq *r, const json_t *o, const char *name, long long *out,
    int *given)
{
	const json_t *v = json_object_get(o, name);

	if (v == NULL || json_is_null(v))
		return PDB_OK;
	if (!json_is_integer(v))
		return wrong_type(r, v, name, "Integer");
	*out = json_integer_value(v);
	if (given != NULL)
		*given = 1;
	return PDB_OK;
}

int
w_required(struct wreq *r, const void *v, const char *path)
{
	if (v != NULL)
		return PDB_OK;
	return pdb_err_invalid(r->e, "1 validation error detected: Value null "
	    "at '%s' failed to satisfy constraint: Member must not be null",
	    path);
}

int
w_enum_in(struct wreq *r, const json_t *o, const char *name,
    const char *path, const char *const *names, int dflt, int *out)
{
	const char *s = NULL;
	char set[256] = "";
	size_t len = 0;
	int i;

	if (w_string(r, o, name, &s) != PDB_OK)
		return r->e->status;
	*out = dflt;
	if (s == NULL)
		return PDB_OK;
	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return PDB_OK;
		}
		len += (size_t)snprintf(set + len, sizeof(set) - len, "%s%s",
		    i ? ", " : "", names[i]);
	}
	return pdb_err_invalid(r->e, "1 validation error detected: Value '%s' "
	    "at '%s' failed to satisfy constraint: Member must satisfy enum "
	    "value set: [%s]", s, path, set);
}

int
w_enum(struct wreq *r, const char *name, const char *path,
    const char *const *names, int dflt, int *out)
{
	return w_enum_in(r, r->body, name, path, names, dflt, out);
}

int
w_table(struct wreq *r, const char **table)
{
	const char *s = NULL, *slash;

	if (w_string(r, r->body, "TableName", &s) != PDB_OK ||
	    w_required(r, s, "tableName") != PDB_OK)
		return r->e->status;
	/* arn:aws:dynamodb:REGION:ACCOUNT:table/NAME names its table. */
	if (strncmp(s, "arn:", 4) == 0 && (slash = strstr(s, ":table/")) !=
	    NULL && strchr(slash + 7, '/') == NULL)
		s = slash + 7;
	*table = s;
	return pdb_table_check_name(s, r->e);
}

int
w_capacity(struct wreq *r)
{
	static const char *const values[] = { "NONE", "TOTAL", "INDEXES",
	    NULL };

	return w_enum(r, "ReturnConsumedCapacity", "returnConsumedCapacity",
	    values, 0, &r->capacity);
}

int
w_placeholders(struct wreq *r, int valued, json_t **names, json_t **values)
{
	*names = *values = NULL;
	if (w_object(r, r->body, "ExpressionAttributeNames", names) != PDB_OK)
		return r->e->status;
	/* GetItem has no ExpressionAttributeValues member: AWS ignores it. */
	if (valued && w_object(r, r->body, "ExpressionAttributeValues",
	    values) != PDB_OK)
		return r->e->status;
	return PDB_OK;
}

int
w_texts(struct wreq *r, const char *key, const char *condition,
    const char *update, const char *filter, const char *projection,
    struct pdb_expr_texts *t)
{
	t->takes = (key ? PDB_TAKES(PDB_EXPR_KEY) : 0) |
	    (condition ? PDB_TAKES(PDB_EXPR_CONDITION) : 0) |
	    (update ? PDB_TAKES(PDB_EXPR_UPDATE) : 0) |
	    (filter ? PDB_TAKES(PDB_EXPR_FILTER) : 0) |
	    (projection ? PDB_TAKES(PDB_EXPR_PROJECTION) : 0);
	if ((key && w_string(r, r->body, key, &t->key) != PDB_OK) ||
	    (condition && w_string(r, r->body, condition, &t->condition) !=
	    PDB_OK) ||
	    (update && w_string(r, r->body, update, &t->update) != PDB_OK) ||
	    (filter && w_string(r, r->body, filter, &t->filter) != PDB_OK) ||
	    (projection && w_string(r, r->body, projection, &t->projection) !=
	    PDB_OK))
		return r->e->status;
	return PDB_OK;
}

int
w_exprs(struct wreq *r, const char *key, const char *condition,
    const char *update, const char *filter, const char *projection,
    struct pdb_expr_set *set)
{
	struct pdb_expr_texts t = { NULL };
	json_t *names = NULL, *values = NULL;

	memset(set, 0, sizeof(*set));
	if (w_texts(r, key, condition, update, filter, projection, &t) !=
	    PDB_OK || w_placeholders(r, key || condition || update || filter,
	    &names, &values) != PDB_OK)
		return r->e->status;
	/* The request's copy of the values is canonicalised in place. */
	return pdb_exprs_request(json_incref(names), values ?
	    json_deep_copy(values) : NULL, &t, set, r->e);
}

/* A write of the call, for its group. */
struct wjob {
	struct wreq *r;
	int (*fn)(struct wreq *, void *);
	void *arg;
};

/* fn, seeing the group's transaction as the call's. */
static int
run_wjob(void *arg, struct pdb_tx *tx, struct pdb_err *e)
{
	struct wjob *j = arg;
	const struct pdb_call *c = j->r->c;
	struct pdb_call wc = *c;
	int rc;

	(void)e;	/* j->r->e */
	wc.tx = tx;
	wc.db = tx->db;
	j->r->c = &wc;
	rc = j->fn(j->r, j->arg);
	j->r->c = c;
	return rc;
}

/* Writers of a group share transactions; others wait for other
 * processes in BEGIN IMMEDIATE.  fn sees the writing transaction in
 * r->c. */
int
w_write(struct wreq *r, int (*fn)(struct wreq *, void *), void *arg)
{
	struct wjob j = { r, fn, arg };
	int rc;

	if (r->c->group != NULL)
		return pdb_group_write(r->c->group, run_wjob, &j, r->e);
	if ((rc = pdb_tx_begin_write(r->c->tx, r->e)) == PDB_OK) {
		if ((rc = fn(r, arg)) == PDB_OK)
			rc = pdb_tx_commit(r->c->tx, r->e);
		else
			pdb_tx_rollback(r->c->tx);
	}
	return rc;
}

int
w_read(struct wreq *r, int (*fn)(struct wreq *, void *), void *arg)
{
	int rc;

	if ((rc = pdb_tx_begin_read(r->c->tx, r->e)) == PDB_OK) {
		rc = fn(r, arg);
		pdb_tx_rollback(r->c->tx);
	}
	return rc;
}

void
w_open(struct wreq *r)
{
	pdb_buf_putc(r->out, '{');
	r->members = 0;
}

void
w_member(struct wreq *r, const char *name)
{
	if (r->members++ > 0)
		pdb_buf_putc(r->out, ',');
	pdb_buf_put_json_string(r->out, name, strlen(name));
	pdb_buf_putc(r->out, ':');
}

void
w_close(struct wreq *r)
{
	pdb_buf_putc(r->out, '}');
}

void
w_json(struct wreq *r, json_t *json)
{
	char *text = json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY);

	if (text == NULL)
		r->out->oom = 1;
	else
		pdb_buf_puts(r->out, text);
	free(text);
	json_decref(json);
}

void
w_tally_add(struct w_tally *tally, size_t *n, const char *table,
    double units, const struct pdb_index_units *ix, int nix)
{
	struct w_tally *t;
	json_t **m;
	size_t j;
	int i;

	for (j = 0; j < *n && strcmp(tally[j].table, table) != 0; j++)
		;
	t = &tally[j];
	if (j == *n) {
		memset(t, 0, sizeof(*t));
		t->table = table;
		(*n)++;
	}
	t->units += units;
	for (i = 0; i < nix; i++) {
		m = &t->by[ix[i].global != 0];
		if (*m == NULL)
			*m = json_object();
		json_object_set_new(*m, ix[i].name, json_real(ix[i].units +
		    json_number_value(json_object_get(*m, ix[i].name))));
	}
}

/* o with "CapacityUnits":units, and kind beside it when given. */
static json_t *
units_json(json_t *o, double units, const char *kind)
{
	json_object_set_new(o, "CapacityUnits", json_real(units));
	if (kind != NULL)
		json_object_set_new(o, kind, json_real(units));
	return o;
}

json_t *
w_tally_entry(const struct w_tally *t, int capacity, const char *kind,
    int inner_kind)
{
	static const char *const names[2] = { "LocalSecondaryIndexes",
	    "GlobalSecondaryIndexes" };
	const char *ik = inner_kind ? kind : NULL;
	json_t *c, *each, *v;
	const char *k;
	double total = t->units;
	int g;

	for (g = 0; g < 2; g++)
		json_object_foreach(t->by[g], k, v)
			total += json_number_value(v);
	c = units_json(json_pack("{s:s}", "TableName", t->table), total,
	    kind);
	if (capacity != 2)
		return c;
	json_object_set_new(c, "Table", units_json(json_object(), t->units,
	    ik));
	for (g = 0; g < 2; g++) {
		if (json_object_size(t->by[g]) == 0)
			continue;
		each = json_object();
		json_object_foreach(t->by[g], k, v)
			json_object_set_new(each, k, units_json(json_object(),
			    json_number_value(v), ik));
		json_object_set_new(c, names[g], each);
	}
	return c;
}

void
w_tally_free(struct w_tally *tally, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		json_decref(tally[i].by[0]);
		json_decref(tally[i].by[1]);
	}
}

/* One call's ConsumedCapacity, when asked for. */
static void
consumed(struct wreq *r, const char *table, double units,
    const struct pdb_index_units *ix, int nix)
{
	struct w_tally t;
	size_t n = 0;

	if (r->capacity == 0)
		return;
	w_tally_add(&t, &n, table, units, ix, nix);
	w_member(r, "ConsumedCapacity");
	w_json(r, w_tally_entry(&t, r->capacity, NULL, 0));
	w_tally_free(&t, n);
}

void
w_consumed(struct wreq *r, const char *table, double units)
{
	consumed(r, table, units, NULL, 0);
}

/* A read of an index costs the table nothing but an LSI's fetches: its
 * units are the index's (AWS, recorded by dynalite's test/query.js). */
void
w_consumed_read(struct wreq *r, const char *table, double units,
    double table_units, const char *index, int global)
{
	struct pdb_index_units ix = { .global = global,
	    .units = units - table_units };

	if (index == NULL) {
		consumed(r, table, units, NULL, 0);
		return;
	}
	snprintf(ix.name, sizeof(ix.name), "%s", index);
	consumed(r, table, table_units, &ix, 1);
}

void
w_consumed_write(struct wreq *r, const char *table, double units,
    const struct pdb_index_units *ix, int n)
{
	consumed(r, table, units, ix, n);
}

static const struct {
	const char *name;
	int (*fn)(struct wreq *);
} dynamodb[] = {
	{ "BatchGetItem", w_batch_get },
	{ "BatchWriteItem", w_batch_write },
	{ "CreateTable", w_create_table },
	{ "DeleteItem", w_delete_item },
	{ "DeleteTable", w_delete_table },
	{ "DescribeEndpoints", w_describe_endpoints },
	{ "DescribeLimits", w_describe_limits },
	{ "DescribeTable", w_describe_table },
	{ "DescribeTimeToLive", w_describe_ttl },
	{ "GetItem", w_get_item },
	{ "ListTables", w_list_tables },
	{ "ListTagsOfResource", w_list_tags },
	{ "PutItem", w_put_item },
	{ "Query", w_query },
	{ "Scan", w_scan },
	{ "TagResource", w_tag_resource },
	{ "TransactGetItems", w_transact_get },
	{ "TransactWriteItems", w_transact_write },
	{ "UntagResource", w_untag_resource },
	{ "UpdateItem", w_update_item },
	{ "UpdateTable", w_update_table },
	{ "UpdateTimeToLive", w_update_ttl },
	{ NULL, NULL }
}, streams[] = {
	{ "DescribeStream", w_describe_stream },
	{ "GetRecords", w_get_records },
	{ "GetShardIterator", w_get_shard_iterator },
	{ "ListStreams", w_list_streams },
	{ NULL, NULL }
};

/* The operation the target names, or NULL. */
static int (*operation(const char *target))(struct wreq *)
{
	static const char ddb[] = "DynamoDB_20120810.";
	static const char str[] = "DynamoDBStreams_20120810.";
	const char *op;
	int i;

	if (target == NULL)
		return NULL;
	if (strncmp(target, ddb, sizeof(ddb) - 1) == 0) {
		op = target + sizeof(ddb) - 1;
		for (i = 0; dynamodb[i].name != NULL; i++)
			if (strcmp(op, dynamodb[i].name) == 0)
				return dynamodb[i].fn;
	} else if (strncmp(target, str, sizeof(str) - 1) == 0) {
		op = target + sizeof(str) - 1;
		for (i = 0; streams[i].name != NULL; i++)
			if (strcmp(op, streams[i].name) == 0)
				return streams[i].fn;
	}
	return NULL;
}

/* The error body, with the members the operation added. */
static void
error_body(struct wreq *r)
{
	r->out->len = 0;
	r->out->oom = 0;
	pdb_wire_error(r->out, r->e);
	if (r->error_members != NULL) {
		r->out->len--;	/* reopen the object */
		pdb_buf_putc(r->out, ',');
		pdb_buf_puts(r->out, r->error_members);
		pdb_buf_putc(r->out, '}');
	}
}

int
pdb_wire_call(const struct pdb_call *c, const char *target, const char *body,
    size_t len, struct pdb_buf *out)
{
	struct pdb_err e;
	struct wreq r = { .c = c, .out = out, .e = &e };
	int (*fn)(struct wreq *) = operation(target);
	json_error_t je;
	int rc;

	pdb_err_clear(&e);
	out->len = 0;
	if (fn == NULL)
		rc = pdb_err_set(&e, PDB_E_UNKNOWN_OPERATION, "An unknown "
		    "operation was requested.");
	else if ((r.body = json_loadb(body, len, JSON_ALLOW_NUL, &je)) == NULL)
		rc = pdb_err_set(&e, PDB_E_SERIALIZATION, "Malformed JSON at "
		    "line %d, column %d: %s", je.line, je.column, je.text);
	else if (!json_is_object(r.body))
		rc = pdb_err_set(&e, PDB_E_SERIALIZATION, "Start of %s found "
		    "where a request object was expected",
		    pdb_value_token_name(r.body));
	else
		rc = fn(&r);
	if (rc == PDB_OK && out->oom)
		rc = pdb_err_system(&e, "out of memory");
	if (rc != PDB_OK)
		error_body(&r);
	free(r.error_members);
	json_decref(r.body);
	return rc == PDB_OK ? 200 : pdb_err_http(e.code);
}
