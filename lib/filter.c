/* filter.c — Lambda event-filter patterns, checked when added and
 * matched against a record's JSON. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pdb/filter.h"

static int check_object(const json_t *p, const char *path, struct pdb_err *e);

static int
bad(struct pdb_err *e, const char *path, const char *why)
{
	return pdb_err_invalid(e, "Invalid filter pattern: %s at '%s'", why,
	    *path ? path : "$");
}

/* numeric: [op, n] or [op, n, op, n], ops =, <, <=, >, >=. */
static int
check_numeric(const json_t *a, const char *path, struct pdb_err *e)
{
	size_t i, n = json_is_array(a) ? json_array_size(a) : 0;
	const char *op;

	if (n != 2 && n != 4)
		return bad(e, path, "numeric takes [OP, NUMBER] or [OP, "
		    "NUMBER, OP, NUMBER]");
	for (i = 0; i < n; i += 2) {
		op = json_string_value(json_array_get(a, i));
		if (op == NULL || (strcmp(op, "=") && strcmp(op, "<") &&
		    strcmp(op, "<=") && strcmp(op, ">") && strcmp(op, ">=")))
			return bad(e, path, "numeric operators are =, <, <=, "
			    ">, >=");
		if (!json_is_number(json_array_get(a, i + 1)))
			return bad(e, path, "numeric compares with numbers");
	}
	return PDB_OK;
}

static int
check_matcher(const json_t *m, const char *path, struct pdb_err *e)
{
	const char *k;
	json_t *v, *x;
	size_t i;

	if (!json_is_object(m))
		return json_is_array(m) ? bad(e, path, "a matcher cannot be "
		    "an array") : PDB_OK;
	if (json_object_size(m) != 1)
		return bad(e, path, "a matcher object has one operator");
	json_object_foreach((json_t *)m, k, v) {
		if (!strcmp(k, "prefix") || !strcmp(k, "suffix") ||
		    !strcmp(k, "equals-ignore-case")) {
			if (!json_is_string(v))
				return bad(e, path, "prefix, suffix and "
				    "equals-ignore-case take a string");
		} else if (!strcmp(k, "exists")) {
			if (!json_is_boolean(v))
				return bad(e, path, "exists takes true or false");
		} else if (!strcmp(k, "numeric")) {
			return check_numeric(v, path, e);
		} else if (!strcmp(k, "anything-but")) {
			if (json_is_object(v))
				return json_object_get(v, "prefix") != NULL &&
				    json_object_size(v) == 1 &&
				    json_is_string(json_object_get(v, "prefix")) ?
				    PDB_OK : bad(e, path, "anything-but takes "
				    "values or {\"prefix\": STRING}");
			json_array_foreach(json_is_array(v) ? v : NULL, i, x)
				if (!json_is_string(x) && !json_is_number(x))
					return bad(e, path, "anything-but "
					    "takes strings or numbers");
			if (!json_is_array(v) && !json_is_string(v) &&
			    !json_is_number(v))
				return bad(e, path, "anything-but takes strings "
				    "or numbers");
		} else
			return bad(e, path, "unknown operator");
	}
	return PDB_OK;
}

static int
check_object(const json_t *p, const char *path, struct pdb_err *e)
{
	char sub[512];
	const char *k;
	json_t *v, *m;
	size_t i;

	if (!json_is_object(p) || json_object_size(p) == 0)
		return bad(e, path, "expected an object of fields");
	json_object_foreach((json_t *)p, k, v) {
		snprintf(sub, sizeof(sub), "%s.%s", path, k);
		if (json_is_object(v)) {
			if (check_object(v, sub, e) != PDB_OK)
				return e->status;
		} else if (json_is_array(v)) {
			if (json_array_size(v) == 0)
				return bad(e, sub, "a field needs at least one "
				    "value");
			json_array_foreach(v, i, m)
				if (check_matcher(m, sub, e) != PDB_OK)
					return e->status;
		} else
			return bad(e, sub, "a field's values must be in an "
			    "array");
	}
	return PDB_OK;
}

