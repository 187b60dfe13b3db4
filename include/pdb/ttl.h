/*
 * ttl.h — when an item expires under Time to Live, by DynamoDB's rules:
 * its TTL attribute is a top-level N of epoch seconds; it is expired once
 * that time is past, unless the value lies five years or more in the past
 * (DynamoDB never deletes those); any other type never expires.
 */
#ifndef PDB_TTL_H
#define PDB_TTL_H

#include <stdint.h>

#include <jansson.h>

/*
 * The first millisecond at which item is expired under attribute attr:
 * the one after its value.  0 when it never expires (no such attribute,
 * or not an N).  Saturates far in the past or future.
 */
int64_t pdb_ttl_expiry(const json_t *item, const char *attr);

/* Whether an item of that expiry is due for deletion at now_ms. */
int pdb_ttl_due(int64_t expiry, int64_t now_ms);

/* The exclusive lower bound of the expiries due at now_ms: five calendar
 * years before it. */
int64_t pdb_ttl_oldest(int64_t now_ms);

#endif
