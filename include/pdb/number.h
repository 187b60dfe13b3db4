/*
 * number.h — DynamoDB numbers as exact decimals: parse and validate by
 * DynamoDB's rules, print normalised, compare, size, and encode as key bytes
 * whose memcmp order is numeric order.  No double is ever involved.
 *
 * A struct pdb_number is a plain value; nothing here allocates.
 */
#ifndef PDB_NUMBER_H
#define PDB_NUMBER_H

#include <stddef.h>
#include <stdint.h>

#define PDB_NUMBER_DIGITS 38	/* significant digits DynamoDB keeps */
#define PDB_NUMBER_TEXT_MAX 176	/* longest normalised text, with NUL */
#define PDB_NUMBER_KEY_MAX 48	/* longest key encoding */

/* value = sign * 0.DIGITS * 10^exp; zero has sign 0 and no digits. */
struct pdb_number {
	int sign;		/* -1, 0 or 1 */
	int exp;
	int ndigits;		/* 0..38, no leading or trailing zeros */
	char digits[PDB_NUMBER_DIGITS + 1];	/* ASCII, NUL-terminated */
};

/*
 * Parse len bytes of s as DynamoDB does (optional sign, digits with an
 * optional point, optional exponent; no spaces, NaN, Infinity or hex).
 * Returns 0, or -1 with DynamoDB's ValidationException message in msg:
 *   "The parameter cannot be converted to a numeric value" (empty)
 *   "The parameter cannot be converted to a numeric value: b"
 *   "Attempting to store more than 38 significant digits in a Number"
 *   "Number overflow. Attempting to store a number with magnitude larger than supported range"
 *   "Number underflow. Attempting to store a number with magnitude smaller than supported range"
 */
int pdb_number_parse(struct pdb_number *n, const char *s, size_t len,
    char *msg, size_t msgsz);

/* Write the plain decimal DynamoDB prints ("-15789000", "0.001") into out
 * (PDB_NUMBER_TEXT_MAX bytes); returns its length. */
size_t pdb_number_format(const struct pdb_number *n, char *out);

/* <0, 0, >0 as a is numerically less than, equal to, greater than b. */
int pdb_number_compare(const struct pdb_number *a, const struct pdb_number *b);

/* DynamoDB's storage size of the number in bytes (streams-api.md §5.5). */
size_t pdb_number_size(const struct pdb_number *n);

/*
 * out = a + b (or a - b when negate_b), exactly; the result obeys the
 * same rules as parsed numbers (38 digits, range), else -1 with DynamoDB's
 * message in msg.
 */
int pdb_number_add(const struct pdb_number *a, const struct pdb_number *b,
    int negate_b, struct pdb_number *out, char *msg, size_t msgsz);

/* floor(n * 10^scale), saturated to the int64_t range. */
int64_t pdb_number_floor_scaled(const struct pdb_number *n, int scale);

/* Order-preserving, self-delimiting key bytes (at most PDB_NUMBER_KEY_MAX);
 * returns the length written. */
size_t pdb_number_key(const struct pdb_number *n, unsigned char *out);

#endif
