/*
 * clock.h — the one clock every program reads.  $PDB_NOW (epoch
 * milliseconds or an ISO 8601 time) replaces the system clock, so tests can
 * travel through retention and iterator expiry without sleeping.
 */
#ifndef PDB_CLOCK_H
#define PDB_CLOCK_H

#include <stdint.h>

#include "pdb/error.h"

#define PDB_LABEL_LEN 24	/* "YYYY-MM-DDTHH:MM:SS.mmm" and NUL */

/* Check $PDB_NOW and $PDB_RETENTION once; PDB_INVALID on a bad value. */
int pdb_clock_init(struct pdb_err *e);

/* Milliseconds since the epoch: $PDB_NOW if set, else the real time. */
int64_t pdb_clock_now_ms(void);

/* Stream retention in milliseconds ($PDB_RETENTION, default 24 hours). */
int64_t pdb_clock_retention_ms(void);

/* Parse epoch milliseconds or ISO 8601 ("2026-11-22T10:00:00[.mmm][Z]"). */
int pdb_clock_parse_time(const char *s, int64_t *ms);

/* Parse a duration: "90s", "15m", "24h", "2d", "500ms"; bare numbers are
 * seconds. */
int pdb_clock_parse_duration(const char *s, int64_t *ms);

/* Format ms as a stream label, UTC: "2026-11-22T10:00:00.123". */
void pdb_clock_label(int64_t ms, char out[PDB_LABEL_LEN]);

#endif
