/* fuzz-number — parse, print, parse again: the same number, key and size. */
#include <stdint.h>
#include <string.h>

#include "pdb/number.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdb_number a, b;
	unsigned char ka[PDB_NUMBER_KEY_MAX], kb[PDB_NUMBER_KEY_MAX];
	char text[PDB_NUMBER_TEXT_MAX], msg[256];
	size_t la, lb;

	if (pdb_number_parse(&a, (const char *)data, size, msg, sizeof(msg)))
		return 0;
	pdb_number_format(&a, text);
	if (pdb_number_parse(&b, text, strlen(text), msg, sizeof(msg)) != 0 ||
	    pdb_number_compare(&a, &b) != 0)
		__builtin_trap();
	la = pdb_number_key(&a, ka);
	lb = pdb_number_key(&b, kb);
	if (la != lb || memcmp(ka, kb, la) != 0 || la > PDB_NUMBER_KEY_MAX ||
	    pdb_number_size(&a) != pdb_number_size(&b))
		__builtin_trap();
	pdb_number_add(&a, &b, (int)(size & 1), &b, msg, sizeof(msg));
	return 0;
}
