/* cli_read.c — the reading programs' loop: every page of a Query or Scan,
 * each read in its own snapshot and printed once the snapshot is let go,
 * so a slow reader of the output never holds the database. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pdb/cli.h"
#include "pdb/dump.h"
#include "pdb/jsonl.h"

static void
read_help(const void *arg)
{
	const struct pdb_cli_reader *rd = arg;
	int query = rd->query;

	printf("usage: %s\n\n%s\n\n"
	    "  -d, --db PATH                        database file (default "
	    "$PDB_DB, ./pdb.db)\n"
	    "  -F, --filter-expression EXPR         print only items where "
	    "EXPR holds\n"
	    "%s"
	    "  -l, --limit N                        read at most N items "
	    "(before -F)\n"
	    "  -N, --expression-attribute-names J   {\"#n\":\"name\"}\n"
	    "  -P, --projection-expression EXPR     print only these "
	    "attributes\n"
	    "  -p, --plain                          print plain JSON; -V "
	    "takes plain JSON\n"
	    "%s"
	    "  -V, --expression-attribute-values J  {\":v\":{\"N\":\"1\"}}\n"
	    "  -h, --help                           show this help\n"
	    "      --version                        show the version\n\n"
	    "See %s(1).\n", rd->synopsis, rd->about, query ?
	    "  -k, --key-condition-expression EXPR  the partition and sort "
	    "keys to read\n" : "", query ? "  -r, --reverse           "
	    "             descending sort key order\n" : "", pdb_cli_prog());
}

struct reading {
	struct pdb_buf out;
	int plain;
};

static int
put_item(void *arg, const char *text, size_t len, struct pdb_err *e)
{
	struct reading *g = arg;

	return pdb_cli_put_item(&g->out, text, len, g->plain, e) != PDB_OK;
}

/* Page after page, until the last or until limit items were read. */
static int
pages(struct pdb_tx *tx, const struct pdb_cli_read *r, struct reading *g,
    struct pdb_err *e)
{
	struct pdb_read_req req = *r->req;
	struct pdb_read_res res = { 0 };
	long long left = r->limit;
	json_t *start = NULL;
	int rc;

	do {
		req.limit = left;
		req.start = start;
		if ((rc = pdb_tx_begin_read(tx, e)) == PDB_OK) {
			rc = pdb_op_read(tx, &req, put_item, g, &res, e);
			pdb_tx_rollback(tx);
		}
		if (rc == PDB_OK)
			rc = pdb_cli_write(&g->out, e);
		g->out.len = 0;
		json_decref(start);
		start = res.last_key;
		res.last_key = NULL;
		if (left > 0 && (left -= res.scanned) <= 0)
			break;
	} while (rc == PDB_OK && start != NULL);
	json_decref(start);
	return rc;
}

int
pdb_cli_read(const struct pdb_cli_read *r)
{
	struct reading g = { .plain = r->plain };
	struct pdb_tx tx;
	struct pdb_db *db;
	struct pdb_err e;
	int rc;

	if ((rc = pdb_cli_open(r->dbopt, 0, &db)) != PDB_OK)
		return rc;
	pdb_tx_init(&tx, db);
	if ((rc = pages(&tx, r, &g, &e)) != PDB_OK)
		pdb_cli_error(NULL, &e);
	pdb_tx_free(&tx);
	pdb_buf_free(&g.out);
	pdb_db_close(db);
	return rc;
}

/* The stdin line that failed, for messages. */
static int
line_error(const struct pdb_lines *in, const struct pdb_err *e)
{
	char where[64];

	snprintf(where, sizeof(where), "%s:%ld", in->name, in->lineno);
	return pdb_cli_error(where, e);
}

/* One key line: its item printed, or a miss reported and remembered. */
static int
get_line(struct pdb_tx *tx, struct pdb_item_req *req, struct reading *g,
    const struct pdb_lines *in, size_t len, int *missing, struct pdb_err *e)
{
	struct pdb_item_res res;
	int rc;

	if (pdb_cli_parse_item(in->line, len, g->plain, &req->item, e) !=
	    PDB_OK)
		return e->status;
	memset(&res, 0, sizeof(res));
	if ((rc = pdb_tx_begin_read(tx, e)) == PDB_OK) {
		if ((rc = pdb_cli_key_of(tx, req->table, &req->item, e)) ==
		    PDB_OK)
			rc = pdb_op_get(tx, req, &res, e);
		pdb_tx_rollback(tx);
	}
	json_decref(req->item);
	if (rc == PDB_OK && res.item == NULL) {
		fprintf(stderr, "%s: %s:%ld: no item with key %.*s%s\n",
		    pdb_cli_prog(), in->name, in->lineno, len > 200 ? 200 :
		    (int)len, in->line, len > 200 ? "…" : "");
		*missing = 1;
	} else if (rc == PDB_OK)
		rc = pdb_cli_put_item(&g->out, res.item, strlen(res.item),
		    g->plain, e);
	pdb_item_res_free(&res);
	return rc;
}

static int
get_all(struct pdb_tx *tx, const char *table, struct reading *g,
    struct pdb_lines *in, int *missing, struct pdb_err *e)
{
	struct pdb_item_req req = { .table = table };
	const struct pdb_table *t;
	const char *line;
	ssize_t len;
	int rc;

