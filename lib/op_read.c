/* op_read.c — Query and Scan pages. */
#include <stdlib.h>
#include <string.h>

#include "op_impl.h"
#include "pdb/op_read.h"
#include "pdb/value.h"

struct page {
	const struct pdb_read_req *r;
	const struct pdb_table *t;
	const struct pdb_index *ix;	/* the index read, or NULL */
	const struct pdb_keyschema *ks;	/* the key order read */
	int cut;			/* items cut to the index's attributes */
	int (*fn)(void *, const char *, size_t, struct pdb_err *);
	void *arg;
	struct pdb_read_res *res;
	struct pdb_err *e;
	int64_t bytes;
	int fetch;		/* an LSI read that fetches from the table */
	int64_t fetched;	/* the bytes of the items it fetched */
	int rc;
};

void
pdb_read_res_free(struct pdb_read_res *res)
{
	json_decref(res->last_key);
	memset(res, 0, sizeof(*res));
}

int
pdb_select_parse(const char *s)
{
	static const char *const names[] = {
		[PDB_SELECT_COUNT] = "COUNT",
		[PDB_SELECT_ALL_ATTRIBUTES] = "ALL_ATTRIBUTES",
		[PDB_SELECT_ALL_PROJECTED] = "ALL_PROJECTED_ATTRIBUTES",
		[PDB_SELECT_SPECIFIC] = "SPECIFIC_ATTRIBUTES"
	};
	int i;

	for (i = PDB_SELECT_COUNT; i <= PDB_SELECT_SPECIFIC; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* Select against the projection and the index, in DynamoDB's order. */
static int
check_select(const struct pdb_read_req *r, struct pdb_err *e)
{
	/* What a projection cannot go with, in DynamoDB's words. */
	static const char *const got[] = {
		[PDB_SELECT_COUNT] = "only the Count",
		[PDB_SELECT_ALL_ATTRIBUTES] = "ALL_ATTRIBUTES",
		[PDB_SELECT_ALL_PROJECTED] = "ALL_PROJECTED_ATTRIBUTES",
		[PDB_SELECT_SPECIFIC] = NULL
	};

	if (r->projection != NULL && got[r->select] != NULL)
		return pdb_err_invalid(e, "Cannot specify the %s when choosing "
		    "to get %s", pdb_expr_legacy(r->projection) ?
		    "AttributesToGet" : "ProjectionExpression", got[r->select]);
	if (r->select == PDB_SELECT_ALL_PROJECTED && r->index == NULL)
		return pdb_err_invalid(e, "ALL_PROJECTED_ATTRIBUTES can be "
		    "used only when Querying using an IndexName");
	if (r->select == PDB_SELECT_SPECIFIC && r->projection == NULL)
		return pdb_err_invalid(e, "Must specify the AttributesToGet or "
		    "ProjectionExpression when choosing to get "
		    "SPECIFIC_ATTRIBUTES");
	return PDB_OK;
}

static int
check_request(const struct pdb_read_req *r, struct pdb_err *e)
{
	if (r->limit < 0)
		return pdb_err_invalid(e, "1 validation error detected: Value "
		    "'%lld' at 'limit' failed to satisfy constraint: Member "
		    "must have value greater than or equal to 1", r->limit);
	if (r->segments == 0 && r->segment != 0)
		return pdb_err_invalid(e, "The TotalSegments parameter is "
		    "required but was not present in the request when Segment "
		    "parameter is present");
	if (r->segments < 0 || r->segments > PDB_SEGMENTS_MAX)
		return pdb_err_invalid(e, "1 validation error detected: Value "
		    "'%d' at 'totalSegments' failed to satisfy constraint: "
		    "Member must have value %s", r->segments, r->segments < 0 ?
		    "greater than or equal to 1" : "less than or equal to "
		    "1000000");
	if (r->segments > 0 && (r->segment < 0 || r->segment >= r->segments))
		return pdb_err_invalid(e, "The Segment parameter is zero-based "
		    "and must be less than parameter TotalSegments: Segment: "
		    "%d is not less than TotalSegments: %d", r->segment,
		    r->segments);
	return check_select(r, e);
}

/* A name the index does not hold, for the messages below. */
struct unheld {
	const struct page *p;
	const char *name;
};

static int
not_held(void *arg, const char *name)
{
	struct unheld *u = arg;

	if (pdb_index_holds(u->p->ix, &u->p->t->ks, name))
		return 0;
	u->name = name;
	return 1;
}

/*
 * Which index, and what of its items a page shows.  A GSI holds only what
 * it projects; an LSI fetches the rest from the table, as DynamoDB does.
 */
static int
choose_index(struct page *p, struct pdb_err *e)
{
	const struct pdb_read_req *r = p->r;
	const struct pdb_index *ix;
	struct unheld u = { .p = p };

	p->ks = &p->t->ks;
	if (r->index == NULL)
		return PDB_OK;
	if ((ix = p->ix = pdb_table_index(p->t, r->index)) == NULL)
		return pdb_err_invalid(e, "The table does not have the "
		    "specified index: %s", r->index);
	p->ks = &ix->ks;
	if (ix->global && r->consistent)
		return pdb_err_invalid(e, "Consistent reads are not supported "
		    "on global secondary indexes");
	if (ix->global && r->select == PDB_SELECT_ALL_ATTRIBUTES &&
	    ix->projection != PDB_PROJECT_ALL)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Select type ALL_ATTRIBUTES is not supported for "
		    "global secondary index %s because its projection type is "
		    "not ALL", ix->name);
	if (ix->global && r->projection != NULL &&
	    pdb_expr_each_name(r->projection, not_held, &u))
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Global secondary index %s does not project [%s]",
		    ix->name, u.name);
	if (ix->global && r->filter != NULL &&
	    pdb_expr_each_name(r->filter, not_held, &u))
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Secondary index %s does not project one or more "
		    "filter attributes: [%s]", ix->name, u.name);
	p->cut = ix->projection != PDB_PROJECT_ALL && r->projection == NULL &&
	    r->select != PDB_SELECT_ALL_ATTRIBUTES;
	p->fetch = !ix->global && ix->projection != PDB_PROJECT_ALL &&
	    (r->select == PDB_SELECT_ALL_ATTRIBUTES || (r->projection != NULL &&
	    pdb_expr_each_name(r->projection, not_held, &u)) ||
	    (r->filter != NULL && pdb_expr_each_name(r->filter, not_held,
	    &u)));
	return PDB_OK;
}

