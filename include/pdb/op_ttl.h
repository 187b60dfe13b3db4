/*
 * op_ttl.h — Time to Live, as both front ends call it: UpdateTimeToLive
 * and DescribeTimeToLive with DynamoDB's rules and messages, and the sweep
 * that deletes what has expired (ttl.h) the way the service does, each
 * deletion a REMOVE record with the service's userIdentity.  Each runs in
 * the caller's transaction (write.h): a write one, but for describe.
 */
#ifndef PDB_OP_TTL_H
#define PDB_OP_TTL_H

#include "pdb/write.h"

/* Enable TTL on attr, or disable it (attr, when given, must name the
 * enabled one, as DynamoDB asks).  The change is at once; items already
 * stored count. */
int pdb_op_update_ttl(struct pdb_tx *tx, const char *name, int enabled,
    const char *attr, struct pdb_err *e);

/* The TTL attribute into attr (PDB_NAME_MAX bytes), "" when disabled. */
int pdb_op_describe_ttl(struct pdb_tx *tx, const char *name, char *attr,
    struct pdb_err *e);

/* Delete up to limit of the table's items that are due at the
 * transaction's clock, soonest first; *deleted says how many.  Expiry is
 * read inside the transaction, so a write that extended an item's TTL
 * before it began wins. */
int pdb_op_expire(struct pdb_tx *tx, const char *name, int limit,
    int *deleted, struct pdb_err *e);

/* The whole sweep of a table, in transactions of its own (tx must be
 * idle): pdb_op_expire a bounded batch at a time until nothing is due, so
 * other writers wait little however much has expired.  *deleted is
 * added to. */
#define PDB_EXPIRE_BATCH 1000
int pdb_expire_table(struct pdb_tx *tx, const char *name, int64_t *deleted,
    struct pdb_err *e);
/* The same for every table (one deleted meanwhile is passed over). */
int pdb_expire_all(struct pdb_tx *tx, int64_t *deleted, struct pdb_err *e);

#endif
