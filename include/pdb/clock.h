/*
 * clock.h — times and durations: the real clock, parsing the times and
 * durations users write, and stream labels.  Which clock a database uses
 * (the real one or a fixed $PDB_NOW) is its configuration (db.h).
 */
#ifndef PDB_CLOCK_H
#define PDB_CLOCK_H

#include <stdint.h>


#define PDB_LABEL_LEN 24	/* "YYYY-MM-DDTHH:MM:SS.mmm" and NUL */
#define PDB_TIME_MAX_MS 253402300799999LL	/* 9999-12-31T23:59:59.999 */

/* The real time in epoch milliseconds. */
int64_t pdb_clock_real_ms(void);

/* Parse epoch milliseconds or ISO 8601 ("2026-11-22T10:00:00[.mmm][Z]"),
 * from 1970 to 9999; -1 otherwise. */
int pdb_clock_parse_time(const char *s, int64_t *ms);

/* Parse a whole number in [min, max]: an optional '-' (when min < 0) and
 * digits, nothing else, not even blanks; -1 otherwise. */
int pdb_parse_whole(const char *s, long long min, long long max,
    long long *v);

/* Parse a duration: "90s", "15m", "24h", "2d", "500ms"; bare numbers are
 * seconds.  Digits with an optional fraction, at most 100 years; -1
 * otherwise. */
int pdb_clock_parse_duration(const char *s, int64_t *ms);

/* Format ms as a stream label, UTC: "2026-11-22T10:00:00.123". */
void pdb_clock_label(int64_t ms, char out[PDB_LABEL_LEN]);

#endif
