/*
 * group.h — group commit: the writers of one process share write
 * transactions.  A writer that finds no transaction running leads one:
 * it runs its own write and every write queued while the last
 * transaction ran, each in a savepoint of its own (a failure undoes only
 * its own changes), then commits once for all of them.  Each writer
 * learns its outcome after that commit, so no answer goes out before its
 * change is in the file.  A commit costs as much for one write as for
 * many, so under load the cost is shared.
 */
#ifndef PDB_GROUP_H
#define PDB_GROUP_H

#include "pdb/error.h"
#include "pdb/write.h"

struct pdb_group;

/* A group over tx (the caller's; every write runs on it). */
int pdb_group_new(struct pdb_group **out, struct pdb_tx *tx,
    struct pdb_err *e);
void pdb_group_free(struct pdb_group *g);

/*
 * Run fn(arg, tx, e) in a write transaction, maybe shared: PDB_OK once
 * committed; fn's error (its changes undone), or the transaction's (none
 * of the group's changes kept), in e.  fn runs on whichever thread leads,
 * while the caller waits.
 */
int pdb_group_write(struct pdb_group *g,
    int (*fn)(void *arg, struct pdb_tx *tx, struct pdb_err *e), void *arg,
    struct pdb_err *e);

/* Keep every writer out (a checkpoint that must see no commit), then let
 * them in again. */
void pdb_group_hold(struct pdb_group *g);
void pdb_group_release(struct pdb_group *g);

#endif
