/* pdb-table — create, list, describe and delete tables; switch streams. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/cli.h"
#include "pdb/op_table.h"
#include "pdb/op_ttl.h"
#include "pdb/shard.h"
#include "pdb/wire.h"

static const char synopsis[] =
    "pdb-table [-d db] create [--if-not-exists] NAME KEY[:TYPE] "
    "[SORTKEY[:TYPE]]\n"
    "                 [-s VIEW [-n N]] [-g GSI]… [-L LSI]…\n"
    "       pdb-table [-d db] create [--if-not-exists] -i FILE\n"
    "       pdb-table [-d db] list\n"
    "       pdb-table [-d db] describe NAME\n"
    "       pdb-table [-d db] delete [--if-exists] NAME\n"
    "       pdb-table [-d db] stream [-n N] NAME VIEW|off\n"
    "       pdb-table [-d db] ttl NAME [ATTR|off]\n"
    "       pdb-table [-d db] index NAME add GSI\n"
    "       pdb-table [-d db] index NAME delete INDEX";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Manage the tables of a pdb database and their streams.\n\n"
	    "  -d, --db PATH       database file (default $PDB_DB, ./pdb.db)\n"
	    "  -i, --input FILE    create from an AWS CreateTable request "
	    "(- for stdin)\n"
	    "  -s, --stream VIEW   create with a stream: KEYS_ONLY, "
	    "NEW_IMAGE,\n"
	    "                      OLD_IMAGE or NEW_AND_OLD_IMAGES\n"
	    "  -g, --gsi GSI       create with a global secondary index\n"
	    "  -L, --lsi LSI       create with a local secondary index\n"
	    "  -n, --shards N      a new stream's open shards, over equal "
	    "hash ranges\n"
	    "                      (1 to 1000, default 1)\n"
	    "      --if-not-exists succeed if the table is already there as "
	    "asked\n"
	    "      --if-exists     succeed if there is no table to delete\n"
	    "  -h, --help          show this help\n"
	    "      --version       show the version\n\n"
	    "TYPE is S (default), N or B.  stream succeeds when the stream is "
	    "already\nas asked.  ttl NAME prints the table's "
	    "TimeToLiveDescription; ttl NAME ATTR\nenables Time to Live on "
	    "ATTR, ttl NAME off disables it.\n\n"
	    "GSI is \"NAME KEY[:TYPE] [SORTKEY[:TYPE]] [PROJECTION]\", LSI "
	    "\"NAME SORTKEY[:TYPE]\n[PROJECTION]\" (the table's partition "
	    "key), PROJECTION ALL (default),\nKEYS_ONLY or INCLUDE:ATTR,….  "
	    "index NAME add fills the new index from the\ntable's items; "
	    "index NAME delete drops one.  See pdb-table(1).\n",
	    synopsis);
}

/* The CreateTable request in file ("-": stdin); errors name the place. */
static json_t *
load_request(const char *file, struct pdb_err *e, char *where, size_t wsz)
{
	const char *name = strcmp(file, "-") == 0 ? "stdin" : file;
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	json_error_t je;
	json_t *req;

	snprintf(where, wsz, "%s", name);
	if (f == NULL) {
		pdb_err_system(e, "cannot open: %s", strerror(errno));
		return NULL;
	}
	req = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	if (f != stdin)
		fclose(f);
	if (req == NULL) {
		snprintf(where, wsz, "%s:%d", name, je.line);
		pdb_err_set(e, PDB_E_SERIALIZATION, "%s", je.text);
	}
	return req;
}

static int
print_json(json_t *j, struct pdb_err *e)
{
	struct pdb_buf out = { 0 };
	char *text = json_dumps(j, JSON_COMPACT);
	int rc;

	pdb_buf_puts(&out, text ? text : "");
	pdb_buf_putc(&out, '\n');
	rc = text ? pdb_cli_write(&out, e) : pdb_err_system(e,
	    "out of memory");
	free(text);
	json_decref(j);
	pdb_buf_free(&out);
	return rc;
}

static int
put_name(void *arg, const char *name)
{
	pdb_buf_puts(arg, name);
	pdb_buf_putc(arg, '\n');
	return 0;
}

static int
list(struct pdb_tx *tx, struct pdb_err *e)
{
	struct pdb_buf out = { 0 };
	int rc, more;

	if ((rc = pdb_op_list_tables(tx, NULL, 0, put_name, &out, &more, e)) ==
	    PDB_OK) {
		pdb_tx_rollback(tx);
		rc = pdb_cli_write(&out, e);
	}
	pdb_buf_free(&out);
	return rc;
}

/* How the command was asked for. */
struct request {
	const char *cmd;
	int argc;
	char **argv;
	struct pdb_table_spec spec;	/* create's */
	struct pdb_index index;		/* index add's */
	int if_exists, if_not_exists;
	int shards;			/* -n, 0 when not given */
	int nindex;
	const char *index_arg[PDB_GSI_MAX + PDB_LSI_MAX + 1];
	int index_global[PDB_GSI_MAX + PDB_LSI_MAX + 1];
};

