/*
 * wire_legacy.c — DynamoDB's legacy parameters (Expected,
 * ConditionalOperator, AttributeUpdates, KeyConditions, QueryFilter,
 * ScanFilter, AttributesToGet), checked by their own rules and written as
 * the expressions they stand for, so that the one parser, evaluator and
 * operation layer serve both: what DynamoDBMapper or an older SDK sends
 * works as on AWS.
 *
 * The rules and texts are AWS's as dynalite's tests record them, else
 * DynamoDB Local's (deviations.md D27).
 */
#include <stdio.h>
#include <string.h>

#include "pdb/value.h"
#include "wire_impl.h"

/* ComparisonOperator, in the order DynamoDB lists its values. */
enum cmp { C_IN, C_NULL, C_BETWEEN, C_LT, C_NOT_CONTAINS, C_EQ, C_GT,
    C_NOT_NULL, C_NE, C_LE, C_BEGINS_WITH, C_GE, C_CONTAINS };
static const char *const cmps[] = { "IN", "NULL", "BETWEEN", "LT",
    "NOT_CONTAINS", "EQ", "GT", "NOT_NULL", "NE", "LE", "BEGINS_WITH", "GE",
    "CONTAINS", NULL };

/* Each operator's values: how many (-1: one or more) and of what types,
 * a list with a space before and after each (NULL: any), so that L is not
 * found inside NULL or BOOL. */
static const struct {
	int count;
	const char *types;
	const char *infix;	/* a comparison's operator */
} rule[] = {
	[C_IN] = { -1, " S N B ", NULL },
	[C_NULL] = { 0, NULL, NULL },
	[C_BETWEEN] = { 2, " S N B ", NULL },
	[C_LT] = { 1, " S N B ", " < " },
	[C_NOT_CONTAINS] = { 1, " S N B BOOL NULL ", NULL },
	[C_EQ] = { 1, NULL, " = " },
	[C_GT] = { 1, " S N B ", " > " },
	[C_NOT_NULL] = { 0, NULL, NULL },
	[C_NE] = { 1, NULL, " <> " },
	[C_LE] = { 1, " S N B ", " <= " },
	[C_BEGINS_WITH] = { 1, " S B ", NULL },
	[C_GE] = { 1, " S N B ", " >= " },
	[C_CONTAINS] = { 1, " S N B BOOL NULL ", NULL },
};

/* A request's members that hold expressions and the legacy ones, in
 * the order DynamoDB names them when both are given. */
#define NMODERN 5	/* Projection, Update, Filter, Condition, KeyCondition */
enum { L_ATTRIBUTES_TO_GET, L_ATTRIBUTE_UPDATES, L_QUERY_FILTER,
    L_SCAN_FILTER, L_EXPECTED, L_CONDITIONAL_OPERATOR, L_KEY_CONDITIONS,
    NLEGACY };

/* The expressions being written for one request. */
struct legacy {
	struct wreq *r;
	const json_t *own_names, *own_values;	/* the request's */
	json_t *names, *values;			/* made here */
	unsigned n;				/* placeholders made */
	struct pdb_buf *text;			/* being written */
};

/* Member of o is there, and not null. */
static int
given(const json_t *o, const char *member)
{
	return member != NULL && json_object_get(o, member) != NULL &&
	    !json_is_null(json_object_get(o, member));
}

static const char *
type_of(const json_t *v)
{
	return json_object_iter_key(json_object_iter((json_t *)v));
}

static int
invalid(struct legacy *l, const char *what, const char *name)
{
	return pdb_err_invalid(l->r->e, "One or more parameter values were "
	    "invalid: %s%s", what, name);
}

/* A placeholder none of the request's own is: #lN or :lN. */
static void
placeholder(struct legacy *l, char sigil, char *ph, size_t size)
{
	const json_t *own = sigil == '#' ? l->own_names : l->own_values;

	do
		snprintf(ph, size, "%cl%u", sigil, l->n++);
	while (json_object_get(own, ph) != NULL);
}

/* A legacy parameter's attribute name: 1 to 65535 bytes, as an item's
 * (Alternator's test_limit_attribute_length_nonkey_*). */
