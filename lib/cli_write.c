/* cli_write.c — the writing programs' loop: lines of stdin into item
 * requests, in one transaction or in batches, images printed. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <fcntl.h>

#include "pdb/cli.h"
#include "pdb/dump.h"
#include "pdb/jsonl.h"
#include "pdb/op_ttl.h"
#include "pdb/wire.h"

/* Images go out once this much is waiting, so memory stays bounded. */
#define OUT_FLUSH (64 * 1024)

static int
return_values(const char *synopsis, const char *arg, int max)
{
	int v = pdb_return_parse(arg);

	if (v >= 0 && v <= max)
		return v;
	pdb_cli_usage(synopsis, "invalid --return-values '%s': expected %s",
	    arg, max > PDB_RETURN_ALL_OLD ? "NONE, ALL_OLD, UPDATED_OLD, "
	    "ALL_NEW or UPDATED_NEW" : "NONE or ALL_OLD");
	return -1;
}

static void
write_help(const void *arg)
{
	const struct pdb_cli_writer *w = arg;
	int update = w->op == pdb_op_update;

	printf("usage: %s\n\n%s\n\n"
	    "  -b, --batch-size N                   commit every N lines "
	    "(default: the\n"
	    "                                       whole input is one "
	    "transaction)\n"
	    "  -c, --condition-expression EXPR      write only where EXPR "
	    "holds on the\n"
	    "                                       old item\n"
	    "  -d, --db PATH                        database file (default "
	    "$PDB_DB, ./pdb.db)\n"
	    "  -N, --expression-attribute-names J   {\"#n\":\"name\"}\n"
	    "  -V, --expression-attribute-values J  {\":v\":{\"N\":\"1\"}} "
	    "(plain JSON with -p)\n"
	    "  -p, --plain                          lines are plain JSON, "
	    "marshalled as the\n"
	    "                                       AWS SDKs do\n"
	    "  -R, --return-values WHAT             print images: NONE, "
	    "ALL_OLD%s\n"
	    "  -S, --skip-failed-conditions         skip lines whose "
	    "condition fails\n"
	    "%s"
	    "  -h, --help                           show this help\n"
	    "      --version                        show the version\n\n"
	    "See %s(1).\n", w->synopsis, w->about, update ?
	    ",\n                                       UPDATED_OLD, ALL_NEW, "
	    "UPDATED_NEW" : "", update ? "  -u, --update-expression "
	    "EXPR         the UpdateExpression (required)\n" : "",
	    pdb_cli_prog());
}

struct loading {
	const struct pdb_cli_load *l;
	struct pdb_tx tx;
	struct pdb_lines in;
	struct pdb_cli_fixture f;	/* pdb-put's, pdb-batch-write's input */
	struct pdb_progress progress;
	struct pdb_buf out;	/* images printed since the last commit */
	long done, committed;	/* writes (lines, items, requests) */
};

/* Where in the input the write or the error is: what the reader said,
 * else the line last read. */
static const char *
where(struct loading *g)
{
	if (g->f.where[0] == '\0' && g->in.lineno > 0)
		snprintf(g->f.where, sizeof(g->f.where), "%s:%ld", g->in.name,
		    g->in.lineno);
	return g->f.where;
}

static void
skipped(struct loading *g, const struct pdb_err *e)
{
	const char *what = g->f.where[0] == '\0' ? "line" : "item";

	fprintf(stderr, "%s: %s: %s: %s (%s skipped)\n", pdb_cli_prog(),
	    where(g), pdb_err_name(e->code), e->msg, what);
}

/* Images and responses go out once OUT_FLUSH bytes wait, or now. */
static int
flush_some(struct loading *g, int now, struct pdb_err *e)
{
	int rc = PDB_OK;

	if (g->out.len >= OUT_FLUSH || (now && g->out.len > 0)) {
		rc = pdb_cli_write(&g->out, e);
		g->out.len = 0;
	}
	return rc;
}

/* The images printed reach stdout before the changes commit: a failure
 * to print them is a failure to commit. */
