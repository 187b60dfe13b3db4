/* expr_key.c — a key condition as a range of encoded keys in one partition. */
#include <string.h>

#include "expr_impl.h"

static int
unsupported(struct pdb_err *e)
{
	return pdb_err_invalid(e, "Invalid KeyConditionExpression: the "
	    "condition must be partition key = :value, optionally AND one "
	    "sort key condition (=, <, <=, >, >=, BETWEEN, begins_with)");
}

static int
not_supported(struct pdb_err *e)
{
	return pdb_err_invalid(e, "Query key condition not supported");
}

/* The key attribute no condition is on.  DynamoDB Local leaves its name
 * out; AWS names it (deviations.md D10.12). */
static int
missed(const char *key, struct pdb_err *e)
{
	return pdb_err_invalid(e, "Query condition missed key schema element: "
	    "%s", key);
}

/* A value for key attribute key, of the schema's type, not empty. */
static int
typed_value(const struct node *n, const char *key, char type,
    struct pdb_err *e)
{
	const char *t;

	if (n == NULL || n->type != N_VALUE)
		return unsupported(e);
	t = pdb_av_type(n->value);
	if (t[1] != '\0' || t[0] != type)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Condition parameter type does not match schema "
		    "type");
	if (type != 'N' && json_string_length(pdb_av_inner(n->value)) == 0)
		return pdb_err_invalid(e, "One or more parameter values are "
		    "not valid. The AttributeValue for a key attribute cannot "
		    "contain an empty %s value. Key: %s", type == 'S' ?
		    "string" : "binary", key);
	return PDB_OK;
}

static size_t
append_value(struct pdb_key_range *r, unsigned char *dst, size_t plen,
    char type, const json_t *v)
{
	memcpy(dst, r->lo, plen);
	return plen + pdb_key_encode_value(type, v, dst + plen);
}

/* One condition on one key attribute, its operands in order: the path
 * first, as in "sk < :v" even when written ":v > sk". */
struct keycond {
	const struct node *n;
	int type, op;
	const char *name;
	const char *attr;	/* the key attribute it names, or NULL */
	const struct node *v1, *v2;
};

static const char *
invalid_operator(const struct node *n)
{
	static const char *const fn[] = { "attribute_exists",
	    "attribute_not_exists", "attribute_type" };

	switch (n->type) {
	case N_OR: return "OR";
	case N_NOT: return "NOT";
	case N_IN: return "IN";
	case N_CONTAINS: return "contains";
	case N_EXISTS: case N_NOT_EXISTS: case N_TYPE:
		return fn[n->type - N_EXISTS];
	case N_CMP: return n->op == T_NE ? "<>" : NULL;
	default: return NULL;
	}
}

/* What DynamoDB refuses in any key condition, whatever the schema: the
 * first operator it does not take, then a function among the operands. */
static int
check_operators(const struct node *n, struct pdb_err *e)
{
	const struct node *const ops[3] = { n->a, n->b, n->c };
	const char *bad = invalid_operator(n);
	int i;

	if (bad != NULL)
		return pdb_err_invalid(e, "Invalid operator used in "
		    "KeyConditionExpression: %s", bad);
	if (n->type == N_AND)
		return check_operators(n->a, e) != PDB_OK ? e->status :
		    check_operators(n->b, e);
	for (i = 0; i < 3; i++)
		if (ops[i] != NULL && IS_CALL(ops[i]))
			return pdb_err_invalid(e, "KeyConditionExpressions "
			    "cannot contain nested operations");
	return PDB_OK;
}

/* The path a condition is on, put first; which key it names. */
static int
key_condition(const struct node *n, const struct pdb_keyschema *ks,
    struct keycond *k, struct pdb_err *e)
{
	static const int flip[] = { [T_EQ] = T_EQ, [T_LT] = T_GT,
	    [T_LE] = T_GE, [T_GT] = T_LT, [T_GE] = T_LE };
	const struct node *p = n->a;
	const char *name;