static int
check_name(struct legacy *l, const char *name)
{
	const char *fault = pdb_value_name_fault(strlen(name));

	return fault != NULL ? pdb_err_invalid(l->r->e, "%s", fault) : PDB_OK;
}

static void
put_name(struct legacy *l, const char *name)
{
	char ph[32];

	placeholder(l, '#', ph, sizeof(ph));
	json_object_set_new(l->names, ph, json_string(name));
	pdb_buf_puts(l->text, ph);
}

/* v of attribute name checked by the item rules; *out (may be NULL) gets
 * it in canonical form. */
static int
check_value(struct legacy *l, const char *name, const json_t *v,
    json_t **out)
{
	json_t *one = json_object();
	size_t size;
	int rc;

	if (!json_is_object(v))
		return pdb_wire_wrong_type(l->r->e, v, "AttributeValue", "Map");
	if (one == NULL || json_object_set_new(one, name, json_deep_copy(v)))
		rc = pdb_err_set(l->r->e, PDB_E_SYSTEM, "out of memory");
	else if ((rc = pdb_value_check_item(one, &size, l->r->e)) == PDB_OK &&
	    out != NULL)
		*out = json_incref(json_object_get(one, name));
	json_decref(one);
	return rc;
}

/* A checked value (a reference, taken) as a new placeholder. */
static void
put_value(struct legacy *l, json_t *canonical)
{
	char ph[32];

	placeholder(l, ':', ph, sizeof(ph));
	json_object_set_new(l->values, ph, canonical);
	pdb_buf_puts(l->text, ph);
}

/* AttributeValueList (or Expected's Value) against the operator's rules:
 * each value valid, as many as it takes, of one type and one it takes,
 * a BETWEEN's bounds in order.  *canon gets the values in canonical form
 * (a new array, even on failure). */
static int
check_values(struct legacy *l, const char *name, enum cmp op,
    const json_t *list, json_t **canon)
{
	char type[16];
	const json_t *v;
	json_t *c;
	size_t i, n = json_array_size(list);

	if ((*canon = json_array()) == NULL)
		return pdb_err_set(l->r->e, PDB_E_SYSTEM, "out of memory");
	json_array_foreach(list, i, v) {
		if (check_value(l, name, v, &c) != PDB_OK)
			return l->r->e->status;
		json_array_append_new(*canon, c);
	}
	if (rule[op].count >= 0 ? n != (size_t)rule[op].count : n == 0)
		return pdb_err_invalid(l->r->e, "One or more parameter values "
		    "were invalid: Invalid number of argument(s) for the %s "
		    "ComparisonOperator", cmps[op]);
	json_array_foreach(list, i, v)
		if (strcmp(type_of(v), type_of(json_array_get(list, 0))) != 0)
			return invalid(l, "AttributeValues inside "
			    "AttributeValueList must be of same type", "");
	json_array_foreach(list, i, v) {
		snprintf(type, sizeof(type), " %s ", type_of(v));
		if (rule[op].types != NULL && strstr(rule[op].types, type) ==
		    NULL)
			return pdb_err_invalid(l->r->e, "One or more parameter "
			    "values were invalid: ComparisonOperator %s is not "
			    "valid for %s AttributeValue type", cmps[op],
			    type_of(v));
	}
	if (op == C_BETWEEN && pdb_expr_value_order(json_array_get(list, 0),
	    json_array_get(list, 1)) > 0)
		return pdb_err_invalid(l->r->e, "The BETWEEN condition was "
		    "provided a range where the lower bound is greater than "
		    "the upper bound");
	return PDB_OK;
}

