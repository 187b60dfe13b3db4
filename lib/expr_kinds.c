/* expr_kinds.c — parsing an expression of each kind, within DynamoDB's limits. */
#include <string.h>

#include "expr_impl.h"

int
pdb_exprs_parse(struct pdb_exprs *x, enum pdb_expr_kind kind,
    const char *text, struct pdb_expr **out, struct pdb_err *e)
{
	struct parser ps = { .x = x, .kind = kind, .text = text, .p = text,
	    .e = e };
	struct pdb_expr *ex = pdb_exprs_alloc(x, sizeof(*ex));
	int rc;

	pdb_err_clear(e);
	*out = NULL;
	ex->kind = kind;
	ex->legacy = (x->legacy & PDB_TAKES(kind)) != 0;
	/* DynamoDB's limits, which also bound the parser's recursion (a
	 * legacy parameter has none; its text is flat). */
	if (strlen(text) > PDB_EXPR_SIZE_MAX && !ex->legacy)
		return pdb_err_invalid(e, "Invalid %s: Expression size has "
		    "exceeded the maximum allowed size; expression size: %zu",
		    pdb_expr_kind_names[kind], strlen(text));
	pdb_parse_next(&ps);
	if (ps.tok.type == T_EOF)
		return pdb_err_invalid(e, "Invalid %s: The expression can not "
		    "be empty;", pdb_expr_kind_names[kind]);
	if (kind == PDB_EXPR_UPDATE)
		rc = pdb_parse_update(&ps, ex);
	else if (kind == PDB_EXPR_PROJECTION)
		rc = pdb_parse_projection(&ps, ex);
	else
		rc = pdb_parse_condition(&ps, &ex->cond);
	if (rc == PDB_OK && ps.tok.type != T_EOF)
		rc = pdb_parse_syntax(&ps);
	if (rc == PDB_OK && ps.ops > PDB_EXPR_OPERATORS_MAX && !ex->legacy)
		rc = pdb_err_invalid(e, "Invalid %s: The expression contains too "
		    "many operators; operator count: %d",
		    pdb_expr_kind_names[kind], ps.ops);
	if (rc == PDB_OK && (rc = pdb_parse_late_report(&ps, LATE_USAGE)) ==
	    PDB_OK && (rc = pdb_parse_check_paths(&ps, ex->paths,
	    ex->npaths)) == PDB_OK)
		rc = pdb_parse_late_report(&ps, LATE_CHECK);
	if (rc != PDB_OK)
		return e->status;
	*out = ex;
	return PDB_OK;
}

/* A text of kind that is an expression of the request's own. */
static int
given(const struct pdb_expr_texts *t, const char *text,
    enum pdb_expr_kind kind)
{
	return text != NULL && !(t->legacy & PDB_TAKES(kind));
}

/*
 * ExpressionAttributeNames need some expression, ExpressionAttributeValues
 * one that takes values; DynamoDB names those in its own order.
 */
int
pdb_exprs_check_placeholders(const json_t *names, const json_t *values,
    const struct pdb_expr_texts *t, struct pdb_err *e)
{
	static const enum pdb_expr_kind order[] = { PDB_EXPR_UPDATE,
	    PDB_EXPR_FILTER, PDB_EXPR_KEY, PDB_EXPR_CONDITION };
	char nulls[128] = "";
	size_t i, n = 0;
	int valued = given(t, t->key, PDB_EXPR_KEY) ||
	    given(t, t->condition, PDB_EXPR_CONDITION) ||
	    given(t, t->update, PDB_EXPR_UPDATE) ||
	    given(t, t->filter, PDB_EXPR_FILTER);

	if (names != NULL && t->takes != 0 && !valued &&
	    !given(t, t->projection, PDB_EXPR_PROJECTION))
		return pdb_err_invalid(e, "ExpressionAttributeNames can only be "
		    "specified when using expressions");
	if (values == NULL || valued)
		return PDB_OK;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (t->takes & PDB_TAKES(order[i]))
			snprintf(nulls + strlen(nulls), sizeof(nulls) -
			    strlen(nulls), "%s%s", n++ ? " and " : "",
			    pdb_expr_kind_names[order[i]]);
	if (n == 0)
		return PDB_OK;
	return pdb_err_invalid(e, "ExpressionAttributeValues can only be "
	    "specified when using expressions: %s %s null", nulls,
	    n > 1 ? "are" : "is");
}

/* The request's placeholders (a reference, replaced) with more, which
 * never share a key with them. */
static int
join(json_t **mine, const json_t *more, struct pdb_err *e)
{
	json_t *both;

	if (more == NULL || json_object_size(more) == 0)
		return PDB_OK;
	both = *mine != NULL ? json_copy(*mine) : json_object();
	if (both == NULL || json_object_update(both, (json_t *)more) != 0) {
		json_decref(both);
		return pdb_err_set(e, PDB_E_SYSTEM, "out of memory");
	}
	json_decref(*mine);
	*mine = both;
	return PDB_OK;
}

int
pdb_exprs_request(json_t *names, json_t *values,
    const struct pdb_expr_texts *t, struct pdb_expr_set *out,
    struct pdb_err *e)
{
	/* In the order DynamoDB reports their faults. */
	const struct {
		enum pdb_expr_kind kind;
		const char *text;
		const struct pdb_expr **out;
	} want[] = {
		{ PDB_EXPR_UPDATE, t->update, &out->update },
		{ PDB_EXPR_CONDITION, t->condition, &out->condition },
		{ PDB_EXPR_FILTER, t->filter, &out->filter },
		{ PDB_EXPR_PROJECTION, t->projection, &out->projection },
		{ PDB_EXPR_KEY, t->key, &out->key },
	};
	struct pdb_expr *ex;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (pdb_exprs_check_placeholders(names, values, t, e) != PDB_OK) {
		json_decref(names);
		json_decref(values);
		return e->status;
	}
	/* The request's own placeholders are checked before a legacy
	 * parameter's join them. */
	if (pdb_exprs_new(&out->x, names, values, e) != PDB_OK ||
	    join(&out->x->names, t->legacy_names, e) != PDB_OK ||
	    join(&out->x->values, t->legacy_values, e) != PDB_OK)
		return e->status;
	out->x->legacy = t->legacy;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (want[i].text == NULL)
			continue;
		if (pdb_exprs_parse(out->x, want[i].kind, want[i].text, &ex,
		    e) != PDB_OK)
			return e->status;
		*want[i].out = ex;
	}
	return pdb_exprs_check_unused(out->x, e);
}
