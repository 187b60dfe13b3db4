/*
 * op_read.h — Query and Scan, one page at a time, as both front ends call
 * them: a typed request, the caller's read transaction, each item passed
 * to a callback, and a result with the counts and LastEvaluatedKey.
 * Limit counts the items evaluated (before the filter), a page ends near
 * 1 MB of items read, and a filter that fails on an item fails the call.
 * ExclusiveStartKey must be a key of the table inside the Query's key
 * condition or the parallel Scan's segment.
 */
#ifndef PDB_OP_READ_H
#define PDB_OP_READ_H

#include <jansson.h>

#include "pdb/expr.h"
#include "pdb/write.h"

#define PDB_READ_PAGE_BYTES (1024 * 1024)
#define PDB_SEGMENTS_MAX 1000000

/* Select; PDB_SELECT_ALL when it is not given: every attribute, or the
 * projection's. */
enum pdb_select {
	PDB_SELECT_ALL,
	PDB_SELECT_COUNT,		/* COUNT: counts only */
	PDB_SELECT_ALL_ATTRIBUTES,
	PDB_SELECT_ALL_PROJECTED,	/* ALL_PROJECTED_ATTRIBUTES */
	PDB_SELECT_SPECIFIC		/* SPECIFIC_ATTRIBUTES */
};

/* The Select DynamoDB names s (ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES,
 * SPECIFIC_ATTRIBUTES, COUNT), or -1. */
int pdb_select_parse(const char *s);

struct pdb_read_req {
	const char *table;
	const char *index;		/* IndexName, or NULL for the table */
	const struct pdb_expr *key;	/* Query's KeyConditionExpression;
					 * NULL for a Scan */
	const struct pdb_expr *filter, *projection;
	long long limit;		/* items evaluated; 0: no limit */
	json_t *start;			/* ExclusiveStartKey, or NULL */
	int reverse;			/* ScanIndexForward false */
	enum pdb_select select;
	int segment, segments;		/* parallel Scan; segments 0: none */
	int consistent;			/* ConsistentRead */
};

struct pdb_read_res {
	long long count, scanned;
	json_t *last_key;	/* LastEvaluatedKey (owned), NULL at the end */
	double units;		/* consumed read capacity */
	double table_units;	/* of units, an LSI's fetches from the table */
	int global_index;	/* the index read (IndexName) is global */
};

void pdb_read_res_free(struct pdb_read_res *res);

/* ExclusiveStartKey's values by the item rules, in AWS's words ("The
 * provided starting key is invalid: ..."), checked in place.  AWS does
 * so before it parses the request's expressions or looks for the table;
 * a front end that parses them first calls this before. */
int pdb_read_check_start(json_t *start, struct pdb_err *e);

/*
 * One page of a Query (r->key set) or Scan in tx, a read transaction:
 * each matching item's canonical text (projected) goes to fn, which
 * returns non-0 to fail the call with e filled.
 */
int pdb_op_read(struct pdb_tx *tx, const struct pdb_read_req *r,
    int (*fn)(void *, const char *, size_t, struct pdb_err *), void *arg,
    struct pdb_read_res *res, struct pdb_err *e);

#endif