/* The operation of a writing command. */
static int
write_op(struct pdb_tx *tx, const struct request *rq,
    struct pdb_table_info *info, struct pdb_err *e)
{
	enum pdb_view view = PDB_VIEW_NONE;
	int changed;

	if (strcmp(rq->cmd, "create") == 0)
		return rq->if_not_exists ? pdb_op_ensure_table(tx, &rq->spec,
		    info, &changed, e) : pdb_op_create_table(tx, &rq->spec,
		    info, e);
	if (strcmp(rq->cmd, "ttl") == 0)
		return pdb_op_update_ttl(tx, rq->argv[0], strcmp(rq->argv[1],
		    "off") != 0, strcmp(rq->argv[1], "off") != 0 ? rq->argv[1] :
		    NULL, e);
	if (strcmp(rq->cmd, "index") == 0)
		return strcmp(rq->argv[1], "add") == 0 ? pdb_op_add_index(tx,
		    rq->argv[0], &rq->index, info, e) : pdb_op_delete_index(tx,
		    rq->argv[0], rq->argv[2], info, e);
	if (strcmp(rq->cmd, "delete") == 0) {
		if (pdb_op_delete_table(tx, rq->argv[0], info, e) == PDB_OK)
			return PDB_OK;
		return rq->if_exists && e->code == PDB_E_NOT_FOUND ? PDB_OK :
		    e->status;
	}
	if (strcmp(rq->argv[1], "off") != 0 &&
	    pdb_table_parse_view(rq->argv[1], &view, e) != PDB_OK)
		return e->status;
	return pdb_op_ensure_stream(tx, rq->argv[0], view, rq->shards, info,
	    &changed, e);
}

static int
describe_ttl(struct pdb_tx *tx, const char *name, struct pdb_err *e)
{
	char attr[PDB_NAME_MAX];

	if (pdb_tx_begin_read(tx, e) != PDB_OK ||
	    pdb_op_describe_ttl(tx, name, attr, e) != PDB_OK)
		return e->status;
	pdb_tx_rollback(tx);
	return print_json(pdb_wire_ttl_description(attr), e);
}

/* One command in one transaction, the table's description printed for
 * describe. */
static int
command(struct pdb_tx *tx, const struct request *rq, struct pdb_err *e)
{
	struct pdb_table_info info = { 0 };
	int rc;

	if (strcmp(rq->cmd, "list") == 0)
		return pdb_tx_begin_read(tx, e) == PDB_OK ? list(tx, e) :
		    e->status;
	if (strcmp(rq->cmd, "ttl") == 0 && rq->argc == 1)
		return describe_ttl(tx, rq->argv[0], e);
	if (strcmp(rq->cmd, "describe") == 0) {
		if ((rc = pdb_tx_begin_read(tx, e)) == PDB_OK &&
		    (rc = pdb_op_describe_table(tx, rq->argv[0], &info, e)) ==
		    PDB_OK)
			rc = print_json(pdb_wire_table_description(tx->db, &info),
			    e);
	} else if ((rc = pdb_tx_begin_write(tx, e)) == PDB_OK &&
	    (rc = write_op(tx, rq, &info, e)) == PDB_OK)
		rc = pdb_tx_commit(tx, e);
	pdb_table_info_free(&info);
	return rc;
}

/* The -g and -L indexes into spec. */
static int
spec_indexes(const struct request *rq, struct pdb_table_spec *spec,
    struct pdb_err *e)
{
	struct pdb_index ix;
	int i, rc = PDB_OK;

	for (i = 0; rc == PDB_OK && i < rq->nindex; i++) {
		if ((rc = pdb_index_parse(&ix, rq->index_arg[i],
		    rq->index_global[i], &spec->ks, e)) == PDB_OK)
			rc = pdb_table_spec_add_index(spec, &ix, e);
		pdb_index_free(&ix);
	}
	return rc;
}

/* create's spec, from arguments or from a CreateTable request. */
static int
create_spec(const struct request *rq, const char *input, const char *view,
    struct pdb_table_spec *spec)
{
	int argc = rq->argc;
	char **argv = rq->argv;
	struct pdb_err e;
	char where[512];
	json_t *req;
	int rc;

	memset(spec, 0, sizeof(*spec));
	if (input != NULL && rq->nindex > 0)
		return pdb_cli_usage(synopsis, "-g and -L go with keys given "
		    "as operands; -i FILE declares its own indexes");
	if (input == NULL && (argc < 2 || argc > 3))
		return pdb_cli_usage(synopsis, "create needs a table name and "
		    "one or two key attributes");
	if (input == NULL) {
		if ((rc = pdb_table_spec_args(spec, argv[0], argv[1], argc ==
		    3 ? argv[2] : NULL, view, &e)) == PDB_OK)
			rc = spec_indexes(rq, spec, &e);
	} else if (argc != 0)
		return pdb_cli_usage(synopsis, "create -i takes no other "
		    "operands");
	else if ((req = load_request(input, &e, where, sizeof(where))) ==
	    NULL)
		return pdb_cli_error(where, &e);
	else {
		rc = pdb_wire_create_table(spec, req, 1, &e);
		json_decref(req);
	}
	if (rc == PDB_OK)
		return PDB_OK;
	pdb_table_spec_free(spec);
	return pdb_cli_error(NULL, &e);
}

