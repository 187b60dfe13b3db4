/* expr_cond.c — condition and filter expressions: parsing and evaluation. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr_impl.h"
#include "pdb/number.h"
#include "pdb/value.h"

#define IN_MAX 100

static int parse_or(struct parser *ps, struct node **out);

/* An operand: a path, a :value, or size(path). */
static int
parse_operand(struct parser *ps, struct node **out)
{
	struct node *n;

	if (ps->tok.type == T_VALUE)
		return pdb_parse_value(ps, out);
	if (pdb_parse_keyword(ps, "size") && ps->p[strspn(ps->p, " \t")] ==
	    '(') {
		pdb_parse_accept(ps, T_IDENT);
		pdb_parse_accept(ps, T_LP);
		n = pdb_node(ps, N_SIZE, NULL, NULL);
		if (pdb_parse_path(ps, &n->path) != PDB_OK ||
		    pdb_parse_expect(ps, T_RP) != PDB_OK)
			return PDB_INVALID;
		*out = n;
		return PDB_OK;
	}
	n = pdb_node(ps, N_PATH, NULL, NULL);
	*out = n;
	return pdb_parse_path(ps, &n->path);
}

static const struct {
	const char *name;
	int type, nargs;	/* first argument is always a path */
} functions[] = {
	{ "attribute_exists", N_EXISTS, 1 },
	{ "attribute_not_exists", N_NOT_EXISTS, 1 },
	{ "attribute_type", N_TYPE, 2 },
	{ "begins_with", N_BEGINS, 2 },
	{ "contains", N_CONTAINS, 2 },
};

static int
parse_function(struct parser *ps, int f, struct node **out)
{
	struct node *n = pdb_node(ps, functions[f].type, NULL, NULL);

	*out = n;
	pdb_parse_accept(ps, T_IDENT);
	if (pdb_parse_expect(ps, T_LP) != PDB_OK ||
	    pdb_parse_path(ps, &n->path) != PDB_OK)
		return PDB_INVALID;
	if (functions[f].nargs == 2 &&
	    (pdb_parse_expect(ps, T_COMMA) != PDB_OK ||
	    parse_operand(ps, &n->b) != PDB_OK))
		return PDB_INVALID;
	return pdb_parse_expect(ps, T_RP);
}

static int
parse_in(struct parser *ps, struct node *n)
{
	struct node *items[IN_MAX];
	int i;

	if (pdb_parse_expect(ps, T_LP) != PDB_OK)
		return PDB_INVALID;
	for (n->nlist = 0;; n->nlist++) {
		if (n->nlist == IN_MAX)
			return pdb_parse_fail(ps, "The IN operator is provided "
			    "with too many operands; number of operands: %s",
			    "101");
		if (parse_operand(ps, &items[n->nlist]) != PDB_OK)
			return PDB_INVALID;
		if (!pdb_parse_accept(ps, T_COMMA))
			break;
	}
	n->nlist++;
	n->list = pdb_exprs_alloc(ps->x, sizeof(*n->list) * (size_t)n->nlist);
	for (i = 0; i < n->nlist; i++)
		n->list[i] = items[i];
	return pdb_parse_expect(ps, T_RP);
}

/* operand (comparator operand | BETWEEN a AND b | IN (...)) */
static int
parse_comparison(struct parser *ps, struct node **out)
{
	struct node *a, *n;
	int op = ps->tok.type;

	if (parse_operand(ps, &a) != PDB_OK)
		return PDB_INVALID;
	op = ps->tok.type;
	if (op == T_EQ || op == T_NE || op == T_LT || op == T_LE ||
	    op == T_GT || op == T_GE) {
		pdb_parse_accept(ps, op);
		n = *out = pdb_node(ps, N_CMP, a, NULL);
		n->op = op;
		return parse_operand(ps, &n->b);
	}
	if (pdb_parse_keyword(ps, "BETWEEN")) {
		pdb_parse_accept(ps, T_IDENT);
		n = *out = pdb_node(ps, N_BETWEEN, a, NULL);
		if (parse_operand(ps, &n->b) != PDB_OK)
			return PDB_INVALID;
		if (!pdb_parse_keyword(ps, "AND"))
			return pdb_parse_syntax(ps);
		pdb_parse_accept(ps, T_IDENT);
		return parse_operand(ps, &n->c);
	}
	if (pdb_parse_keyword(ps, "IN")) {
		pdb_parse_accept(ps, T_IDENT);
		n = *out = pdb_node(ps, N_IN, a, NULL);
		return parse_in(ps, n);
	}
	return pdb_parse_syntax(ps);
}

