/*
 * filter.h — Lambda's event filters (FilterCriteria): patterns in the
 * EventBridge syntax matched against a record as Lambda sees it.  A
 * filter holds up to PDB_FILTER_MAX patterns and passes a record that
 * any of them matches.  The filter owns its patterns; pdb_filter_free
 * releases them.
 */
#ifndef PDB_FILTER_H
#define PDB_FILTER_H

#include <jansson.h>

#include "pdb/error.h"

#define PDB_FILTER_MAX 5	/* Lambda's default quota per mapping */

struct pdb_filter {
	int n;
	json_t *pattern[PDB_FILTER_MAX];
};

/*
 * Add a pattern from its JSON text: an object whose leaves are arrays of
 * matchers ("s", 1, null, true, {"prefix":…}, {"suffix":…},
 * {"equals-ignore-case":…}, {"anything-but":…}, {"numeric":[…]},
 * {"exists":…}).  PDB_E_VALIDATION says what is wrong.
 */
int pdb_filter_add(struct pdb_filter *f, const char *text, struct pdb_err *e);

/* Whether record (borrowed) passes: no patterns, or one that matches. */
int pdb_filter_match(const struct pdb_filter *f, const json_t *record);

void pdb_filter_free(struct pdb_filter *f);

#endif
