/* expr_eval.c — what evaluating every kind of expression shares: attribute
 * values by type, document paths into items, and DynamoDB's ordering. */
#include <stdlib.h>
#include <string.h>

#include "expr_impl.h"
#include "pdb/number.h"
#include "pdb/value.h"

/* Attribute values. */

const char *
pdb_av_type(const json_t *v)
{
	return json_object_iter_key(json_object_iter((json_t *)v));
}

const json_t *
pdb_av_inner(const json_t *v)
{
	return json_object_iter_value(json_object_iter((json_t *)v));
}

const json_t *
pdb_path_get(const struct path *p, const json_t *item)
{
	const json_t *v = item ? json_object_get(item, p->steps[0].name) :
	    NULL;
	int i;

	for (i = 1; i < p->n && v != NULL; i++) {
		if (p->steps[i].name != NULL)
			v = json_object_get(json_object_get(v, "M"),
			    p->steps[i].name);
		else
			v = json_array_get(json_object_get(v, "L"),
			    (size_t)p->steps[i].index);
	}
	return v;
}

void
pdb_path_text(const struct path *p, char *out, size_t outsz)
{
	size_t len = 0;
	int i;

	for (i = 0; i < p->n && len < outsz; i++)
		len += p->steps[i].name ? (size_t)snprintf(out + len,
		    outsz - len, "%s%s", i ? ", " : "", p->steps[i].name) :
		    (size_t)snprintf(out + len, outsz - len, "%s[%ld]",
		    i ? ", " : "", p->steps[i].index);
}

static int
compare_bytes(const char *a, size_t la, const char *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);

	return c ? (c > 0) - (c < 0) : (la > lb) - (la < lb);
}

static int
compare_binary(const json_t *a, const json_t *b)
{
	size_t la = json_string_length(a), lb = json_string_length(b);
	unsigned char *da = malloc(la / 4 * 3 + 3), *db = malloc(lb / 4 * 3 +
	    3);
	int c = 0;

	if (da && db) {
		pdb_value_base64_decode(json_string_value(a), la, da, &la, NULL);
		pdb_value_base64_decode(json_string_value(b), lb, db, &lb, NULL);
		c = compare_bytes((char *)da, la, (char *)db, lb);
	}
	free(da);
	free(db);
	return c;
}

int
pdb_av_compare(const json_t *a, const json_t *b, int *equal)
{
	const char *ta = pdb_av_type(a), *tb = pdb_av_type(b);
	const json_t *x = pdb_av_inner(a), *y = pdb_av_inner(b);
	struct pdb_number na, nb;
	char msg[8];
	int c = 2;

	*equal = 0;
	if (strcmp(ta, tb) != 0)
		return 2;
	if (strcmp(ta, "N") == 0) {
		pdb_number_parse(&na, json_string_value(x),
		    json_string_length(x), msg, sizeof(msg));
		pdb_number_parse(&nb, json_string_value(y),
		    json_string_length(y), msg, sizeof(msg));
		c = pdb_number_compare(&na, &nb);
	} else if (strcmp(ta, "S") == 0)
		c = compare_bytes(json_string_value(x), json_string_length(x),
		    json_string_value(y), json_string_length(y));
	else if (strcmp(ta, "B") == 0)
		c = compare_binary(x, y);
	else {
		/* Canonical values (sorted sets) are equal as JSON. */
		*equal = json_equal((json_t *)a, (json_t *)b);
		return 2;
	}
	*equal = c == 0;
	return c;
}

int
pdb_expr_legacy(const struct pdb_expr *x)
{
	return x->legacy;
}

int
pdb_expr_value_order(const json_t *a, const json_t *b)
{
	int equal;

	return pdb_av_compare(a, b, &equal);
}

int
pdb_path_common(const struct path *a, const struct path *b)
{
	int i, n = a->n < b->n ? a->n : b->n;

	for (i = 0; i < n; i++) {
		if ((a->steps[i].name == NULL) != (b->steps[i].name == NULL))
			break;
		if (a->steps[i].name ? strcmp(a->steps[i].name,
		    b->steps[i].name) != 0 : a->steps[i].index !=
		    b->steps[i].index)
			break;
	}
	return i;
}
