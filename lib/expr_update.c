/* expr_update.c — update expressions and projections: parsing and applying. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr_impl.h"
#include "pdb/number.h"
#include "pdb/value.h"

#define INVALID "One or more parameter values were invalid: "

/* path | :value | function(...) | ( that ) */
static int
parse_term(struct parser *ps, struct node **out)
{
	if (pdb_parse_accept(ps, T_LP))
		return pdb_parse_group(ps, parse_term, out);
	if (ps->tok.type == T_VALUE)
		return pdb_parse_value(ps, out);
	if (pdb_parse_at_call(ps))
		return pdb_parse_call(ps, parse_term, out);
	return pdb_parse_path_node(ps, out);
}

/* term [+ term | - term], or that in parentheses */
static int
parse_set_value(struct parser *ps, struct node **out)
{
	struct node *n;
	int op;

	if (pdb_parse_accept(ps, T_LP)) {
		if (pdb_parse_group(ps, parse_set_value, out) != PDB_OK)
			return PDB_INVALID;
		if ((*out)->type == N_PLUS || (*out)->type == N_MINUS)
			return PDB_OK;
	} else if (parse_term(ps, out) != PDB_OK)
		return PDB_INVALID;
	op = ps->tok.type;
	if (op != T_PLUS && op != T_MINUS)
		return PDB_OK;
	pdb_parse_accept(ps, op);
	n = pdb_node(ps, op == T_PLUS ? N_PLUS : N_MINUS, *out, NULL);
	*out = n;
	if (parse_term(ps, &n->b) != PDB_OK)
		return PDB_INVALID;
	pdb_parse_operand_use(ps, n->a);
	pdb_parse_operand_use(ps, n->b);
	pdb_parse_operand_type(ps, op == T_PLUS ? "+" : "-", n->a, "N ");
	pdb_parse_operand_type(ps, op == T_PLUS ? "+" : "-", n->b, "N ");
	return PDB_OK;
}

static const char *const clauses[] = { "SET", "REMOVE", "ADD", "DELETE" };

/* ADD takes a number or a set, DELETE a set; named as DynamoDB names
 * types here. */
static void
check_add_delete(struct parser *ps, int clause, const struct node *v)
{
	static const char *const names[][2] = { { "S", "STRING" },
	    { "N", "NUMBER" }, { "B", "BINARY" }, { "BOOL", "BOOLEAN" },
	    { "NULL", "NULL" }, { "L", "LIST" }, { "M", "MAP" } };
	const char *t = pdb_node_type(v);
	size_t i;

	/* AttributeUpdates' actions were checked by their own rules. */
	if (ps->x->legacy & PDB_TAKES(ps->kind))
		return;
	if (t == NULL || strlen(t) == 2 || (clause == A_ADD &&
	    strcmp(t, "N") == 0))
		return;
	for (i = 0; strcmp(names[i][0], t) != 0; i++)
		;
	pdb_parse_late(ps, LATE_CHECK, v->at, "Incorrect operand type for "
	    "operator or function; operator: %s, operand type: %s",
	    clauses[clause], names[i][1]);
}

static int
add_action(struct parser *ps, struct pdb_expr *ex, int clause)
{
	struct action *grown, *a;

	grown = pdb_exprs_alloc(ps->x, sizeof(*grown) *
	    (size_t)(ex->nactions + 1));
	if (ex->nactions > 0)
		memcpy(grown, ex->actions, sizeof(*grown) *
		    (size_t)ex->nactions);
	ex->actions = grown;
	a = &ex->actions[ex->nactions++];
	a->clause = clause;
	if (pdb_parse_path(ps, &a->path) != PDB_OK)
		return PDB_INVALID;
	if (clause == A_SET) {
		if (pdb_parse_expect(ps, T_EQ) != PDB_OK)
			return PDB_INVALID;
		return parse_set_value(ps, &a->value);
	}
	if (clause == A_ADD || clause == A_DELETE) {
		if (ps->tok.type != T_VALUE)
			return pdb_parse_syntax(ps);
		if (pdb_parse_value(ps, &a->value) != PDB_OK)
			return PDB_INVALID;
		check_add_delete(ps, clause, a->value);
	}
	return PDB_OK;
}

