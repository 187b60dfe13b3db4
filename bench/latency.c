/*
 * latency — follow latency.  "latency feed N RATE" prints N items, RATE
 * per second, each stamped with the time it was written (µs, realtime);
 * pipe it into pdb-put --batch-size 1.  "latency recv N" reads what a
 * follower prints and, after N stamps, prints p50 and p99 of now - stamp
 * in milliseconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int
cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static int
feed(long n, long rate)
{
	struct timespec gap = { 0, 1000000000L / rate };
	long i;

	for (i = 0; i < n; i++) {
		printf("{\"pk\":{\"S\":\"k%ld\"},\"sk\":{\"N\":\"%ld\"},"
		    "\"t\":{\"N\":\"%lld\"}}\n", i, i, now_us());
		fflush(stdout);
		nanosleep(&gap, NULL);
	}
	return 0;
}

static int
recv(long n)
{
	long long *lat = calloc((size_t)n, sizeof(*lat));
	char *part = NULL, *t;
	size_t cap = 0;
	long got = 0;

	/* By commas, not lines: an event of pdb-stream-run holds several
	 * records, each stamp a part of its own. */
	while (got < n && getdelim(&part, &cap, ',', stdin) > 0) {
		if ((t = strstr(part, "\"t\":{\"N\":\"")) == NULL)
			continue;
		lat[got++] = now_us() - atoll(t + 10);
	}
	free(part);
	qsort(lat, (size_t)got, sizeof(*lat), cmp);
	if (got > 0)
		printf("%.3f %.3f %ld\n", lat[got / 2] / 1000.0,
		    lat[got * 99 / 100] / 1000.0, got);
	free(lat);
	return got == n ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	if (argc == 4 && strcmp(argv[1], "feed") == 0)
		return feed(atol(argv[2]), atol(argv[3]));
	if (argc == 3 && strcmp(argv[1], "recv") == 0)
		return recv(atol(argv[2]));
	fprintf(stderr, "usage: latency feed N RATE | latency recv N\n");
	return 2;
}
