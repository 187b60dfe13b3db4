/* dump.c — a database as JSON lines (CreateTable and PutItem requests),
 * and such lines applied back. */
#include <stdlib.h>
#include <string.h>

#include "pdb/dump.h"
#include "pdb/key.h"
#include "pdb/op_item.h"
#include "pdb/op_read.h"
#include "pdb/op_table.h"
#include "pdb/op_ttl.h"
#include "pdb/value.h"
#include "pdb/wire.h"

/* Lines go out once this much is waiting. */
#define DUMP_CHUNK (64 * 1024)

struct dumping {
	struct pdb_buf b;
	struct pdb_buf prefix;	/* {"TableName":"…","Item": */
	int (*out)(void *, const struct pdb_buf *, struct pdb_err *);
	void *arg;
};

static int
flush(struct dumping *d, struct pdb_err *e)
{
	if (d->b.len > 0 && d->out(d->arg, &d->b, e) != PDB_OK)
		return e->status;
	d->b.len = 0;
	return PDB_OK;
}

static int
dump_item(void *arg, const char *text, size_t len, struct pdb_err *e)
{
	struct dumping *d = arg;

	pdb_buf_put(&d->b, d->prefix.data, d->prefix.len);
	pdb_buf_put(&d->b, text, len);
	pdb_buf_puts(&d->b, "}\n");
	return d->b.len >= DUMP_CHUNK && flush(d, e) != PDB_OK;
}

/* Time to Live, when on, as the UpdateTimeToLive request that sets it. */
static int
dump_ttl(struct pdb_tx *tx, struct dumping *d, const char *name,
    struct pdb_err *e)
{
	char attr[PDB_NAME_MAX];

	if (pdb_op_describe_ttl(tx, name, attr, e) != PDB_OK)
		return e->status;
	if (attr[0] == '\0')
		return PDB_OK;
	pdb_buf_puts(&d->b, "{\"TableName\":");
	pdb_buf_put_json_string(&d->b, name, strlen(name));
	pdb_buf_puts(&d->b, ",\"TimeToLiveSpecification\":{\"Enabled\":true,"
	    "\"AttributeName\":");
	pdb_buf_put_json_string(&d->b, attr, strlen(attr));
	pdb_buf_puts(&d->b, "}}\n");
	return PDB_OK;
}

/* The table's CreateTable request, its TTL, then every item, a page at a
 * time. */
static int
dump_table(struct pdb_tx *tx, struct dumping *d, const char *name,
    struct pdb_err *e)
{
	struct pdb_table_info info;
	struct pdb_read_req req = { .table = name, .consistent = 1 };
	struct pdb_read_res res = { 0 };
	json_t *ct;
	char *text;
	int rc;

	if (pdb_op_describe_table(tx, name, &info, e) != PDB_OK)
		return e->status;
	ct = pdb_wire_create_table_request(&info);
	text = json_dumps(ct, JSON_COMPACT);
	json_decref(ct);
	pdb_table_info_free(&info);
	if (text == NULL)
		return pdb_err_system(e, "out of memory");
	pdb_buf_puts(&d->b, text);
	pdb_buf_putc(&d->b, '\n');
	free(text);
	if (dump_ttl(tx, d, name, e) != PDB_OK)
		return e->status;
	d->prefix.len = 0;
	pdb_buf_puts(&d->prefix, "{\"TableName\":");
	pdb_buf_put_json_string(&d->prefix, name, strlen(name));
	pdb_buf_puts(&d->prefix, ",\"Item\":");
	do {
		req.start = res.last_key;
		rc = pdb_op_read(tx, &req, dump_item, d, &res, e);
		json_decref(req.start);
	} while (rc == PDB_OK && res.last_key != NULL);
	return rc;
}

static int
exists(struct pdb_tx *tx, char *const *tables, int n, struct pdb_err *e)
{
	const struct pdb_table *t;
	int i;

	for (i = 0; i < n; i++)
		if (pdb_tx_table(tx, tables[i], &t, e) != PDB_OK)
			return e->status;
	return PDB_OK;
}

struct names {
	char **v;
	int n, cap;
};

static int
add_name(void *arg, const char *name)
{
	struct names *l = arg;
	char **v;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		if ((v = realloc(l->v, (size_t)l->cap * sizeof(*v))) == NULL)
			return 1;
		l->v = v;
	}
	return (l->v[l->n++] = strdup(name)) == NULL;
}

int
pdb_dump(struct pdb_tx *tx, char *const *tables, int n,
    int (*out)(void *, const struct pdb_buf *, struct pdb_err *), void *arg,
    struct pdb_err *e)
{
	struct dumping d = { .out = out, .arg = arg };
	struct names all = { NULL };
	int i, more, rc;

	if (n == 0) {
		if ((rc = pdb_op_list_tables(tx, NULL, 0, add_name, &all, &more,
		    e)) != PDB_OK)
			goto done;
		tables = all.v;
		n = all.n;
	} else if ((rc = exists(tx, tables, n, e)) != PDB_OK)
		goto done;
	for (i = 0; i < n && rc == PDB_OK; i++)
		rc = dump_table(tx, &d, tables[i], e);
	if (rc == PDB_OK)
		rc = flush(&d, e);
done:
	for (i = 0; i < all.n; i++)
		free(all.v[i]);
	free(all.v);
	pdb_buf_free(&d.b);
	pdb_buf_free(&d.prefix);
	return rc;
}