/* One attribute's condition as an expression, its values canon. */
static void
write_condition(struct legacy *l, const char *name, enum cmp op,
    const json_t *canon)
{
	size_t i;

	if (op == C_NULL || op == C_NOT_NULL) {
		pdb_buf_puts(l->text, op == C_NULL ? "attribute_not_exists(" :
		    "attribute_exists(");
		put_name(l, name);
		pdb_buf_putc(l->text, ')');
		return;
	}
	if (rule[op].infix != NULL || op == C_IN || op == C_BETWEEN) {
		put_name(l, name);
		pdb_buf_puts(l->text, op == C_IN ? " IN (" : op == C_BETWEEN ?
		    " BETWEEN " : rule[op].infix);
		for (i = 0; i < json_array_size(canon); i++) {
			pdb_buf_puts(l->text, i == 0 ? "" : op == C_IN ? ", " :
			    " AND ");
			put_value(l, json_incref(json_array_get(canon, i)));
		}
		pdb_buf_puts(l->text, op == C_IN ? ")" : "");
		return;
	}
	/* NOT_CONTAINS fails on a missing attribute, as CONTAINS does (AWS;
	 * NE, by contrast, holds). */
	if (op == C_NOT_CONTAINS) {
		pdb_buf_puts(l->text, "attribute_exists(");
		put_name(l, name);
		pdb_buf_puts(l->text, ") AND NOT ");
	}
	pdb_buf_puts(l->text, op == C_BEGINS_WITH ? "begins_with(" :
	    "contains(");
	put_name(l, name);
	pdb_buf_puts(l->text, ", ");
	put_value(l, json_incref(json_array_get(canon, 0)));
	pdb_buf_putc(l->text, ')');
}

/* One attribute's condition, checked, as an expression. */
static int
put_condition(struct legacy *l, const char *name, enum cmp op,
    const json_t *list)
{
	json_t *canon = NULL;
	int rc;

	if ((rc = check_values(l, name, op, list, &canon)) == PDB_OK)
		write_condition(l, name, op, canon);
	json_decref(canon);
	return rc;
}

/* The ComparisonOperator of a condition; path names the entry as
 * DynamoDB does ('queryFilter.a.member'). */
static int
comparison(struct legacy *l, const json_t *c, const char *path, int *op)
{
	char at[512];

	snprintf(at, sizeof(at), "%s.comparisonOperator", path);
	if (w_enum_in(l->r, c, "ComparisonOperator", at, cmps, -1, op) !=
	    PDB_OK)
		return l->r->e->status;
	return *op >= 0 ? PDB_OK : w_required(l->r, NULL, at);
}

/* Expected's Value as an AttributeValueList of one (or none). */
static int
put_with_value(struct legacy *l, const char *name, enum cmp op,
    const json_t *value)
{
	json_t *list = json_array();
	int rc;

	if (list == NULL || (value != NULL && json_array_append(list,
	    (json_t *)value) != 0))
		rc = pdb_err_set(l->r->e, PDB_E_SYSTEM, "out of memory");
	else
		rc = put_condition(l, name, op, list);
	json_decref(list);
	return rc;
}

/* One entry of Expected: {Value, Exists} or {ComparisonOperator,
 * AttributeValueList or Value}. */
static int
expected(struct legacy *l, const char *name, const json_t *c,
    const char *path)
{
	json_t *value = NULL, *list = NULL;
	int exists = 1, has_exists, op;

	if (w_object(l->r, c, "Value", &value) != PDB_OK ||
	    w_array(l->r, c, "AttributeValueList", &list) != PDB_OK ||
	    w_bool(l->r, c, "Exists", &exists) != PDB_OK)
		return l->r->e->status;
	has_exists = given(c, "Exists");
	if (value != NULL && list != NULL)
		return invalid(l, "Value and AttributeValueList cannot be used "
		    "together for Attribute: ", name);
	if (given(c, "ComparisonOperator")) {
		if (comparison(l, c, path, &op) != PDB_OK)
			return l->r->e->status;
		if (has_exists)
			return invalid(l, "Exists and ComparisonOperator cannot "
			    "be used together for Attribute: ", name);
		if (op != C_NULL && op != C_NOT_NULL && value == NULL &&
		    list == NULL)
			return pdb_err_invalid(l->r->e, "One or more parameter "
			    "values were invalid: Value or AttributeValueList "
			    "must be used with ComparisonOperator: %s for "
			    "Attribute: %s", cmps[op], name);
		return list != NULL ? put_condition(l, name, (enum cmp)op,
		    list) : put_with_value(l, name, (enum cmp)op, value);
	}
	if (list != NULL)
		return invalid(l, "AttributeValueList can only be used with a "
		    "ComparisonOperator for Attribute: ", name);
	if (exists && value == NULL)
		return pdb_err_invalid(l->r->e, "One or more parameter values "
		    "were invalid: Value must be provided when Exists is %s "
		    "for Attribute: %s", has_exists ? "true" : "null", name);
	if (!exists && value != NULL)
		return invalid(l, "Value cannot be used when Exists is false "
		    "for Attribute: ", name);
	return put_with_value(l, name, exists ? C_EQ : C_NULL, value);
}

