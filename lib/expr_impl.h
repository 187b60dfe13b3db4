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
	json_t *names, *values;			/* the request's, owned */
	json_t *used_names, *used_values;	/* placeholders seen */
	unsigned legacy;			/* PDB_TAKES of legacy kinds */
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
	/* operands; N_SIZE .. N_UNKNOWN are function calls */
	N_PATH, N_VALUE, N_PLUS, N_MINUS, N_SIZE, N_IF_NOT_EXISTS,
	N_LIST_APPEND, N_UNKNOWN,
	/* conditions; N_EXISTS .. N_CONTAINS are function calls */
	N_CMP, N_BETWEEN, N_IN, N_AND, N_OR, N_NOT, N_EXISTS, N_NOT_EXISTS,
	N_TYPE, N_BEGINS, N_CONTAINS
};

#define IS_CALL(n) (((n)->type >= N_SIZE && (n)->type <= N_UNKNOWN) || \
    (n)->type >= N_EXISTS)
#define IS_CONDITION(n) ((n)->type >= N_CMP)

struct node {
	int type;
	int op;			/* N_CMP: T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE */
	struct node *a, *b, *c;	/* operands, functions' arguments */
	struct node **list;	/* N_IN */
	int nlist;
	int nargs;		/* a function's arguments, as written */
	struct path *path;	/* N_PATH */
	const json_t *value;	/* N_VALUE; NULL when it is not defined */
	const char *at;		/* where a path, value or call starts */
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
	int legacy;			/* stands for a legacy parameter */
	struct node *cond;		/* conditions, filters, keys */
	struct action *actions;		/* updates */
	int nactions;
	int *order;			/* the actions in the order done */
	struct path **paths;		/* projections; an update's targets */
	int npaths;
};

/*
 * DynamoDB reports a request's faults in an order: a syntax error first,
 * then the first (leftmost) misused function or reserved word, then, for
 * updates and projections, paths that overlap or conflict, then the first
 * fault found walking the tree from the leaves (placeholders, operand
 * counts and types).  The parser records the last two kinds and goes on,
 * so that a later syntax error still wins.
 */
enum { LATE_USAGE, LATE_CHECK, LATE_COUNT };

struct parser {
	struct pdb_exprs *x;
	enum pdb_expr_kind kind;
	const char *text, *p;
	struct tok tok;
	struct pdb_err *e;
	const char *prev, *prev_end;	/* the token before tok */
	int ops;		/* operators and functions so far */
	int depth;		/* nesting of the part being parsed */
	struct pdb_err late[LATE_COUNT];
	const char *late_at;	/* where late[LATE_USAGE] is */
};

/* "ConditionExpression", ... by enum pdb_expr_kind. */
extern const char *const pdb_expr_kind_names[];

void *pdb_exprs_alloc(struct pdb_exprs *x, size_t size);
void pdb_parse_next(struct parser *ps);
/* Before parsing a nested part; after it, ps->depth--. */
int pdb_parse_enter(struct parser *ps);
int pdb_parse_fail(struct parser *ps, const char *fmt, const char *arg);
int pdb_parse_syntax(struct parser *ps);
/* Record a fault of kind LATE_USAGE found at at, or LATE_CHECK, unless
 * one that DynamoDB names first is recorded; parsing goes on. */
void pdb_parse_late(struct parser *ps, int tier, const char *at,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The recorded fault DynamoDB names first, moved to ps->e (PDB_OK: none). */
int pdb_parse_late_report(struct parser *ps, int tier);
int pdb_parse_accept(struct parser *ps, int type);
int pdb_parse_expect(struct parser *ps, int type);
int pdb_parse_keyword(const struct parser *ps, const char *kw);
int pdb_parse_path(struct parser *ps, struct path **out);
int pdb_parse_path_node(struct parser *ps, struct node **out);
int pdb_parse_value(struct parser *ps, struct node **out);
struct node *pdb_node(struct parser *ps, int type, struct node *a,
    struct node *b);

/* Operands, by the kind of expression: a parser of one operand. */
typedef int pdb_parse_fn(struct parser *, struct node **);
/* Is the token a function name, followed by "("? */
int pdb_parse_at_call(const struct parser *ps);
/* A function call, its arguments read by arg and checked as DynamoDB
 * checks them. */
int pdb_parse_call(struct parser *ps, pdb_parse_fn *arg, struct node **out);
/* After "(": what parse reads, then ")"; ((x)) is refused. */
int pdb_parse_group(struct parser *ps, pdb_parse_fn *parse,
    struct node **out);
/* The call n is where DynamoDB does not allow it. */
void pdb_parse_misused(struct parser *ps, const struct node *n);
/* n is used as an operand: a function that is not one is misused. */
void pdb_parse_operand_use(struct parser *ps, const struct node *n);
/* The type an operand has before any item is read ("N" for size()), or
 * NULL when only the item tells. */
const char *pdb_node_type(const struct node *n);
/* Record "Incorrect operand type" for the operand of what, unless its type
 * is one of ok (a list such as "N S B"). */
void pdb_parse_operand_type(struct parser *ps, const char *what,
    const struct node *n, const char *ok);
/* Record that the first operand repeats in another (a path only). */
void pdb_parse_distinct(struct parser *ps, const char *what,
    const struct node *first, const struct node *other);
/* The paths of an update or a projection, checked as DynamoDB does:
 * none may overlap another or use an attribute as both map and list. */
int pdb_parse_check_paths(struct parser *ps, struct path *const *paths,
    int n);

int pdb_parse_condition(struct parser *ps, struct node **out);
int pdb_parse_update(struct parser *ps, struct pdb_expr *ex);
/* The update's actions in the order DynamoDB Local does them, which
 * decides the fault it names of several: a new array of indexes into
 * u->actions, NULL when out of memory. */
int *pdb_expr_walk(const struct pdb_expr *u);
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
/* How many first steps a and b share. */
int pdb_path_common(const struct path *a, const struct path *b);

#endif
