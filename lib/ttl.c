/* ttl.c — Time to Live: when an item expires. */
#include <time.h>

#include "pdb/number.h"
#include "pdb/ttl.h"

int64_t
pdb_ttl_expiry(const json_t *item, const char *attr)
{
	const json_t *v = json_object_get(item, attr);
	const json_t *num = json_object_get(v, "N");
	struct pdb_number n;
	int64_t ms;
	char msg[8];

	if (!json_is_string(num) || json_object_size(v) != 1 ||
	    pdb_number_parse(&n, json_string_value(num),
	    json_string_length(num), msg, sizeof(msg)) != 0)
		return 0;
	/* Expired once now_ms / 1000 > value, that is from
	 * floor(value * 1000) + 1 on. */
	ms = pdb_number_floor_scaled(&n, 3);
	return ms == INT64_MAX ? INT64_MAX : ms + 1 == 0 ? INT64_MIN : ms + 1;
}

int64_t
pdb_ttl_oldest(int64_t now_ms)
{
	time_t s = (time_t)(now_ms / 1000);
	struct tm tm;

	/* Calendar years, as DynamoDB counts them: 29 February goes to
	 * the 28th. */
	gmtime_r(&s, &tm);
	tm.tm_year -= 5;
	if (tm.tm_mon == 1 && tm.tm_mday == 29)
		tm.tm_mday = 28;
	return (int64_t)timegm(&tm) * 1000 + now_ms % 1000;
}

int
pdb_ttl_due(int64_t expiry, int64_t now_ms)
{
	return expiry != 0 && expiry <= now_ms && expiry > pdb_ttl_oldest(now_ms);
}
