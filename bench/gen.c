/*
 * gen — N deterministic fixture-like items as DynamoDB JSON lines: a random
 * string partition key, a numeric sort key, 6 to 10 attributes of mixed
 * types, about 200-300 bytes each.  bench/gen N [SEED] [TAG]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;

static uint64_t
next(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
word(char *out, int n)
{
	static const char a[] = "abcdefghijklmnopqrstuvwxyz";
	int i;

	for (i = 0; i < n; i++)
		out[i] = a[next() % 26];
	out[n] = '\0';
}

int
main(int argc, char *argv[])
{
	long n = argc > 1 ? atol(argv[1]) : 100000, i;
	const char *tag = argc > 3 ? argv[3] : "v1";
	char pk[17], w1[25], w2[41], w3[9];
	int extra;

	state = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
	for (i = 0; i < n; i++) {
		word(pk, 16);
		word(w1, 24);
		word(w2, 40);
		word(w3, 8);
		extra = (int)(next() % 5);
		printf("{\"pk\":{\"S\":\"%s\"},\"sk\":{\"N\":\"%ld\"},"
		    "\"name\":{\"S\":\"%s\"},\"note\":{\"S\":\"%s %s\"},"
		    "\"score\":{\"N\":\"%" PRIu64 ".%02" PRIu64 "\"},"
		    "\"active\":{\"BOOL\":%s},\"tags\":{\"SS\":[\"%s\",\"t%d\"]}",
		    pk, i, w1, w2, tag, next() % 100000, next() % 100,
		    next() & 1 ? "true" : "false", w3, extra);
		if (extra > 0)
			printf(",\"addr\":{\"M\":{\"city\":{\"S\":\"%s\"},"
			    "\"zip\":{\"N\":\"%05" PRIu64 "\"}}}", w3,
			    next() % 100000);
		if (extra > 1)
			printf(",\"hist\":{\"L\":[{\"N\":\"1\"},{\"N\":\"2\"},"
			    "{\"S\":\"%s\"}]}", w3);
		if (extra > 2)
			printf(",\"blob\":{\"B\":\"AAECAwQFBgcICQ==\"}");
		if (extra > 3)
			printf(",\"gone\":{\"NULL\":true}");
		puts("}");
	}
	return 0;
}
