/* fuzz-item — read a line as an item, check it, and check it is canonical. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/cli.h"
#include "pdb/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdb_err e;
	json_t *item, *again;
	size_t sz, sz2;
	char *text, *text2;

	if (size < 1 || pdb_cli_parse_item((const char *)data + 1, size - 1,
	    data[0] & 1, &item, &e) != PDB_OK)
		return 0;
	if (pdb_value_check_item(item, &sz, &e) == PDB_OK) {
		/* A checked item reads back as itself, the same size. */
		text = pdb_value_dump(item);
		again = json_loads(text, 0, NULL);
		if (again == NULL || pdb_value_check_item(again, &sz2, &e) !=
		    PDB_OK || sz2 != sz)
			__builtin_trap();
		text2 = pdb_value_dump(again);
		if (strcmp(text, text2) != 0)
			__builtin_trap();
		free(text);
		free(text2);
		json_decref(again);
	}
	json_decref(item);
	return 0;
}