/* One entry of QueryFilter, ScanFilter or KeyConditions:
 * {ComparisonOperator, AttributeValueList}. */
static int
condition(struct legacy *l, const char *name, const json_t *c,
    const char *path)
{
	json_t *list = NULL;
	int op;

	if (comparison(l, c, path, &op) != PDB_OK ||
	    w_array(l->r, c, "AttributeValueList", &list) != PDB_OK)
		return l->r->e->status;
	return list != NULL ? put_condition(l, name, (enum cmp)op, list) :
	    put_with_value(l, name, (enum cmp)op, NULL);
}

/* KeyConditions, already checked, take only what an index can find; AWS
 * says so after it has checked every condition's values and their count. */
static int
indexable(struct legacy *l, const json_t *conds)
{
	const char *name;
	json_t *c;
	int op;

	json_object_foreach((json_t *)conds, name, c) {
		for (op = 0; cmps[op] != NULL; op++)
			if (strcmp(cmps[op], json_string_value(json_object_get(c,
			    "ComparisonOperator"))) == 0)
				break;
		if (op != C_EQ && op != C_LE && op != C_LT && op != C_GE &&
		    op != C_GT && op != C_BEGINS_WITH && op != C_BETWEEN)
			return pdb_err_invalid(l->r->e, "Attempted conditional "
			    "constraint is not an indexable operation");
	}
	return PDB_OK;
}

/* Expected, QueryFilter, ScanFilter or KeyConditions (param) as one
 * expression, its conditions joined by AND, or OR. */
static int
conditions(struct legacy *l, const char *param, const json_t *conds,
    int or)
{
	char path[512];
	const char *name;
	json_t *c;
	int first = 1;

	json_object_foreach((json_t *)conds, name, c) {
		snprintf(path, sizeof(path), "%c%s.%s.member",
		    param[0] - 'A' + 'a', param + 1, name);
		if (!json_is_object(c))
			return pdb_wire_wrong_type(l->r->e, c, param,
			    strcmp(param, "Expected") == 0 ?
			    "ExpectedAttributeValue" : "Condition");
		if (check_name(l, name) != PDB_OK)
			return l->r->e->status;
		pdb_buf_puts(l->text, first ? "(" : or ? ") OR (" : ") AND (");
		first = 0;
		if ((strcmp(param, "Expected") == 0 ? expected(l, name, c,
		    path) : condition(l, name, c, path)) != PDB_OK)
			return l->r->e->status;
	}
	pdb_buf_puts(l->text, first ? "" : ")");
	return PDB_OK;
}

/* The clauses of AttributeUpdates' actions. */
enum clause { U_SET, U_REMOVE, U_ADD, U_DELETE, U_CLAUSES };

/* One entry of AttributeUpdates, {Action, Value}, into the clause
 * (clauses[enum clause]) it is written in. */
static int
attribute_update(struct legacy *l, const char *name, const json_t *u,
    struct pdb_buf *clauses)
{
	static const char *const actions[] = { "ADD", "PUT", "DELETE", NULL };
	static const enum clause as[] = { U_ADD, U_SET, U_DELETE };
	char path[512];
	const char *t;
	json_t *value = NULL, *canonical = NULL;
	int action;
	enum clause c;

