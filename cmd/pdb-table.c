/* pdb-table — create, list, describe and delete tables; switch streams. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/cli.h"
#include "pdb/db.h"
#include "pdb/table.h"

static const char synopsis[] =
    "pdb-table [-d db] create NAME KEY[:TYPE] [SORTKEY[:TYPE]] [-s VIEW]\n"
    "       pdb-table [-d db] create -i FILE\n"
    "       pdb-table [-d db] list\n"
    "       pdb-table [-d db] describe NAME\n"
    "       pdb-table [-d db] delete NAME\n"
    "       pdb-table [-d db] stream NAME VIEW|off";

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
	    "  -h, --help          show this help\n"
	    "      --version       show the version\n\n"
	    "TYPE is S (default), N or B.  See pdb-table(1).\n", synopsis);
}

static int
fail(struct pdb_db *db, const struct pdb_err *e)
{
	pdb_cli_error(NULL, e);
	pdb_db_close(db);
	return e->status;
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
		pdb_err_set(e, PDB_E_SYSTEM, "cannot open: %s",
		    strerror(errno));
		return NULL;
	}
	req = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	if (f != stdin)
		fclose(f);
	if (req == NULL) {
		snprintf(where, wsz, "%s:%d", name, je.line);
		pdb_err_set(e, PDB_E_SERIALIZATION, "%s",
		    je.text);
	}
	return req;
}

static int
create(const char *dbopt, int argc, char **argv, const char *input,
    const char *view)
{
	struct pdb_table_spec spec;
	struct pdb_db *db = NULL;
	struct pdb_err e;
	char where[512];
	json_t *req;
	int rc;

	if (input != NULL) {
		if (argc != 0)
			return pdb_cli_usage(synopsis, "create -i takes no "
			    "other operands");
		if ((req = load_request(input, &e, where, sizeof(where))) ==
		    NULL)
			return pdb_cli_error(where, &e);
		rc = pdb_table_spec_request(&spec, req, &e);
		json_decref(req);
	} else {
		if (argc < 2 || argc > 3)
			return pdb_cli_usage(synopsis, "create needs a table "
			    "name and one or two key attributes");
		rc = pdb_table_spec_args(&spec, argv[0], argv[1],
		    argc == 3 ? argv[2] : NULL, view, &e);
	}
	if (rc != PDB_OK) {
		pdb_table_spec_free(&spec);
		return fail(NULL, &e);
	}
	if ((rc = pdb_cli_open(dbopt, PDB_DB_CREATE, &db)) == PDB_OK)
		rc = pdb_table_create(db, &spec, &e);
	pdb_table_spec_free(&spec);
	if (rc != PDB_OK && db != NULL)
		return fail(db, &e);
	pdb_db_close(db);
	return rc;
}

static int
print_name(void *arg, const char *name)
{
	return puts(name) == EOF;
}

static int
run(struct pdb_db *db, const char *cmd, int argc, char **argv)
{
	struct pdb_err e;
	json_t *d;
	int view;

	if (strcmp(cmd, "list") == 0 && argc == 0)
		return pdb_table_list(db, print_name, NULL, &e) == PDB_OK ?
		    PDB_OK : fail(NULL, &e);
	if (strcmp(cmd, "describe") == 0 && argc == 1) {
		if (pdb_table_describe(db, argv[0], &d, &e) != PDB_OK)
			return fail(NULL, &e);
		json_dumpf(d, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(d);
		return PDB_OK;
	}
	if (strcmp(cmd, "delete") == 0 && argc == 1)
		return pdb_table_delete(db, argv[0], &e) == PDB_OK ? PDB_OK :
		    fail(NULL, &e);
	if (strcmp(cmd, "stream") == 0 && argc == 2) {
		view = strcmp(argv[1], "off") == 0 ? PDB_VIEW_NONE :
		    pdb_view_parse(argv[1]);
		if (view < 0)
			return pdb_cli_usage(synopsis, "invalid view '%s': "
			    "expected KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, "
			    "NEW_AND_OLD_IMAGES or off", argv[1]);
		return pdb_table_set_stream(db, argv[0], view, &e) == PDB_OK ?
		    PDB_OK : fail(NULL, &e);
	}
	return pdb_cli_usage(synopsis, "unknown command or wrong operands: "
	    "'%s'", cmd);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "input", required_argument, NULL, 'i' },
		{ "stream", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *input = NULL, *view = NULL;
	struct pdb_db *db;
	int c, rc, status;

	pdb_cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "d:hi:s:", opts, NULL)) != -1)
		switch (c) {
		case 'i':
			input = optarg;
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
	if (strcmp(argv[0], "create") == 0)
		return pdb_cli_finish(create(dbopt, argc - 1, argv + 1, input,
		    view));
	if (input != NULL || view != NULL)
		return pdb_cli_usage(synopsis, "-i and -s go with create");
	if ((rc = pdb_cli_open(dbopt, 0, &db)) != PDB_OK)
		return rc;
	rc = run(db, argv[0], argc - 1, argv + 1);
	pdb_db_close(db);
	return pdb_cli_finish(rc);
}
