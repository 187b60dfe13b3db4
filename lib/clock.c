/* clock.c — the real clock, times and durations as users write them, labels. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pdb/clock.h"

#define DAY_MS (24LL * 3600 * 1000)
#define DURATION_MAX_MS (36525 * DAY_MS)	/* 100 years */

int64_t
pdb_clock_real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Digits only, into *v, refusing overflow. */
static int
digits(const char **s, int64_t *v, int64_t max)
{
	const char *p = *s;

	*v = 0;
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (*v > (max - (*p - '0')) / 10)
			return -1;
		*v = *v * 10 + (*p - '0');
	}
	*s = p;
	return 0;
}

int
pdb_parse_whole(const char *s, long long min, long long max, long long *v)
{
	int neg = *s == '-' && min < 0;
	const char *p = s + neg;
	int64_t u;

	if (digits(&p, &u, INT64_MAX) != 0 || *p != '\0' ||
	    (neg ? -u < min : u > max) || (!neg && u < min))
		return -1;
	*v = neg ? -u : u;
	return 0;
}

/* Exactly n digits into *v. */
static int
fixed(const char **p, int n, int *v)
{
	*v = 0;
	for (; n > 0; n--, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

static int
days_in(int month, int year)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return days[month - 1] + (month == 2 && leap);
}

/* YYYY-MM-DDTHH:MM:SS[.fff][Z], every field its width and in range. */
static int
parse_iso(const char *p, int64_t *ms)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, frac = 0, scale = 100;

	if (fixed(&p, 4, &y) != 0 || *p++ != '-' || fixed(&p, 2, &mo) != 0 ||
	    *p++ != '-' || fixed(&p, 2, &d) != 0 || *p++ != 'T' ||
	    fixed(&p, 2, &h) != 0 || *p++ != ':' || fixed(&p, 2, &mi) != 0 ||
	    *p++ != ':' || fixed(&p, 2, &sec) != 0)
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in(mo, y) ||
	    h > 23 || mi > 59 || sec > 59)
		return -1;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return -1;
		for (; isdigit((unsigned char)*p); p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (*p == 'Z')
		p++;
	if (*p != '\0')
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*ms = (int64_t)timegm(&tm) * 1000 + frac;
	return 0;
}

int
pdb_clock_parse_time(const char *s, int64_t *ms)
{
	const char *p = s;
	int64_t v;

	if (digits(&p, &v, PDB_TIME_MAX_MS) == 0 && *p == '\0') {
		*ms = v;
		return 0;
	}
	return parse_iso(s, ms);
}

int
pdb_clock_parse_duration(const char *s, int64_t *ms)
{
	static const struct {
		const char *name;
		int64_t ms;
	} units[] = {
		{ "ms", 1 }, { "", 1000 }, { "s", 1000 }, { "m", 60000 },
		{ "h", 3600000 }, { "d", DAY_MS },
	};
	const char *p = s;
	int64_t whole, frac = 0, scale = 1;
	size_t i;

	if (digits(&p, &whole, DURATION_MAX_MS) != 0)
		return -1;
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p) && scale < 1000000000;
		    p++, scale *= 10)
			frac = frac * 10 + (*p - '0');
		if (scale == 1 || isdigit((unsigned char)*p))
			return -1;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(p, units[i].name) == 0)
			break;
	if (i == sizeof(units) / sizeof(units[0]) ||
	    whole > DURATION_MAX_MS / units[i].ms)
		return -1;
	*ms = whole * units[i].ms + frac * units[i].ms / scale;
	return *ms <= DURATION_MAX_MS ? 0 : -1;
}

void
pdb_clock_label(int64_t ms, char out[PDB_LABEL_LEN])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char buf[64];

	gmtime_r(&t, &tm);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ms % 1000));
	memcpy(out, buf, PDB_LABEL_LEN - 1);
	out[PDB_LABEL_LEN - 1] = '\0';
}