static int
commit(struct loading *g, struct pdb_err *e)
{
	if (g->out.len > 0 && pdb_cli_write(&g->out, e) != PDB_OK) {
		pdb_tx_rollback(&g->tx);
		return e->status;
	}
	g->out.len = 0;
	if (pdb_tx_commit(&g->tx, e) != PDB_OK)
		return e->status;
	g->committed = g->done;
	return PDB_OK;
}

/* Readers (pdb-transact --get) read one snapshot; the rest write. */
static int
begin(struct loading *g, struct pdb_err *e)
{
	return g->l->get ? pdb_tx_begin_read(&g->tx, e) :
	    pdb_tx_begin_write(&g->tx, e);
}

/* One more write done: progress, and with -b a commit every batch. */
static int
step(struct loading *g, struct pdb_err *e)
{
	pdb_progress_add(&g->progress, 1);
	if (g->l->batch > 0 && ++g->done % g->l->batch == 0 &&
	    (commit(g, e) != PDB_OK || begin(g, e) != PDB_OK))
		return e->status;
	return PDB_OK;
}

/* pdb-transact: a line is the AWS CLI's --transact-items list, or a
 * whole request; a TransactGetItems response is printed as a line. */
static int
transact_line(struct loading *g, const char *line, size_t len,
    struct pdb_err *e)
{
	struct pdb_transact t;
	json_t *v, *req;
	int capacity = 0, rc;

	/* JSON text is an array or an object: a list or a request. */
	if (pdb_cli_parse_json(line, len, 0, &v, e) != PDB_OK)
		return e->status;
	req = json_is_array(v) ? json_pack("{s:o}", "TransactItems", v) : v;
	if ((rc = pdb_wire_transact_request(req, g->l->get, &t, &capacity,
	    e)) == PDB_OK)
		rc = (g->l->get ? pdb_op_transact_get :
		    pdb_op_transact_write)(&g->tx, &t, e);
	if (rc == PDB_OK && g->l->get) {
		pdb_wire_transact_response(&g->out, &t, 1, capacity);
		pdb_buf_putc(&g->out, '\n');
		/* Answer now when no other line is waiting: a reader at
		 * the other end of a pipe may wait for it. */
		rc = flush_some(g, !pdb_lines_pending(&g->in), e);
	}
	pdb_transact_free(&t);
	json_decref(req);
	return rc;
}

/* One item write (op, or for pdb-batch-write a put or a delete): its
 * image printed, a failed condition skipped when asked. */
static int
write_one(void *arg, const char *table, json_t *item, int del,
    struct pdb_err *e)
{
	struct loading *g = arg;
	const struct pdb_cli_load *l = g->l;
	struct pdb_item_req req = l->req;
	struct pdb_item_res res;
	int rc;

	req.table = table;
	req.item = item;
	rc = (l->op != NULL ? l->op : del ? pdb_op_delete : pdb_op_put)(&g->tx,
	    &req, &res, e);
	if (rc == PDB_OK && res.item != NULL &&
	    (rc = pdb_cli_put_item(&g->out, res.item, strlen(res.item),
	    l->plain, e)) == PDB_OK)
		rc = flush_some(g, 0, e);
	pdb_item_res_free(&res);
	if (rc == PDB_OK)
		return step(g, e);
	if (l->skip && e->code == PDB_E_CONDITION_FAILED) {
		skipped(g, e);
		return PDB_OK;
	}
	return rc;
}

/* pdb-put: the table's partition key, for the fixture reader. */
static int
hash_key(void *arg, const char **name, struct pdb_err *e)
{
	struct loading *g = arg;
	const struct pdb_table *t;

	if (pdb_tx_table(&g->tx, g->l->table, &t, e) != PDB_OK)
		return e->status;
	*name = t->ks.hash;
	return PDB_OK;
}

static int
apply_line(struct loading *g, const char *line, size_t len,
    struct pdb_err *e)
{
	const struct pdb_cli_load *l = g->l;
	json_t *item;
	int rc;

