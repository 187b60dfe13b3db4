/* test-expr — each calloc of an update, then of a projection, failing in
 * turn: out of memory, never a crash nor a wrong answer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/expr.h"
#include "pdb/value.h"
#include "unit.h"

static int fail_at;	/* the fail_at-th calloc from now fails; 0: none */

/* Ours, in place of the C library's, so that one call can fail. */
void *
calloc(size_t n, size_t size)
{
	volatile unsigned char *p;
	size_t i;

	if (fail_at > 0 && --fail_at == 0)
		return NULL;
	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	/* Zeroed through volatile: the compiler would turn an allocation
	 * and a memset into a call to calloc, this one. */
	if ((p = malloc(n * size)) != NULL)
		for (i = 0; i < n * size; i++)
			p[i] = 0;
	return (void *)p;
}

/* A projection of list elements, each calloc failing in turn: NULL, or
 * the whole answer once nothing fails. */
static int
project_fails_cleanly(void)
{
	struct pdb_exprs *x;
	struct pdb_expr *p;
	struct pdb_err e;
	json_t *item, *shown = NULL;
	char *text = NULL;
	int i;

	if (pdb_exprs_new(&x, NULL, NULL, &e) != PDB_OK ||
	    pdb_exprs_parse(x, PDB_EXPR_PROJECTION, "l[1], m.l[0], n", &p,
	    &e) != PDB_OK) {
		printf("Bail out! %s\n", e.msg);
		return 0;
	}
	item = json_pack("{s:{s:[{s:s},{s:s}]},s:{s:{s:{s:[{s:s}]}}},"
	    "s:{s:s}}", "l", "L", "S", "a", "S", "b", "m", "M", "l", "L",
	    "S", "c", "n", "N", "1");
	for (i = 1; i < 100 && shown == NULL; i++) {
		fail_at = i;
		shown = pdb_expr_project(p, item);
		fail_at = 0;
	}
	if (shown != NULL)
		text = pdb_value_dump(shown);
	CHECK_STR(text ? text : "(null)", "{\"l\":{\"L\":[{\"S\":\"b\"}]},"
	    "\"m\":{\"M\":{\"l\":{\"L\":[{\"S\":\"c\"}]}}},"
	    "\"n\":{\"N\":\"1\"}}");
	free(text);
	json_decref(shown);
	json_decref(item);
	pdb_exprs_free(x);
	return i > 2;	/* at least one failure was seen, and survived */
}

int
main(void)
{
	struct pdb_keyschema ks = { "id", 'S', "", 0 };
	struct pdb_exprs *x;
	struct pdb_expr *u;
	struct pdb_err e;
	json_t *item;
	int i, rc = PDB_SYSTEM;

	if (pdb_exprs_new(&x, NULL, json_pack("{s:{s:s}}", ":v", "N", "1"),
	    &e) != PDB_OK || pdb_exprs_parse(x, PDB_EXPR_UPDATE,
	    "SET a = :v, b = if_not_exists(c, :v) REMOVE d", &u, &e) !=
	    PDB_OK) {
		printf("Bail out! %s\n", e.msg);
		return 1;
	}
	for (i = 1; i < 100 && rc != PDB_OK; i++) {
		item = json_pack("{s:{s:s},s:{s:s}}", "id", "S", "x", "d",
		    "S", "y");
		fail_at = i;
		rc = pdb_expr_update(u, &ks, item, &e);
		fail_at = 0;
		if (rc != PDB_OK) {
			CHECK_INT(e.code, PDB_E_SYSTEM);
			CHECK_STR(e.msg, "out of memory");
		}
		json_decref(item);
	}
	CHECK_INT(rc, PDB_OK);
	pdb_exprs_free(x);
	CHECK_INT(project_fails_cleanly(), 1);
	return unit_done();
}