int
pdb_filter_add(struct pdb_filter *f, const char *text, struct pdb_err *e)
{
	json_error_t je;
	json_t *p;

	if (f->n == PDB_FILTER_MAX)
		return pdb_err_invalid(e, "at most %d filters", PDB_FILTER_MAX);
	if ((p = json_loads(text, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return pdb_err_invalid(e, "Invalid filter pattern: %s",
		    je.text);
	if (check_object(p, "", e) != PDB_OK) {
		json_decref(p);
		return e->status;
	}
	f->pattern[f->n++] = p;
	return PDB_OK;
}

/* Metadata numbers (SizeBytes, ApproximateCreationDateTime): doubles are
 * exact for them.  DynamoDB's N values are strings, which numeric never
 * matches, as on Lambda. */
static int
numeric(const json_t *a, const json_t *v)
{
	double x = json_number_value(v), n;
	const char *op;
	size_t i;

	if (!json_is_number(v))
		return 0;
	for (i = 0; i < json_array_size(a); i += 2) {
		op = json_string_value(json_array_get(a, i));
		n = json_number_value(json_array_get(a, i + 1));
		if (!(op[0] == '=' ? x == n : op[0] == '<' ?
		    (op[1] ? x <= n : x < n) : (op[1] ? x >= n : x > n)))
			return 0;
	}
	return 1;
}

static int
same(const json_t *m, const json_t *v)
{
	if (json_is_number(m))
		return json_is_number(v) &&
		    json_number_value(m) == json_number_value(v);
	return json_equal((json_t *)m, (json_t *)v);
}

static int
has_prefix(const json_t *v, const char *p)
{
	return json_is_string(v) && strncmp(json_string_value(v), p,
	    strlen(p)) == 0;
}

static int
anything_but(const json_t *a, const json_t *v)
{
	json_t *x;
	size_t i;

	if (v == NULL)
		return 0;
	if (json_is_object(a))
		return json_is_string(v) && !has_prefix(v,
		    json_string_value(json_object_get(a, "prefix")));
	if (!json_is_array(a))
		return !same(a, v);
	json_array_foreach(a, i, x)
		if (same(x, v))
			return 0;
	return 1;
}

/* One matcher against one value; v NULL when the field is absent. */
static int
match_one(const json_t *m, const json_t *v)
{
	const char *s = json_string_value(v), *t;
	const char *k;
	json_t *a;
	size_t ls, lt;

	if (!json_is_object(m))
		return v != NULL && same(m, v);
	json_object_foreach((json_t *)m, k, a) {
		if (!strcmp(k, "exists"))
			return (v != NULL) == json_is_true(a);
		if (!strcmp(k, "anything-but"))
			return anything_but(a, v);
		if (!strcmp(k, "numeric"))
			return v != NULL && numeric(a, v);
		if (s == NULL)
			return 0;
		t = json_string_value(a);
		ls = strlen(s), lt = strlen(t);
		if (!strcmp(k, "prefix"))
			return strncmp(s, t, lt) == 0;
		if (!strcmp(k, "suffix"))
			return ls >= lt && strcmp(s + ls - lt, t) == 0;
		return strcasecmp(s, t) == 0;	/* equals-ignore-case */
	}
	return 0;
}

/* A field's matchers against its value; an array value matches when
 * one of its elements does. */
static int
match_field(const json_t *ms, const json_t *v)
{
	json_t *m, *x;
	size_t i, j;

	json_array_foreach(ms, i, m) {
		if (json_is_array(v)) {
			json_array_foreach(v, j, x)
				if (match_one(m, x))
					return 1;
		} else if (match_one(m, v))
			return 1;
	}
	return 0;
}

static int
match_object(const json_t *p, const json_t *rec)
{
	const char *k;
	json_t *v, *sub;

	json_object_foreach((json_t *)p, k, v) {
		sub = json_is_object(rec) ? json_object_get(rec, k) : NULL;
		if (json_is_object(v) ? !match_object(v, sub) :
		    !match_field(v, sub))
			return 0;
	}
	return 1;
}

int
pdb_filter_match(const struct pdb_filter *f, const json_t *record)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (match_object(f->pattern[i], record))
			return 1;
	return f->n == 0;
}

void
pdb_filter_free(struct pdb_filter *f)
{
	while (f->n > 0)
		json_decref(f->pattern[--f->n]);
}
