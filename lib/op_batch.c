/* op_batch.c — BatchWriteItem and BatchGetItem. */
#include <stdlib.h>
#include <string.h>

#include "op_impl.h"
#include "pdb/op_batch.h"
#include "pdb/value.h"

static int
by_item(const void *a, const void *b)
{
	const struct pdb_item_name *x = a, *y = b;
	int c = strcmp(x->table, y->table);

	if (c != 0)
		return c;
	if ((c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len)) !=
	    0)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

/* The key of item in table, checked as DynamoDB checks a batch's keys. */
static int
name_item(struct pdb_tx *tx, const char *table, json_t *item, int lookup,
    struct pdb_item_name *out, struct pdb_err *e)
{
	const struct pdb_table *t;
	size_t size;

	out->table = table;
	if (pdb_tx_table(tx, table, &t, e) != PDB_OK ||
	    pdb_value_check_item(item, &size, e) != PDB_OK)
		return e->status;
	return pdb_key_encode(&t->ks, item, lookup ? PDB_KEY_LOOKUP :
	    PDB_KEY_ITEM, out->key, &out->len, NULL, e);
}

int
pdb_items_distinct(struct pdb_item_name *n, size_t count,
    const char *message, struct pdb_err *e)
{
	size_t i;

	qsort(n, count, sizeof(*n), by_item);
	for (i = 1; i < count; i++)
		if (by_item(&n[i - 1], &n[i]) == 0)
			return pdb_err_invalid(e, "%s", message);
	return PDB_OK;
}

static const char duplicates[] = "Provided list of item keys contains "
    "duplicates";

int
pdb_op_batch_write(struct pdb_tx *tx, struct pdb_batch_write *w, size_t n,
    struct pdb_err *e)
{
	struct pdb_item_req req = { NULL };
	struct pdb_item_res res;
	struct pdb_item_name *names;
	size_t i;
	int rc = PDB_OK;

	if (n == 0)
		return pdb_err_invalid(e, "BatchWriteItem cannot have a null or "
		    "no requests set");
	if (n > PDB_BATCH_WRITE_MAX)
		return pdb_err_invalid(e, "Too many items requested for the "
		    "BatchWriteItem call");
	if ((names = calloc(n, sizeof(*names))) == NULL)
		return pdb_err_system(e, "out of memory");
	for (i = 0; i < n && rc == PDB_OK; i++)
		rc = name_item(tx, w[i].table, w[i].item, w[i].del, &names[i],
		    e);
	if (rc == PDB_OK)
		rc = pdb_items_distinct(names, n, duplicates, e);
	free(names);
	for (i = 0; i < n && rc == PDB_OK; i++) {
		req.table = w[i].table;
		req.item = w[i].item;
		rc = (w[i].del ? pdb_op_delete : pdb_op_put)(tx, &req, &res, e);
		w[i].units = res.units;
		w[i].index = res.index;
		w[i].nindex = res.nindex;
		res.index = NULL;
		pdb_item_res_free(&res);
	}
	return rc;
}

static size_t
count_keys(const struct pdb_batch_get *g, size_t n)
{
	size_t i, total = 0;

	for (i = 0; i < n; i++)
		total += json_array_size(g[i].keys);
	return total;
}

int
pdb_op_batch_get(struct pdb_tx *tx, struct pdb_batch_get *g, size_t n,
    int (*fn)(void *, size_t, const char *), void *arg, struct pdb_err *e)
{
	struct pdb_item_req req = { NULL };
	struct pdb_item_res res;
	struct pdb_item_name *names;
	size_t i, j, k = 0, total = count_keys(g, n);
	int rc = PDB_OK;

	if (n == 0)
		return pdb_err_invalid(e, "BatchGetItem must have some requests "
		    "set");
	if (total > PDB_BATCH_GET_MAX)
		return pdb_err_invalid(e, "Too many items requested for the "
		    "BatchGetItem call");
	for (i = 0; i < n; i++)
		if (json_array_size(g[i].keys) == 0)
			return pdb_err_invalid(e, "The list of keys in "
			    "RequestItems for BatchGetItem is required: %s has "
			    "empty list", g[i].table);
	if ((names = calloc(total, sizeof(*names))) == NULL)
		return pdb_err_system(e, "out of memory");
	for (i = 0; i < n && rc == PDB_OK; i++)
		for (j = 0; j < json_array_size(g[i].keys) && rc == PDB_OK; j++)
			rc = name_item(tx, g[i].table, json_array_get(
			    g[i].keys, j), 1, &names[k++], e);
	if (rc == PDB_OK)
		rc = pdb_items_distinct(names, k, duplicates, e);
	free(names);
	for (i = 0; i < n && rc == PDB_OK; i++) {
		req.table = g[i].table;
		req.projection = g[i].projection;
		req.consistent = g[i].consistent;
		for (j = 0; j < json_array_size(g[i].keys) && rc == PDB_OK;
		    j++) {
			req.item = json_array_get(g[i].keys, j);
			if ((rc = pdb_op_get(tx, &req, &res, e)) == PDB_OK &&
			    res.item != NULL && fn(arg, i, res.item))
				rc = pdb_err_system(e, "out of memory");
			g[i].units += res.units;
			pdb_item_res_free(&res);
		}
	}
	return rc;
}