/* The operands each command takes. */
static int
operands_ok(const char *cmd, int argc, char **argv)
{
	if (strcmp(cmd, "list") == 0)
		return argc == 0;
	if (strcmp(cmd, "describe") == 0 || strcmp(cmd, "delete") == 0)
		return argc == 1;
	if (strcmp(cmd, "stream") == 0)
		return argc == 2;
	if (strcmp(cmd, "ttl") == 0)
		return argc == 1 || argc == 2;
	if (strcmp(cmd, "index") == 0)
		return argc == 3 && (strcmp(argv[1], "add") == 0 ||
		    strcmp(argv[1], "delete") == 0);
	return 0;
}

/* What is wrong with the operands and options of rq, or NULL. */
static const char *
misuse(const struct request *rq, const char *input, const char *view)
{
	int create = strcmp(rq->cmd, "create") == 0;

	if (!create && (input != NULL || view != NULL || rq->nindex > 0))
		return "-i, -s, -g and -L go with create";
	if (rq->shards > 0 && !(create && view != NULL) &&
	    strcmp(rq->cmd, "stream") != 0)
		return "-n goes with stream, or create -s";
	if (!create && rq->if_not_exists)
		return "--if-not-exists goes with create";
	if (strcmp(rq->cmd, "delete") != 0 && rq->if_exists)
		return "--if-exists goes with delete";
	return NULL;
}

static int
run(const char *dbopt, struct request *rq, const char *input,
    const char *view)
{
	struct pdb_tx tx;
	struct pdb_db *db;
	struct pdb_err e;
	const char *wrong = misuse(rq, input, view);
	int create = strcmp(rq->cmd, "create") == 0, rc;

	if (wrong != NULL)
		return pdb_cli_usage(synopsis, "%s", wrong);
	if (create) {
		if ((rc = create_spec(rq, input, view, &rq->spec)) != PDB_OK)
			return rc;
		rq->spec.shards = rq->shards;
	} else if (!operands_ok(rq->cmd, rq->argc, rq->argv))
		return pdb_cli_usage(synopsis, "unknown command or wrong "
		    "operands: '%s'", rq->cmd);
	if (strcmp(rq->cmd, "index") == 0 && strcmp(rq->argv[1], "add") == 0 &&
	    pdb_index_parse(&rq->index, rq->argv[2], 1, NULL, &e) != PDB_OK) {
		pdb_index_free(&rq->index);
		return pdb_cli_error(NULL, &e);
	}
	if ((rc = pdb_cli_open(dbopt, create ? PDB_DB_CREATE : 0, &db)) ==
	    PDB_OK) {
		pdb_tx_init(&tx, db);
		if ((rc = command(&tx, rq, &e)) != PDB_OK)
			pdb_cli_error(NULL, &e);
		pdb_tx_free(&tx);
		pdb_db_close(db);
	}
	pdb_table_spec_free(&rq->spec);
	pdb_index_free(&rq->index);
	return rc;
}

int
main(int argc, char *argv[])
{
	enum { IF_EXISTS = 256, IF_NOT_EXISTS };
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "if-exists", no_argument, NULL, IF_EXISTS },
		{ "if-not-exists", no_argument, NULL, IF_NOT_EXISTS },
		{ "gsi", required_argument, NULL, 'g' },
		{ "lsi", required_argument, NULL, 'L' },
		{ "input", required_argument, NULL, 'i' },
		{ "shards", required_argument, NULL, 'n' },
		{ "stream", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *input = NULL, *view = NULL;
	struct request rq = { .spec.extra = NULL };
	long long n;
	int c, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "d:g:hi:L:n:s:", opts, NULL)) != -1)
		switch (c) {
		case 'g':
		case 'L':
			if (rq.nindex == PDB_GSI_MAX + PDB_LSI_MAX + 1)
				return pdb_cli_usage(synopsis, "too many "
				    "indexes");
			rq.index_global[rq.nindex] = c == 'g';
			rq.index_arg[rq.nindex++] = optarg;
			break;
		case IF_EXISTS:
			rq.if_exists = 1;
			break;
		case IF_NOT_EXISTS:
			rq.if_not_exists = 1;
			break;
		case 'i':
			input = optarg;
			break;
		case 'n':
			if (pdb_parse_whole(optarg, 1, PDB_SHARDS_MAX, &n) != 0)
				return pdb_cli_usage(synopsis, "invalid --shards "
				    "'%s': expected 1 to %d", optarg,
				    PDB_SHARDS_MAX);
			rq.shards = (int)n;
			break;
		case 's':
			view = optarg;
			break;
		default:
			if (!pdb_cli_common(c, &dbopt, help, NULL, &status))
				return pdb_cli_usage(synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return pdb_cli_usage(synopsis, "missing command");
	rq.cmd = argv[0];
	rq.argc = argc - 1;
	rq.argv = argv + 1;
	return pdb_cli_finish(run(dbopt, &rq, input, view));
}