	/* A missing table is an error even with no keys to look up. */
	if ((rc = pdb_tx_begin_read(tx, e)) == PDB_OK) {
		rc = pdb_tx_table(tx, table, &t, e);
		pdb_tx_rollback(tx);
	}
	if (rc != PDB_OK)
		return pdb_cli_error(NULL, e);
	while ((len = pdb_lines_next(in, &line)) >= 0) {
		if (get_line(tx, &req, g, in, (size_t)len, missing, e) !=
		    PDB_OK)
			return line_error(in, e);
		/* Print before waiting for more keys, as an answer. */
		if (!pdb_lines_pending(in) || g->out.len >= 65536) {
			if (pdb_cli_write(&g->out, e) != PDB_OK)
				return pdb_cli_error(NULL, e);
			g->out.len = 0;
		}
	}
	if (len == PDB_LINES_TOO_LONG) {
		pdb_err_set(e, PDB_E_SERIALIZATION, "the line is longer than "
		    "%d bytes; a key takes far fewer", PDB_LINE_MAX);
		return line_error(in, e);
	}
	if (len == PDB_LINES_ERROR) {
		pdb_err_system(e, "cannot read %s: %s", in->name,
		    strerror(errno));
		return pdb_cli_error(NULL, e);
	}
	return pdb_cli_write(&g->out, e) == PDB_OK ? PDB_OK :
	    pdb_cli_error(NULL, e);
}

int
pdb_cli_get(const char *dbopt, const char *table, int plain)
{
	struct reading g = { .plain = plain };
	struct pdb_lines in;
	struct pdb_tx tx;
	struct pdb_db *db;
	struct pdb_err e;
	int rc, missing = 0;

	if ((rc = pdb_cli_open(dbopt, 0, &db)) != PDB_OK)
		return rc;
	pdb_tx_init(&tx, db);
	pdb_lines_init(&in, STDIN_FILENO, "stdin");
	rc = get_all(&tx, table, &g, &in, &missing, &e);
	pdb_lines_free(&in);
	pdb_tx_free(&tx);
	pdb_buf_free(&g.out);
	pdb_db_close(db);
	return rc != PDB_OK ? rc : missing ? PDB_NEGATIVE : PDB_OK;
}

static int
write_chunk(void *arg, const struct pdb_buf *b, struct pdb_err *e)
{
	return pdb_cli_write(b, e);
}

int
pdb_cli_dump(const char *dbopt, char *const *tables, int n)
{
	struct pdb_db *db;
	struct pdb_tx tx;
	struct pdb_err e;
	int rc;

	if ((rc = pdb_cli_open(dbopt, 0, &db)) != PDB_OK)
		return rc;
	pdb_tx_init(&tx, db);
	if ((rc = pdb_tx_begin_read(&tx, &e)) == PDB_OK)
		rc = pdb_dump(&tx, tables, n, write_chunk, NULL, &e);
	if (rc != PDB_OK)
		pdb_cli_error(NULL, &e);
	pdb_tx_free(&tx);
	pdb_db_close(db);
	return rc;
}

int
pdb_cli_read_main(int argc, char *argv[], const struct pdb_cli_reader *rd)
{
	/* The query-only options come last, to be cut off for pdb-scan. */
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "expression-attribute-names", required_argument, NULL, 'N' },
		{ "expression-attribute-values", required_argument, NULL, 'V' },
		{ "filter-expression", required_argument, NULL, 'F' },
		{ "limit", required_argument, NULL, 'l' },
		{ "plain", no_argument, NULL, 'p' },
		{ "projection-expression", required_argument, NULL, 'P' },
		{ "key-condition-expression", required_argument, NULL, 'k' },
		{ "reverse", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	enum { N_OPTS = sizeof(opts) / sizeof(opts[0]) };
	struct option o[N_OPTS];
	struct pdb_read_req req = { NULL };
	struct pdb_cli_read r = { .req = &req };
	struct pdb_cli_exprs x = { .takes = PDB_TAKES(PDB_EXPR_FILTER) |
	    PDB_TAKES(PDB_EXPR_PROJECTION) |
	    (rd->query ? PDB_TAKES(PDB_EXPR_KEY) : 0) };
	struct pdb_expr_set p;
	int c, rc, status;

	memcpy(o, opts, sizeof(o));
	if (!rd->query)
		o[N_OPTS - 3] = o[N_OPTS - 1];
	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, rd->query ? "d:F:hk:l:N:pP:rV:" :
	    "d:F:hl:N:pP:V:", o, NULL)) != -1)
		switch (c) {
		case 'F':
			x.filter = optarg;
			break;
		case 'k':
			x.key = optarg;
			break;
		case 'l':
			if ((r.limit = pdb_cli_number("--limit", optarg, 1,
			    1LL << 62)) < 0)
				return 2;
			break;
		case 'N':
			x.names = optarg;
			break;
		case 'p':
			r.plain = 1;
			break;
		case 'P':
			x.projection = optarg;
			break;
		case 'r':
			req.reverse = 1;
			break;
		case 'V':
			x.values = optarg;
			break;
		default:
			if (!pdb_cli_common(c, &r.dbopt, read_help, rd, &status))
				return pdb_cli_usage(rd->synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return pdb_cli_usage(rd->synopsis, "expected one table name");
	if (rd->query && x.key == NULL)
		return pdb_cli_usage(rd->synopsis, "-k EXPR is required");
	req.table = argv[0];
	if ((rc = pdb_cli_exprs(&x, r.plain, &p)) == PDB_OK) {
		req.key = p.key;
		req.filter = p.filter;
		req.projection = p.projection;
		rc = pdb_cli_read(&r);
	}
	pdb_exprs_free(p.x);
	return pdb_cli_finish(rc);
}