	snprintf(path, sizeof(path), "attributeUpdates.%s.member.action",
	    name);
	if (!json_is_object(u))
		return pdb_wire_wrong_type(l->r->e, u, "AttributeUpdates",
		    "AttributeValueUpdate");
	if (check_name(l, name) != PDB_OK ||
	    w_object(l->r, u, "Value", &value) != PDB_OK ||
	    w_enum_in(l->r, u, "Action", path, actions, 1, &action) != PDB_OK ||
	    (value != NULL && check_value(l, name, value, &canonical) !=
	    PDB_OK))
		return l->r->e->status;
	t = value != NULL ? type_of(value) : "";
	if (value == NULL && as[action] != U_DELETE)
		return invalid(l, "Only DELETE action is allowed when no "
		    "attribute value is specified", "");
	if (value != NULL && ((as[action] == U_DELETE && strlen(t) != 2) ||
	    (as[action] == U_ADD && strlen(t) != 2 && strcmp(t, "N") != 0 &&
	    strcmp(t, "L") != 0))) {
		json_decref(canonical);
		return invalid(l, as[action] == U_ADD ? "ADD action is not "
		    "supported for the type " : "DELETE action with value is "
		    "not supported for the type ", t);
	}
	c = value == NULL ? U_REMOVE : as[action];
	l->text = &clauses[c];
	pdb_buf_puts(l->text, l->text->len > 0 ? ", " : "");
	put_name(l, name);
	pdb_buf_puts(l->text, c == U_SET ? " = " : " ");
	if (canonical != NULL)
		put_value(l, canonical);
	return PDB_OK;
}

/* AttributeUpdates as an update expression: PUT is SET, DELETE without a
 * value REMOVE, with one DELETE; ADD adds a number or a set and appends
 * a list (expr_update.c, for a legacy update). */
static int
attribute_updates(struct legacy *l, const json_t *updates,
    struct pdb_buf *out)
{
	static const char *const words[] = { "SET ", "REMOVE ", "ADD ",
	    "DELETE " };
	struct pdb_buf clauses[U_CLAUSES] = { { 0 } };
	const char *name;
	json_t *u;
	int i, rc = PDB_OK;

	json_object_foreach((json_t *)updates, name, u)
		if ((rc = attribute_update(l, name, u, clauses)) != PDB_OK)
			break;
	for (i = 0; i < U_CLAUSES; i++) {
		if (rc == PDB_OK && clauses[i].len > 0) {
			pdb_buf_puts(out, out->len > 0 ? " " : "");
			pdb_buf_puts(out, words[i]);
			pdb_buf_put(out, clauses[i].data, clauses[i].len);
		}
		pdb_buf_free(&clauses[i]);
	}
	l->text = out;
	return rc;
}

/* AttributesToGet as a projection of placeholders. */
static int
attributes_to_get(struct legacy *l, const json_t *list)
{
	const json_t *v;
	size_t i, j;

	/* AWS's model (dynalite); DynamoDB Local's words differ (D27). */
	if (json_array_size(list) == 0)
		return pdb_err_invalid(l->r->e, "1 validation error detected: "
		    "Value '[]' at 'attributesToGet' failed to satisfy "
		    "constraint: Member must have length greater than or equal "
		    "to 1");
	json_array_foreach(list, i, v) {
		if (!json_is_string(v))
			return pdb_wire_wrong_type(l->r->e, v,
			    "AttributesToGet", "String");
		if (check_name(l, json_string_value(v)) != PDB_OK)
			return l->r->e->status;
		for (j = 0; j < i; j++)
			if (json_equal(json_array_get(list, j), (json_t *)v))
				return invalid(l, "Duplicate value in attribute "
				    "name: ", json_string_value(v));
		pdb_buf_puts(l->text, i > 0 ? ", " : "");
		put_name(l, json_string_value(v));
	}
	return PDB_OK;
}

/* Expression and legacy members together are refused, all named;
 * KeyConditions go with the other expressions, though.  The legacy ones
 * in DynamoDB's order: a filter before ConditionalOperator (AWS), Expected
 * before it (DynamoDB Local). */
static int
not_mixed(struct wreq *r, const char *const *modern,
    const char *const *legacy)
{
	char mine[256] = "", old[256] = "";
	size_t i, nmine = 0, nold = 0;

	for (i = 0; i < NMODERN; i++)
		if (given(r->body, modern[i]))
			snprintf(mine + strlen(mine), sizeof(mine) -
			    strlen(mine), "%s%s", nmine++ ? ", " : "",
			    modern[i]);
	for (i = 0; i < NLEGACY; i++)
		if (given(r->body, legacy[i]) && (i != L_KEY_CONDITIONS ||
		    given(r->body, "KeyConditionExpression")))
			snprintf(old + strlen(old), sizeof(old) - strlen(old),
			    "%s%s", nold++ ? ", " : "", legacy[i]);
	if (nmine == 0 || nold == 0)
		return PDB_OK;
	return pdb_err_invalid(r->e, "Can not use both expression and "
	    "non-expression parameters in the same request: Non-expression "
	    "parameters: {%s} Expression parameters: {%s}", old, mine);
}

