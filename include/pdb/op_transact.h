/*
 * op_transact.h — TransactWriteItems and TransactGetItems: up to 100
 * actions on distinct items, all or nothing.  Every DynamoDB rule of the
 * two operations is decided here: the limits, which faults refuse the
 * whole request and which cancel it with a reason per action, and
 * ClientRequestToken idempotency.
 *
 * The actions run one after another in the caller's transaction; since no
 * two name one item, that is the same as running them at once.  When a
 * write transaction is cancelled (TransactionCanceledException) or fails,
 * earlier actions may have written: the caller rolls its transaction back.
 */
#ifndef PDB_OP_TRANSACT_H
#define PDB_OP_TRANSACT_H

#include "pdb/op_item.h"

#define PDB_TRANSACT_MAX 100
#define PDB_TRANSACT_BYTES (4 * 1024 * 1024)
#define PDB_TOKEN_MAX 36
#define PDB_TOKEN_LIFE_MS (10 * 60 * 1000)

enum pdb_action_kind {
	PDB_ACTION_PUT, PDB_ACTION_UPDATE, PDB_ACTION_DELETE,
	PDB_ACTION_CHECK,		/* ConditionCheck */
	PDB_ACTION_GET
};

/* Why an action cancelled its transaction (CancellationReason.Code). */
enum pdb_reason {
	PDB_REASON_NONE, PDB_REASON_CONDITION, PDB_REASON_VALIDATION
};

struct pdb_action {
	enum pdb_action_kind kind;
	struct pdb_item_req req;	/* borrowed; old_on_failure as asked */
	struct pdb_exprs *exprs;	/* owned: the expressions req uses */
	/* Out. */
	enum pdb_reason reason;
	char *message;		/* the reason's message (malloc'd) */
	size_t aws_len;		/* of message, DynamoDB's own text */
	/* Get: the item found; a failed condition with ALL_OLD: the item it
	 * saw.  Canonical JSON text (malloc'd) or NULL. */
	char *item;
	double units;		/* consumed capacity */
	/* A write's units in its table's indexes, as units counts them
	 * (owned). */
	struct pdb_index_units *index;
	int nindex;
};

struct pdb_transact {
	struct pdb_action *a;	/* owned, n of them */
	size_t n;
	const char *token;	/* ClientRequestToken, or NULL */
	/* What a token is bound to: the request's actions as canonical
	 * text (malloc'd); the same token with other text is a mismatch. */
	char *request;
	int replayed;		/* out: a retry of a committed transaction */
};

/* A transaction of n actions, zeroed; NULL when out of memory. */
int pdb_transact_init(struct pdb_transact *t, size_t n, struct pdb_err *e);
void pdb_transact_free(struct pdb_transact *t);

/* The limits on the number of actions and on the token, which DynamoDB
 * checks before it reads the actions: the front ends call it first. */
int pdb_transact_check_counts(const struct pdb_transact *t,
    struct pdb_err *e);

/* The cancellation's summary, "[None, ConditionalCheckFailed]", is in the
 * error's message; each action's reason in t. */
int pdb_op_transact_write(struct pdb_tx *tx, struct pdb_transact *t,
    struct pdb_err *e);
/* Each Get's item into its action, all from the caller's one snapshot. */
int pdb_op_transact_get(struct pdb_tx *tx, struct pdb_transact *t,
    struct pdb_err *e);

/* The name of a reason as DynamoDB spells it ("ConditionalCheckFailed"). */
const char *pdb_reason_name(enum pdb_reason r);

#endif
