/* group.c — group commit for the writers of one process. */
#include <pthread.h>
#include <stdlib.h>

#include "pdb/group.h"

/* A write waiting for, or in, a transaction. */
struct job {
	int (*fn)(void *, struct pdb_tx *, struct pdb_err *);
	void *arg;
	struct pdb_err *e;
	int rc;
	int done;
	struct job *next;
};

struct pdb_group {
	struct pdb_tx *tx;
	pthread_mutex_t lock;		/* the queue and leading */
	pthread_cond_t done;
	struct job *head, **tail;	/* waiting for the next transaction */
	int leading;
	pthread_mutex_t hold;		/* held through each transaction */
};

int
pdb_group_new(struct pdb_group **out, struct pdb_tx *tx, struct pdb_err *e)
{
	struct pdb_group *g = calloc(1, sizeof(*g));

	if ((*out = g) == NULL)
		return pdb_err_system(e, "out of memory");
	g->tx = tx;
	g->tail = &g->head;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->done, NULL);
	pthread_mutex_init(&g->hold, NULL);
	return PDB_OK;
}

void
pdb_group_free(struct pdb_group *g)
{
	if (g == NULL)
		return;
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->done);
	pthread_mutex_destroy(&g->hold);
	free(g);
}

/* One job of a transaction; with others, in a savepoint of its own. */
static void
run_job(struct pdb_group *g, struct job *j, int alone)
{
	struct pdb_db *db = g->tx->db;

	if (!alone && (j->rc = pdb_db_savepoint(db, j->e)) != PDB_OK)
		return;
	j->rc = j->fn(j->arg, g->tx, j->e);
	if (!alone && j->rc == PDB_OK)
		j->rc = pdb_db_release(db, j->e);
	/* What the job changed of a table is undone with it. */
	if (!alone && j->rc != PDB_OK) {
		pdb_db_undo(db);
		pdb_tx_forget_table(g->tx);
	}
}

/* Run the jobs in one transaction; each gets its outcome.  A job whose
 * failure ended the whole transaction (SQLite rolls back by itself on a
 * full disk, say) takes the jobs before it down too. */
static void
run_jobs(struct pdb_group *g, struct job *jobs)
{
	struct pdb_err e;
	struct job *j;
	int rc, kept = 0;

	pthread_mutex_lock(&g->hold);
	if ((rc = pdb_tx_begin_write(g->tx, &e)) == PDB_OK) {
		for (j = jobs; j != NULL && rc == PDB_OK; j = j->next) {
			run_job(g, j, jobs->next == NULL);
			kept += j->rc == PDB_OK;
			if (pdb_db_in_transaction(g->tx->db))
				continue;
			if ((rc = j->rc) != PDB_OK)
				e = *j->e;
			else
				rc = pdb_err_system(&e, "the transaction was "
				    "rolled back");
			pdb_tx_rollback(g->tx);
		}
		if (rc == PDB_OK && kept == 0)
			pdb_tx_rollback(g->tx);
		else if (rc == PDB_OK)
			rc = pdb_tx_commit(g->tx, &e);
	}
	pthread_mutex_unlock(&g->hold);
	if (rc != PDB_OK)
		for (j = jobs; j != NULL; j = j->next)
			if (j->rc == PDB_OK) {
				j->rc = rc;
				*j->e = e;
			}
}

int
pdb_group_write(struct pdb_group *g,
    int (*fn)(void *, struct pdb_tx *, struct pdb_err *), void *arg,
    struct pdb_err *e)
{
	struct job self = { .fn = fn, .arg = arg, .e = e }, *jobs, *j, *next;

	pthread_mutex_lock(&g->lock);
	*g->tail = &self;
	g->tail = &self.next;
	while (!self.done) {
		if (g->leading) {
			pthread_cond_wait(&g->done, &g->lock);
			continue;
		}
		g->leading = 1;
		jobs = g->head;
		g->head = NULL;
		g->tail = &g->head;
		pthread_mutex_unlock(&g->lock);
		run_jobs(g, jobs);
		pthread_mutex_lock(&g->lock);
		for (j = jobs; j != NULL; j = next) {
			next = j->next;	/* j may go as soon as it is done */
			j->done = 1;
		}
		g->leading = 0;
		pthread_cond_broadcast(&g->done);
	}
	pthread_mutex_unlock(&g->lock);
	return self.rc;
}

void
pdb_group_hold(struct pdb_group *g)
{
	pthread_mutex_lock(&g->hold);
}

void
pdb_group_release(struct pdb_group *g)
{
	pthread_mutex_unlock(&g->hold);
}
