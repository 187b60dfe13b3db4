/* cli_read.c — the reading programs' loop: every page of a Query or Scan,
 * each read in its own snapshot and printed once the snapshot is let go,
 * so a slow reader of the output never holds the database. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdb/cli.h"
#include "pdb/dump.h"
#include "pdb/jsonl.h"
#include "pdb/value.h"

/* The reading programs' options, each for pdb-query (Q), pdb-scan (S) or
 * both. */
enum { Q = 1, S = 2 };
static const struct {
	int who;
	const char *text;
} help_lines[] = {
	{ Q | S, "  -d, --db PATH                        database file (default "
	    "$PDB_DB, ./pdb.db)" },
	{ S, "  -e, --segment I                      read segment I (0 to N-1) "
	    "of -t N" },
	{ Q | S, "  -F, --filter-expression EXPR         print only items where "
	    "EXPR holds" },
	{ Q | S, "  -g, --page                           print one page as "
	    "{\"Items\":[…],\"Count\":N,\n"
	    "                                       \"ScannedCount\":N,"
	    "\"LastEvaluatedKey\":{…}}" },
	{ Q | S, "  -i, --index NAME                     read the secondary index "
	    "NAME" },
	{ Q, "  -k, --key-condition-expression EXPR  the partition and sort "
	    "keys to read" },
	{ Q | S, "  -l, --limit N                        read at most N items "
	    "(before -F)" },
	{ Q | S, "  -N, --expression-attribute-names J   {\"#n\":\"name\"}" },
	{ Q | S, "  -P, --projection-expression EXPR     print only these "
	    "attributes" },
	{ Q | S, "  -p, --plain                          print plain JSON; -V and "
	    "-s take plain JSON" },
	{ Q, "  -r, --reverse                        descending sort key "
	    "order" },
	{ Q | S, "  -S, --select WHAT                    ALL_ATTRIBUTES, "
	    "ALL_PROJECTED_ATTRIBUTES,\n"
	    "                                       SPECIFIC_ATTRIBUTES, or "
	    "COUNT: the counts only" },
	{ Q | S, "  -s, --exclusive-start-key J          resume after this "
	    "LastEvaluatedKey" },
	{ S, "  -t, --total-segments N               a parallel scan's number "
	    "of segments" },
	{ Q | S, "  -V, --expression-attribute-values J  {\":v\":{\"N\":\"1\"}}" },
	{ S, "  -x, --export                         print S3 export lines, "
	    "{\"Item\":{…}}" },
	{ Q | S, "  -h, --help                           show this help" },
	{ Q | S, "      --version                        show the version" },
};

static void
read_help(const void *arg)
{
	const struct pdb_cli_reader *rd = arg;
	size_t i;

	printf("usage: %s\n\n%s\n\n", rd->synopsis, rd->about);
	for (i = 0; i < sizeof(help_lines) / sizeof(help_lines[0]); i++)
		if (help_lines[i].who & (rd->query ? Q : S))
			printf("%s\n", help_lines[i].text);
	printf("\nSee %s(1).\n", pdb_cli_prog());
}

struct reading {
	struct pdb_buf out;
	int plain, page, exporting;
	long long items;	/* in the page */
};

/* One item: a line, an S3 export line, or an element of the page's
 * Items. */
static int
put_item(void *arg, const char *text, size_t len, struct pdb_err *e)
{
	struct reading *g = arg;

	if (g->page && g->items++ > 0)
		pdb_buf_putc(&g->out, ',');
	if (g->exporting)
		pdb_buf_puts(&g->out, "{\"Item\":");
	if (pdb_cli_put_value(&g->out, text, len, g->plain, e) != PDB_OK)
		return 1;
	if (g->exporting)
		pdb_buf_putc(&g->out, '}');
	if (!g->page)
		pdb_buf_putc(&g->out, '\n');
	return 0;
}

/* The members a Query or Scan response ends with, closing it; last
 * (NULL: none) as DynamoDB JSON or plain. */
