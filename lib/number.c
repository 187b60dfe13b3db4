/* number.c — DynamoDB numbers as exact decimals, never through a double. */
#include <stdio.h>
#include <string.h>

#include "pdb/number.h"

#define EXP_CLAMP 1000000L	/* far past the range; keeps sums in range */
#define MAX_EXP 126		/* magnitude < 1e126 */
#define MIN_EXP (-129)		/* magnitude >= 1e-130, that is 0.1e-129 */

static int
fail(char *msg, size_t msgsz, const char *text)
{
	snprintf(msg, msgsz, "%s", text);
	return -1;
}

static int
not_numeric(const char *s, size_t len, char *msg, size_t msgsz)
{
	if (len == 0)
		return fail(msg, msgsz, "The parameter cannot be converted "
		    "to a numeric value");
	snprintf(msg, msgsz, "The parameter cannot be converted to a numeric "
	    "value: %.*s", (int)(len > 200 ? 200 : len), s);
	return -1;
}

/* The exponent after 'e', clamped so that huge ones cannot overflow. */
static int
parse_exponent(const char *p, const char *end, long *exp)
{
	int neg = 0;
	long v = 0;

	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (p == end)
		return -1;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v < EXP_CLAMP)
			v = v * 10 + (*p - '0');
	}
	*exp = neg ? -v : v;
	return 0;
}

int
pdb_number_parse(struct pdb_number *n, const char *s, size_t len,
    char *msg, size_t msgsz)
{
	const char *p = s, *end = s + len;
	long ndig = 0, point = -1, first = -1, exp = 0, e;
	int sign = 1, nsig = 0, toomany = 0;

	memset(n, 0, sizeof(*n));
	if (p < end && (*p == '+' || *p == '-'))
		sign = *p++ == '-' ? -1 : 1;
	for (; p < end && *p != 'e' && *p != 'E'; p++) {
		if (*p == '.' && point < 0) {
			point = ndig;
			continue;
		}
		if (*p < '0' || *p > '9')
			return not_numeric(s, len, msg, msgsz);
		if (*p != '0' && first < 0)
			first = ndig;
		if (first >= 0) {
			if (nsig < PDB_NUMBER_DIGITS)
				n->digits[nsig++] = *p;
			else if (*p != '0')
				toomany = 1;
		}
		ndig++;
	}
	if (ndig == 0 || (p < end && parse_exponent(p + 1, end, &exp) != 0))
		return not_numeric(s, len, msg, msgsz);
	if (toomany)
		return fail(msg, msgsz, "Attempting to store more than 38 "
		    "significant digits in a Number");
	if (first < 0)		/* zero, whatever its spelling */
		return 0;
	while (nsig > 0 && n->digits[nsig - 1] == '0')
		nsig--;
	n->digits[nsig] = '\0';
	e = (point < 0 ? ndig : point) - first + exp;
	if (e > MAX_EXP)
		return fail(msg, msgsz, "Number overflow. Attempting to store "
		    "a number with magnitude larger than supported range");
	if (e < MIN_EXP)
		return fail(msg, msgsz, "Number underflow. Attempting to store "
		    "a number with magnitude smaller than supported range");
	n->sign = sign;
	n->exp = (int)e;
	n->ndigits = nsig;
	return 0;
}

size_t
pdb_number_format(const struct pdb_number *n, char *out)
{
	char *o = out;
	int i;

	if (n->sign == 0) {
		strcpy(out, "0");
		return 1;
	}
	if (n->sign < 0)
		*o++ = '-';
	if (n->exp <= 0) {
		*o++ = '0';
		*o++ = '.';
		for (i = 0; i < -n->exp; i++)
			*o++ = '0';
		memcpy(o, n->digits, (size_t)n->ndigits);
		o += n->ndigits;
	} else if (n->exp < n->ndigits) {
		memcpy(o, n->digits, (size_t)n->exp);
		o += n->exp;
		*o++ = '.';
		memcpy(o, n->digits + n->exp, (size_t)(n->ndigits - n->exp));
		o += n->ndigits - n->exp;
	} else {
		memcpy(o, n->digits, (size_t)n->ndigits);
		o += n->ndigits;
		for (i = n->ndigits; i < n->exp; i++)
			*o++ = '0';
	}
	*o = '\0';
	return (size_t)(o - out);
}

static int
compare_magnitude(const struct pdb_number *a, const struct pdb_number *b)
{
	int c;

	if (a->exp != b->exp)
		return a->exp < b->exp ? -1 : 1;
	c = strcmp(a->digits, b->digits);
	return (c > 0) - (c < 0);
}

