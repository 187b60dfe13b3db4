/* expr_cond.c — condition and filter expressions: parsing and evaluation. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr_impl.h"
#include "pdb/number.h"
#include "pdb/value.h"

#define IN_MAX 100

/* The bytes in the base64 text s. */
static size_t
binary_length(const json_t *s)
{
	const char *b = json_string_value(s);
	size_t n = json_string_length(s);

	return n / 4 * 3 - (n && b[n - 1] == '=') - (n > 1 && b[n - 2] == '=');
}

/*
 * The UTF-16 code units of the UTF-8 string s: what DynamoDB's size()
 * counts (a Java string's length).  Every byte but a continuation byte
 * starts a character, and a 4-byte one needs two units.
 */
static size_t
utf16_length(const json_t *s)
{
	const unsigned char *p = (const unsigned char *)json_string_value(s);
	size_t n = json_string_length(s), i, units = 0;

	for (i = 0; i < n; i++)
		units += (p[i] & 0xC0) != 0x80 ? 1 + (p[i] >= 0xF0) : 0;
	return units;
}

static int parse_or(struct parser *ps, struct node **out);

/* An operand: a path, a :value, a function call, one in parentheses. */
static int
parse_operand(struct parser *ps, struct node **out)
{
	if (pdb_parse_accept(ps, T_LP))
		return pdb_parse_group(ps, parse_operand, out);
	if (ps->tok.type == T_VALUE)
		return pdb_parse_value(ps, out);
	if (pdb_parse_at_call(ps))
		return pdb_parse_call(ps, parse_operand, out);
	return pdb_parse_path_node(ps, out);
}

/* Where a condition must be: a path or value alone is a syntax error at
 * the token after it, a call of size() a misuse. */
static int
as_condition(struct parser *ps, const struct node *n)
{
	if (IS_CONDITION(n))
		return PDB_OK;
	if (!IS_CALL(n))
		return pdb_parse_syntax(ps);
	pdb_parse_misused(ps, n);
	return PDB_OK;
}

static const char *const comparators[] = { "<>", "<=", ">=" };

static const char *
op_text(int op)
{
	if (op >= T_NE && op <= T_GE)
		return comparators[op - T_NE];
	return op == T_EQ ? "=" : op == T_LT ? "<" : ">";
}

static void
check_compare(struct parser *ps, const struct node *n)
{
	const char *op = op_text(n->op);

	pdb_parse_operand_use(ps, n->a);
	pdb_parse_operand_use(ps, n->b);
	pdb_parse_distinct(ps, op, n->a, n->b);
	if (n->op == T_EQ || n->op == T_NE)
		return;
	pdb_parse_operand_type(ps, op, n->a, "N S B ");
	pdb_parse_operand_type(ps, op, n->b, "N S B ");
}

/* A bound as DynamoDB prints it, {N:5}; its Java buffer for binary. */
static void
bound_text(const json_t *v, char *out, size_t outsz)
{
	const char *t = pdb_av_type(v);
	const json_t *x = pdb_av_inner(v);
	size_t len;

	if (strcmp(t, "B") == 0) {
		len = binary_length(x);
		snprintf(out, outsz, "{B:java.nio.HeapByteBuffer[pos=0 lim=%zu "
		    "cap=%zu]}", len, len);
	} else
		snprintf(out, outsz, "{%s:%s}", t, json_string_value(x));
}

/* Bounds known before the item: of one type, the lower one first. */
static void
check_bounds(struct parser *ps, const struct node *lo, const struct node *hi)
{
	char x[256], y[256];
	int eq;

	if (lo->type != N_VALUE || hi->type != N_VALUE || lo->value == NULL ||
	    hi->value == NULL)
		return;
	bound_text(lo->value, x, sizeof(x));
	bound_text(hi->value, y, sizeof(y));
	if (strcmp(pdb_av_type(lo->value), pdb_av_type(hi->value)) != 0)
		pdb_parse_late(ps, LATE_CHECK, lo->at, "The BETWEEN operator "
		    "requires same data type for lower and upper bounds; lower "
		    "bound operand: AttributeValue: %s, upper bound operand: "
		    "AttributeValue: %s", x, y);
	else if (pdb_av_compare(lo->value, hi->value, &eq) == 1)
		pdb_parse_late(ps, LATE_CHECK, lo->at, "The BETWEEN operator "
		    "requires upper bound to be greater than or equal to lower "
		    "bound; lower bound operand: AttributeValue: %s, upper bound "
		    "operand: AttributeValue: %s", x, y);
}

