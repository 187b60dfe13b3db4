/*
 * expr.h — DynamoDB's expression language, shared by every program:
 * condition and filter expressions, update expressions, key conditions and
 * projections, with #name and :value placeholders, document paths
 * (a.b[2].c), reserved words and DynamoDB's error wording.
 *
 * A struct pdb_exprs holds one request's placeholders and owns every
 * expression parsed through it; free it with pdb_exprs_free.  Items are
 * DynamoDB JSON (json_t); results are new references.
 */
#ifndef PDB_EXPR_H
#define PDB_EXPR_H

#include <stddef.h>
#include <jansson.h>

#include "pdb/error.h"
#include "pdb/key.h"

enum pdb_expr_kind {
	PDB_EXPR_CONDITION,	/* ConditionExpression */
	PDB_EXPR_FILTER,	/* FilterExpression */
	PDB_EXPR_KEY,		/* KeyConditionExpression */
	PDB_EXPR_UPDATE,	/* UpdateExpression */
	PDB_EXPR_PROJECTION	/* ProjectionExpression */
};

struct pdb_exprs;
struct pdb_expr;

/*
 * Placeholders for a request: names ({"#n":"name"}) and values
 * ({":v":{"N":"1"}}), either may be NULL; the request takes both
 * references, even on failure.  Values are checked by DynamoDB's attribute
 * rules.
 */
int pdb_exprs_new(struct pdb_exprs **out, json_t *names, json_t *values,
    struct pdb_err *e);
void pdb_exprs_free(struct pdb_exprs *x);

/* Parse text as an expression of kind. */
int pdb_exprs_parse(struct pdb_exprs *x, enum pdb_expr_kind kind,
    const char *text, struct pdb_expr **out, struct pdb_err *e);

/* After parsing every expression of the request: any placeholder no
 * expression used is a ValidationException, as in DynamoDB. */
int pdb_exprs_check_unused(struct pdb_exprs *x, struct pdb_err *e);

/* The expressions of one request, as text (NULL: not given), and parsed;
 * takes holds PDB_TAKES(kind) for each kind the operation takes. */
#define PDB_TAKES(kind) (1u << (kind))
struct pdb_expr_texts {
	const char *key, *condition, *update, *filter, *projection;
	unsigned takes;
	/* PDB_TAKES(kind) of the texts that stand for DynamoDB's legacy
	 * parameters (Expected, QueryFilter, ...), whose rules and messages
	 * differ here and there; their placeholders, borrowed, join the
	 * request's once the request's own are checked. */
	unsigned legacy;
	const json_t *legacy_names, *legacy_values;
};
struct pdb_expr_set {
	struct pdb_exprs *x;	/* owns them all: pdb_exprs_free */
	const struct pdb_expr *key, *condition, *update, *filter, *projection;
};
/*
 * A request's placeholders (taken, as pdb_exprs_new), each expression given
 * in t parsed, then every placeholder checked used: what both front ends
 * do with a request's expressions.  Placeholders without any expression
 * the operation takes are refused first, as DynamoDB does.  out->x is set
 * even on failure (NULL when nothing was parsed).
 */
int pdb_exprs_request(json_t *names, json_t *values,
    const struct pdb_expr_texts *t, struct pdb_expr_set *out,
    struct pdb_err *e);
/* The first of pdb_exprs_request's checks, alone, for a front end that
 * checks more of the request before its expressions: placeholders
 * (borrowed) that no expression of t, other than a legacy one, takes. */
int pdb_exprs_check_placeholders(const json_t *names, const json_t *values,
    const struct pdb_expr_texts *t, struct pdb_err *e);

/* 1 when x stands for a legacy parameter (pdb_expr_texts.legacy). */
int pdb_expr_legacy(const struct pdb_expr *x);

/* Two values of one scalar type (S, N, B) in DynamoDB's order: < 0 when
 * a comes first, 0 when equal, > 0 after. */
int pdb_expr_value_order(const json_t *a, const json_t *b);

/* Evaluate a condition or filter on item (NULL: no item); *ok is 1 when
 * it holds. */
int pdb_expr_test(const struct pdb_expr *c, const json_t *item, int *ok,
    struct pdb_err *e);

/*
 * Apply an update to item in place (an empty object for a new item).
 * Key attributes may not be changed.
 */
int pdb_expr_update(const struct pdb_expr *u, const struct pdb_keyschema *ks,
    json_t *item, struct pdb_err *e);

/* A new item holding only the projected paths of item; for an update,
 * the paths it changes (what UPDATED_OLD and UPDATED_NEW return); NULL
 * when out of memory. */
json_t *pdb_expr_project(const struct pdb_expr *p, const json_t *item);

/* A key condition as a range of encoded keys of one partition (key.h). */
int pdb_expr_key_range(const struct pdb_expr *k,
    const struct pdb_keyschema *ks, struct pdb_key_range *r,
    struct pdb_err *e);

/* Each document path of any expression, as its top-level attribute name,
 * its number of steps and whether an update writes it, to fn until it
 * returns non-0 (then 1). */
int pdb_expr_each_path(const struct pdb_expr *x,
    int (*fn)(void *, const char *, int, int), void *arg);
/* Each top-level attribute name a condition, filter or projection reads,
 * to fn until it returns non-0 (then 1). */
int pdb_expr_each_name(const struct pdb_expr *x,
    int (*fn)(void *, const char *), void *arg);

/* A Query's filter may name no key attribute (Scan's may). */
int pdb_expr_filter_keys(const struct pdb_expr *f,
    const struct pdb_keyschema *ks, struct pdb_err *e);

#endif