static int
parse_primary(struct parser *ps, struct node **out)
{
	size_t f;

	if (pdb_parse_accept(ps, T_LP)) {
		if (pdb_parse_enter(ps) != PDB_OK || parse_or(ps, out) != PDB_OK)
			return PDB_INVALID;
		ps->depth--;
		/* DynamoDB refuses ((...)). */
		if ((*out)->parens++ > 0)
			return pdb_parse_fail(ps, "The expression has redundant "
			    "parentheses;%s", "");
		return pdb_parse_expect(ps, T_RP);
	}
	if (pdb_parse_keyword(ps, "NOT")) {
		pdb_parse_accept(ps, T_IDENT);
		*out = pdb_node(ps, N_NOT, NULL, NULL);
		if (pdb_parse_enter(ps) != PDB_OK ||
		    parse_primary(ps, &(*out)->a) != PDB_OK)
			return PDB_INVALID;
		ps->depth--;
		return PDB_OK;
	}
	if (ps->tok.type == T_IDENT && ps->p[strspn(ps->p, " \t")] == '(') {
		for (f = 0; f < sizeof(functions) / sizeof(functions[0]); f++)
			if (pdb_parse_keyword(ps, functions[f].name))
				return parse_function(ps, (int)f, out);
		if (!pdb_parse_keyword(ps, "size")) {
			char name[64];

			snprintf(name, sizeof(name), "%.*s",
			    (int)ps->tok.len, ps->tok.s);
			return pdb_parse_fail(ps, "Invalid function name; "
			    "function: %s", name);
		}
	}
	return parse_comparison(ps, out);
}

static int
parse_and(struct parser *ps, struct node **out)
{
	struct node *b;

	if (parse_primary(ps, out) != PDB_OK)
		return PDB_INVALID;
	while (pdb_parse_keyword(ps, "AND")) {
		pdb_parse_accept(ps, T_IDENT);
		if (parse_primary(ps, &b) != PDB_OK)
			return PDB_INVALID;
		*out = pdb_node(ps, N_AND, *out, b);
	}
	return PDB_OK;
}

static int
parse_or(struct parser *ps, struct node **out)
{
	struct node *b;

	if (parse_and(ps, out) != PDB_OK)
		return PDB_INVALID;
	while (pdb_parse_keyword(ps, "OR")) {
		pdb_parse_accept(ps, T_IDENT);
		if (parse_and(ps, &b) != PDB_OK)
			return PDB_INVALID;
		*out = pdb_node(ps, N_OR, *out, b);
	}
	return PDB_OK;
}

int
pdb_parse_condition(struct parser *ps, struct node **out)
{
	return parse_or(ps, out);
}

/* Evaluation. */

struct eval {
	const json_t *item;
	struct pdb_err *e;
	enum pdb_expr_kind kind;
};

static int
operand_type_error(struct eval *ev, const char *fn, const char *type)
{
	return pdb_err_invalid(ev->e, "Invalid %s: Incorrect operand type for "
	    "operator or function; operator or function: %s, operand type: %s",
	    ev->kind == PDB_EXPR_FILTER ? "FilterExpression" :
	    "ConditionExpression", fn, type);
}

/* The value of an operand as a new reference; NULL when the path is
 * missing (comparisons with it are false). */
static int
operand(struct eval *ev, const struct node *n, json_t **out)
{
	const json_t *v;
	const char *t;
	size_t size;

	*out = NULL;
	if (n->type == N_VALUE) {
		*out = json_incref((json_t *)n->value);
		return PDB_OK;
	}
	if ((v = pdb_path_get(n->path, ev->item)) == NULL)
		return PDB_OK;
	if (n->type == N_PATH) {
		*out = json_incref((json_t *)v);
		return PDB_OK;
	}
	t = pdb_av_type(v);	/* size() */
	if (strcmp(t, "S") == 0)
		size = json_string_length(pdb_av_inner(v));
	else if (strcmp(t, "B") == 0)
		size = json_string_length(pdb_av_inner(v)) / 4 * 3;
	else if (strcmp(t, "M") == 0)
		size = json_object_size(pdb_av_inner(v));
	else if (strcmp(t, "L") == 0 || strcmp(t, "SS") == 0 ||
	    strcmp(t, "NS") == 0 || strcmp(t, "BS") == 0)
		size = json_array_size(pdb_av_inner(v));
	else
		return operand_type_error(ev, "size", t);
	if (strcmp(t, "B") == 0) {
		const char *s = json_string_value(pdb_av_inner(v));
		size_t n64 = json_string_length(pdb_av_inner(v));

		size -= (n64 && s[n64 - 1] == '=') + (n64 > 1 &&
		    s[n64 - 2] == '=');
	}
	*out = json_pack("{s:o}", "N", json_sprintf("%zu", size));
	return PDB_OK;
}

