/* catalog.c — view types, event names and sequence numbers. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pdb/catalog.h"

static const char *const views[] = {
	NULL, "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"
};

const char *
pdb_view_name(enum pdb_view v)
{
	return v > PDB_VIEW_NONE && v <= PDB_VIEW_NEW_AND_OLD_IMAGES ?
	    views[v] : NULL;
}

int
pdb_view_parse(const char *s)
{
	int v;

	for (v = PDB_VIEW_KEYS_ONLY; v <= PDB_VIEW_NEW_AND_OLD_IMAGES; v++)
		if (strcmp(s, views[v]) == 0)
			return v;
	return -1;
}

const char *
pdb_event_name(int ev)
{
	static const char *const names[] = { "", "INSERT", "MODIFY", "REMOVE" };

	return ev >= PDB_EVENT_INSERT && ev <= PDB_EVENT_REMOVE ? names[ev] :
	    "";
}

unsigned
pdb_event_mask(const char *list)
{
	const char *p = list, *comma;
	unsigned mask = 0;
	size_t n;
	int ev;

	for (;; p = comma + 1) {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		for (ev = PDB_EVENT_INSERT; ev <= PDB_EVENT_REMOVE; ev++)
			if (strlen(pdb_event_name(ev)) == n &&
			    strncmp(p, pdb_event_name(ev), n) == 0)
				break;
		if (ev > PDB_EVENT_REMOVE)
			return 0;
		mask |= PDB_EVENT_BIT(ev);
		if (comma == NULL)
			return mask;
	}
}

void
pdb_seq_format(int64_t seq, char out[PDB_SEQ_DIGITS + 1])
{
	snprintf(out, PDB_SEQ_DIGITS + 1, "%021" PRId64, seq);
}

int64_t
pdb_seq_parse(const char *s)
{
	int64_t v = 0;
	size_t n = strlen(s), i;

	if (n == 0 || n > 40 || strspn(s, "0123456789") != n)
		return -1;
	/* Past any number pdb gives: beyond every shard, not malformed. */
	for (i = 0; i < n; i++) {
		if (v > (INT64_MAX - 9) / 10)
			return INT64_MAX;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}
