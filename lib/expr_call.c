/* expr_call.c — function calls, and the operand checks DynamoDB makes
 * before it reads an item. */
#include <stdio.h>
#include <string.h>

#include "expr_impl.h"
#include "pdb/value.h"

static const struct function {
	const char *name;
	int type, nargs;
	int update;		/* allowed in updates, else in conditions */
} functions[] = {
	{ "attribute_exists", N_EXISTS, 1, 0 },
	{ "attribute_not_exists", N_NOT_EXISTS, 1, 0 },
	{ "attribute_type", N_TYPE, 2, 0 },
	{ "begins_with", N_BEGINS, 2, 0 },
	{ "contains", N_CONTAINS, 2, 0 },
	{ "size", N_SIZE, 1, 0 },
	{ "if_not_exists", N_IF_NOT_EXISTS, 2, 1 },
	{ "list_append", N_LIST_APPEND, 2, 1 },
};
#define NFUNCTIONS (sizeof(functions) / sizeof(functions[0]))

static const struct function *
by_type(int type)
{
	size_t i;

	for (i = 0; i < NFUNCTIONS; i++)
		if (functions[i].type == type)
			return &functions[i];
	return NULL;
}

int
pdb_parse_at_call(const struct parser *ps)
{
	return ps->tok.type == T_IDENT && ps->p[strspn(ps->p, " \t\n\r\f\v")] ==
	    '(';
}

const char *
pdb_node_type(const struct node *n)
{
	switch (n->type) {
	case N_VALUE:
		return n->value ? pdb_av_type(n->value) : NULL;
	case N_SIZE:
	case N_PLUS:
	case N_MINUS:
		return "N";
	case N_LIST_APPEND:
		return "L";
	default:
		return NULL;
	}
}

void
pdb_parse_operand_type(struct parser *ps, const char *what,
    const struct node *n, const char *ok)
{
	const char *t = pdb_node_type(n);
	size_t len;

	if (t == NULL)
		return;
	/* ok is a list of type names, each followed by a space. */
	for (len = strlen(t); *ok != '\0'; ok += strcspn(ok, " ") + 1)
		if (strncmp(ok, t, len) == 0 && ok[len] == ' ')
			return;
	pdb_parse_late(ps, LATE_CHECK, n->at, "Incorrect operand type for "
	    "operator or function; operator or function: %s, operand type: "
	    "%s", what, t);
}

void
pdb_parse_distinct(struct parser *ps, const char *what,
    const struct node *first, const struct node *other)
{
	char text[1024];

	if (first->type != N_PATH || other->type != N_PATH ||
	    first->path->n != other->path->n ||
	    pdb_path_common(first->path, other->path) != first->path->n)
		return;
	pdb_path_text(first->path, text, sizeof(text));
	pdb_parse_late(ps, LATE_CHECK, first->at, "The first operand must be "
	    "distinct from the remaining operands for this operator or "
	    "function; operator: %s, first operand: [%s]", what, text);
}

void
pdb_parse_misused(struct parser *ps, const struct node *n)
{
	if (n->type != N_UNKNOWN)
		pdb_parse_late(ps, LATE_USAGE, n->at, "The function is not "
		    "allowed to be used this way in an expression; function: "
		    "%s", by_type(n->type)->name);
}