static int test(struct eval *ev, const struct node *n, int *ok);

static int
test_compare(struct eval *ev, const struct node *n, int *ok)
{
	json_t *a, *b;
	int c, eq;

	if (operand(ev, n->a, &a) != PDB_OK)
		return ev->e->status;
	if (operand(ev, n->b, &b) != PDB_OK) {
		json_decref(a);
		return ev->e->status;
	}
	*ok = 0;
	if (a != NULL && b != NULL) {
		c = pdb_av_compare(a, b, &eq);
		switch (n->op) {
		case T_EQ: *ok = eq; break;
		case T_NE: *ok = !eq; break;
		case T_LT: *ok = c != 2 && c < 0; break;
		case T_LE: *ok = c != 2 && c <= 0; break;
		case T_GT: *ok = c != 2 && c > 0; break;
		case T_GE: *ok = c != 2 && c >= 0; break;
		}
	} else if (n->op == T_NE)
		*ok = a != NULL || b != NULL;
	json_decref(a);
	json_decref(b);
	return PDB_OK;
}

static int
test_between(struct eval *ev, const struct node *n, int *ok)
{
	json_t *v[3] = { NULL, NULL, NULL };
	const struct node *ops[3] = { n->a, n->b, n->c };
	int i, eq, lo, hi, rc = PDB_OK;
	char *x, *y;

	*ok = 0;
	for (i = 0; i < 3 && rc == PDB_OK; i++)
		rc = operand(ev, ops[i], &v[i]);
	if (rc == PDB_OK && v[1] && v[2] && pdb_av_compare(v[1], v[2], &eq) ==
	    1) {
		x = json_dumps(v[1], JSON_COMPACT);
		y = json_dumps(v[2], JSON_COMPACT);
		rc = pdb_err_invalid(ev->e, "Invalid ConditionExpression: The "
		    "BETWEEN operator requires upper bound to be greater than "
		    "or equal to lower bound; lower bound operand: "
		    "AttributeValue: %s, upper bound operand: AttributeValue: "
		    "%s", x, y);
		free(x);
		free(y);
	} else if (rc == PDB_OK && v[0] && v[1] && v[2]) {
		lo = pdb_av_compare(v[1], v[0], &eq);
		hi = pdb_av_compare(v[0], v[2], &eq);
		*ok = lo != 2 && hi != 2 && lo <= 0 && hi <= 0;
	}
	for (i = 0; i < 3; i++)
		json_decref(v[i]);
	return rc;
}

static int
test_in(struct eval *ev, const struct node *n, int *ok)
{
	json_t *a, *b;
	int i, eq;

	*ok = 0;
	if (operand(ev, n->a, &a) != PDB_OK)
		return ev->e->status;
	for (i = 0; i < n->nlist && !*ok && a != NULL; i++) {
		if (operand(ev, n->list[i], &b) != PDB_OK)
			break;
		if (b != NULL)
			pdb_av_compare(a, b, &eq);
		*ok = b != NULL && eq;
		json_decref(b);
	}
	json_decref(a);
	return ev->e->status;
}

static int
valid_type_name(const char *t)
{
	static const char *const types[] = { "S", "SS", "N", "NS", "B", "BS",
	    "BOOL", "NULL", "L", "M" };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(t, types[i]) == 0)
			return 1;
	return 0;
}

/* contains(): substring of a string, member of a set, element of a list. */
/* Strings may hold NUL: compared by length, never as C strings. */
static int
has_bytes(const char *h, size_t hn, const char *n, size_t nn)
{
	size_t i;

	for (i = 0; i + nn <= hn; i++)
		if (memcmp(h + i, n, nn) == 0)
			return 1;
	return 0;
}

