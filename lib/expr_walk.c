/* expr_walk.c — the order in which DynamoDB Local does an update's actions. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr_impl.h"

/*
 * Of several faults that only the item shows, DynamoDB Local names the
 * first it meets (FINDINGS.md B10).  It puts the update's paths in a tree,
 * one java.util.HashMap of children per node, and walks it depth first,
 * checking at each node that the item has a map or list there to hold
 * the child, and doing each action at its leaf.  A HashMap iterates by
 * bucket, and within a bucket in insertion order; the paths go in last
 * action first.  Not modelled: a bucket that reaches nine keys makes Java
 * resize early or turn the bucket into a tree, which takes nine children
 * of one node alike in their low hash bits.
 */

struct child {
	int lo, hi;		/* its actions, in the sorted array */
	int last;		/* the latest of them in the expression */
	uint32_t bucket;
};

/* Java's String.hashCode, over the UTF-16 units of a UTF-8 name. */
static uint32_t
java_hash(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	uint32_t h = 0, c;
	int more;

	while (*p != '\0') {
		more = *p < 0x80 ? 0 : *p < 0xe0 ? 1 : *p < 0xf0 ? 2 : 3;
		c = *p++ & (0x7f >> more);
		for (; more > 0 && (*p & 0xc0) == 0x80; more--)
			c = c << 6 | (*p++ & 0x3f);
		if (c >= 0x10000) {
			h = 31 * h + (0xd800 + ((c - 0x10000) >> 10));
			c = 0xdc00 + ((c - 0x10000) & 0x3ff);
		}
		h = 31 * h + c;
	}
	return h;
}

/* DocPathElement.hashCode (HashCodeBuilder(8191, 127) over the name or
 * the index), spread and masked as HashMap does. */
static uint32_t
bucket(const struct step *s, uint32_t cap)
{
	uint32_t h = 8191u * 127u + (s->name != NULL ? java_hash(s->name) :
	    (uint32_t)s->index);

	return (h ^ h >> 16) & (cap - 1);
}

/* Any fixed order that puts the actions under one node together. */
static int
by_path(const void *x, const void *y)
{
	const struct path *a = (*(const struct action *const *)x)->path;
	const struct path *b = (*(const struct action *const *)y)->path;
	const struct step *s, *t;
	int d = pdb_path_common(a, b);

	if (d == a->n || d == b->n)
		return (a->n > b->n) - (a->n < b->n);
	s = &a->steps[d];
	t = &b->steps[d];
	if (s->name != NULL && t->name != NULL)
		return strcmp(s->name, t->name);
	if (s->name != NULL || t->name != NULL)
		return s->name == NULL ? -1 : 1;
	return (s->index > t->index) - (s->index < t->index);
}

static int
by_bucket(const void *x, const void *y)
{
	const struct child *a = x, *b = y;

	if (a->bucket != b->bucket)
		return a->bucket < b->bucket ? -1 : 1;
	return b->last - a->last;
}

/* The node at depth d, whose actions are sorted[lo..hi): a path that ends
 * here (one, unless paths overlap, which is refused when parsing), then
 * each child's subtree in the order a HashMap of the children gives.  -1
 * when out of memory. */
static int
walk(const struct pdb_expr *u, const struct action **sorted, int lo, int hi,
    int d, int *order, int *k)
{
	struct child *ch;
	uint32_t cap = 16;
	int n = 0, i, j, rc = 0;

	while (lo < hi && sorted[lo]->path->n == d)
		order[(*k)++] = (int)(sorted[lo++] - u->actions);
	for (i = lo; i < hi; n++)
		for (j = i++; i < hi && pdb_path_common(sorted[j]->path,
		    sorted[i]->path) > d; i++)
			;
	if (n == 0)
		return 0;
	/* HashMap doubles its 16 buckets when more than 3/4 are used. */
	while ((uint32_t)n > cap / 4 * 3)
		cap *= 2;
	if ((ch = calloc((size_t)n, sizeof(*ch))) == NULL)
		return -1;
	for (i = lo, n = 0; i < hi; n++) {
		ch[n].lo = i;
		ch[n].last = (int)(sorted[i] - u->actions);
		ch[n].bucket = bucket(&sorted[i]->path->steps[d], cap);
		for (j = i++; i < hi && pdb_path_common(sorted[j]->path,
		    sorted[i]->path) > d; i++)
			if (sorted[i] - u->actions > ch[n].last)
				ch[n].last = (int)(sorted[i] - u->actions);
		ch[n].hi = i;
	}
	qsort(ch, (size_t)n, sizeof(*ch), by_bucket);
	for (i = 0; i < n && rc == 0; i++)
		rc = walk(u, sorted, ch[i].lo, ch[i].hi, d + 1, order, k);
	free(ch);
	return rc;
}

int *
pdb_expr_walk(const struct pdb_expr *u)
{
	const struct action **sorted;
	int *order, i, k = 0;

	sorted = calloc((size_t)u->nactions + 1, sizeof(*sorted));
	order = calloc((size_t)u->nactions + 1, sizeof(*order));
	if (sorted != NULL && order != NULL) {
		for (i = 0; i < u->nactions; i++)
			sorted[i] = &u->actions[i];
		qsort(sorted, (size_t)u->nactions, sizeof(*sorted), by_path);
		if (walk(u, sorted, 0, u->nactions, 0, order, &k) != 0) {
			free(order);
			order = NULL;
		}
	} else {
		free(order);
		order = NULL;
	}
	free(sorted);
	return order;
}