static int
put_counts(struct reading *g, long long count, long long scanned,
    const json_t *last, struct pdb_err *e)
{
	char *text;
	int rc = PDB_OK;

	pdb_buf_puts(&g->out, "\"Count\":");
	pdb_buf_put_uint(&g->out, (uint64_t)count, 0);
	pdb_buf_puts(&g->out, ",\"ScannedCount\":");
	pdb_buf_put_uint(&g->out, (uint64_t)scanned, 0);
	if (last != NULL) {
		pdb_buf_puts(&g->out, ",\"LastEvaluatedKey\":");
		if ((text = pdb_value_dump(last)) == NULL)
			return pdb_err_system(e, "out of memory");
		rc = pdb_cli_put_value(&g->out, text, strlen(text), g->plain, e);
		free(text);
	}
	pdb_buf_puts(&g->out, "}\n");
	return rc;
}

/*
 * Page after page, until the last, until limit items were read, or after
 * one with --page; each page's items are printed as it ends, the counts
 * (Select COUNT) and a --page response once whole.
 */
static int
pages(struct pdb_tx *tx, const struct pdb_cli_read *r, struct reading *g,
    struct pdb_err *e)
{
	struct pdb_read_req req = *r->req;
	struct pdb_read_res res = { 0 };
	long long left = r->limit, count = 0, scanned = 0;
	int counting = req.select == PDB_SELECT_COUNT;
	json_t *start = json_incref(req.start);
	int rc;

	if (r->page || counting)
		pdb_buf_puts(&g->out, counting ? "{" : "{\"Items\":[");
	do {
		req.limit = left;
		req.start = start;
		if ((rc = pdb_tx_begin_read(tx, e)) == PDB_OK) {
			rc = pdb_op_read(tx, &req, put_item, g, &res, e);
			pdb_tx_rollback(tx);
		}
		if (rc == PDB_OK && !r->page && !counting) {
			rc = pdb_cli_write(&g->out, e);
			g->out.len = 0;
		}
		count += res.count;
		scanned += res.scanned;
		json_decref(start);
		start = res.last_key;
		res.last_key = NULL;
		if (left > 0 && (left -= res.scanned) <= 0)
			break;
	} while (rc == PDB_OK && !r->page && start != NULL);
	if (rc == PDB_OK && (r->page || counting)) {
		if (!counting)
			pdb_buf_puts(&g->out, "],");
		if ((rc = put_counts(g, count, scanned, r->page ? start : NULL,
		    e)) == PDB_OK)
			rc = pdb_cli_write(&g->out, e);
	}
	json_decref(start);
	return rc;
}

