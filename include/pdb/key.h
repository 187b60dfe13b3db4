/*
 * key.h — a table's key schema, and primary keys encoded as bytes whose
 * memcmp order is DynamoDB's order (S by UTF-8 bytes, N numerically, B by
 * unsigned bytes; the partition key first, then the sort key).
 */
#ifndef PDB_KEY_H
#define PDB_KEY_H

#include <stddef.h>
#include <jansson.h>

#include "pdb/error.h"

#define PDB_NAME_MAX 256	/* table and key names: 1..255 bytes */
/* Escaped S/B bytes take at most twice their length plus a terminator. */
#define PDB_KEY_MAX (2 * (2048 + 1024) + 64)
#define PDB_HASH_BYTES_MAX 2048
#define PDB_RANGE_BYTES_MAX 1024

struct pdb_keyschema {
	char hash[PDB_NAME_MAX];
	char hash_type;			/* 'S', 'N' or 'B' */
	char range[PDB_NAME_MAX];	/* "" when the table has no sort key */
	char range_type;
};

/* How a key is being read: from a whole item being written, or from a
 * lookup (delete, get), which DynamoDB words differently. */
enum pdb_key_use { PDB_KEY_ITEM, PDB_KEY_LOOKUP };

/*
 * Encode the key attributes of a checked item into out (PDB_KEY_MAX bytes),
 * checking presence, type, emptiness and size limits with DynamoDB's
 * wording.  *len is the encoding's length; *size (if not NULL) the Keys'
 * DynamoDB size, names included.
 */
int pdb_key_encode(const struct pdb_keyschema *ks, const json_t *item,
    enum pdb_key_use use, unsigned char *out, size_t *len, size_t *size,
    struct pdb_err *e);

/* Encode a single checked key value of type 'S', 'N' or 'B'; returns the
 * number of bytes written to out. */
size_t pdb_key_encode_value(char type, const json_t *v, unsigned char *out);

/*
 * Encode the index key (schema ks, of the index called index) of a checked
 * item into out (PDB_KEY_MAX bytes), with DynamoDB's wording for an index
 * key of the wrong type, empty or too long.  *len is 0 when the item lacks
 * one of the key attributes: it is not in the index.
 */
int pdb_key_encode_index(const struct pdb_keyschema *ks, const char *index,
    const json_t *item, unsigned char *out, size_t *len, struct pdb_err *e);

/* The smallest byte string greater than every string starting with the n
 * bytes of p, into out; returns its length (0: there is none). */
size_t pdb_key_prefix_end(const unsigned char *p, size_t n,
    unsigned char *out);

/* A new object holding just the key attributes of item. */
json_t *pdb_key_extract(const struct pdb_keyschema *ks, const json_t *item);

/*
 * A range of encoded keys, lo..hi, each bound inclusive or not; hilen 0
 * means no upper bound (lolen 0 and lo_incl: no lower bound).
 */
struct pdb_key_range {
	unsigned char lo[PDB_KEY_MAX], hi[PDB_KEY_MAX];
	size_t lolen, hilen;
	int lo_incl, hi_incl;
};

#endif