static const char *const relations[] = { "overlap", "conflict" };

int
pdb_parse_check_paths(struct parser *ps, struct path *const *paths, int n)
{
	char one[2048], two[2048];
	const struct path *p, *q;
	int i, j, d, c, at[PATH_MAX_STEPS + 1], rel = -1;

	/*
	 * Each path against the latest earlier one that shares its first d
	 * steps, for every d: the two overlap when either ends there, and
	 * conflict when their next steps are a name and an index.  DynamoDB
	 * names the last such pair.
	 */
	for (j = 1; j < n; j++) {
		q = paths[j];
		for (d = 1; d <= q->n; d++)
			at[d] = -1;
		for (i = j - 1; i >= 0; i--)
			for (c = pdb_path_common(paths[i], q); c > 0; c--)
				if (at[c] < 0)
					at[c] = i;
		for (d = 1; d <= q->n && at[d] >= 0; d++) {
			p = paths[at[d]];
			if (p->n == d || q->n == d)
				rel = 0;
			else if ((p->steps[d].name == NULL) !=
			    (q->steps[d].name == NULL))
				rel = 1;
			else
				continue;
			pdb_path_text(p, one, sizeof(one));
			pdb_path_text(q, two, sizeof(two));
		}
	}
	if (rel < 0)
		return PDB_OK;
	return pdb_err_invalid(ps->e, "Invalid %s: Two document paths %s with "
	    "each other; must remove or rewrite one of these paths; path one: "
	    "[%s], path two: [%s]", pdb_expr_kind_names[ps->kind],
	    relations[rel], one, two);
}

/* The paths an update's actions change, in order: checked together, and
 * projected for UPDATED_OLD and UPDATED_NEW. */
static void
action_paths(struct parser *ps, struct pdb_expr *ex)
{
	int i;

	ex->npaths = ex->nactions;
	ex->paths = pdb_exprs_alloc(ps->x, sizeof(*ex->paths) *
	    (size_t)(ex->nactions + 1));
	for (i = 0; i < ex->nactions; i++)
		ex->paths[i] = ex->actions[i].path;
}

/* Where an action's path ends in a list: the index; else -1. */
static long
list_index(const struct action *a)
{
	const struct step *last = &a->path->steps[a->path->n - 1];

	return last->name == NULL ? last->index : -1;
}

/*
 * The order SET, ADD and DELETE are done in: that of the expression, but
 * list elements by index, lowest first, so that of several writes past a
 * list's end each is appended in index order whatever their order in the
 * expression (SET l[4] = :a, l[2] = :b on a list of two elements appends
 * b, then a: DynamoDB, recorded by dynalite's test/updateItem.js, "should
 * update nested attributes").  Paths that overlap are refused, so no other
 * order can change the item.  Worked out once, as the expression is
 * parsed (a stable insertion sort).
 */
static void
action_order(struct parser *ps, struct pdb_expr *ex)
{
	int i, j;

	ex->order = pdb_exprs_alloc(ps->x, sizeof(*ex->order) *
	    (size_t)(ex->nactions + 1));
	for (i = 0; i < ex->nactions; i++) {
		for (j = i; j > 0 && list_index(&ex->actions[ex->order[j - 1]]) >
		    list_index(&ex->actions[i]); j--)
			ex->order[j] = ex->order[j - 1];
		ex->order[j] = i;
	}
}