/* Keys of the first items of a table, a page at a time. */
struct emptying {
	const struct pdb_table *t;
	json_t *keys;
};

static int
collect_key(void *arg, const char *text, size_t len, struct pdb_err *e)
{
	struct emptying *em = arg;
	json_t *item = pdb_value_load(text, len);

	if (item == NULL) {
		pdb_err_system(e, "cannot read a stored item");
		return 1;
	}
	json_array_append_new(em->keys, pdb_key_extract(&em->t->ks, item));
	json_decref(item);
	return 0;
}

/* Delete every item of the table, each with its REMOVE record. */
static int
empty_table(struct pdb_tx *tx, const char *name, struct pdb_err *e)
{
	struct pdb_read_req rr = { .table = name, .limit = 1000 };
	struct pdb_item_req dr = { .table = name };
	struct emptying em = { NULL };
	struct pdb_read_res res;
	struct pdb_item_res ires;
	size_t i;
	int rc;

	if (pdb_tx_table(tx, name, &em.t, e) != PDB_OK)
		return e->status;
	do {
		em.keys = json_array();
		rc = pdb_op_read(tx, &rr, collect_key, &em, &res, e);
		pdb_read_res_free(&res);
		for (i = 0; rc == PDB_OK && i < json_array_size(em.keys); i++) {
			dr.item = json_array_get(em.keys, i);
			if ((rc = pdb_op_delete(tx, &dr, &ires, e)) == PDB_OK)
				pdb_item_res_free(&ires);
		}
		i = json_array_size(em.keys);
		json_decref(em.keys);
	} while (rc == PDB_OK && i > 0);
	return rc;
}

static int
load_table(struct pdb_tx *tx, const json_t *line, int replace,
    struct pdb_err *e)
{
	struct pdb_table_spec spec;
	struct pdb_table_info info;
	int created, rc;

	if (pdb_wire_create_table(&spec, line, 1, e) != PDB_OK)
		return e->status;
	if ((rc = pdb_op_ensure_table(tx, &spec, &info, &created, e)) ==
	    PDB_OK) {
		pdb_table_info_free(&info);
		if (replace && !created)
			rc = empty_table(tx, spec.name, e);
	}
	pdb_table_spec_free(&spec);
	return rc;
}

/* An UpdateTimeToLive request: TTL made as asked unless it already is. */
static int
load_ttl(struct pdb_tx *tx, const json_t *line, struct pdb_err *e)
{
	const char *table = json_string_value(json_object_get(line,
	    "TableName"));
	const json_t *spec = json_object_get(line, "TimeToLiveSpecification");
	const char *attr = json_string_value(json_object_get(spec,
	    "AttributeName"));
	const json_t *enabled = json_object_get(spec, "Enabled");
	char now[PDB_NAME_MAX];

	if (table == NULL || attr == NULL || !json_is_boolean(enabled))
		return pdb_err_invalid(e, "a TTL line is {\"TableName\":\"…\","
		    "\"TimeToLiveSpecification\":{\"Enabled\":true,"
		    "\"AttributeName\":\"…\"}}");
	if (pdb_op_describe_ttl(tx, table, now, e) != PDB_OK)
		return e->status;
	if (json_is_true(enabled) ? strcmp(now, attr) == 0 : now[0] == '\0')
		return PDB_OK;
	return pdb_op_update_ttl(tx, table, json_is_true(enabled), attr, e);
}

static int
load_item(struct pdb_tx *tx, json_t *line, struct pdb_err *e)
{
	struct pdb_item_req req = { NULL };
	struct pdb_item_res res;
	const char *k;
	json_t *v;

	json_object_foreach(line, k, v)
		if (strcmp(k, "TableName") != 0 && strcmp(k, "Item") != 0)
			return pdb_err_invalid(e, "unexpected member %s: an "
			    "item line has only TableName and Item", k);
	req.table = json_string_value(json_object_get(line, "TableName"));
	req.item = json_object_get(line, "Item");
	if (req.table == NULL || !json_is_object(req.item))
		return pdb_err_invalid(e, "an item line is {\"TableName\":"
		    "\"…\",\"Item\":{…}}");
	if (pdb_op_put(tx, &req, &res, e) != PDB_OK)
		return e->status;
	pdb_item_res_free(&res);
	return PDB_OK;
}

int
pdb_load_line(struct pdb_tx *tx, const char *text, size_t len, int replace,
    struct pdb_err *e)
{
	json_error_t je;
	json_t *line;
	int rc;

	line = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
	    &je);
	if (line == NULL)
		return pdb_err_set(e, PDB_E_SERIALIZATION,
		    "malformed JSON at column %d: %s", je.column, je.text);
	if (json_is_object(line) && json_object_get(line, "Item") != NULL)
		rc = load_item(tx, line, e);
	else if (json_is_object(line) &&
	    json_object_get(line, "KeySchema") != NULL)
		rc = load_table(tx, line, replace, e);
	else if (json_is_object(line) &&
	    json_object_get(line, "TimeToLiveSpecification") != NULL)
		rc = load_ttl(tx, line, e);
	else
		rc = pdb_err_set(e, PDB_E_SERIALIZATION, "expected a table "
		    "(a CreateTable request, with KeySchema), its TTL (an "
		    "UpdateTimeToLive request) or an item (a PutItem request, "
		    "with TableName and Item)");
	json_decref(line);
	return rc;
}
