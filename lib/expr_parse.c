/* expr_parse.c — expression requests, placeholders, reserved words, tokens
 * and the parser pieces every kind of expression shares. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr_impl.h"
#include "pdb/value.h"

static const char *const reserved[] = {
#include "reserved.inc"
};

static int
is_reserved(const char *s, size_t n)
{
	size_t lo = 0, hi = sizeof(reserved) / sizeof(reserved[0]), mid;
	char up[64];
	size_t i;
	int c;

	if (n >= sizeof(up))
		return 0;
	for (i = 0; i < n; i++)
		up[i] = (char)toupper((unsigned char)s[i]);
	up[n] = '\0';
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(up, reserved[mid])) == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

const char *const pdb_expr_kind_names[] = {
	"ConditionExpression", "FilterExpression", "KeyConditionExpression",
	"UpdateExpression", "ProjectionExpression"
};

/* A placeholder map: not empty; keys such as #n or :v, of 255 bytes at
 * most. */
static int
check_keys(const json_t *map, const char *what, char sigil,
    struct pdb_err *e)
{
	const char *k;
	json_t *v;
	size_t n;

	if (map == NULL)
		return PDB_OK;
	if (json_object_size(map) == 0)
		return pdb_err_invalid(e, "%s must not be empty", what);
	json_object_foreach((json_t *)map, k, v) {
		if ((n = strlen(k)) > 255)
			return pdb_err_invalid(e, "%s contains invalid key: The "
			    "expression attribute map contains a key that is "
			    "too long; size of key: %zu", what, n);
		if (k[0] != sigil || n < 2 || strspn(k + 1, "abcdefghijklmno"
		    "pqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != n - 1)
			return pdb_err_invalid(e, "%s contains invalid key: "
			    "Syntax error; key: \"%s\"", what, k);
	}
	return PDB_OK;
}

/* Value v of key k, by the item rules; AWS wraps what they say. */
static int
check_value(const char *k, json_t *v, struct pdb_err *e)
{
	char aws[PDB_ERR_MSG_MAX], detail[PDB_ERR_MSG_MAX];
	json_t *one;
	size_t size;
	int rc;

	if ((one = json_object()) == NULL ||
	    json_object_set(one, k, v) != 0) {
		json_decref(one);
		return pdb_err_set(e, PDB_E_SYSTEM, "out of memory");
	}
	rc = pdb_value_check_item(one, &size, e);
	json_decref(one);
	if (rc == PDB_OK || e->code != PDB_E_VALIDATION)
		return rc;
	snprintf(aws, sizeof(aws), "%.*s", (int)e->aws_len, e->msg);
	snprintf(detail, sizeof(detail), "%s", e->msg + e->aws_len);
	pdb_err_invalid(e, "ExpressionAttributeValues contains invalid value: "
	    "%s for key %s", aws, k);
	/* The detail names the path inside the value, if any. */
	if (strncmp(detail, " (attribute '", 13) == 0 &&
	    strncmp(detail + 13, k, strlen(k)) == 0 &&
	    strcmp(detail + 13 + strlen(k), "')") == 0)
		return e->status;
	return pdb_err_detail(e, "%s", detail);
}

int
pdb_exprs_new(struct pdb_exprs **out, json_t *names, json_t *values,
    struct pdb_err *e)
{
	struct pdb_exprs *x;
	const char *k, *fault;
	json_t *v;

	*out = NULL;
	if ((x = calloc(1, sizeof(*x))) == NULL) {
		json_decref(names);
		json_decref(values);
		return pdb_err_set(e, PDB_E_SYSTEM, "out of memory");
	}
	x->names = names;
	x->values = values;
	x->used_names = json_object();
	x->used_values = json_object();
	if (check_keys(names, "ExpressionAttributeNames", '#', e) != PDB_OK ||
	    check_keys(values, "ExpressionAttributeValues", ':', e) != PDB_OK)
		goto fail;
	json_object_foreach(names, k, v) {
		if (!json_is_string(v)) {
			pdb_err_invalid(e, "ExpressionAttributeNames: the name "
			    "for %s must be a string", k);
			goto fail;
		}
		if ((fault = pdb_value_name_fault(json_string_length(v))) !=
		    NULL) {
			pdb_err_invalid(e, "ExpressionAttributeNames contains "
			    "invalid value: %s for key %s", fault, k);
			goto fail;
		}
	}
	/* Values are attribute values: the item rules apply to each. */
	json_object_foreach(values, k, v)
		if (check_value(k, v, e) != PDB_OK)
			goto fail;
	*out = x;
	return PDB_OK;
fail:
	pdb_exprs_free(x);
	return e->status;
}

void
pdb_exprs_free(struct pdb_exprs *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->nalloc; i++)
		free(x->alloc[i]);
	free(x->alloc);
	json_decref(x->names);
	json_decref(x->values);
	json_decref(x->used_names);
	json_decref(x->used_values);
	free(x);
}

/* Everything parsed is owned by the request and freed with it. */
void *
pdb_exprs_alloc(struct pdb_exprs *x, size_t size)
{
	void **grown, *p;

	if (x->nalloc == x->capalloc) {
		x->capalloc = x->capalloc ? 2 * x->capalloc : 64;
		if ((grown = realloc(x->alloc, x->capalloc * sizeof(*grown)))
		    == NULL)
			abort();
		x->alloc = grown;
	}
	if ((p = calloc(1, size)) == NULL)
		abort();
	return x->alloc[x->nalloc++] = p;
}

static int
unused(struct pdb_err *e, const char *what, const json_t *given,
    const json_t *used)
{
	char list[512] = "";
	const char *k;
	json_t *v;
	size_t len = 0;

	json_object_foreach((json_t *)given, k, v)
		if (json_object_get(used, k) == NULL && len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len,
			    "%s%s", len ? ", " : "", k);
	if (len == 0)
		return PDB_OK;
	return pdb_err_invalid(e, "Value provided in %s unused in expressions: "
	    "keys: {%s}", what, list);
}

int
pdb_exprs_check_unused(struct pdb_exprs *x, struct pdb_err *e)
{
	if (unused(e, "ExpressionAttributeNames", x->names, x->used_names) !=
	    PDB_OK)
		return e->status;
	return unused(e, "ExpressionAttributeValues", x->values,
	    x->used_values);
}

/* Tokens. */

static int
ident_char(int c)
{
	return isalnum(c) || c == '_';
}

/* The token at p into t; returns where the next one may start. */
static const char *
lex(const char *p, struct tok *t)
{
	while (isspace((unsigned char)*p))
		p++;
	t->s = p;
	t->len = 1;
	if (*p == '\0') {
		t->type = T_EOF;
		t->len = 0;
	} else if (*p == '#' || *p == ':' || isalpha((unsigned char)*p)) {
		/* A bare name starts with a letter ("_a" is a syntax error,
		 * token "_"); after '#' or ':' any name character may. */
		t->type = *p == '#' ? T_NAME : *p == ':' ? T_VALUE : T_IDENT;
		for (t->len = 1; ident_char((unsigned char)p[t->len]); t->len++)
			;
	} else if (isdigit((unsigned char)*p)) {
		t->type = T_NUM;
		for (t->len = 1; isdigit((unsigned char)p[t->len]); t->len++)
			;
	} else if (p[0] == '<' && p[1] == '>') {
		t->type = T_NE;
		t->len = 2;
	} else if ((p[0] == '<' || p[0] == '>') && p[1] == '=') {
		t->type = p[0] == '<' ? T_LE : T_GE;
		t->len = 2;
	} else {
		const char *ops = "()[],.+-=<>";
		const char *at = strchr(ops, *p);

		t->type = at ? T_LP + (int)(at - ops) : T_BAD;
	}
	return p + t->len;
}

void
pdb_parse_next(struct parser *ps)
{
	if (ps->tok.s != NULL) {
		ps->prev = ps->tok.s;
		ps->prev_end = ps->tok.s + ps->tok.len;
	}
	ps->p = lex(ps->p, &ps->tok);
}

int
pdb_parse_fail(struct parser *ps, const char *fmt, const char *arg)
{
	if (ps->e->status != PDB_OK)
		return ps->e->status;
	pdb_err_invalid(ps->e, "Invalid %s: ", pdb_expr_kind_names[ps->kind]);
	pdb_err_append(ps->e, fmt, arg);
	return PDB_INVALID;
}

/*
 * DynamoDB quotes the offending token and, "near" it, the text from the
 * token before to the token after.
 */
int
pdb_parse_syntax(struct parser *ps)
{
	const struct tok *t = &ps->tok;
	struct tok next;
	const char *from = ps->prev ? ps->prev : t->s, *to;

	if (ps->e->status != PDB_OK)
		return ps->e->status;
	lex(ps->p, &next);
	to = t->type == T_EOF ? (ps->prev ? ps->prev_end : t->s) :
	    next.type == T_EOF ? t->s + t->len : next.s + next.len;
	pdb_err_invalid(ps->e, "Invalid %s: Syntax error; token: \"%.*s\", "
	    "near: \"%.*s\"", pdb_expr_kind_names[ps->kind],
	    t->type == T_EOF ? 5 : (int)(t->len > 100 ? 100 : t->len),
	    t->type == T_EOF ? "<EOF>" : t->s,
	    (int)(to - from > 200 ? 200 : to - from), from);
	return PDB_INVALID;
}

void
pdb_parse_late(struct parser *ps, int tier, const char *at, const char *fmt,
    ...)
{
	struct pdb_err *e = &ps->late[tier];
	va_list ap;

	/* The leftmost misuse, but the first fault found in the tree. */
	if (e->status != PDB_OK && (tier == LATE_CHECK || at >= ps->late_at))
		return;
	if (tier == LATE_USAGE)
		ps->late_at = at;
	pdb_err_invalid(e, "Invalid %s: ", pdb_expr_kind_names[ps->kind]);
	va_start(ap, fmt);
	vsnprintf(e->msg + strlen(e->msg), sizeof(e->msg) - strlen(e->msg),
	    fmt, ap);
	va_end(ap);
	e->aws_len = strlen(e->msg);
}

int
pdb_parse_late_report(struct parser *ps, int tier)
{
	if (ps->late[tier].status == PDB_OK)
		return PDB_OK;
	*ps->e = ps->late[tier];
	return ps->e->status;
}

int
pdb_parse_enter(struct parser *ps)
{
	char depth[16];

	if (++ps->depth <= PDB_EXPR_NESTING_MAX)
		return PDB_OK;
	snprintf(depth, sizeof(depth), "%d", ps->depth);
	return pdb_parse_fail(ps, "The expression has too many nested levels; "
	    "nesting depth: %s", depth);
}

int
pdb_parse_accept(struct parser *ps, int type)
{
	if (ps->tok.type != type)
		return 0;
	pdb_parse_next(ps);
	return 1;
}

int
pdb_parse_expect(struct parser *ps, int type)
{
	return pdb_parse_accept(ps, type) ? PDB_OK : pdb_parse_syntax(ps);
}

/* Is the current token the keyword kw (any case)? */
int
pdb_parse_keyword(const struct parser *ps, const char *kw)
{
	return ps->tok.type == T_IDENT && strlen(kw) == ps->tok.len &&
	    strncasecmp(ps->tok.s, kw, ps->tok.len) == 0;
}

static char *
token_text(struct parser *ps)
{
	char *s = pdb_exprs_alloc(ps->x, ps->tok.len + 1);

	memcpy(s, ps->tok.s, ps->tok.len);
	return s;
}

/* Words of the condition grammar: never a name, even by mistake. */
static int
grammar_word(const struct parser *ps)
{
	static const char *const words[] = { "AND", "OR", "NOT", "BETWEEN",
	    "IN" };
	size_t i;

	if (ps->kind != PDB_EXPR_CONDITION && ps->kind != PDB_EXPR_FILTER &&
	    ps->kind != PDB_EXPR_KEY)
		return 0;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (pdb_parse_keyword(ps, words[i]))
			return 1;
	return 0;
}

/* One path element: a name, #placeholder (resolved here) or reserved. */
static int
path_name(struct parser *ps, const char **out)
{
	char *tok;
	json_t *v = NULL;

	if (ps->tok.type != T_IDENT && ps->tok.type != T_NAME)
		return pdb_parse_syntax(ps);
	if (grammar_word(ps))
		return pdb_parse_syntax(ps);
	*out = tok = token_text(ps);
	if (ps->tok.type == T_IDENT && is_reserved(ps->tok.s, ps->tok.len))
		pdb_parse_late(ps, LATE_USAGE, ps->tok.s, "Attribute name is a "
		    "reserved keyword; reserved keyword: %s", tok);
	else if (ps->tok.type == T_NAME &&
	    (v = json_object_get(ps->x->names, tok)) == NULL)
		pdb_parse_late(ps, LATE_CHECK, ps->tok.s, "An expression "
		    "attribute name used in the document path is not defined; "
		    "attribute name: %s", tok);
	else if (ps->tok.type == T_NAME) {
		json_object_set(ps->x->used_names, tok, json_true());
		*out = json_string_value(v);
	}
	pdb_parse_next(ps);
	return PDB_OK;
}

int
pdb_parse_path(struct parser *ps, struct path **out)
{
	struct path *p = pdb_exprs_alloc(ps->x, sizeof(*p));
	struct step *s;

	*out = p;
	for (;;) {
		if (p->n == PATH_MAX_STEPS)
			return pdb_parse_fail(ps, "The document path has too "
			    "many elements; path: %s", "…");
		s = &p->steps[p->n];
		s->index = -1;
		if (p->n == 0 || ps->tok.type != T_LB) {
			if (p->n > 0 && pdb_parse_expect(ps, T_DOT) != PDB_OK)
				return PDB_INVALID;
			if (path_name(ps, &s->name) != PDB_OK)
				return PDB_INVALID;
		} else {
			pdb_parse_next(ps);
			if (ps->tok.type != T_NUM)
				return pdb_parse_syntax(ps);
			/* An index is a 32-bit number at most. */
			if (ps->tok.len > 10 || (s->index = atol(ps->tok.s)) >
			    2147483647L) {
				char index[32];

				snprintf(index, sizeof(index), "%.*s",
				    (int)(ps->tok.len > 20 ? 20 : ps->tok.len),
				    ps->tok.s);
				return pdb_parse_fail(ps, "List index is not within "
				    "the allowable range; index: [%s]", index);
			}
			pdb_parse_next(ps);
			if (pdb_parse_expect(ps, T_RB) != PDB_OK)
				return PDB_INVALID;
		}
		p->n++;
		if (ps->tok.type != T_DOT && ps->tok.type != T_LB)
			return PDB_OK;
	}
}

int
pdb_parse_path_node(struct parser *ps, struct node **out)
{
	struct node *n = pdb_node(ps, N_PATH, NULL, NULL);

	*out = n;
	return pdb_parse_path(ps, &n->path);
}

int
pdb_parse_value(struct parser *ps, struct node **out)
{
	struct node *n = pdb_node(ps, N_VALUE, NULL, NULL);
	char *tok = token_text(ps);

	n->value = json_object_get(ps->x->values, tok);
	if (n->value == NULL)
		pdb_parse_late(ps, LATE_CHECK, n->at, "An expression attribute "
		    "value used in expression is not defined; attribute value: "
		    "%s", tok);
	else
		json_object_set(ps->x->used_values, tok, json_true());
	*out = n;
	pdb_parse_next(ps);
	return PDB_OK;
}

struct node *
pdb_node(struct parser *ps, int type, struct node *a, struct node *b)
{
	struct node *n = pdb_exprs_alloc(ps->x, sizeof(*n));

	if (type != N_PATH && type != N_VALUE)
		ps->ops++;
	n->type = type;
	n->at = ps->tok.s;
	n->a = a;
	n->b = b;
	return n;
}

