/* test-key — key encoding order, item sizes and canonical item text. */
#include <stdlib.h>
#include <string.h>

#include "pdb/key.h"
#include "pdb/value.h"
#include "unit.h"

static json_t *
parse(const char *s)
{
	return json_loads(s, 0, NULL);
}

/* Encode {"k":{TYPE:V}} under a one-key schema of that type. */
static size_t
encode(char type, const char *value, unsigned char *out)
{
	struct pdb_keyschema ks = { .hash = "k", .hash_type = type };
	struct pdb_err e;
	char json[512];
	json_t *item;
	size_t len = 0, size;

	snprintf(json, sizeof(json), "{\"k\":{\"%c\":\"%s\"}}", type, value);
	item = parse(json);
	if (pdb_value_check_item(item, &size, &e) != PDB_OK ||
	    pdb_key_encode(&ks, item, PDB_KEY_ITEM, out, &len, NULL, &e) !=
	    PDB_OK)
		len = 0;
	json_decref(item);
	return len;
}

static int
before(char type, const char *a, const char *b)
{
	unsigned char ka[PDB_KEY_MAX], kb[PDB_KEY_MAX];
	size_t la = encode(type, a, ka), lb = encode(type, b, kb);
	int c = memcmp(ka, kb, la < lb ? la : lb);

	return la > 0 && lb > 0 && (c < 0 || (c == 0 && la < lb));
}

static void
ordered(char type, const char *const *list)
{
	char what[128];
	int i;

	for (i = 0; list[i + 1] != NULL; i++) {
		snprintf(what, sizeof(what), "%c %s < %s", type, list[i],
		    list[i + 1]);
		unit_report(before(type, list[i], list[i + 1]), __FILE__,
		    __LINE__, what);
	}
}

static void
test_orders(void)
{
	static const char *const nums[] = { "-99.1", "-10.1", "-9.9", "-9",
	    "-1.01", "-1", "-0.9", "-0.1", "-0.09", "-0.01", "0", "0.01",
	    "0.09", "0.1", "0.9", "1", "1.1", "1.9", "9", "9.1", "10.1",
	    "10.9", "99.1", "1e125", NULL };
	static const char *const strs[] = { "1", "10", "2", "A", "B", "a",
	    "aa", "ab", "b", "\xc2\xbf", NULL };
	/* 0x11, 0x1100, 0x22, 0xd4, 0xff as base64 */
	static const char *const bins[] = { "EQ==", "EQA=", "Ig==", "1A==",
	    "/w==", NULL };

	ordered('N', nums);
	ordered('S', strs);
	ordered('B', bins);
}

/* A partition key that prefixes another must not let the sort key decide. */
static void
test_composite(void)
{
	struct pdb_keyschema ks = { .hash = "h", .hash_type = 'S',
	    .range = "r", .range_type = 'S' };
	unsigned char a[PDB_KEY_MAX], b[PDB_KEY_MAX];
	struct pdb_err e;
	json_t *x = parse("{\"h\":{\"S\":\"a\"},\"r\":{\"S\":\"z\"}}");
	json_t *y = parse("{\"h\":{\"S\":\"ab\"},\"r\":{\"S\":\"a\"}}");
	size_t la, lb, ks_size;

	pdb_key_encode(&ks, x, PDB_KEY_ITEM, a, &la, &ks_size, &e);
	pdb_key_encode(&ks, y, PDB_KEY_ITEM, b, &lb, NULL, &e);
	CHECK(memcmp(a, b, la < lb ? la : lb) < 0);
	CHECK_INT(ks_size, 4);	/* h + a + r + z */
	json_decref(x);
	json_decref(y);
}

static size_t
item_size(const char *json)
{
	struct pdb_err e;
	json_t *item = parse(json);
	size_t size = 0;

	if (pdb_value_check_item(item, &size, &e) != PDB_OK)
		size = (size_t)-1;
	json_decref(item);
	return size;
}

/* streams-api.md §2.4 and §5.5. */
static void
test_sizes(void)
{
	CHECK_INT(item_size("{\"shirt-color\":{\"S\":\"R\"},"
	    "\"shirt-size\":{\"S\":\"M\"}}"), 23);
	CHECK_INT(item_size("{\"Id\":{\"N\":\"1\"},\"Message\":"
	    "{\"S\":\"New item!\"}}"), 20);
	CHECK_INT(item_size("{\"Id\":{\"N\":\"1\"},\"Message\":"
	    "{\"S\":\"This item has changed\"}}"), 32);
	CHECK_INT(item_size("{\"l\":{\"L\":[]},\"m\":{\"M\":{}}}"), 8);
	CHECK_INT(item_size("{\"l\":{\"L\":[{\"S\":\"ab\"},{\"N\":\"1\"}]}}"),
	    1 + 3 + (2 + 1) + (2 + 1));
	CHECK_INT(item_size("{\"m\":{\"M\":{\"k\":{\"BOOL\":true}}}}"),
	    1 + 3 + (1 + 1 + 1));
	CHECK_INT(item_size("{\"s\":{\"SS\":[\"ab\",\"c\"]},"
	    "\"b\":{\"B\":\"AAEC\"}}"), 1 + 3 + 1 + 3);
}

static void
test_canonical(void)
{
	struct pdb_err e;
	json_t *item = parse("{\"z\":{\"NS\":[\"10\",\"-1.50\",\"2e0\"]},"
	    "\"a\":{\"SS\":[\"b\",\"a\"]}}");
	size_t size;
	char *text;

	CHECK(pdb_value_check_item(item, &size, &e) == PDB_OK);
	text = pdb_value_dump(item);
	CHECK_STR(text, "{\"a\":{\"SS\":[\"a\",\"b\"]},"
	    "\"z\":{\"NS\":[\"-1.5\",\"2\",\"10\"]}}");
	free(text);
	json_decref(item);
}

int
main(void)
{
	test_orders();
	test_composite();
	test_sizes();
	test_canonical();
	return unit_done();
}
