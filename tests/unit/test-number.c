/* test-number — parsing, normalising, comparing, sizing and adding numbers. */
#include <string.h>

#include "pdb/number.h"
#include "unit.h"

static char text[PDB_NUMBER_TEXT_MAX];
static char msg[256];

static const char *
norm(const char *s)
{
	struct pdb_number n;

	if (pdb_number_parse(&n, s, strlen(s), msg, sizeof(msg)) != 0)
		return msg;
	pdb_number_format(&n, text);
	return text;
}

static long long
size(const char *s)
{
	struct pdb_number n;

	pdb_number_parse(&n, s, strlen(s), msg, sizeof(msg));
	return (long long)pdb_number_size(&n);
}

static const char *
sum(const char *a, const char *b, int minus)
{
	struct pdb_number x, y, r;

	pdb_number_parse(&x, a, strlen(a), msg, sizeof(msg));
	pdb_number_parse(&y, b, strlen(b), msg, sizeof(msg));
	if (pdb_number_add(&x, &y, minus, &r, msg, sizeof(msg)) != 0)
		return msg;
	pdb_number_format(&r, text);
	return text;
}

static char *
repeat(char c, int n, char *buf)
{
	memset(buf, c, (size_t)n);
	buf[n] = '\0';
	return buf;
}

static void
test_normalise(void)
{
	char want[420], a[200], b[200];

	CHECK_STR(norm("0000012345678901234567890123456789012345678"),
	    "12345678901234567890123456789012345678");
	CHECK_STR(norm("-00001.23456789012345678901234567890123456780000"),
	    "-1.2345678901234567890123456789012345678");
	snprintf(want, sizeof(want), "%s%s", repeat('9', 38, a),
	    repeat('0', 88, b));
	CHECK_STR(norm("0009.99999999999999999999999999999999999990000e125"),
	    want);
	snprintf(want, sizeof(want), "0.%s1", repeat('0', 129, a));
	CHECK_STR(norm("0001.000e-130"), want);
	CHECK_STR(norm("-0015.789e6"), "-15789000");
	CHECK_STR(norm("1.0"), "1");
	CHECK_STR(norm("1E+2"), "100");
	CHECK_STR(norm("-0"), "0");
	CHECK_STR(norm("0.000e5"), "0");
	CHECK_STR(norm("0e99999999999999"), "0");
	CHECK_STR(norm("+1"), "1");
	CHECK_STR(norm(".5"), "0.5");
	CHECK_STR(norm("5."), "5");
	CHECK_STR(norm("123.4500"), "123.45");
	CHECK_STR(norm("-0.00012345678901234567890123456789012345678"),
	    "-0.00012345678901234567890123456789012345678");
}

static void
test_errors(void)
{
	CHECK_STR(norm(""), "The parameter cannot be converted to a numeric "
	    "value");
	CHECK_STR(norm("b"), "The parameter cannot be converted to a numeric "
	    "value: b");
	CHECK_STR(norm(" 1"), "The parameter cannot be converted to a numeric "
	    "value:  1");
	CHECK_STR(norm("NaN"), "The parameter cannot be converted to a "
	    "numeric value: NaN");
	CHECK_STR(norm("0x10"), "The parameter cannot be converted to a "
	    "numeric value: 0x10");
	CHECK_STR(norm("1e"), "The parameter cannot be converted to a numeric "
	    "value: 1e");
	CHECK_STR(norm("."), "The parameter cannot be converted to a numeric "
	    "value: .");
	CHECK_STR(norm("1.2.3"), "The parameter cannot be converted to a "
	    "numeric value: 1.2.3");
	CHECK_STR(norm("123456789012345678901234567890123456789"),
	    "Attempting to store more than 38 significant digits in a Number");
	CHECK_STR(norm("1e126"), "Number overflow. Attempting to store a "
	    "number with magnitude larger than supported range");
	CHECK_STR(norm("1e99999999999"), "Number overflow. Attempting to store "
	    "a number with magnitude larger than supported range");
	CHECK_STR(norm("1e-131"), "Number underflow. Attempting to store a "
	    "number with magnitude smaller than supported range");
}

/* The largest number there is: 38 nines, then 88 zeros. */
static void
test_largest(void)
{
	char want[420], a[200], b[200];

	snprintf(want, sizeof(want), "%s%s", repeat('9', 38, a),
	    repeat('0', 88, b));
	CHECK_STR(norm("9.9999999999999999999999999999999999999e125"), want);
}

static void
test_order(void)
{
	static const char *const list[] = { "-99.1", "-10.1", "-9.9", "-9",
	    "-1.01", "-1", "-0.9", "-0.1", "-0.09", "-0.01", "0", "0.01",
	    "0.09", "0.1", "0.9", "1", "1.1", "1.9", "9", "9.1", "10.1",
	    "10.9", "99.1" };
	struct pdb_number a, b;
	size_t i, n = sizeof(list) / sizeof(list[0]);

	for (i = 0; i + 1 < n; i++) {
		pdb_number_parse(&a, list[i], strlen(list[i]), msg, sizeof(msg));
		pdb_number_parse(&b, list[i + 1], strlen(list[i + 1]), msg,
		    sizeof(msg));
		unit_report(pdb_number_compare(&a, &b) < 0 &&
		    pdb_number_compare(&b, &a) > 0, __FILE__, __LINE__,
		    list[i]);
	}
	pdb_number_parse(&a, "1", 1, msg, sizeof(msg));
	pdb_number_parse(&b, "10e-1", 5, msg, sizeof(msg));
	CHECK(pdb_number_compare(&a, &b) == 0);
}

static void
test_size(void)
{
	CHECK_INT(size("0"), 1);
	CHECK_INT(size("1"), 2);
	CHECK_INT(size("11"), 2);
	CHECK_INT(size("1.1"), 3);
	CHECK_INT(size("100"), 2);
	CHECK_INT(size("12345"), 4);
	CHECK_INT(size("12345678901234567890123456789012345678"), 20);
	CHECK_INT(size("1e125"), 2);
	CHECK_INT(size("11111e121"), 4);
	CHECK_INT(size("0.01"), 2);
	CHECK_INT(size("-1"), 3);
}

static void
test_add(void)
{
	CHECK_STR(sum("1", "2", 0), "3");
	CHECK_STR(sum("0.1", "0.2", 0), "0.3");
	CHECK_STR(sum("1.5", "2", 1), "-0.5");
	CHECK_STR(sum("-1.5", "-2.25", 0), "-3.75");
	CHECK_STR(sum("100", "100", 1), "0");
	CHECK_STR(sum("0", "-5", 0), "-5");
	CHECK_STR(sum("-5", "0", 1), "-5");
	CHECK_STR(sum("99999999999999999999999999999999999999", "1", 0),
	    "100000000000000000000000000000000000000");
	CHECK_STR(sum("1e-100", "1e100", 0), "Attempting to store more than "
	    "38 significant digits in a Number");
	CHECK_STR(sum("9e125", "9e125", 0), "Number overflow. Attempting to "
	    "store a number with magnitude larger than supported range");
}

int
main(void)
{
	test_normalise();
	test_errors();
	test_largest();
	test_order();
	test_size();
	test_add();
	return unit_done();
}