int
pdb_parse_update(struct parser *ps, struct pdb_expr *ex)
{
	struct pdb_err last;
	int seen[4] = { 0 }, c;

	/* DynamoDB names the fault of the last action that has one. */
	last.status = PDB_OK;
	while (ps->tok.type != T_EOF) {
		for (c = 0; c < 4; c++)
			if (pdb_parse_keyword(ps, clauses[c]))
				break;
		if (c == 4)
			return pdb_parse_syntax(ps);
		if (seen[c]++)
			return pdb_parse_fail(ps, "The \"%s\" section can only "
			    "be used once in an update expression;",
			    clauses[c]);
		pdb_parse_accept(ps, T_IDENT);
		do {
			if (add_action(ps, ex, c) != PDB_OK)
				return PDB_INVALID;
			if (ps->late[LATE_CHECK].status != PDB_OK) {
				last = ps->late[LATE_CHECK];
				pdb_err_clear(&ps->late[LATE_CHECK]);
			}
		} while (pdb_parse_accept(ps, T_COMMA));
	}
	if (last.status != PDB_OK)
		ps->late[LATE_CHECK] = last;
	action_paths(ps, ex);
	action_order(ps, ex);
	return PDB_OK;
}

int
pdb_parse_projection(struct parser *ps, struct pdb_expr *ex)
{
	struct path *paths[256];
	int i;

	do {
		if (ex->npaths == 256)
			return pdb_parse_fail(ps, "too many paths in a "
			    "projection%s", "");
		if (pdb_parse_path(ps, &paths[ex->npaths++]) != PDB_OK)
			return PDB_INVALID;
	} while (pdb_parse_accept(ps, T_COMMA));
	ex->paths = pdb_exprs_alloc(ps->x, sizeof(*ex->paths) *
	    (size_t)ex->npaths);
	for (i = 0; i < ex->npaths; i++)
		ex->paths[i] = paths[i];
	return PDB_OK;
}

/* Applying updates. */

struct apply {
	json_t *item;		/* being changed */
	const json_t *old;	/* every operand reads the item as it was */
	int legacy;		/* AttributeUpdates */
	struct pdb_err *e;
};

/* The request's own types were checked when parsing; these are the
 * item's. */
static int
type_error(struct apply *ap)
{
	return pdb_err_invalid(ap->e, ap->legacy ? "Type mismatch for "
	    "attribute to update" : "An operand in the update expression has "
	    "an incorrect data type");
}

static int
missing(struct apply *ap)
{
	return pdb_err_invalid(ap->e, "The provided expression refers to an "
	    "attribute that does not exist in the item");
}

/* a + b or a - b, both numbers. */
static int
arithmetic(struct apply *ap, const json_t *a, const json_t *b, int minus,
    json_t **out)
{
	struct pdb_number x, y, r;
	char msg[256], text[PDB_NUMBER_TEXT_MAX];

	pdb_number_parse(&x, json_string_value(pdb_av_inner(a)),
	    json_string_length(pdb_av_inner(a)), msg, sizeof(msg));
	pdb_number_parse(&y, json_string_value(pdb_av_inner(b)),
	    json_string_length(pdb_av_inner(b)), msg, sizeof(msg));
	if (pdb_number_add(&x, &y, minus, &r, msg, sizeof(msg)) != 0)
		return pdb_err_invalid(ap->e, "%s", msg);
	pdb_number_format(&r, text);
	*out = json_pack("{s:s}", "N", text);
	return PDB_OK;
}

/* An operator's operand: there, and of the type it takes. */
static int
operand(struct apply *ap, const json_t *v, const char *type)
{
	if (v == NULL)
		return missing(ap);
	return strcmp(pdb_av_type(v), type) == 0 ? PDB_OK : type_error(ap);
}

static int value_of(struct apply *, const struct node *, json_t **);

/* +, - and list_append: DynamoDB Local works out both operands before it
 * checks either, the first before the second. */