static void
check_between(struct parser *ps, const struct node *n)
{
	const struct node *const ops[3] = { n->a, n->b, n->c };
	int i;

	for (i = 0; i < 3; i++)
		pdb_parse_operand_use(ps, ops[i]);
	pdb_parse_distinct(ps, "BETWEEN", n->a, n->b);
	pdb_parse_distinct(ps, "BETWEEN", n->a, n->c);
	for (i = 0; i < 3; i++)
		pdb_parse_operand_type(ps, "BETWEEN", ops[i], "N S B ");
	check_bounds(ps, n->b, n->c);
}

static int
parse_in(struct parser *ps, struct node *n)
{
	/* A legacy IN (an AttributeValueList) has no such limit: AWS takes
	 * one of 27,500 values (dynalite's scan tests). */
	int legacy = (ps->x->legacy & PDB_TAKES(ps->kind)) != 0;
	struct node *few[IN_MAX], **items = few, **more;
	int i, cap = IN_MAX;

	if (pdb_parse_expect(ps, T_LP) != PDB_OK)
		return PDB_INVALID;
	for (n->nlist = 0;; n->nlist++) {
		if (n->nlist == cap && !legacy)
			return pdb_parse_fail(ps, "The IN operator is provided "
			    "with too many operands; number of operands: %s",
			    "101");
		if (n->nlist == cap) {
			more = pdb_exprs_alloc(ps->x, 2 * (size_t)cap *
			    sizeof(*more));
			memcpy(more, items, (size_t)cap * sizeof(*more));
			items = more;
			cap *= 2;
		}
		if (parse_operand(ps, &items[n->nlist]) != PDB_OK)
			return PDB_INVALID;
		if (!pdb_parse_accept(ps, T_COMMA))
			break;
	}
	n->nlist++;
	n->list = pdb_exprs_alloc(ps->x, sizeof(*n->list) * (size_t)n->nlist);
	pdb_parse_operand_use(ps, n->a);
	for (i = 0; i < n->nlist; i++)
		pdb_parse_operand_use(ps, n->list[i] = items[i]);
	for (i = 0; i < n->nlist; i++)
		pdb_parse_distinct(ps, "IN", n->a, n->list[i]);
	return pdb_parse_expect(ps, T_RP);
}

/* After the operand a: a comparator and an operand, BETWEEN x AND y, or
 * IN (...); without one, a is returned for the caller to judge. */
static int
parse_comparison(struct parser *ps, struct node *a, struct node **out)
{
	struct node *n;
	int op = ps->tok.type;

	*out = a;
	if (op == T_EQ || op == T_NE || op == T_LT || op == T_LE ||
	    op == T_GT || op == T_GE) {
		pdb_parse_accept(ps, op);
		n = *out = pdb_node(ps, N_CMP, a, NULL);
		n->op = op;
		if (parse_operand(ps, &n->b) != PDB_OK)
			return PDB_INVALID;
		check_compare(ps, n);
		return PDB_OK;
	}
	if (pdb_parse_keyword(ps, "BETWEEN")) {
		pdb_parse_accept(ps, T_IDENT);
		n = *out = pdb_node(ps, N_BETWEEN, a, NULL);
		if (parse_operand(ps, &n->b) != PDB_OK)
			return PDB_INVALID;
		if (!pdb_parse_keyword(ps, "AND"))
			return pdb_parse_syntax(ps);
		pdb_parse_accept(ps, T_IDENT);
		if (parse_operand(ps, &n->c) != PDB_OK)
			return PDB_INVALID;
		check_between(ps, n);
		return PDB_OK;
	}
	if (pdb_parse_keyword(ps, "IN")) {
		pdb_parse_accept(ps, T_IDENT);
		n = *out = pdb_node(ps, N_IN, a, NULL);
		return parse_in(ps, n);
	}
	return PDB_OK;
}