static int
contains(const json_t *hay, const json_t *needle)
{
	const char *th = pdb_av_type(hay), *tn = pdb_av_type(needle);
	const json_t *h = pdb_av_inner(hay), *n = pdb_av_inner(needle), *x;
	json_t *member;
	size_t i;
	int eq, found = 0;

	if (strcmp(th, "S") == 0 && strcmp(tn, "S") == 0)
		return has_bytes(json_string_value(h), json_string_length(h),
		    json_string_value(n), json_string_length(n));
	if (strcmp(th, "L") == 0) {
		json_array_foreach(h, i, x)
			if (pdb_av_compare(x, needle, &eq), eq)
				return 1;
		return 0;
	}
	if (strlen(th) != 2 || th[1] != 'S' || strlen(tn) != 1 ||
	    th[0] != tn[0])
		return 0;
	json_array_foreach(h, i, x) {
		member = json_pack("{s:O}", tn, x);
		pdb_av_compare(member, needle, &eq);
		json_decref(member);
		if ((found = eq))
			break;
	}
	return found;
}

static unsigned char *
decode(const json_t *s, size_t *len)
{
	unsigned char *buf = malloc(json_string_length(s) / 4 * 3 + 3);

	if (buf != NULL)
		pdb_value_base64_decode(json_string_value(s),
		    json_string_length(s), buf, len, NULL);
	return buf;
}

/* begins_with(): a prefix of a string, or of a binary's bytes. */
static int
begins_with(const json_t *v, const json_t *prefix)
{
	const char *t = pdb_av_type(v);
	const json_t *x = pdb_av_inner(v), *p = pdb_av_inner(prefix);
	unsigned char *bx, *bp;
	size_t lx, lp;
	int ok;

	if (strcmp(t, pdb_av_type(prefix)) != 0)
		return 0;
	if (strcmp(t, "S") == 0)
		return json_string_length(x) >= json_string_length(p) &&
		    memcmp(json_string_value(x), json_string_value(p),
		    json_string_length(p)) == 0;
	if (strcmp(t, "B") != 0)
		return 0;
	bx = decode(x, &lx);
	bp = decode(p, &lp);
	ok = bx && bp && lx >= lp && memcmp(bx, bp, lp) == 0;
	free(bx);
	free(bp);
	return ok;
}

static int
test_function(struct eval *ev, const struct node *n, int *ok)
{
	const json_t *v = pdb_path_get(n->path, ev->item);
	const char *want;
	json_t *b = NULL;

	if (n->type == N_EXISTS || n->type == N_NOT_EXISTS) {
		*ok = (v != NULL) == (n->type == N_EXISTS);
		return PDB_OK;
	}
	if (operand(ev, n->b, &b) != PDB_OK)
		return ev->e->status;
	*ok = 0;
	if (n->type == N_TYPE) {
		want = json_string_value(pdb_av_inner(b));
		if (want == NULL || strcmp(pdb_av_type(b), "S") != 0 ||
		    !valid_type_name(want)) {
			pdb_err_invalid(ev->e, "Invalid ConditionExpression: "
			    "Invalid attribute type name found; type: %s, valid "
			    "types: { B,N,S,BOOL,NULL,SS,NS,BS,L,M }",
			    want ? want : pdb_av_type(b));
			json_decref(b);
			return PDB_INVALID;
		}
		*ok = v != NULL && strcmp(pdb_av_type(v), want) == 0;
	} else if (v != NULL && b != NULL && n->type == N_BEGINS)
		*ok = begins_with(v, b);
	else if (v != NULL && b != NULL)
		*ok = contains(v, b);
	json_decref(b);
	return PDB_OK;
}

static int
test(struct eval *ev, const struct node *n, int *ok)
{
	int a;

	switch (n->type) {
	case N_AND:
	case N_OR:
		if (test(ev, n->a, &a) != PDB_OK)
			return ev->e->status;
		if (a == (n->type == N_OR)) {
			*ok = a;
			return PDB_OK;
		}
		return test(ev, n->b, ok);
	case N_NOT:
		if (test(ev, n->a, &a) != PDB_OK)
			return ev->e->status;
		*ok = !a;
		return PDB_OK;
	case N_CMP:
		return test_compare(ev, n, ok);
	case N_BETWEEN:
		return test_between(ev, n, ok);
	case N_IN:
		return test_in(ev, n, ok);
	default:
		return test_function(ev, n, ok);
	}
}

int
pdb_expr_test(const struct pdb_expr *c, const json_t *item, int *ok,
    struct pdb_err *e)
{
	struct eval ev = { .item = item, .e = e, .kind = c->kind };

	pdb_err_clear(e);
	return test(&ev, c->cond, ok);
}