	k->n = n;
	k->type = n->type;
	k->op = n->op;
	k->v1 = n->b;
	k->v2 = n->c;
	if (n->type == N_CMP && p->type != N_PATH) {
		p = n->b;
		k->v1 = n->a;
		k->op = flip[n->op];
	} else if (p->type != N_PATH)
		return pdb_err_invalid(e, "Invalid condition in "
		    "KeyConditionExpression: %s operator must have the key "
		    "attribute as its first operand", n->type == N_BETWEEN ?
		    "BETWEEN" : "begins_with");
	if (p->type != N_PATH)
		return missed(ks->hash, e);
	name = k->name = p->path->steps[0].name;
	k->attr = strcmp(name, ks->hash) == 0 ? ks->hash : ks->range[0] != '\0'
	    && strcmp(name, ks->range) == 0 ? ks->range : NULL;
	if (p->path->n > 1 && k->attr != NULL)
		return pdb_err_invalid(e, "Key attributes must be scalars; list "
		    "random access '[]' and map lookup '.' are not allowed: Key: "
		    "%s", name);
	if (p->path->n > 1)
		return pdb_err_invalid(e, "KeyConditionExpressions cannot have "
		    "conditions on nested attributes");
	return PDB_OK;
}

static int
sort_range(const struct keycond *k, const struct pdb_keyschema *ks,
    struct pdb_key_range *r, size_t plen, struct pdb_err *e)
{
	char t = ks->range_type;
	unsigned char prefix[PDB_KEY_MAX];
	size_t len;

	if (k->type == N_BEGINS) {
		if (t == 'N')
			return unsupported(e);
		if (typed_value(k->v1, ks->range, t, e) != PDB_OK)
			return e->status;
		/* Escaped bytes without the terminator: a byte prefix. */
		len = append_value(r, prefix, plen, t, k->v1->value) - 2;
		memcpy(r->lo, prefix, len);
		r->lolen = len;
		r->hilen = pdb_key_prefix_end(prefix, len, r->hi);
		r->hi_incl = 0;
		return PDB_OK;
	}
	if (typed_value(k->v1, ks->range, t, e) != PDB_OK)
		return e->status;
	if (k->type == N_BETWEEN) {
		if (typed_value(k->v2, ks->range, t, e) != PDB_OK)
			return e->status;
		r->hilen = append_value(r, r->hi, plen, t, k->v2->value);
		r->lolen = append_value(r, r->lo, plen, t, k->v1->value);
		r->hi_incl = 1;
		return PDB_OK;
	}
	switch (k->op) {
	case T_EQ:
		r->lolen = r->hilen = append_value(r, r->hi, plen, t,
		    k->v1->value);
		memcpy(r->lo, r->hi, r->hilen);
		r->hi_incl = 1;
		break;
	case T_LT:
	case T_LE:
		r->hilen = append_value(r, r->hi, plen, t, k->v1->value);
		r->hi_incl = k->op == T_LE;
		break;
	default:	/* > and >= */
		r->lolen = append_value(r, r->lo, plen, t, k->v1->value);
		r->lo_incl = k->op == T_GE;
		break;
	}
	return PDB_OK;
}

int
pdb_expr_key_range(const struct pdb_expr *k, const struct pdb_keyschema *ks,
    struct pdb_key_range *r, struct pdb_err *e)
{
	const struct node *n = k->cond;
	struct keycond c[2], *pk, *sk = NULL;
	size_t plen;
	int nc = 1;

	pdb_err_clear(e);
	memset(r, 0, sizeof(*r));
	if (check_operators(n, e) != PDB_OK)
		return e->status;
	if (n->type == N_AND && (n->a->type == N_AND || n->b->type == N_AND))
		return pdb_err_invalid(e, "Conditions can be of length 1 or 2 "
		    "only");
	if (n->type == N_AND) {
		if (key_condition(n->a, ks, &c[0], e) != PDB_OK ||
		    key_condition(n->b, ks, &c[1], e) != PDB_OK)
			return e->status;
		nc = 2;
	} else if (key_condition(n, ks, &c[0], e) != PDB_OK)
		return e->status;
	/* DynamoDB's order: the conditions' names, the partition key's
	 * condition whole, then the sort key's. */
	if (nc == 2 && strcmp(c[0].name, c[1].name) == 0)
		return pdb_err_invalid(e, "KeyConditionExpressions must only "
		    "contain one condition per key");
	if (nc == 2 && ks->range[0] == '\0')
		return not_supported(e);
	pk = c[0].attr == ks->hash ? &c[0] : nc == 2 ? &c[1] : NULL;
	if (pk == NULL || pk->attr != ks->hash)
		return missed(ks->hash, e);
	if (nc == 2)
		sk = pk == &c[0] ? &c[1] : &c[0];
	if (pk->type != N_CMP || pk->op != T_EQ)
		return not_supported(e);
	if (typed_value(pk->v1, ks->hash, ks->hash_type, e) != PDB_OK)
		return e->status;
	if (sk != NULL && sk->attr != ks->range)
		return missed(ks->range, e);
	plen = pdb_key_encode_value(ks->hash_type, pk->v1->value, r->lo);
	r->lolen = plen;
	r->lo_incl = 1;
	r->hilen = pdb_key_prefix_end(r->lo, plen, r->hi);
	return sk == NULL ? PDB_OK : sort_range(sk, ks, r, plen, e);
}

