/*
 * expr_impl.h — the parts of the expression module its files share: the
 * request, tokens, syntax trees and parser helpers.  Not a public API.
 */
#ifndef PDB_EXPR_IMPL_H
#define PDB_EXPR_IMPL_H

#include "pdb/expr.h"

#define PATH_MAX_STEPS 32
#define PDB_EXPR_SIZE_MAX 4096		/* bytes of one expression */
#define PDB_EXPR_OPERATORS_MAX 300	/* operators and functions */
#define PDB_EXPR_NESTING_MAX 256	/* parentheses, NOT and functions */

struct pdb_exprs {
	json_t *names, *values;			/* borrowed */
	json_t *used_names, *used_values;	/* placeholders seen */
	void **alloc;
	size_t nalloc, capalloc;
};

/* Token types; T_LP .. T_GT follow the order of "()[],.+-=<>". */
enum {
	T_EOF, T_BAD, T_IDENT, T_NAME, T_VALUE, T_NUM, T_NE, T_LE, T_GE,
	T_LP, T_RP, T_LB, T_RB, T_COMMA, T_DOT, T_PLUS, T_MINUS, T_EQ, T_LT,
	T_GT
};

struct tok {
	int type;
	const char *s;
	size_t len;
};

struct step {
	const char *name;	/* NULL for a list index */
	long index;		/* -1 for a name */
};

struct path {
	int n;
	struct step steps[PATH_MAX_STEPS];
};

enum {
	/* operands */
	N_PATH, N_VALUE, N_SIZE, N_PLUS, N_MINUS, N_IF_NOT_EXISTS,
	N_LIST_APPEND,
	/* conditions */
	N_CMP, N_BETWEEN, N_IN, N_AND, N_OR, N_NOT, N_EXISTS, N_NOT_EXISTS,
	N_TYPE, N_BEGINS, N_CONTAINS
};

struct node {
	int type;
	int op;			/* N_CMP: T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE */
	struct node *a, *b, *c;
	struct node **list;	/* N_IN */
	int nlist;
	struct path *path;	/* N_PATH, N_SIZE, N_EXISTS, ... */
	const json_t *value;	/* N_VALUE */
	int parens;		/* it was written in parentheses */
};

enum { A_SET, A_REMOVE, A_ADD, A_DELETE };

struct action {
	int clause;
	struct path *path;
	struct node *value;	/* SET, ADD, DELETE */
};

struct pdb_expr {
	enum pdb_expr_kind kind;
	struct node *cond;		/* conditions, filters, keys */
	struct action *actions;		/* updates */
	int nactions;
	struct path **paths;		/* projections */
	int npaths;
};

struct parser {
	struct pdb_exprs *x;
	enum pdb_expr_kind kind;
	const char *text, *p;
	struct tok tok;
	struct pdb_err *e;
	int ops;		/* operators and functions so far */
	int depth;		/* nesting of the part being parsed */
	int function;		/* the update function whose arguments are
				 * being parsed, or 0 */
};

/* "ConditionExpression", ... by enum pdb_expr_kind. */
extern const char *const pdb_expr_kind_names[];

void *pdb_exprs_alloc(struct pdb_exprs *x, size_t size);
void pdb_parse_next(struct parser *ps);
/* Before parsing a nested part; after it, ps->depth--. */
int pdb_parse_enter(struct parser *ps);
int pdb_parse_fail(struct parser *ps, const char *fmt, const char *arg);
int pdb_parse_syntax(struct parser *ps);
int pdb_parse_accept(struct parser *ps, int type);
int pdb_parse_expect(struct parser *ps, int type);
int pdb_parse_keyword(const struct parser *ps, const char *kw);
int pdb_parse_path(struct parser *ps, struct path **out);
int pdb_parse_value(struct parser *ps, struct node **out);
struct node *pdb_node(struct parser *ps, int type, struct node *a,
    struct node *b);

int pdb_parse_condition(struct parser *ps, struct node **out);
int pdb_parse_update(struct parser *ps, struct pdb_expr *ex);
int pdb_parse_projection(struct parser *ps, struct pdb_expr *ex);

/* Evaluation helpers shared by conditions and updates. */
const json_t *pdb_path_get(const struct path *p, const json_t *item);
/* The type key of an attribute value ("S", "NS", ...). */
const char *pdb_av_type(const json_t *v);
const json_t *pdb_av_inner(const json_t *v);
/* <0, 0, >0, or 2 when a and b cannot be ordered (types differ or are
 * not N, S or B); equality works for every type. */
int pdb_av_compare(const json_t *a, const json_t *b, int *equal);
void pdb_path_text(const struct path *p, char *out, size_t outsz);

#endif