static int
operate(struct apply *ap, const struct node *n, json_t **out)
{
	const char *type = n->type == N_LIST_APPEND ? "L" : "N";
	json_t *a = NULL, *b = NULL;
	int rc;

	if ((rc = value_of(ap, n->a, &a)) == PDB_OK &&
	    (rc = value_of(ap, n->b, &b)) == PDB_OK &&
	    (rc = operand(ap, a, type)) == PDB_OK &&
	    (rc = operand(ap, b, type)) == PDB_OK) {
		if (n->type != N_LIST_APPEND)
			rc = arithmetic(ap, a, b, n->type == N_MINUS, out);
		else {
			json_array_extend(json_object_get(a, "L"),
			    json_object_get(b, "L"));
			*out = json_incref(a);
		}
	}
	json_decref(a);
	json_decref(b);
	return rc;
}

/* if_not_exists(path, fallback): DynamoDB Local works the fallback out
 * too, and refuses one that names nothing even when path is there.  A
 * value cannot fail, so it is skipped. */
static int
if_not_exists(struct apply *ap, const struct node *n, json_t **out)
{
	const json_t *v = pdb_path_get(n->a->path, ap->old);
	json_t *b;
	int rc;

	if (v != NULL && n->b->type == N_VALUE) {
		*out = json_deep_copy(v);
		return PDB_OK;
	}
	if ((rc = value_of(ap, n->b, &b)) != PDB_OK)
		return rc;
	if (b == NULL)
		return missing(ap);
	if (v == NULL) {
		*out = b;
		return PDB_OK;
	}
	json_decref(b);
	*out = json_deep_copy(v);
	return PDB_OK;
}

/* The value of a SET operand, a new reference, or NULL for a path to
 * nothing: the operator that takes it refuses it. */
static int
value_of(struct apply *ap, const struct node *n, json_t **out)
{
	const json_t *v;

	*out = NULL;
	switch (n->type) {
	case N_VALUE:
		*out = json_deep_copy(n->value);
		return PDB_OK;
	case N_PATH:
		if ((v = pdb_path_get(n->path, ap->old)) != NULL)
			*out = json_deep_copy(v);
		return PDB_OK;
	case N_IF_NOT_EXISTS:
		return if_not_exists(ap, n, out);
	default:
		return operate(ap, n, out);
	}
}

static int
invalid_path(struct apply *ap)
{
	return pdb_err_invalid(ap->e, "The document path provided in the "
	    "update expression is invalid for update");
}

/* The container a path's last step lives in: root, an M's map or an L's
 * array; NULL when the path cannot be there. */
static json_t *
container(const json_t *root, const struct path *p)
{
	struct path up = *p;
	const json_t *v;

	if (p->n == 1)
		return (json_t *)root;
	up.n--;
	if ((v = pdb_path_get(&up, root)) == NULL)
		return NULL;
	return json_object_get(v, p->steps[p->n - 1].name ? "M" : "L");
}

/* p's container in the item being changed; NULL (e filled) if none. */
static json_t *
parent_of(struct apply *ap, const struct path *p)
{
	json_t *v = container(ap->item, p);

	if (v == NULL)
		invalid_path(ap);
	return v;
}

static int
assign(struct apply *ap, const struct path *p, json_t *v)
{
	const struct step *last = &p->steps[p->n - 1];
	json_t *parent = parent_of(ap, p);

	if (parent == NULL) {
		json_decref(v);
		return ap->e->status;
	}
	if (last->name != NULL)
		json_object_set_new(parent, last->name, v);
	else if ((size_t)last->index < json_array_size(parent))
		json_array_set_new(parent, (size_t)last->index, v);
	else
		json_array_append_new(parent, v);
	return PDB_OK;
}

/* Does set (an array of type t's elements) hold x? */
static int
set_has(const char *t, const json_t *set, const json_t *x)
{
	json_t *a, *b, *y;
	size_t i;
	int eq = 0;
	char scalar[2] = { t[0], '\0' };

	json_array_foreach(set, i, y) {
		a = json_pack("{s:O}", scalar, x);
		b = json_pack("{s:O}", scalar, y);
		pdb_av_compare(a, b, &eq);
		json_decref(a);
		json_decref(b);
		if (eq)
			return 1;
	}
	return 0;
}