/* FNV-1a of the encoded partition key: which segment an item is in. */
static int
segment_of(const struct pdb_keyschema *ks, const json_t *item, int segments)
{
	unsigned char key[PDB_KEY_MAX];
	uint32_t h = 2166136261u;
	size_t n, i;

	n = pdb_key_encode_value(ks->hash_type, json_object_get(item,
	    ks->hash), key);
	for (i = 0; i < n; i++)
		h = (h ^ key[i]) * 16777619u;
	return (int)(h % (uint32_t)segments);
}

/* Show item (the stored text when no projection changes it). */
static int
emit(struct page *p, const struct pdb_row *row, const json_t *item)
{
	json_t *shown;
	char *text;
	int rc;

	p->res->count++;
	if (p->r->select == PDB_SELECT_COUNT)
		return 0;
	if (p->r->projection == NULL && !p->cut)
		return p->fn(p->arg, row->text, row->len, p->e);
	shown = p->cut ? pdb_index_cut(p->ix, &p->t->ks, item) :
	    pdb_expr_project(p->r->projection, item);
	text = pdb_value_dump(shown);
	json_decref(shown);
	if (text == NULL) {
		pdb_err_system(p->e, "out of memory");
		return 1;
	}
	rc = p->fn(p->arg, text, strlen(text), p->e);
	free(text);
	return rc;
}

static int
evaluate(struct page *p, const struct pdb_row *row, const json_t *item)
{
	int ok = 1;

	if (p->r->filter != NULL &&
	    pdb_expr_test(p->r->filter, item, &ok, p->e) != PDB_OK)
		return 1;
	return ok ? emit(p, row, item) : 0;
}

static int
last_key(struct page *p, const struct pdb_row *row, const json_t *item)
{
	json_t *parsed = NULL, *index_key;

	if (item == NULL && (item = parsed = pdb_value_load(row->text,
	    row->len)) == NULL)
		return pdb_err_system(p->e, "cannot read a stored item");
	p->res->last_key = pdb_key_extract(&p->t->ks, item);
	if (p->ix != NULL) {
		index_key = pdb_key_extract(p->ks, item);
		json_object_update(p->res->last_key, index_key);
		json_decref(index_key);
	}
	json_decref(parsed);
	return PDB_OK;
}

