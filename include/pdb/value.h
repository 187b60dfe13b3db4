/*
 * value.h — DynamoDB attribute values held as Jansson values in DynamoDB
 * JSON: checking them by DynamoDB's rules (streams-api.md §5), putting them
 * in canonical form (numbers normalised, set elements sorted, so that equal
 * items have equal text), measuring their size, and plain JSON marshalling
 * the way the AWS SDKs do it.
 *
 * Functions returning json_t * or char * give the caller a new reference or
 * a malloc'd string; const arguments are borrowed.
 */
#ifndef PDB_VALUE_H
#define PDB_VALUE_H

#include <jansson.h>

#include "pdb/buf.h"
#include "pdb/error.h"

#define PDB_ITEM_SIZE_MAX 409600	/* 400 KB, names included */
#define PDB_DEPTH_MAX 32		/* an attribute is level 1 */
#define PDB_NAME_BYTES_MAX 65535	/* an attribute's name */

/*
 * Check every attribute of item and canonicalise it in place.  On success
 * *size is the item's DynamoDB size.  On failure e names the attribute path
 * and carries DynamoDB's error name and wording.
 */
int pdb_value_check_item(json_t *item, size_t *size, struct pdb_err *e);
/* An item of size bytes is within the 400 KB limit, or DynamoDB's error
 * for a put (update 0) or an update. */
int pdb_value_check_size(size_t size, int update, struct pdb_err *e);

/* DynamoDB's fault with an attribute name of len bytes (1 to 65535 are
 * fine: NULL). */
const char *pdb_value_name_fault(size_t len);

/* What the AWS JSON deserialiser calls a JSON token it did not expect:
 * "START_OBJECT", "VALUE_STRING", "NUMBER_VALUE", ... */
const char *pdb_value_token_name(const json_t *v);

/* Compact canonical text of a checked item: keys sorted. */
char *pdb_value_dump(const json_t *item);
/* The item of such text, whose strings may hold U+0000; NULL only when
 * the text is not JSON (a damaged database). */
json_t *pdb_value_load(const char *text, size_t len);

/* Marshal plain JSON (an object) into DynamoDB JSON, as the SDKs do:
 * string S, number N, boolean BOOL, null NULL, array L, object M. */
json_t *pdb_value_marshal(const json_t *plain, struct pdb_err *e);

/* Append a DynamoDB JSON item to b as plain JSON, numbers exactly as
 * stored. */
void pdb_value_put_plain(struct pdb_buf *b, const json_t *item);

/* Decode padded standard base64; out holds at least len / 4 * 3 bytes. */
int pdb_value_base64_decode(const char *s, size_t len, unsigned char *out,
    size_t *outlen, struct pdb_err *e);

#endif