/* ADD to a number or a set, DELETE from a set; sum is the number
 * check_action worked out, taken. */
static int
add_or_delete(struct apply *ap, const struct action *a, json_t *sum)
{
	json_t *cur = (json_t *)pdb_path_get(a->path, ap->item), *v, *out;
	const json_t *x;
	const char *t = pdb_av_type(a->value->value);
	size_t i;

	if (sum != NULL)
		return assign(ap, a->path, sum);
	if (cur == NULL && a->clause == A_DELETE)
		return PDB_OK;
	v = json_deep_copy(a->value->value);
	if (cur == NULL)
		return assign(ap, a->path, v);
	/* AttributeUpdates' ADD appends a list. */
	if (strcmp(t, "L") == 0) {
		out = json_deep_copy(cur);
		json_array_extend((json_t *)pdb_av_inner(out),
		    (json_t *)pdb_av_inner(v));
		json_decref(v);
		return assign(ap, a->path, out);
	}
	out = json_array();
	json_array_foreach(pdb_av_inner(cur), i, x)
		if (a->clause == A_ADD || !set_has(t, pdb_av_inner(v), x))
			json_array_append(out, (json_t *)x);
	if (a->clause == A_ADD)
		json_array_foreach(pdb_av_inner(v), i, x)
			if (!set_has(t, out, x))
				json_array_append(out, (json_t *)x);
	json_decref(v);
	/* An emptied set goes with the REMOVEs, at the end, so that a list
	 * element's index means the same to every action (DynamoDB Local:
	 * DELETE l[0] :a ADD l[2] :b adds to what was l[2]).  Until then
	 * it is a JSON null, which no attribute value is. */
	if (json_array_size(out) == 0) {
		json_decref(out);
		return assign(ap, a->path, json_null());
	}
	return assign(ap, a->path, json_pack("{s:o}", t, out));
}

static int
check_key(struct apply *ap, const struct pdb_keyschema *ks,
    const struct path *p)
{
	const char *name = p->steps[0].name;

	/* pk.a too (DynamoDB Local, and AWS in dynalite's
	 * test/updateItem.js: "add b.b :a", b the range key). */
	if (strcmp(name, ks->hash) != 0 && (ks->range[0] == '\0' ||
	    strcmp(name, ks->range) != 0))
		return PDB_OK;
	return pdb_err_invalid(ap->e, INVALID "Cannot update attribute %s. "
	    "This attribute is part of the key", name);
}

/* What one REMOVE takes away: a member of a map, or a list element. */
struct removal {
	json_t *parent;
	const struct step *last;
};

/* List elements go from the highest index down, so that each index
 * means what it meant in the item as it was. */
static int
by_index_desc(const void *x, const void *y)
{
	const struct removal *a = x, *b = y;
	uintptr_t pa = (uintptr_t)a->parent, pb = (uintptr_t)b->parent;

	if (pa != pb)
		return (pa > pb) - (pa < pb);
	return (a->last->index < b->last->index) -
	    (a->last->index > b->last->index);
}

/* Every REMOVE, and every set a DELETE emptied, finds its place before
 * any is done: REMOVE l[1].x, l[0] takes x from the element that was
 * l[1]. */
static int
apply_removes(struct apply *ap, const struct pdb_expr *u)
{
	struct removal *rm = calloc((size_t)u->nactions + 1, sizeof(*rm));
	int i, n = 0, rc = PDB_OK;

	if (rm == NULL)
		return pdb_err_set(ap->e, PDB_E_SYSTEM, "out of memory");
	for (i = 0; i < u->nactions && rc == PDB_OK; i++) {
		if (u->actions[i].clause != A_REMOVE &&
		    (u->actions[i].clause != A_DELETE ||
		    !json_is_null(pdb_path_get(u->actions[i].path, ap->item))))
			continue;
		rm[n].last = &u->actions[i].path->steps[u->actions[i].path->n -
		    1];
		if ((rm[n++].parent = parent_of(ap, u->actions[i].path)) ==
		    NULL)
			rc = ap->e->status;
	}
	qsort(rm, (size_t)n, sizeof(*rm), by_index_desc);
	for (i = 0; i < n && rc == PDB_OK; i++)
		if (rm[i].last->name != NULL)
			json_object_del(rm[i].parent, rm[i].last->name);
		else
			json_array_remove(rm[i].parent,
			    (size_t)rm[i].last->index);
	free(rm);
	return rc;
}

