/* expr_key.c — a key condition as a range of encoded keys in one partition. */
#include <string.h>

#include "expr_impl.h"

static int
unsupported(struct pdb_err *e)
{
	return pdb_err_invalid(e, "Invalid KeyConditionExpression: the "
	    "condition must be partition key = :value, optionally AND one "
	    "sort key condition (=, <, <=, >, >=, BETWEEN, begins_with)");
}

/* Is n a bare top-level path naming attr? */
static int
names(const struct node *n, const char *attr)
{
	return n != NULL && n->type == N_PATH && n->path->n == 1 &&
	    n->path->steps[0].name != NULL &&
	    strcmp(n->path->steps[0].name, attr) == 0;
}

static int
typed_value(const struct node *n, char type, struct pdb_err *e)
{
	const char *t;

	if (n == NULL || n->type != N_VALUE)
		return unsupported(e);
	t = pdb_av_type(n->value);
	if (t[1] != '\0' || t[0] != type)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Condition parameter type does not match schema "
		    "type");
	return PDB_OK;
}

/* The smallest byte string greater than every string starting with p. */
static size_t
prefix_end(const unsigned char *p, size_t n, unsigned char *out)
{
	memcpy(out, p, n);
	while (n > 0 && out[n - 1] == 0xFF)
		n--;
	if (n > 0)
		out[n - 1]++;
	return n;
}

static size_t
append_value(struct pdb_key_range *r, unsigned char *dst, size_t plen,
    char type, const json_t *v)
{
	memcpy(dst, r->lo, plen);
	return plen + pdb_key_encode_value(type, v, dst + plen);
}

static int
sort_range(const struct node *n, const struct pdb_keyschema *ks,
    struct pdb_key_range *r, size_t plen, struct pdb_err *e)
{
	char t = ks->range_type;
	unsigned char prefix[PDB_KEY_MAX];
	size_t len;

	if (n->type == N_BEGINS) {
		if (!names(n->a, ks->range) || t == 'N')
			return unsupported(e);
		if (typed_value(n->b, t, e) != PDB_OK)
			return e->status;
		/* Escaped bytes without the terminator: a byte prefix. */
		len = append_value(r, prefix, plen, t, n->b->value) - 2;
		memcpy(r->lo, prefix, len);
		r->lolen = len;
		r->hilen = prefix_end(prefix, len, r->hi);
		r->hi_incl = 0;
		return PDB_OK;
	}
	if (n->type == N_BETWEEN) {
		if (!names(n->a, ks->range) || typed_value(n->b, t, e) ||
		    typed_value(n->c, t, e))
			return e->status ? e->status : unsupported(e);
		r->hilen = append_value(r, r->hi, plen, t, n->c->value);
		r->lolen = append_value(r, r->lo, plen, t, n->b->value);
		r->hi_incl = 1;
		return PDB_OK;
	}
	if (n->type != N_CMP || n->op == T_NE || !names(n->a, ks->range))
		return unsupported(e);
	if (typed_value(n->b, t, e) != PDB_OK)
		return e->status;
	switch (n->op) {
	case T_EQ:
		r->lolen = r->hilen = append_value(r, r->hi, plen, t,
		    n->b->value);
		memcpy(r->lo, r->hi, r->hilen);
		r->hi_incl = 1;
		break;
	case T_LT:
	case T_LE:
		r->hilen = append_value(r, r->hi, plen, t, n->b->value);
		r->hi_incl = n->op == T_LE;
		break;
	default:	/* > and >= */
		r->lolen = append_value(r, r->lo, plen, t, n->b->value);
		r->lo_incl = n->op == T_GE;
		break;
	}
	return PDB_OK;
}

int
pdb_expr_key_range(const struct pdb_expr *k, const struct pdb_keyschema *ks,
    struct pdb_key_range *r, struct pdb_err *e)
{
	const struct node *n = k->cond, *pk = n, *sk = NULL;
	size_t plen;

	pdb_err_clear(e);
	memset(r, 0, sizeof(*r));
	if (n->type == N_AND) {
		pk = n->a;
		sk = n->b;
		if (!(pk->type == N_CMP && names(pk->a, ks->hash))) {
			pk = n->b;
			sk = n->a;
		}
	}
	if (pk->type != N_CMP || pk->op != T_EQ || !names(pk->a, ks->hash))
		return pdb_err_invalid(e, "Query condition missed key schema "
		    "element: %s", ks->hash);
	if (typed_value(pk->b, ks->hash_type, e) != PDB_OK)
		return e->status;
	plen = pdb_key_encode_value(ks->hash_type, pk->b->value, r->lo);
	r->lolen = plen;
	r->lo_incl = 1;
	r->hilen = prefix_end(r->lo, plen, r->hi);
	if (sk == NULL)
		return PDB_OK;
	if (ks->range[0] == '\0')
		return unsupported(e);
	return sort_range(sk, ks, r, plen, e);
}