int
pdb_cli_read(const struct pdb_cli_read *r)
{
	struct reading g = { .plain = r->plain, .page = r->page,
	    .exporting = r->exporting };
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

/* What the command line gives a reading program. */
struct read_args {
	const struct pdb_cli_reader *rd;
	struct pdb_read_req req;
	struct pdb_cli_read r;
	struct pdb_cli_exprs x;
	const char *start;	/* --exclusive-start-key */
	int segment;		/* -e given */
};

/* Option c into a: 0; the exit status when it is wrong; -1 when it is
 * not a reading option. */
static int
read_option(int c, struct read_args *a)
{
	long long n;
	int v;

	switch (c) {
	case 'e':
		/* Segment past TotalSegments is DynamoDB's to refuse. */
		if ((n = pdb_cli_number("--segment", optarg, 0,
		    PDB_SEGMENTS_MAX)) < 0)
			return 2;
		a->req.segment = (int)n;
		a->segment = 1;
		break;
	case 'F':
		a->x.filter = optarg;
		break;
	case 'g':
		a->r.page = 1;
		break;
	case 'i':
		a->req.index = optarg;
		break;
	case 'k':
		a->x.key = optarg;
		break;
	case 'l':
		if ((a->r.limit = pdb_cli_number("--limit", optarg, 1,
		    1LL << 62)) < 0)
			return 2;
		break;
	case 'N':
		a->x.names = optarg;
		break;
	case 'p':
		a->r.plain = 1;
		break;
	case 'P':
		a->x.projection = optarg;
		break;
	case 'r':
		a->req.reverse = 1;
		break;
	case 'S':
		if ((v = pdb_select_parse(optarg)) < 0)
			return pdb_cli_usage(a->rd->synopsis, "invalid --select "
			    "'%s': expected ALL_ATTRIBUTES, ALL_PROJECTED_"
			    "ATTRIBUTES, SPECIFIC_ATTRIBUTES or COUNT", optarg);
		a->req.select = (enum pdb_select)v;
		break;
	case 's':
		a->start = optarg;
		break;
	case 't':
		if ((n = pdb_cli_number("--total-segments", optarg, 1,
		    PDB_SEGMENTS_MAX)) < 0)
			return 2;
		a->req.segments = (int)n;
		break;
	case 'V':
		a->x.values = optarg;
		break;
	case 'x':
		a->r.exporting = 1;
		break;
	default:
		return -1;
	}
	return 0;
}

/* The operands and the options that go together: 0 or the exit status. */
static int
read_operands(struct read_args *a, int argc, char *argv[])
{
	const char *synopsis = a->rd->synopsis;

	if (argc != 1)
		return pdb_cli_usage(synopsis, "expected one table name");
	if (a->rd->query && a->x.key == NULL)
		return pdb_cli_usage(synopsis, "-k EXPR is required");
	if (a->r.exporting && (a->r.page || a->r.plain ||
	    a->req.select == PDB_SELECT_COUNT))
		return pdb_cli_usage(synopsis, "--export prints items as "
		    "DynamoDB JSON lines: not with -g, -p or -S COUNT");
	if (a->segment != (a->req.segments > 0))
		return pdb_cli_usage(synopsis, "--segment and --total-segments "
		    "go together");
	a->req.table = argv[0];
	return 0;
}

/* Expressions and the start key into the request, then every page. */
static int
read_run(struct read_args *a)
{
	struct pdb_expr_set p;
	struct pdb_err e;
	int rc;

	a->r.req = &a->req;
	if ((rc = pdb_cli_exprs(&a->x, a->r.plain, &p)) != PDB_OK)
		goto done;
	a->req.key = p.key;
	a->req.filter = p.filter;
	a->req.projection = p.projection;
	if (a->start != NULL && (a->req.start = pdb_cli_option_object(
	    "--exclusive-start-key", a->start, a->r.plain, &e)) == NULL)
		rc = pdb_cli_error(NULL, &e);
	else
		rc = pdb_cli_read(&a->r);
	json_decref(a->req.start);
done:
	pdb_exprs_free(p.x);
	return rc;
}

int
pdb_cli_read_main(int argc, char *argv[], const struct pdb_cli_reader *rd)
{
	static const struct option shared[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "exclusive-start-key", required_argument, NULL, 's' },
		{ "expression-attribute-names", required_argument, NULL, 'N' },
		{ "expression-attribute-values", required_argument, NULL, 'V' },
		{ "filter-expression", required_argument, NULL, 'F' },
		{ "index", required_argument, NULL, 'i' },
		{ "limit", required_argument, NULL, 'l' },
		{ "page", no_argument, NULL, 'g' },
		{ "plain", no_argument, NULL, 'p' },
		{ "projection-expression", required_argument, NULL, 'P' },
		{ "select", required_argument, NULL, 'S' },
	}, query[] = {
		{ "key-condition-expression", required_argument, NULL, 'k' },
		{ "reverse", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	}, scan[] = {
		{ "export", no_argument, NULL, 'x' },
		{ "segment", required_argument, NULL, 'e' },
		{ "total-segments", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	enum { N_SHARED = sizeof(shared) / sizeof(shared[0]) };
	struct option o[N_SHARED + (sizeof(query) > sizeof(scan) ?
	    sizeof(query) : sizeof(scan)) / sizeof(struct option)];
	struct read_args a = { .rd = rd, .x = { .takes =
	    PDB_TAKES(PDB_EXPR_FILTER) | PDB_TAKES(PDB_EXPR_PROJECTION) |
	    (rd->query ? PDB_TAKES(PDB_EXPR_KEY) : 0) } };
	int c, status;

	memcpy(o, shared, sizeof(shared));
	memcpy(o + N_SHARED, rd->query ? query : scan, rd->query ?
	    sizeof(query) : sizeof(scan));
	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, rd->query ?
	    "d:F:ghi:k:l:N:pP:rS:s:V:" : "d:e:F:ghi:l:N:pP:S:s:t:V:x", o,
	    NULL)) != -1) {
		if ((status = read_option(c, &a)) >= 0) {
			if (status > 0)
				return status;
			continue;
		}
		if (!pdb_cli_common(c, &a.r.dbopt, read_help, rd, &status))
			return pdb_cli_usage(rd->synopsis, NULL);
		if (status >= 0)
			return status;
	}
	argc -= optind;
	argv += optind;
	if ((status = read_operands(&a, argc, argv)) != 0)
		return status;
	return pdb_cli_finish(read_run(&a));
}
