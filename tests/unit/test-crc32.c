/* test-crc32 — the eight-byte CRC-32 agrees with the textbook one, bit by
 * bit, at every length and alignment. */
#include <stdlib.h>

#include "pdb/crc32.h"
#include "unit.h"

static uint32_t
bitwise(const unsigned char *b, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	int k;

	while (n--)
		for (c ^= *b++, k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
	return c ^ 0xFFFFFFFFu;
}

int
main(void)
{
	static unsigned char buf[1 << 20];
	size_t i, off, n, wrong = 0;

	CHECK_INT(pdb_crc32("", 0), 0);
	CHECK_INT(pdb_crc32("123456789", 9), 0xCBF43926u);
	/* What DynamoDB sends for an empty object, as botocore checks it. */
	CHECK_INT(pdb_crc32("{}", 2), 2745614147u);
	srand(7);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rand();
	for (off = 0; off < 8; off++)
		for (n = 0; n < 300; n++)
			wrong += pdb_crc32(buf + off, n) != bitwise(buf + off, n);
	CHECK_INT(wrong, 0);
	CHECK_INT(pdb_crc32(buf, sizeof(buf)), bitwise(buf, sizeof(buf)));
	return unit_done();
}