static int
each_row(void *arg, const struct pdb_row *row)
{
	struct page *p = arg;
	const struct pdb_read_req *r = p->r;
	json_t *item = NULL;
	int stop;

	if (r->filter != NULL || r->projection != NULL || r->segments > 0 ||
	    p->cut || p->fetch) {
		if ((item = pdb_value_load(row->text, row->len)) == NULL) {
			p->rc = pdb_err_system(p->e, "cannot read a stored item");
			return 1;
		}
		if (r->segments > 0 &&
		    segment_of(p->ks, item, r->segments) != r->segment) {
			json_decref(item);
			return 0;
		}
	}
	p->res->scanned++;
	p->bytes += row->size;
	if (p->fetch) {
		struct pdb_err ignore;
		size_t size = 0;

		pdb_value_check_item(item, &size, &ignore);
		p->fetched += (int64_t)size;
	}
	if ((stop = evaluate(p, row, item)) != 0)
		p->rc = p->e->status;
	/* DynamoDB reads up to 1 MB a page, counted before the filter; the
	 * last item read gives the page its LastEvaluatedKey. */
	else if ((r->limit > 0 && p->res->scanned >= r->limit) ||
	    p->bytes >= PDB_READ_PAGE_BYTES) {
		p->rc = last_key(p, row, item);
		stop = 1;
	}
	json_decref(item);
	return stop;
}

/* AWS's words for a start key that is not one of the table's (or the
 * index's) keys: the wrong attributes, or one of the wrong type
 * (dynalite's query.js and scan.js, recorded against AWS). */
static int
bad_start(struct pdb_err *e, int type)
{
	return pdb_err_invalid(e, type ? "The provided key element does not "
	    "match the schema" : "The provided starting key is invalid");
}

int
pdb_read_check_start(json_t *start, struct pdb_err *e)
{
	static const char *const bare[] = { "contains duplicates",
	    "number set", "numeric value", "significant digits",
	    "number with magnitude", NULL };
	char msg[PDB_ERR_MSG_MAX], detail[PDB_ERR_MSG_MAX];
	size_t size;
	int i;

	if (pdb_value_check_item(start, &size, e) == PDB_OK ||
	    e->code != PDB_E_VALIDATION)
		return e->status;
	snprintf(msg, sizeof(msg), "%.*s", (int)e->aws_len, e->msg);
	snprintf(detail, sizeof(detail), "%s", e->msg + e->aws_len);
	for (i = 0; bare[i] != NULL; i++)
		if (strstr(msg, bare[i]) != NULL)
			return e->status;
	pdb_err_invalid(e, "The provided starting key is invalid: %s", msg);
	return pdb_err_detail(e, "%s", detail);
}

/* Each key attribute of ks in start, of its type. */
static int
check_start_attrs(const struct pdb_keyschema *ks, const json_t *start,
    struct pdb_err *e)
{
	const char *names[2] = { ks->hash, ks->range };
	const char types[2] = { ks->hash_type, ks->range_type };
	const json_t *v;
	int i;

	for (i = 0; i < 2 && names[i][0] != '\0'; i++) {
		if ((v = json_object_get(start, names[i])) == NULL)
			return bad_start(e, 0);
		if (json_object_get(v, (char[]){ types[i], '\0' }) == NULL)
			return bad_start(e, 1);
	}
	return PDB_OK;
}

/* ExclusiveStartKey is one of the page's keys: the table's, and on an
 * index the index's too.  AWS says so before it looks at the key
 * condition. */
static int
start_fits(const struct page *p, json_t *start, struct pdb_err *e)
{
	const struct pdb_keyschema *tks = &p->t->ks;
	size_t n = tks->range[0] ? 2 : 1;

	if (p->ix != NULL)
		n += !pdb_key_attr(tks, p->ks->hash) + (p->ks->range[0] &&
		    !pdb_key_attr(tks, p->ks->range));
	if (!json_is_object(start))
		return bad_start(e, 0);
	if (pdb_read_check_start(start, e) != PDB_OK)
		return e->status;
	if (json_object_size(start) != n)
		return bad_start(e, 0);
	if (p->ix != NULL && check_start_attrs(p->ks, start, e) != PDB_OK)
		return e->status;
	return check_start_attrs(tks, start, e);
}

/* ExclusiveStartKey, which fits, encoded as the page's keys are: the
 * table key, or on an index the index key then the table key. */
static int
start_key(const struct page *p, json_t *start, unsigned char *out,
    size_t *len, struct pdb_err *e)
{
	const struct pdb_keyschema *tks = &p->t->ks;
	size_t ilen = 0;
	json_t *table_key;
	int rc;

	if (p->ix != NULL && (pdb_key_encode_index(p->ks, p->ix->name, start,
	    out, &ilen, e) != PDB_OK || ilen == 0))
		return bad_start(e, 1);
	table_key = pdb_key_extract(tks, start);
	rc = pdb_key_encode(tks, table_key, PDB_KEY_LOOKUP, out + ilen, len,
	    NULL, e);
	json_decref(table_key);
	*len += ilen;
	return rc == PDB_OK ? PDB_OK : bad_start(e, 1);
}

/* An index row's key is longer than its index key: bounds on the index
 * key are widened to every row under it. */