	g->f.where[0] = '\0';
	if (l->dump || l->transact)
		return (l->dump ? pdb_load_line(&g->tx, line, len, l->replace,
		    e) : transact_line(g, line, len, e)) == PDB_OK ?
		    step(g, e) : e->status;
	if (l->op == pdb_op_put)
		return pdb_cli_fixture_line(&g->f, line, len, e);
	if (pdb_cli_parse_item(line, len, l->plain, &item, e) != PDB_OK)
		return e->status;
	if ((rc = pdb_cli_key_of(&g->tx, l->table, &item, e)) == PDB_OK)
		rc = write_one(g, l->table, item, 0, e);
	json_decref(item);
	return rc;
}

/* One input: its lines, or its BatchWriteItem requests. */
static int
read_input(struct loading *g, struct pdb_err *e)
{
	const char *line;
	ssize_t len;

	if (g->l->batch_write)
		return pdb_cli_fixture_batch(&g->f, e);
	while ((len = pdb_lines_next(&g->in, &line)) >= 0)
		if (apply_line(g, line, (size_t)len, e) != PDB_OK)
			return e->status;
	g->f.where[0] = '\0';
	if (len == PDB_LINES_TOO_LONG)
		return pdb_err_set(e, PDB_E_SERIALIZATION, "the line is longer "
		    "than %d bytes; an item (at most 400 KB) takes far fewer",
		    PDB_LINE_MAX);
	if (len == PDB_LINES_ERROR)
		return pdb_err_system(e, "cannot read %s: %s", g->in.name,
		    strerror(errno));
	return PDB_OK;
}

/* The input file, or stdin for "-"; -1 with e set and where naming it. */
static int
open_input(struct loading *g, const char *input, struct pdb_err *e)
{
	int fd;

	if (strcmp(input, "-") == 0)
		return STDIN_FILENO;
	if ((fd = open(input, O_RDONLY | O_CLOEXEC)) < 0) {
		pdb_err_system(e, "%s", strerror(errno));
		snprintf(g->f.where, sizeof(g->f.where), "%s", input);
	}
	return fd;
}

/* Every input in turn, in the transaction begun, the first one open
 * as fd. */
static int
load(struct loading *g, char *const *inputs, int n, int fd,
    struct pdb_err *e)
{
	int i, rc = PDB_OK;

	for (i = 0; rc == PDB_OK && i < n; i++) {
		if (i > 0 && (fd = open_input(g, inputs[i], e)) < 0)
			return e->status;
		pdb_lines_init(&g->in, fd, fd == STDIN_FILENO ? "stdin" :
		    inputs[i]);
		if ((rc = read_input(g, e)) != PDB_OK)
			where(g);
		pdb_lines_free(&g->in);
		if (fd != STDIN_FILENO)
			close(fd);
	}
	if (rc != PDB_OK)
		return rc;
	g->f.where[0] = '\0';
	return commit(g, e);
}

int
pdb_cli_load(const struct pdb_cli_load *l)
{
	static char *const standard_input[] = { "-" };
	char *const *inputs = l->ninputs > 0 ? l->inputs : standard_input;
	int n = l->ninputs > 0 ? l->ninputs : 1, fd, rc;
	struct loading g = { .l = l };
	struct pdb_db *db;
	struct pdb_err e;

	g.f.in = &g.in;
	g.f.plain = l->plain;
	g.f.table = l->table;
	g.f.write = write_one;
	g.f.hash_key = hash_key;
	g.f.arg = &g;
	/* The first input opens before the database: a missing file makes
	 * no database. */
	if ((fd = open_input(&g, inputs[0], &e)) < 0)
		return pdb_cli_error(g.f.where, &e);
	if ((rc = pdb_cli_open(l->dbopt, l->dump ? PDB_DB_CREATE : 0, &db)) !=
	    PDB_OK) {
		if (fd != STDIN_FILENO)
			close(fd);
		return rc;
	}
	pdb_tx_init(&g.tx, db);
	g.tx.no_capture = l->no_records;
	pdb_progress_start(&g.progress, l->dump ? "lines" : l->transact ?
	    "transactions" : l->batch_write ? "requests" : "items");
	if ((rc = begin(&g, &e)) == PDB_OK)
		rc = load(&g, inputs, n, fd, &e);
	else if (fd != STDIN_FILENO)
		close(fd);
	pdb_progress_end(&g.progress);
	if (rc != PDB_OK) {
		pdb_cli_error(g.f.where, &e);
		if (l->batch_write && g.committed > 0)
			fprintf(stderr, "%s: %ld request%s before the error "
			    "%s committed\n", pdb_cli_prog(), g.committed,
			    g.committed == 1 ? "" : "s", g.committed == 1 ?
			    "was" : "were");
	}
	pdb_tx_free(&g.tx);
	pdb_buf_free(&g.out);
	pdb_cli_fixture_free(&g.f);
	pdb_db_close(db);
	return rc;
}

