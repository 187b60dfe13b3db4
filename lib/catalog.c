/* catalog.c — view types, projections, event names and sequence
 * numbers. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
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

static const char *const projections[] = { "ALL", "KEYS_ONLY", "INCLUDE" };

const char *
pdb_projection_name(enum pdb_projection p)
{
	return projections[p];
}

int
pdb_projection_parse(const char *s)
{
	int p;

	for (p = PDB_PROJECT_ALL; p <= PDB_PROJECT_INCLUDE; p++)
		if (strcmp(s, projections[p]) == 0)
			return p;
	return -1;
}

int
pdb_key_attr(const struct pdb_keyschema *ks, const char *name)
{
	return strcmp(ks->hash, name) == 0 || (ks->range[0] != '\0' &&
	    strcmp(ks->range, name) == 0);
}

int
pdb_index_holds(const struct pdb_index *ix, const struct pdb_keyschema
    *table_ks, const char *name)
{
	int i;

	if (ix->projection == PDB_PROJECT_ALL || pdb_key_attr(table_ks, name) ||
	    pdb_key_attr(&ix->ks, name))
		return 1;
	for (i = 0; i < ix->ninclude; i++)
		if (strcmp(ix->include[i], name) == 0)
			return 1;
	return 0;
}

json_t *
pdb_index_cut(const struct pdb_index *ix, const struct pdb_keyschema
    *table_ks, const json_t *item)
{
	const char *name;
	json_t *cut, *v;

	if (ix->projection == PDB_PROJECT_ALL)
		return json_incref((json_t *)item);
	cut = json_object();
	json_object_foreach((json_t *)item, name, v)
		if (pdb_index_holds(ix, table_ks, name))
			json_object_set(cut, name, v);
	return cut;
}

void
pdb_index_free(struct pdb_index *ix)
{
	int i;

	for (i = 0; i < ix->ninclude; i++)
		free(ix->include[i]);
	free(ix->include);
	ix->include = NULL;
	ix->ninclude = 0;
}

void
pdb_indexes_free(struct pdb_index *ix, int n)
{
	int i;

	for (i = 0; i < n; i++)
		pdb_index_free(&ix[i]);
	free(ix);
}

void
pdb_table_free(struct pdb_table *t)
{
	pdb_indexes_free(t->index, t->nindex);
	t->index = NULL;
	t->nindex = 0;
	free(t->shard);
	t->shard = NULL;
	t->nshard = 0;
}

const struct pdb_index *
pdb_table_index(const struct pdb_table *t, const char *name)
{
	int i;

	for (i = 0; i < t->nindex; i++)
		if (strcmp(t->index[i].name, name) == 0)
			return &t->index[i];
	return NULL;
}