/*
 * Every fault of one action that only the item shows, as DynamoDB Local
 * meets them at its leaf of the walk (expr_walk.c): a path that has no
 * place in the item as it was, then the action's own.  What a SET or an
 * ADD to a number will store goes to *value.  Paths that overlap are
 * refused when parsing, so no action makes a place for another.
 */
static int
check_action(struct apply *ap, const struct action *a, json_t **value)
{
	const json_t *cur;

	if (container(ap->old, a->path) == NULL)
		return invalid_path(ap);
	if (a->clause == A_SET) {
		if (value_of(ap, a->value, value) != PDB_OK)
			return ap->e->status;
		return *value != NULL ? PDB_OK : missing(ap);
	}
	if (a->clause == A_REMOVE ||
	    (cur = pdb_path_get(a->path, ap->old)) == NULL)
		return PDB_OK;
	if (strcmp(pdb_av_type(cur), pdb_av_type(a->value->value)) != 0)
		return type_error(ap);
	if (a->clause == A_ADD && strcmp(pdb_av_type(cur), "N") == 0)
		return arithmetic(ap, cur, a->value->value, 0, value);
	return PDB_OK;
}

/* Of several faults, the one DynamoDB Local meets first: looked for again
 * in its order once there is one, which keeps the walk (expr_walk.c) off
 * the path of updates that succeed. */
static int
first_fault(struct apply *ap, const struct pdb_expr *u)
{
	int *order = pdb_expr_walk(u), i, rc = PDB_OK;
	json_t *v;

	if (order == NULL)
		return pdb_err_set(ap->e, PDB_E_SYSTEM, "out of memory");
	for (i = 0; i < u->nactions && rc == PDB_OK; i++) {
		v = NULL;
		rc = check_action(ap, &u->actions[order[i]], &v);
		json_decref(v);
	}
	free(order);
	return rc;
}

static int
check_actions(struct apply *ap, const struct pdb_expr *u, json_t **values)
{
	int i, rc = PDB_OK;

	for (i = 0; i < u->nactions && rc == PDB_OK; i++)
		rc = check_action(ap, &u->actions[i], &values[i]);
	if (rc == PDB_OK || u->nactions == 1)
		return rc;
	return first_fault(ap, u);
}

int
pdb_expr_update(const struct pdb_expr *u, const struct pdb_keyschema *ks,
    json_t *item, struct pdb_err *e)
{
	struct apply ap = { .item = item, .legacy = u->legacy, .e = e };
	json_t *old = json_deep_copy(item), *v, **values;
	int i, k, rc = PDB_OK;

	pdb_err_clear(e);
	ap.old = old;
	values = calloc((size_t)u->nactions + 1, sizeof(*values));
	if (old == NULL || values == NULL) {
		json_decref(old);
		free(values);
		return pdb_err_set(e, PDB_E_SYSTEM, "out of memory");
	}
	/* The key first: DynamoDB Local checks it before the walk. */
	for (i = 0; i < u->nactions && rc == PDB_OK; i++)
		rc = check_key(&ap, ks, u->actions[i].path);
	if (rc == PDB_OK)
		rc = check_actions(&ap, u, values);
	for (k = 0; k < u->nactions && rc == PDB_OK; k++) {
		i = u->order[k];
		v = values[i];
		values[i] = NULL;
		if (u->actions[i].clause == A_SET)
			rc = assign(&ap, u->actions[i].path, v);
		else if (u->actions[i].clause != A_REMOVE)
			rc = add_or_delete(&ap, &u->actions[i], v);
	}
	if (rc == PDB_OK)
		rc = apply_removes(&ap, u);
	for (i = 0; i < u->nactions; i++)
		json_decref(values[i]);
	free(values);
	json_decref(old);
	return rc;
}

