/* clock.c — wall clock, $PDB_NOW, durations and stream labels. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pdb/clock.h"

#define DAY_MS (24LL * 3600 * 1000)

static int64_t fixed_now = -1;
static int64_t retention = DAY_MS;

int
pdb_clock_parse_time(const char *s, int64_t *ms)
{
	struct tm tm;
	char *end;
	long long v;
	int frac = 0, scale = 100;

	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end == '\0' && errno == 0 && v >= 0) {
		*ms = v;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end == NULL)
		return -1;
	if (*end == '.')
		for (end++; isdigit((unsigned char)*end); end++, scale /= 10)
			frac += (*end - '0') * scale;
	if (*end == 'Z')
		end++;
	if (*end != '\0')
		return -1;
	*ms = (int64_t)timegm(&tm) * 1000 + frac;
	return 0;
}

int
pdb_clock_parse_duration(const char *s, int64_t *ms)
{
	char *end;
	double v;
	int64_t unit;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || v < 0)
		return -1;
	if (strcmp(end, "ms") == 0)
		unit = 1;
	else if (*end == '\0' || strcmp(end, "s") == 0)
		unit = 1000;
	else if (strcmp(end, "m") == 0)
		unit = 60 * 1000;
	else if (strcmp(end, "h") == 0)
		unit = 3600 * 1000;
	else if (strcmp(end, "d") == 0)
		unit = DAY_MS;
	else
		return -1;
	*ms = (int64_t)(v * unit);
	return 0;
}

int
pdb_clock_init(struct pdb_err *e)
{
	const char *s;

	if ((s = getenv("PDB_NOW")) != NULL && *s != '\0' &&
	    pdb_clock_parse_time(s, &fixed_now) != 0)
		return pdb_err_set(e, PDB_E_USAGE, "invalid PDB_NOW '%s': "
		    "expected epoch milliseconds or an ISO 8601 time", s);
	if ((s = getenv("PDB_RETENTION")) != NULL && *s != '\0' &&
	    pdb_clock_parse_duration(s, &retention) != 0)
		return pdb_err_set(e, PDB_E_USAGE, "invalid PDB_RETENTION "
		    "'%s': expected a duration such as 90s, 15m or 24h", s);
	return PDB_OK;
}

int64_t
pdb_clock_now_ms(void)
{
	struct timespec ts;

	if (fixed_now >= 0)
		return fixed_now;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
pdb_clock_retention_ms(void)
{
	return retention;
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