/* Only some functions are operands, and list_append only a whole value. */
void
pdb_parse_operand_use(struct parser *ps, const struct node *n)
{
	if (n->type == N_LIST_APPEND || n->type >= N_EXISTS)
		pdb_parse_misused(ps, n);
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

/* attribute_type(x, :type): the type a value, and a name DynamoDB knows. */
static void
check_type_name(struct parser *ps, const struct node *t)
{
	const char *name;

	if (t->type == N_PATH) {
		/* DynamoDB lists its internal types here. */
		pdb_parse_late(ps, LATE_CHECK, t->at, "Incorrect operand type "
		    "for operator or function; operator or function: "
		    "attribute_type, operand type: {BOOL,N,NS,INTSET,L,S,B,FLOAT,"
		    "DICT,FS,NULL,DOUBLE,DECIMALSET,INT,HDS,BS,SS,DECIMAL,"
		    "DOUBLESET,HD,M}");
		return;
	}
	pdb_parse_operand_type(ps, "attribute_type", t, "S ");
	if (t->type != N_VALUE || t->value == NULL ||
	    strcmp(pdb_av_type(t->value), "S") != 0)
		return;
	name = json_string_value(pdb_av_inner(t->value));
	if (!valid_type_name(name))
		pdb_parse_late(ps, LATE_CHECK, t->at, "Invalid attribute type "
		    "name found; type: %s, valid types: "
		    "{N,BS,L,B,NULL,M,S,SS,NS,BOOL}", name);
}

/* What DynamoDB checks of a call once its arguments are read. */
static void
check_call(struct parser *ps, const struct function *f, struct node *n)
{
	if (n->nargs != f->nargs) {
		char count[16];

		snprintf(count, sizeof(count), "%d", n->nargs);
		pdb_parse_late(ps, LATE_CHECK, n->at, "Incorrect number of "
		    "operands for operator or function; operator or function: "
		    "%s, number of operands: %s", f->name, count);
		return;
	}
	switch (n->type) {
	case N_EXISTS:
	case N_NOT_EXISTS:
	case N_IF_NOT_EXISTS:
		if (n->a->type != N_PATH)
			pdb_parse_late(ps, LATE_CHECK, n->at, "Operator or "
			    "function requires a document path; operator or "
			    "function: %s", f->name);
		else if (n->type == N_IF_NOT_EXISTS)
			pdb_parse_distinct(ps, f->name, n->a, n->b);
		break;
	case N_TYPE:
		pdb_parse_distinct(ps, f->name, n->a, n->b);
		check_type_name(ps, n->b);
		break;
	case N_BEGINS:
		pdb_parse_distinct(ps, f->name, n->a, n->b);
		pdb_parse_operand_type(ps, f->name, n->a, "S B ");
		pdb_parse_operand_type(ps, f->name, n->b, "S B ");
		break;
	case N_CONTAINS:
		pdb_parse_distinct(ps, f->name, n->a, n->b);
		break;
	case N_SIZE:
		pdb_parse_operand_type(ps, f->name, n->a, "S B SS NS BS L M ");
		break;
	case N_LIST_APPEND:
		pdb_parse_operand_type(ps, f->name, n->a, "L ");
		pdb_parse_operand_type(ps, f->name, n->b, "L ");
		break;
	}
}

/* Which function the name is, and whether this kind of expression may
 * call it: names are case-sensitive. */
static const struct function *
known(struct parser *ps)
{
	const struct tok *t = &ps->tok;
	size_t i;

	for (i = 0; i < NFUNCTIONS; i++)
		if (strlen(functions[i].name) == t->len &&
		    memcmp(functions[i].name, t->s, t->len) == 0)
			break;
	if (i == NFUNCTIONS)
		pdb_parse_late(ps, LATE_USAGE, t->s, "Invalid function name; "
		    "function: %.*s", (int)(t->len > 255 ? 255 : t->len), t->s);
	else if (functions[i].update != (ps->kind == PDB_EXPR_UPDATE))
		pdb_parse_late(ps, LATE_USAGE, t->s, "The function is not "
		    "allowed in %s expression; function: %s", functions[i].update ?
		    "a condition" : "an update", functions[i].name);
	else
		return &functions[i];
	return NULL;
}

int
pdb_parse_call(struct parser *ps, pdb_parse_fn *arg, struct node **out)
{
	const struct function *f = known(ps);
	struct node *n, *x, **slot[3];
	int i;

	n = *out = pdb_node(ps, f ? f->type : N_UNKNOWN, NULL, NULL);
	slot[0] = &n->a;
	slot[1] = &n->b;
	slot[2] = &n->c;
	pdb_parse_accept(ps, T_IDENT);
	pdb_parse_accept(ps, T_LP);
	if (pdb_parse_enter(ps) != PDB_OK)
		return PDB_INVALID;
	for (i = 0;; i++) {
		if (arg(ps, &x) != PDB_OK)
			return PDB_INVALID;
		pdb_parse_operand_use(ps, x);
		if (i < 3)
			*slot[i] = x;
		if (!pdb_parse_accept(ps, T_COMMA))
			break;
	}
	n->nargs = i + 1;
	ps->depth--;
	if (pdb_parse_expect(ps, T_RP) != PDB_OK)
		return PDB_INVALID;
	if (f != NULL)
		check_call(ps, f, n);
	return PDB_OK;
}

int
pdb_parse_group(struct parser *ps, pdb_parse_fn *parse, struct node **out)
{
	if (pdb_parse_enter(ps) != PDB_OK || parse(ps, out) != PDB_OK)
		return PDB_INVALID;
	ps->depth--;
	if ((*out)->parens++ > 0)
		return pdb_parse_fail(ps, "The expression has redundant "
		    "parentheses;%s", "");
	return pdb_parse_expect(ps, T_RP);
}
