/* cli_tail.c — pdb-stream-tail's output: records as JSON lines, Lambda
 * events or one GetRecords response, written a page at a time, with the
 * checkpoint moved only past what reached stdout whole. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pdb/cli.h"
#include "pdb/wire.h"

struct tailing {
	const struct pdb_cli_tail *t;
	struct pdb_db *db;
	long long printed;
	int in_page;		/* records printed in this page or event */
	struct pdb_buf out;	/* the page, written whole */
	/* Each record read in the page and the output length once it was
	 * added: after a short write, the records that fully reached the
	 * output are known exactly. */
	int nread;
	int64_t seq[PDB_PAGE_RECORDS_MAX];
	size_t end[PDB_PAGE_RECORDS_MAX];
};

static int
output_failed(struct pdb_err *e)
{
	return pdb_err_system(e, "cannot write to stdout: %s",
	    strerror(errno));
}

static int
each_record(void *arg, const struct pdb_stream *s, const struct pdb_record *r)
{
	struct tailing *g = arg;
	const struct pdb_cli_tail *t = g->t;
	int enough = 0;

	if (t->events & PDB_EVENT_BIT(r->event)) {
		if (t->page || t->lambda)
			pdb_buf_puts(&g->out, g->in_page ? "," : t->page ? "" :
			    "{\"Records\":[");
		pdb_wire_record(&g->out, g->db, s, r, t->lambda);
		if (!t->page && !t->lambda)
			pdb_buf_putc(&g->out, '\n');
		g->in_page++;
		enough = t->count > 0 && ++g->printed >= t->count;
	}
	g->seq[g->nread] = r->seq;
	g->end[g->nread++] = g->out.len;
	return enough;
}

/*
 * Write the page; *covered: every record read when the write was whole,
 * else the last whose bytes all reached stdout.  A Lambda event is
 * delivered whole or not at all, so a short write covers none of it.
 */
static int
flush(void *arg, int64_t read_to, int64_t *covered, struct pdb_err *e)
{
	struct tailing *g = arg;
	size_t written;
	int i;

	if (g->t->lambda && g->in_page > 0)
		pdb_buf_puts(&g->out, "]}\n");
	*covered = read_to;
	if (pdb_buf_write(&g->out, STDOUT_FILENO, &written) != 0) {
		output_failed(e);
		*covered = -1;
		for (i = 0; i < g->nread && !g->t->lambda; i++)
			if (g->end[i] <= written)
				*covered = g->seq[i];
	}
	g->out.len = 0;
	g->in_page = g->nread = 0;
	return *covered == read_to ? PDB_OK : PDB_SYSTEM;
}

static void
ended(void *arg, const struct pdb_stream *s)
{
	fprintf(stderr, "%s: stream %s is disabled and read to its end\n",
	    pdb_cli_prog(), s->arn);
}

/* --page: exactly one GetRecords response, printed once read whole. */
static int
one_page(struct tailing *g, const struct pdb_consumer *c, struct pdb_err *e)
{
	char next[PDB_ITER_MAX + 1] = "";
	struct pdb_iter it;
	int ended;

	if (pdb_consume_position(g->db, c, &it, e) != PDB_OK)
		return e->status;
	pdb_wire_records_open(&g->out);
	if (pdb_op_records_page(g->db, &it, c->limit, each_record, g, &ended,
	    e) != PDB_OK)
		return e->status;
	if (!ended)
		pdb_iter_encode(g->db, &it, next);
	pdb_wire_records_close(&g->out, next);
	pdb_buf_putc(&g->out, '\n');
	return pdb_cli_write(&g->out, e);
}

int
pdb_cli_tail(const struct pdb_cli_tail *t)
{
	static struct tailing g;	/* big: the page's marks */
	struct pdb_consumer c = {
		.dbpath = pdb_cli_db_path(t->dbopt), .target = t->target,
		.iterator = t->iterator, .from = t->from, .shard = t->shard,
		.checkpoint = t->checkpoint, .limit = t->limit,
		.follow = t->follow, .hangup_fd = STDOUT_FILENO,
		.stop = t->stop, .record = each_record, .flush = flush,
		.ended = ended, .arg = &g,
	};
	struct pdb_err e;
	int rc;

	memset(&g, 0, sizeof(g));
	g.t = t;
	if ((rc = pdb_cli_open(t->dbopt, 0, &g.db)) != PDB_OK)
		return rc;
	if ((rc = t->page ? one_page(&g, &c, &e) : pdb_consume(g.db, &c, &e))
	    != PDB_OK)
		pdb_cli_error(NULL, &e);
	pdb_buf_free(&g.out);
	pdb_db_close(g.db);
	return rc;
}