/* ( condition ), or an operand and what follows it; "(a) = :v" too. */
static int
parse_primary(struct parser *ps, struct node **out)
{
	if (pdb_parse_accept(ps, T_LP)) {
		if (pdb_parse_group(ps, parse_or, out) != PDB_OK)
			return PDB_INVALID;
		return IS_CONDITION(*out) ? PDB_OK :
		    parse_comparison(ps, *out, out);
	}
	if (parse_operand(ps, out) != PDB_OK)
		return PDB_INVALID;
	return parse_comparison(ps, *out, out);
}

static int
parse_not(struct parser *ps, struct node **out)
{
	if (!pdb_parse_keyword(ps, "NOT"))
		return parse_primary(ps, out);
	pdb_parse_accept(ps, T_IDENT);
	*out = pdb_node(ps, N_NOT, NULL, NULL);
	if (pdb_parse_enter(ps) != PDB_OK ||
	    parse_not(ps, &(*out)->a) != PDB_OK ||
	    as_condition(ps, (*out)->a) != PDB_OK)
		return PDB_INVALID;
	ps->depth--;
	return PDB_OK;
}

/* Conditions joined by kw: AND (of NOTs) or OR (of ANDs). */
static int
parse_joined(struct parser *ps, const char *kw, int type, pdb_parse_fn *part,
    struct node **out)
{
	struct node *b;

	if (part(ps, out) != PDB_OK)
		return PDB_INVALID;
	while (pdb_parse_keyword(ps, kw)) {
		if (as_condition(ps, *out) != PDB_OK)
			return PDB_INVALID;
		pdb_parse_accept(ps, T_IDENT);
		if (part(ps, &b) != PDB_OK || as_condition(ps, b) != PDB_OK)
			return PDB_INVALID;
		*out = pdb_node(ps, type, *out, b);
	}
	return PDB_OK;
}

static int
parse_and(struct parser *ps, struct node **out)
{
	return parse_joined(ps, "AND", N_AND, parse_not, out);
}

static int
parse_or(struct parser *ps, struct node **out)
{
	return parse_joined(ps, "OR", N_OR, parse_and, out);
}

int
pdb_parse_condition(struct parser *ps, struct node **out)
{
	if (parse_or(ps, out) != PDB_OK)
		return PDB_INVALID;
	return as_condition(ps, *out);
}

/* Evaluation.  Operand types were checked when parsing, so a condition
 * on an item is only ever true or false. */

/* The value of an operand as a new reference; NULL when the item has no
 * such value (a missing path, size() of a number): comparisons with it
 * are false, but <>. */
static json_t *
operand(const json_t *item, const struct node *n)
{
	const json_t *v;
	const char *t;
	size_t size;
	json_t *x;

	if (n->type == N_VALUE)
		return json_incref((json_t *)n->value);
	if (n->type == N_PATH)
		return json_incref((json_t *)pdb_path_get(n->path, item));
	if ((x = operand(item, n->a)) == NULL)	/* size() */
		return NULL;
	v = pdb_av_inner(x);
	t = pdb_av_type(x);
	if (strcmp(t, "S") == 0)
		size = utf16_length(v);
	else if (strcmp(t, "B") == 0)
		size = binary_length(v);
	else if (strcmp(t, "M") == 0)
		size = json_object_size(v);
	else if (strcmp(t, "L") == 0 || (strlen(t) == 2 && t[1] == 'S'))
		size = json_array_size(v);
	else {
		json_decref(x);
		return NULL;
	}
	json_decref(x);
	return json_pack("{s:o}", "N", json_sprintf("%zu", size));
}

static int
test_compare(const json_t *item, const struct node *n)
{
	json_t *a = operand(item, n->a), *b = operand(item, n->b);
	int c = 2, eq = 0, ok = 0;

	if (a != NULL && b != NULL)
		c = pdb_av_compare(a, b, &eq);
	switch (n->op) {
	case T_EQ: ok = eq; break;
	case T_NE: ok = !eq; break;	/* a missing value equals nothing */
	case T_LT: ok = c != 2 && c < 0; break;
	case T_LE: ok = c != 2 && c <= 0; break;
	case T_GT: ok = c != 2 && c > 0; break;
	case T_GE: ok = c != 2 && c >= 0; break;
	}
	json_decref(a);
	json_decref(b);
	return ok;
}

