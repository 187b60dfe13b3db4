/* key.c — primary keys: checking them, and encoding them in DynamoDB's order. */
#include <stdlib.h>
#include <string.h>

#include "pdb/key.h"
#include "pdb/number.h"
#include "pdb/value.h"

#define INVALID "One or more parameter values were invalid: "

/* Bytes with 0x00 escaped as 0x00 0xFF and a 0x00 0x00 terminator, so a
 * value that is a prefix of another sorts first, even inside a composite
 * key. */
static size_t
encode_bytes(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		out[o++] = s[i];
		if (s[i] == 0)
			out[o++] = 0xFF;
	}
	out[o++] = 0;
	out[o++] = 0;
	return o;
}

size_t
pdb_key_encode_value(char type, const json_t *v, unsigned char *out)
{
	const json_t *x = json_object_iter_value(json_object_iter(
	    (json_t *)v));
	const char *s = json_string_value(x);
	size_t n = json_string_length(x), blen;
	struct pdb_number num;
	unsigned char *buf;
	char msg[8];

	if (type == 'N') {
		pdb_number_parse(&num, s, n, msg, sizeof(msg));
		return pdb_number_key(&num, out);
	}
	if (type == 'S')
		return encode_bytes((const unsigned char *)s, n, out);
	if ((buf = malloc(n / 4 * 3 + 3)) == NULL)
		return 0;
	pdb_value_base64_decode(s, n, buf, &blen, NULL);
	n = encode_bytes(buf, blen, out);
	free(buf);
	return n;
}

static size_t
raw_length(char type, const json_t *x)
{
	size_t n = json_string_length(x);
	const char *s = json_string_value(x);

	if (type != 'B')
		return n;
	return n / 4 * 3 - (n && s[n - 1] == '=') - (n > 1 && s[n - 2] == '=');
}

/* A lookup (delete, get) words every key mistake alike, as DynamoDB does. */
static int
mismatch(struct pdb_err *e, const char *name, char type)
{
	pdb_err_invalid(e, "The provided key element does not match the "
	    "schema");
	return pdb_err_detail(e, " (key '%s' of type %c)", name, type);
}

/* A lookup's key holds an attribute that is not a key attribute. */
static int
not_key(const struct pdb_keyschema *ks, const json_t *key, struct pdb_err *e)
{
	const char *name;
	json_t *v;

	pdb_err_invalid(e, "The provided key element does not match the "
	    "schema");
	json_object_foreach((json_t *)key, name, v)
		if (strcmp(name, ks->hash) != 0 && strcmp(name, ks->range) != 0)
			break;
	return pdb_err_detail(e, " (attribute '%s' is not a key attribute)",
	    name);
}

static size_t
value_size(char type, const json_t *x, size_t raw)
{
	struct pdb_number num;
	char msg[8];

	if (type != 'N')
		return raw;
	pdb_number_parse(&num, json_string_value(x), json_string_length(x),
	    msg, sizeof(msg));
	return pdb_number_size(&num);
}

/* One key attribute: present, of its declared type, not empty, in size. */
static int
encode_part(const char *name, char type, size_t max, int is_hash,
    const json_t *item, enum pdb_key_use use, unsigned char *out,
    size_t *len, size_t *size, struct pdb_err *e)
{
	const json_t *v = json_object_get(item, name), *x;
	const char *got;
	size_t n;

	if (v == NULL)
		return use == PDB_KEY_LOOKUP ? mismatch(e, name, type) :
		    pdb_err_invalid(e, INVALID "Missing the key %s in the item",
		    name);
	got = json_object_iter_key(json_object_iter((json_t *)v));
	if (got[1] != '\0' || got[0] != type)
		return use == PDB_KEY_LOOKUP ? mismatch(e, name, type) :
		    pdb_err_invalid(e, INVALID "Type mismatch for key %s "
		    "expected: %c actual: %s", name, type, got);
	x = json_object_iter_value(json_object_iter((json_t *)v));
	n = type == 'N' ? 1 : raw_length(type, x);
	if (n == 0)
		return pdb_err_invalid(e, "One or more parameter values are "
		    "not valid. The AttributeValue for a key attribute cannot "
		    "contain an empty %s value. Key: %s", type == 'S' ?
		    "string" : "binary", name);
	if (n > max)
		return pdb_err_invalid(e, is_hash ? INVALID "Size of hashkey "
		    "has exceeded the maximum size limit of2048 bytes" :
		    INVALID "Aggregated size of all range keys has exceeded "
		    "the size limit of 1024 bytes");
	*len += pdb_key_encode_value(type, v, out + *len);
	if (size != NULL)
		*size += strlen(name) + value_size(type, x, n);
	return PDB_OK;
}