int
pdb_cli_write_main(int argc, char *argv[], const struct pdb_cli_writer *w)
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "batch-size", required_argument, NULL, 'b' },
		{ "condition-expression", required_argument, NULL, 'c' },
		{ "expression-attribute-names", required_argument, NULL, 'N' },
		{ "expression-attribute-values", required_argument, NULL, 'V' },
		{ "plain", no_argument, NULL, 'p' },
		{ "return-values", required_argument, NULL, 'R' },
		{ "skip-failed-conditions", no_argument, NULL, 'S' },
		{ "update-expression", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	enum { N_OPTS = sizeof(opts) / sizeof(opts[0]) };
	int update = w->op == pdb_op_update;
	struct option o[N_OPTS];
	struct pdb_cli_load l = { .op = w->op };
	struct pdb_cli_exprs x = { .takes = PDB_TAKES(PDB_EXPR_CONDITION) |
	    (update ? PDB_TAKES(PDB_EXPR_UPDATE) : 0) };
	struct pdb_expr_set p;
	int c, rc, status;

	/* Only pdb-update knows --update-expression, the last option. */
	memcpy(o, opts, sizeof(o));
	if (!update)
		o[N_OPTS - 2] = o[N_OPTS - 1];
	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, update ? "b:c:d:hN:pR:Su:V:" :
	    "b:c:d:hN:pR:SV:", o, NULL)) != -1)
		switch (c) {
		case 'b':
			if (pdb_cli_batch_size(optarg, &l.batch) != PDB_OK)
				return PDB_USAGE;
			break;
		case 'c':
			x.condition = optarg;
			break;
		case 'N':
			x.names = optarg;
			break;
		case 'p':
			l.plain = 1;
			break;
		case 'R':
			if ((rc = return_values(w->synopsis, optarg, update ?
			    PDB_RETURN_UPDATED_NEW : PDB_RETURN_ALL_OLD)) < 0)
				return 2;
			l.req.ret = (enum pdb_return)rc;
			break;
		case 'S':
			l.skip = 1;
			break;
		case 'u':
			x.update = optarg;
			break;
		case 'V':
			x.values = optarg;
			break;
		default:
			if (!pdb_cli_common(c, &l.dbopt, write_help, w, &status))
				return pdb_cli_usage(w->synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return pdb_cli_usage(w->synopsis, "expected one table name");
	if (update && x.update == NULL)
		return pdb_cli_usage(w->synopsis, "-u EXPR is required");
	l.table = argv[0];
	if ((rc = pdb_cli_exprs(&x, l.plain, &p)) == PDB_OK) {
		l.req.condition = p.condition;
		l.req.update = p.update;
		rc = pdb_cli_load(&l);
	}
	pdb_exprs_free(p.x);
	return pdb_cli_finish(rc);
}

int
pdb_cli_expire(const char *dbopt, char *const *tables, int n)
{
	struct pdb_progress progress;
	struct pdb_db *db;
	struct pdb_tx tx;
	struct pdb_err e;
	int64_t deleted = 0;
	int i, rc;

	if ((rc = pdb_cli_open(dbopt, 0, &db)) != PDB_OK)
		return rc;
	pdb_tx_init(&tx, db);
	pdb_progress_start(&progress, "items");
	if (n == 0)
		rc = pdb_expire_all(&tx, &deleted, &e);
	for (i = 0; i < n && rc == PDB_OK; i++)
		rc = pdb_expire_table(&tx, tables[i], &deleted, &e);
	pdb_progress_add(&progress, deleted);
	pdb_progress_end(&progress);
	if (rc != PDB_OK)
		pdb_cli_error(NULL, &e);
	pdb_tx_free(&tx);
	pdb_db_close(db);
	return rc;
}
