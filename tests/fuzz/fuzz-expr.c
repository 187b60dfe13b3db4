/* fuzz-expr — parse arbitrary expressions of every kind and run them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char item_text[] = "{\"id\":{\"S\":\"u1\"},\"n\":{\"N\":\"10\"},"
    "\"l\":{\"L\":[{\"S\":\"x\"},{\"N\":\"1\"}]},\"m\":{\"M\":{\"k\":"
    "{\"SS\":[\"a\",\"b\"]}}},\"b\":{\"B\":\"AAE=\"}}";
static const char values_text[] = "{\":v\":{\"N\":\"1\"},\":s\":{\"S\":\"a\"},"
    "\":l\":{\"L\":[{\"S\":\"y\"}]},\":ss\":{\"SS\":[\"c\"]},\":t\":{\"S\":\"N\"}}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdb_keyschema ks = { .hash = "id", .hash_type = 'S',
	    .range = "n", .range_type = 'N' };
	struct pdb_key_range r;
	struct pdb_exprs *x;
	struct pdb_expr *ex;
	struct pdb_err e;
	json_t *item;
	char *text;
	int kind, ok;

	if (size < 1)
		return 0;
	kind = (int)((unsigned)(data[0] - (uint8_t)'0') % 5);
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (pdb_exprs_new(&x, json_pack("{s:s,s:s}", "#a", "n", "#b", "m"),
	    json_loads(values_text, 0, NULL), &e) != PDB_OK)
		abort();
	item = json_loads(item_text, 0, NULL);
	if (pdb_exprs_parse(x, kind, text, &ex, &e) == PDB_OK) {
		switch (kind) {
		case PDB_EXPR_CONDITION:
		case PDB_EXPR_FILTER:
			pdb_expr_test(ex, item, &ok, &e);
			pdb_expr_test(ex, NULL, &ok, &e);
			break;
		case PDB_EXPR_KEY:
			pdb_expr_key_range(ex, &ks, &r, &e);
			break;
		case PDB_EXPR_UPDATE:
			if (pdb_expr_update(ex, &ks, item, &e) == PDB_OK)
				json_decref(pdb_expr_project(ex, item));
			break;
		default:
			json_decref(pdb_expr_project(ex, item));
		}
	}
	json_decref(item);
	pdb_exprs_free(x);
	free(text);
	return 0;
}