/* ConditionalOperator: 1 for OR, 0 for AND (or none). */
static int
conditional_operator(struct wreq *r, int *or)
{
	static const char *const ops[] = { "OR", "AND", NULL };
	int op;

	if (w_enum(r, "ConditionalOperator", "conditionalOperator", ops, -1,
	    &op) != PDB_OK)
		return r->e->status;
	*or = op == 0;
	return PDB_OK;
}

/* A ConditionalOperator joins two or more conditions of Expected or a
 * filter; said once they are checked (DynamoDB Local's order). */
static int
conditions_to_join(struct wreq *r, const json_t *conds)
{
	if (conds == NULL)
		return pdb_err_invalid(r->e, "ConditionalOperator cannot be used "
		    "without Filter or Expected");
	if (json_object_size(conds) < 2)
		return pdb_err_invalid(r->e, "ConditionalOperator can only be "
		    "used when Filter or Expected has two or more elements");
	return PDB_OK;
}

/* Each legacy member the request gives, written as the expression of its
 * kind into text[kind]. */
static int
write_legacy(struct legacy *l, const char *const *legacy,
    struct pdb_buf *text)
{
	struct wreq *r = l->r;
	json_t *v = NULL, *conds = NULL;
	const char *param;
	int or = 0;

	if (given(r->body, legacy[L_ATTRIBUTES_TO_GET])) {
		l->text = &text[PDB_EXPR_PROJECTION];
		if (w_array(r, r->body, legacy[L_ATTRIBUTES_TO_GET], &v) !=
		    PDB_OK || attributes_to_get(l, v) != PDB_OK)
			return r->e->status;
	}
	if (given(r->body, legacy[L_ATTRIBUTE_UPDATES]) && (w_object(r,
	    r->body, legacy[L_ATTRIBUTE_UPDATES], &v) != PDB_OK ||
	    attribute_updates(l, v, &text[PDB_EXPR_UPDATE]) != PDB_OK))
		return r->e->status;
	/* A filter or Expected, and its ConditionalOperator. */
	param = given(r->body, legacy[L_QUERY_FILTER]) ?
	    legacy[L_QUERY_FILTER] : given(r->body, legacy[L_SCAN_FILTER]) ?
	    legacy[L_SCAN_FILTER] : given(r->body, legacy[L_EXPECTED]) ?
	    legacy[L_EXPECTED] : NULL;
	if (param != NULL && w_object(r, r->body, param, &conds) != PDB_OK)
		return r->e->status;
	if (given(r->body, legacy[L_CONDITIONAL_OPERATOR]) &&
	    conditional_operator(r, &or) != PDB_OK)
		return r->e->status;
	if (param != NULL) {
		l->text = &text[param == legacy[L_EXPECTED] ?
		    PDB_EXPR_CONDITION : PDB_EXPR_FILTER];
		if (conditions(l, param, conds, or) != PDB_OK)
			return r->e->status;
	}
	if (given(r->body, legacy[L_CONDITIONAL_OPERATOR]) &&
	    conditions_to_join(r, conds) != PDB_OK)
		return r->e->status;
	if (given(r->body, legacy[L_KEY_CONDITIONS])) {
		l->text = &text[PDB_EXPR_KEY];
		if (w_object(r, r->body, legacy[L_KEY_CONDITIONS], &conds) !=
		    PDB_OK || conditions(l, legacy[L_KEY_CONDITIONS], conds,
		    0) != PDB_OK)
			return r->e->status;
		if (json_object_size(conds) != 1 && json_object_size(conds) != 2)
			return pdb_err_invalid(r->e, "Conditions can be of length "
			    "1 or 2 only");
		if (indexable(l, conds) != PDB_OK)
			return r->e->status;
	}
	return PDB_OK;
}