/* The first key attribute path n reaches into, then which key attributes
 * it names: bit 1 the partition key, bit 2 the sort key. */
static int
filter_paths(const struct node *n, const struct pdb_keyschema *ks,
    int *named, struct pdb_err *e)
{
	const struct node *const ops[3] = { n->a, n->b, n->c };
	const char *name;
	int i, key;

	if (n->type == N_PATH) {
		name = n->path->steps[0].name;
		key = strcmp(name, ks->hash) == 0 ? 1 : ks->range[0] != '\0' &&
		    strcmp(name, ks->range) == 0 ? 2 : 0;
		if (key != 0 && n->path->n > 1)
			return pdb_err_invalid(e, "Key attributes must be "
			    "scalars; list random access '[]' and map lookup "
			    "'.' are not allowed: Key: %s", name);
		*named |= key;
		return PDB_OK;
	}
	for (i = 0; i < 3; i++)
		if (ops[i] != NULL && filter_paths(ops[i], ks, named, e) !=
		    PDB_OK)
			return e->status;
	for (i = 0; i < n->nlist; i++)
		if (filter_paths(n->list[i], ks, named, e) != PDB_OK)
			return e->status;
	return PDB_OK;
}

int
pdb_expr_filter_keys(const struct pdb_expr *f, const struct pdb_keyschema *ks,
    struct pdb_err *e)
{
	int named = 0;

	pdb_err_clear(e);
	if (filter_paths(f->cond, ks, &named, e) != PDB_OK)
		return e->status;
	if (named != 0)
		return pdb_err_invalid(e, "%s can only contain non-primary key "
		    "attributes: Primary key attribute: %s", f->legacy ?
		    "QueryFilter" : "Filter Expression", named & 1 ? ks->hash :
		    ks->range);
	return PDB_OK;
}

static int
node_paths(const struct node *n, int (*fn)(void *, const char *, int, int),
    void *arg)
{
	const struct node *const ops[3] = { n->a, n->b, n->c };
	int i;

	if (n->type == N_PATH)
		return fn(arg, n->path->steps[0].name, n->path->n, 0);
	for (i = 0; i < 3; i++)
		if (ops[i] != NULL && node_paths(ops[i], fn, arg) != 0)
			return 1;
	for (i = 0; i < n->nlist; i++)
		if (node_paths(n->list[i], fn, arg) != 0)
			return 1;
	return 0;
}

int
pdb_expr_each_path(const struct pdb_expr *x,
    int (*fn)(void *, const char *, int, int), void *arg)
{
	int i;

	if (x->cond != NULL && node_paths(x->cond, fn, arg) != 0)
		return 1;
	for (i = 0; i < x->nactions; i++)
		if (fn(arg, x->actions[i].path->steps[0].name,
		    x->actions[i].path->n, 1) != 0 || (x->actions[i].value !=
		    NULL && node_paths(x->actions[i].value, fn, arg) != 0))
			return 1;
	if (x->kind == PDB_EXPR_UPDATE)
		return 0;	/* its paths are its targets, seen above */
	for (i = 0; i < x->npaths; i++)
		if (fn(arg, x->paths[i]->steps[0].name, x->paths[i]->n, 0) !=
		    0)
			return 1;
	return 0;
}

/* pdb_expr_each_name's fn, called with a path's name alone. */
struct names {
	int (*fn)(void *, const char *);
	void *arg;
};

static int
name_of(void *arg, const char *name, int steps, int target)
{
	const struct names *n = arg;

	return n->fn(n->arg, name);
}

int
pdb_expr_each_name(const struct pdb_expr *x, int (*fn)(void *, const char *),
    void *arg)
{
	struct names n = { fn, arg };
	int i;

	if (x->cond != NULL)
		return node_paths(x->cond, name_of, &n);
	for (i = 0; i < x->npaths; i++)
		if (fn(arg, x->paths[i]->steps[0].name) != 0)
			return 1;
	return 0;
}
