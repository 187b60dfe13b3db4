/* test-value — the canonical text is exactly Jansson's sorted compact dump. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/value.h"
#include "unit.h"

static void
same_as_jansson(const json_t *j, const char *what)
{
	char *want = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	char *got = pdb_value_dump(j);
	int ok = want != NULL && got != NULL && strcmp(want, got) == 0;

	unit_report(ok, __FILE__, __LINE__, what);
	if (!ok)
		printf("#   got  %s\n#   want %s\n", got, want);
	free(want);
	free(got);
}

int
main(void)
{
	static const char *const cases[] = {
		"{\"b\":{\"S\":\"x\\\"y\\\\z\\n\\t\\r\\b\\f\\u0001\\u001f/\\u007f\"},"
		"\"a\":{\"L\":[{\"BOOL\":true},{\"NULL\":true},{\"BOOL\":false}]}}",
		"{\"zz\":{\"M\":{\"\\u00e9\":{\"S\":\"\\u2028 caf\\u00e9 "
		"\\ud83d\\ude00\"},\"A\":{\"M\":{}},\"a\":{\"L\":[]}}},"
		"\"aa\":{\"SS\":[\"\",\"x\"]}}",
		"{}",
		NULL
	};
	json_t *j, *many;
	char key[16];
	int i;

	for (i = 0; cases[i] != NULL; i++) {
		j = json_loads(cases[i], 0, NULL);
		same_as_jansson(j, cases[i]);
		json_decref(j);
	}
	/* More members than fit the serializer's stack array. */
	many = json_object();
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i * 37 % 100);
		json_object_set_new(many, key, json_pack("{s:s}", "S", key));
	}
	same_as_jansson(many, "100 members");
	json_decref(many);
	return unit_done();
}