/* The kinds of expression, in the order of NMODERN. */
static const enum pdb_expr_kind kinds[NMODERN] = { PDB_EXPR_PROJECTION,
    PDB_EXPR_UPDATE, PDB_EXPR_FILTER, PDB_EXPR_CONDITION, PDB_EXPR_KEY };

static const char **
slot(struct pdb_expr_texts *t, size_t i)
{
	const char **slots[NMODERN] = { &t->projection, &t->update,
	    &t->filter, &t->condition, &t->key };

	return slots[i];
}

/* What the legacy members wrote (text, by kind) into t as well. */
static int
legacy_texts(struct wreq *r, struct pdb_buf *text, struct pdb_expr_texts *t)
{
	struct pdb_buf *b;
	size_t i;

	for (i = 0; i < NMODERN; i++) {
		b = &text[kinds[i]];
		pdb_buf_putc(b, '\0');
		if (b->oom)
			return pdb_err_set(r->e, PDB_E_SYSTEM, "out of memory");
		if (b->len > 1) {
			*slot(t, i) = b->data;
			t->legacy |= PDB_TAKES(kinds[i]);
		}
	}
	return PDB_OK;
}

int
w_exprs_legacy(struct wreq *r, const char *key, const char *condition,
    const char *update, const char *filter, const char *projection,
    const struct w_checks *checks, struct pdb_expr_set *set)
{
	/* In the order DynamoDB names them when both are given. */
	const char *const modern[] = { projection, update, filter, condition,
	    key };
	const char *const legacy[NLEGACY] = {
		[L_ATTRIBUTES_TO_GET] = projection ? "AttributesToGet" : NULL,
		[L_ATTRIBUTE_UPDATES] = update ? "AttributeUpdates" : NULL,
		[L_QUERY_FILTER] = filter && key ? "QueryFilter" : NULL,
		[L_SCAN_FILTER] = filter && !key ? "ScanFilter" : NULL,
		[L_EXPECTED] = condition ? "Expected" : NULL,
		[L_CONDITIONAL_OPERATOR] = filter || condition ?
		    "ConditionalOperator" : NULL,
		[L_KEY_CONDITIONS] = key ? "KeyConditions" : NULL,
	};
	struct pdb_buf text[PDB_EXPR_PROJECTION + 1] = { { 0 } };
	struct pdb_expr_texts t = { NULL };
	struct legacy l = { .r = r };
	json_t *names = NULL, *values = NULL;
	size_t i;
	int rc, any = 0;

	memset(set, 0, sizeof(*set));
	for (i = 0; i < NLEGACY; i++)
		any |= given(r->body, legacy[i]);
	/* DynamoDB's order: the members' mix, placeholders without an
	 * expression, the item's values, the legacy members, then the
	 * expressions themselves. */
	if ((any && not_mixed(r, modern, legacy) != PDB_OK) ||
	    w_placeholders(r, key || condition || update || filter, &names,
	    &values) != PDB_OK || w_texts(r, key, condition, update, filter,
	    projection, &t) != PDB_OK ||
	    pdb_exprs_check_placeholders(names, values, &t, r->e) != PDB_OK ||
	    (checks != NULL && checks->first != NULL &&
	    checks->first(r, checks->arg) != PDB_OK))
		return r->e->status;
	if (any) {
		l.own_names = names;
		l.own_values = values;
		l.names = json_object();
		l.values = json_object();
	}
	if ((rc = any ? write_legacy(&l, legacy, text) : PDB_OK) == PDB_OK &&
	    (rc = any ? legacy_texts(r, text, &t) : PDB_OK) == PDB_OK &&
	    (checks == NULL || checks->late == NULL ||
	    (rc = checks->late(r, checks->arg)) == PDB_OK)) {
		t.legacy_names = l.names;
		t.legacy_values = l.values;
		/* The request's copy of the values is canonicalised in
		 * place. */
		rc = pdb_exprs_request(json_incref(names), values ?
		    json_deep_copy(values) : NULL, &t, set, r->e);
	}
	for (i = 0; i <= PDB_EXPR_PROJECTION; i++)
		pdb_buf_free(&text[i]);
	json_decref(l.names);
	json_decref(l.values);
	return rc;
}