/*
 * Projections.  Each path is projected on its own into a partial value in
 * which list elements are kept in an "L#" map keyed by their index; the
 * partials are merged, then the maps become lists in index order, as
 * DynamoDB returns them.
 */
static json_t *
project_from(const json_t *v, const struct path *p, int i)
{
	const struct step *s = &p->steps[i];
	json_t *sub, *inner;
	char idx[24];

	if (v == NULL)
		return NULL;
	if (i == p->n)
		return json_deep_copy(v);
	if (s->name != NULL) {
		sub = project_from(json_object_get(json_object_get(v, "M"),
		    s->name), p, i + 1);
		return sub ? json_pack("{s:{s:o}}", "M", s->name, sub) : NULL;
	}
	sub = project_from(json_array_get(json_object_get(v, "L"),
	    (size_t)s->index), p, i + 1);
	if (sub == NULL)
		return NULL;
	snprintf(idx, sizeof(idx), "%ld", s->index);
	inner = json_object();
	json_object_set_new(inner, idx, sub);
	return json_pack("{s:o}", "L#", inner);
}

/* Merge the partial src into the map dst under key. */
static void
merge(json_t *dst, const char *key, json_t *src)
{
	json_t *have = json_object_get(dst, key), *x;
	const char *t = pdb_av_type(src), *k;

	if (have == NULL || strcmp(pdb_av_type(have), t) != 0 ||
	    (strcmp(t, "M") != 0 && strcmp(t, "L#") != 0)) {
		json_object_set_new(dst, key, src);
		return;
	}
	json_object_foreach(json_object_get(src, t), k, x)
		merge(json_object_get(have, t), k, json_incref(x));
	json_decref(src);
}

static int
by_index(const void *a, const void *b)
{
	long x = atol(*(const char *const *)a), y = atol(*(const char *const *)b);

	return (x > y) - (x < y);
}

/* Turn every "L#" map of v into an "L" list, in index order; -1 when out
 * of memory. */
static int
finish(json_t *v)
{
	json_t *m = json_object_get(v, "M"), *l = json_object_get(v, "L#"), *x;
	const char **keys;
	const char *k;
	size_t n = 0, i;
	int rc = 0;

	if (m != NULL)
		json_object_foreach(m, k, x)
			if (finish(x) != 0)
				return -1;
	if (l == NULL)
		return 0;
	if ((keys = calloc(json_object_size(l) + 1, sizeof(*keys))) == NULL ||
	    (m = json_array()) == NULL) {
		free(keys);
		return -1;
	}
	json_object_foreach(l, k, x)
		keys[n++] = k;
	qsort(keys, n, sizeof(*keys), by_index);
	for (i = 0; i < n && rc == 0; i++) {
		x = json_object_get(l, keys[i]);
		rc = finish(x) != 0 || json_array_append(m, x) != 0 ? -1 : 0;
	}
	free(keys);
	if (rc == 0)
		rc = json_object_set_new(v, "L", m) != 0 ? -1 : 0;
	else
		json_decref(m);
	json_object_del(v, "L#");
	return rc;
}

json_t *
pdb_expr_project(const struct pdb_expr *p, const json_t *item)
{
	json_t *out = json_object(), *part, *v;
	const char *k;
	int i;

	for (i = 0; i < p->npaths; i++) {
		part = project_from(json_object_get(item,
		    p->paths[i]->steps[0].name), p->paths[i], 1);
		if (part != NULL)
			merge(out, p->paths[i]->steps[0].name, part);
	}
	if (out == NULL)
		return NULL;
	json_object_foreach(out, k, v)
		if (finish(v) != 0) {
			json_decref(out);
			return NULL;
		}
	return out;
}