int
pdb_key_encode(const struct pdb_keyschema *ks, const json_t *item,
    enum pdb_key_use use, unsigned char *out, size_t *len, size_t *size,
    struct pdb_err *e)
{
	*len = 0;
	if (size != NULL)
		*size = 0;
	if (encode_part(ks->hash, ks->hash_type, PDB_HASH_BYTES_MAX, 1, item,
	    use, out, len, size, e) != PDB_OK)
		return e->status;
	if (ks->range[0] != '\0' && encode_part(ks->range, ks->range_type,
	    PDB_RANGE_BYTES_MAX, 0, item, use, out, len, size, e) != PDB_OK)
		return e->status;
	if (use == PDB_KEY_LOOKUP &&
	    json_object_size(item) != (ks->range[0] != '\0' ? 2u : 1u))
		return not_key(ks, item, e);
	return PDB_OK;
}

json_t *
pdb_key_extract(const struct pdb_keyschema *ks, const json_t *item)
{
	json_t *k = json_object();

	json_object_set(k, ks->hash, json_object_get(item, ks->hash));
	if (ks->range[0] != '\0')
		json_object_set(k, ks->range, json_object_get(item, ks->range));
	return k;
}

/* One index key attribute of a checked item: *present 0 when the item
 * lacks it; else typed, not empty and in size, encoded onto out. */
static int
encode_index_part(const char *index, const char *name, char type,
    size_t max, int is_hash, const json_t *item, unsigned char *out,
    size_t *len, int *present, struct pdb_err *e)
{
	const json_t *v = json_object_get(item, name), *x;
	const char *got;
	size_t n;

	if ((*present = v != NULL) == 0)
		return PDB_OK;
	got = json_object_iter_key(json_object_iter((json_t *)v));
	if (got[1] != '\0' || got[0] != type)
		return pdb_err_invalid(e, INVALID "Type mismatch for Index Key "
		    "%s Expected: %c Actual: %s IndexName: %s", name, type, got,
		    index);
	x = json_object_iter_value(json_object_iter((json_t *)v));
	n = type == 'N' ? 1 : raw_length(type, x);
	if (n == 0)
		return pdb_err_invalid(e, "One or more parameter values are "
		    "not valid. A value specified for a secondary index key is "
		    "not supported. The AttributeValue for a key attribute "
		    "cannot contain an empty %s value. IndexName: %s, IndexKey: "
		    "%s", type == 'S' ? "string" : "binary", index, name);
	if (n > max)
		return pdb_err_invalid(e, is_hash ? INVALID "Size of hashkey "
		    "has exceeded the maximum size limit of2048 bytes" :
		    INVALID "Aggregated size of all range keys has exceeded "
		    "the size limit of 1024 bytes");
	*len += pdb_key_encode_value(type, v, out + *len);
	return PDB_OK;
}

int
pdb_key_encode_index(const struct pdb_keyschema *ks, const char *index,
    const json_t *item, unsigned char *out, size_t *len, struct pdb_err *e)
{
	int hash = 1, range = 1;

	*len = 0;
	if (encode_index_part(index, ks->hash, ks->hash_type,
	    PDB_HASH_BYTES_MAX, 1, item, out, len, &hash, e) != PDB_OK ||
	    (ks->range[0] != '\0' && encode_index_part(index, ks->range,
	    ks->range_type, PDB_RANGE_BYTES_MAX, 0, item, out, len, &range,
	    e) != PDB_OK))
		return e->status;
	if (!hash || !range)
		*len = 0;	/* sparse: the item is not in the index */
	return PDB_OK;
}

size_t
pdb_key_prefix_end(const unsigned char *p, size_t n, unsigned char *out)
{
	memcpy(out, p, n);
	while (n > 0 && out[n - 1] == 0xFF)
		n--;
	if (n > 0)
		out[n - 1]++;
	return n;
}
