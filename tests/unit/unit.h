/*
 * unit.h — a minimal TAP producer for the library's C unit tests.  Each test
 * program includes it, calls CHECK and friends, and returns unit_done().
 */
#ifndef PDB_UNIT_H
#define PDB_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_count, unit_failed;

static void
unit_report(int ok, const char *file, int line, const char *what)
{
	unit_count++;
	if (!ok)
		unit_failed++;
	printf("%sok %d - %s:%d: %s\n", ok ? "" : "not ", unit_count, file,
	    line, what);
}

#define CHECK(cond) unit_report(!!(cond), __FILE__, __LINE__, #cond)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int ok_ = g_ != NULL && strcmp(g_, w_) == 0;			\
	unit_report(ok_, __FILE__, __LINE__, #got " == " #want);	\
	if (!ok_)							\
		printf("#   got  '%s'\n#   want '%s'\n", g_ ? g_ : "(null)", w_); \
} while (0)

#define CHECK_INT(got, want) do {					\
	long long g_ = (got), w_ = (want);				\
	unit_report(g_ == w_, __FILE__, __LINE__, #got " == " #want);	\
	if (g_ != w_)							\
		printf("#   got  %lld\n#   want %lld\n", g_, w_);	\
} while (0)

static int
unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed != 0;
}

#endif