int
pdb_number_compare(const struct pdb_number *a, const struct pdb_number *b)
{
	if (a->sign != b->sign)
		return a->sign < b->sign ? -1 : 1;
	return a->sign * compare_magnitude(a, b);
}

static int
floor_half(int x)
{
	return x >= 0 ? x / 2 : -((-x + 1) / 2);
}

/* One byte of exponent plus one per base-100 digit, the digit pairs being
 * aligned on the decimal point; negatives take one byte more. */
size_t
pdb_number_size(const struct pdb_number *n)
{
	int pairs;

	if (n->sign == 0)
		return 1;
	pairs = floor_half(n->exp - 1) - floor_half(n->exp - n->ndigits) + 1;
	return (size_t)(1 + pairs + (n->sign < 0));
}

size_t
pdb_number_key(const struct pdb_number *n, unsigned char *out)
{
	unsigned e = (unsigned)(n->exp + 0x8000);
	size_t o = 0;
	int i;

	if (n->sign == 0) {
		out[0] = 0x02;
		return 1;
	}
	/* Negatives invert every byte after the tag, so a larger magnitude
	 * sorts first, and end with 0xFF so a shorter one sorts last. */
	if (n->sign < 0)
		e = ~e & 0xFFFF;
	out[o++] = n->sign > 0 ? 0x03 : 0x01;
	out[o++] = (unsigned char)(e >> 8);
	out[o++] = (unsigned char)e;
	for (i = 0; i < n->ndigits; i++)
		out[o++] = (unsigned char)(n->sign > 0 ? n->digits[i] :
		    0xFF - n->digits[i]);
	out[o++] = n->sign > 0 ? 0x00 : 0xFF;
	return o;
}

/* Digits of n into d[] at powers of ten lo..hi, least significant first. */
static void
spread(const struct pdb_number *n, int lo, int *d)
{
	int i;

	for (i = 0; i < n->ndigits; i++)
		d[n->exp - 1 - i - lo] = n->digits[i] - '0';
}

int
pdb_number_add(const struct pdb_number *a, const struct pdb_number *b,
    int negate_b, struct pdb_number *out, char *msg, size_t msgsz)
{
	/* Exponents lie within -129..126 and 38 digits: 300 places hold any
	 * exact sum, with one to carry. */
	int da[320] = { 0 }, db[320] = { 0 }, r[320] = { 0 };
	int bsign = negate_b ? -b->sign : b->sign, lo, hi, i, w, carry = 0;
	int big, small, sign;
	char text[400], *t = text;
	const struct pdb_number *x = a, *y = b;

	if (a->sign == 0 || bsign == 0) {
		*out = a->sign == 0 ? *b : *a;
		if (a->sign == 0)
			out->sign = bsign;
		return 0;
	}
	lo = (a->exp - a->ndigits < b->exp - b->ndigits ? a->exp - a->ndigits :
	    b->exp - b->ndigits);
	hi = a->exp > b->exp ? a->exp : b->exp;
	w = hi - lo + 1;
	spread(a, lo, da);
	spread(b, lo, db);
	if (a->sign == bsign) {
		for (i = 0; i < w; i++) {
			r[i] = da[i] + db[i] + carry;
			carry = r[i] / 10;
			r[i] %= 10;
		}
		sign = a->sign;
	} else {
		/* Subtract the smaller magnitude from the larger. */
		big = compare_magnitude(a, b) >= 0;
		if (!big) {
			x = b;
			y = a;
		}
		small = 0;
		for (i = 0; i < w; i++) {
			r[i] = (x == a ? da[i] : db[i]) - (y == a ? da[i] :
			    db[i]) - small;
			small = r[i] < 0;
			r[i] += small ? 10 : 0;
		}
		sign = big ? a->sign : bsign;
	}
	if (sign < 0)
		*t++ = '-';
	for (i = w - 1; i >= 0; i--)
		*t++ = (char)('0' + r[i]);
	snprintf(t, sizeof(text) - (size_t)(t - text), "e%d", lo);
	return pdb_number_parse(out, text, strlen(text), msg, msgsz);
}

int64_t
pdb_number_floor_scaled(const struct pdb_number *n, int scale)
{
	int point = n->exp + scale;	/* digits before the decimal point */
	int64_t v = 0;
	int i;

	if (n->sign == 0)
		return 0;
	if (point > 18)
		return n->sign > 0 ? INT64_MAX : INT64_MIN;
	for (i = 0; i < point; i++)
		v = v * 10 + (i < n->ndigits ? n->digits[i] - '0' : 0);
	if (n->sign > 0)
		return v;
	/* Below zero, a fraction left over rounds down. */
	return point < n->ndigits ? -v - 1 : -v;
}