static void
widen(struct pdb_key_range *range)
{
	unsigned char end[PDB_KEY_MAX];

	if (range->hilen > 0 && range->hi_incl) {
		range->hilen = pdb_key_prefix_end(range->hi, range->hilen, end);
		memcpy(range->hi, end, range->hilen);
		range->hi_incl = 0;
	}
	if (range->lolen > 0 && !range->lo_incl) {
		range->lolen = pdb_key_prefix_end(range->lo, range->lolen, end);
		memcpy(range->lo, end, range->lolen);
		range->lo_incl = 1;
	}
}

/* The range to read: the key condition's, or everything, then moved past
 * ExclusiveStartKey. */
static int
page_range(const struct page *p, struct pdb_key_range *range,
    struct pdb_err *e)
{
	const struct pdb_read_req *r = p->r;
	unsigned char start[2 * PDB_KEY_MAX];
	size_t len;
	int c;

	memset(range, 0, sizeof(*range));
	range->lo_incl = 1;
	if (r->key != NULL && pdb_expr_key_range(r->key, p->ks, range, e) !=
	    PDB_OK)
		return e->status;
	if (p->ix != NULL)
		widen(range);
	if (r->start == NULL)
		return PDB_OK;
	if (start_key(p, r->start, start, &len, e) != PDB_OK)
		return e->status;
	if (len > PDB_KEY_MAX)
		return bad_start(e, 1);
	if (!r->reverse) {
		c = memcmp(start, range->lo, len < range->lolen ? len :
		    range->lolen);
		if (c > 0 || (c == 0 && len >= range->lolen)) {
			memcpy(range->lo, start, len);
			range->lolen = len;
			range->lo_incl = 0;
		}
	} else {
		c = range->hilen ? memcmp(start, range->hi, len < range->hilen ?
		    len : range->hilen) : -1;
		if (c < 0 || (c == 0 && len <= range->hilen)) {
			memcpy(range->hi, start, len);
			range->hilen = len;
			range->hi_incl = 0;
		}
	}
	return PDB_OK;
}

/* A Query resumes inside its key condition, a parallel Scan inside its
 * segment: a start key from another request is refused, not followed. */
static int
check_start(const struct page *p, struct pdb_err *e)
{
	const struct pdb_read_req *r = p->r;
	int ok = 1;

	if (r->start == NULL)
		return PDB_OK;
	if (r->key != NULL && pdb_expr_test(r->key, r->start, &ok, e) !=
	    PDB_OK)
		return e->status;
	if (!ok)
		return pdb_err_invalid(e, "The provided starting key does not "
		    "match the range key predicate");
	if (r->segments > 0 &&
	    segment_of(p->ks, r->start, r->segments) != r->segment)
		return pdb_err_invalid(e, "Exclusive start key must lie within "
		    "the segment");
	return PDB_OK;
}

int
pdb_op_read(struct pdb_tx *tx, const struct pdb_read_req *r,
    int (*fn)(void *, const char *, size_t, struct pdb_err *), void *arg,
    struct pdb_read_res *res, struct pdb_err *e)
{
	struct page p = { .r = r, .fn = fn, .arg = arg, .res = res, .e = e };
	struct pdb_key_range range;
	int rc;

	memset(res, 0, sizeof(*res));
	if (check_request(r, e) != PDB_OK ||
	    pdb_tx_table(tx, r->table, &p.t, e) != PDB_OK ||
	    choose_index(&p, e) != PDB_OK ||
	    (r->start != NULL && start_fits(&p, r->start, e) != PDB_OK) ||
	    pdb_check_key_paths(p.t, r->filter, e) != PDB_OK ||
	    pdb_check_key_paths(p.t, r->projection, e) != PDB_OK ||
	    page_range(&p, &range, e) != PDB_OK ||
	    check_start(&p, e) != PDB_OK ||
	    (r->key != NULL && r->filter != NULL &&
	    pdb_expr_filter_keys(r->filter, p.ks, e) != PDB_OK))
		return e->status;
	rc = p.ix != NULL ? pdb_store_index_range(tx->db, p.ix->id, &range,
	    r->reverse, each_row, &p, e) : pdb_store_item_range(tx->db,
	    p.t->id, &range, r->reverse, each_row, &p, e);
	if (rc == PDB_OK && p.rc != PDB_OK)
		rc = p.rc;
	res->global_index = p.ix != NULL && p.ix->global;
	/* An LSI's fetches from the table are read units of the table's. */
	res->units = pdb_read_units(p.bytes, r->consistent);
	if (p.fetched > 0)
		res->table_units = pdb_read_units(p.fetched, r->consistent);
	res->units += res->table_units;
	if (rc != PDB_OK)
		pdb_read_res_free(res);
	return rc;
}