/* Bounds from the item that are out of order make it false. */
static int
test_between(const json_t *item, const struct node *n)
{
	json_t *v = operand(item, n->a), *lo = operand(item, n->b),
	    *hi = operand(item, n->c);
	int eq, ok = 0, x, y;

	if (v != NULL && lo != NULL && hi != NULL) {
		x = pdb_av_compare(lo, v, &eq);
		y = pdb_av_compare(v, hi, &eq);
		ok = x != 2 && y != 2 && x <= 0 && y <= 0;
	}
	json_decref(v);
	json_decref(lo);
	json_decref(hi);
	return ok;
}

static int
test_in(const json_t *item, const struct node *n)
{
	json_t *a = operand(item, n->a), *b;
	int i, eq = 0;

	for (i = 0; i < n->nlist && !eq && a != NULL; i++) {
		if ((b = operand(item, n->list[i])) != NULL)
			pdb_av_compare(a, b, &eq);
		json_decref(b);
	}
	json_decref(a);
	return eq;
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

static unsigned char *
decode(const json_t *s, size_t *len)
{
	unsigned char *buf = malloc(json_string_length(s) / 4 * 3 + 3);

	if (buf != NULL)
		pdb_value_base64_decode(json_string_value(s),
		    json_string_length(s), buf, len, NULL);
	return buf;
}

/* Does the binary h hold the bytes of n, at its start (at_start) or
 * anywhere? */
static int
binary_has(const json_t *h, const json_t *n, int at_start)
{
	unsigned char *bh, *bn;
	size_t lh, ln;
	int ok;

	bh = decode(h, &lh);
	bn = decode(n, &ln);
	ok = bh && bn && (at_start ? lh >= ln && memcmp(bh, bn, ln) == 0 :
	    has_bytes((char *)bh, lh, (char *)bn, ln));
	free(bh);
	free(bn);
	return ok;
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
	if (strcmp(th, "B") == 0 && strcmp(tn, "B") == 0)
		return binary_has(h, n, 0);
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

/* begins_with(): a prefix of a string, or of a binary's bytes. */
static int
begins_with(const json_t *v, const json_t *prefix)
{
	const char *t = pdb_av_type(v);
	const json_t *x = pdb_av_inner(v), *p = pdb_av_inner(prefix);

	if (strcmp(t, pdb_av_type(prefix)) != 0)
		return 0;
	if (strcmp(t, "S") == 0)
		return json_string_length(x) >= json_string_length(p) &&
		    memcmp(json_string_value(x), json_string_value(p),
		    json_string_length(p)) == 0;
	return strcmp(t, "B") == 0 && binary_has(x, p, 1);
}

static int
test_function(const json_t *item, const struct node *n)
{
	json_t *a, *b;
	int ok = 0;

	if (n->type == N_EXISTS || n->type == N_NOT_EXISTS)
		return (pdb_path_get(n->a->path, item) != NULL) ==
		    (n->type == N_EXISTS);
	a = operand(item, n->a);
	b = operand(item, n->b);
	if (a != NULL && b != NULL) {
		if (n->type == N_TYPE)
			ok = strcmp(pdb_av_type(a),
			    json_string_value(pdb_av_inner(b))) == 0;
		else if (n->type == N_BEGINS)
			ok = begins_with(a, b);
		else
			ok = contains(a, b);
	}
	json_decref(a);
	json_decref(b);
	return ok;
}

static int
test(const json_t *item, const struct node *n)
{
	switch (n->type) {
	case N_AND:
		return test(item, n->a) && test(item, n->b);
	case N_OR:
		return test(item, n->a) || test(item, n->b);
	case N_NOT:
		return !test(item, n->a);
	case N_CMP:
		return test_compare(item, n);
	case N_BETWEEN:
		return test_between(item, n);
	case N_IN:
		return test_in(item, n);
	default:
		return test_function(item, n);
	}
}

int
pdb_expr_test(const struct pdb_expr *c, const json_t *item, int *ok,
    struct pdb_err *e)
{
	pdb_err_clear(e);
	*ok = test(item, c->cond);
	return PDB_OK;
}
