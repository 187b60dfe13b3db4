/* wire.c — DynamoDB's JSON shapes: records, stream and table descriptions,
 * CreateTable requests, error bodies. */
#include <stdlib.h>
#include <string.h>

#include "pdb/value.h"
#include "pdb/wire.h"

/* splitmix64's finaliser: a bijection, so distinct records get distinct
 * eventIDs without storing any. */
static uint64_t
mix(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void
put_hex(struct pdb_buf *b, uint64_t v)
{
	char *o = pdb_buf_reserve(b, 16);
	int shift;

	if (o == NULL)
		return;
	for (shift = 60; shift >= 0; shift -= 4)
		*o++ = "0123456789abcdef"[(v >> shift) & 15];
	b->len += 16;
}

void
pdb_wire_record(struct pdb_buf *b, struct pdb_db *db,
    const struct pdb_stream *s, const struct pdb_record *r, int lambda)
{
	uint64_t salt = pdb_db_salt(db), id = mix((uint64_t)r->seq ^ salt);

	/* Built without printf: this is the drain's inner loop. */
	pdb_buf_puts(b, "{\"eventID\":\"");
	put_hex(b, id);
	put_hex(b, mix(id ^ salt));
	pdb_buf_puts(b, "\",\"eventName\":\"");
	pdb_buf_puts(b, pdb_event_name(r->event));
	pdb_buf_puts(b, "\",\"eventVersion\":\"1.1\",\"eventSource\":"
	    "\"aws:dynamodb\",\"awsRegion\":");
	pdb_buf_put_json_string(b, pdb_db_region(db), strlen(pdb_db_region(db)));
	pdb_buf_puts(b, ",\"dynamodb\":{\"ApproximateCreationDateTime\":");
	pdb_buf_put_uint(b, (uint64_t)(r->created_ms / 1000), 0);
	pdb_buf_puts(b, ",\"Keys\":");
	pdb_buf_put(b, r->keys, r->keys_len);
	if (r->new_image != NULL) {
		pdb_buf_puts(b, ",\"NewImage\":");
		pdb_buf_put(b, r->new_image, r->new_len);
	}
	if (r->old_image != NULL) {
		pdb_buf_puts(b, ",\"OldImage\":");
		pdb_buf_put(b, r->old_image, r->old_len);
	}
	pdb_buf_puts(b, ",\"SequenceNumber\":\"");
	pdb_buf_put_uint(b, (uint64_t)r->seq, PDB_SEQ_DIGITS);
	pdb_buf_puts(b, "\",\"SizeBytes\":");
	pdb_buf_put_uint(b, (uint64_t)r->size, 0);
	pdb_buf_puts(b, ",\"StreamViewType\":\"");
	pdb_buf_puts(b, pdb_view_name(s->view));
	pdb_buf_puts(b, "\"}");
	if (r->service)
		pdb_buf_puts(b, lambda ? ",\"userIdentity\":{\"type\":"
		    "\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}" :
		    ",\"userIdentity\":{\"Type\":\"Service\",\"PrincipalId\":"
		    "\"dynamodb.amazonaws.com\"}");
	if (lambda) {
		pdb_buf_puts(b, ",\"eventSourceARN\":");
		pdb_buf_put_json_string(b, s->arn, strlen(s->arn));
	}
	pdb_buf_putc(b, '}');
}

void
pdb_wire_records_open(struct pdb_buf *b)
{
	pdb_buf_puts(b, "{\"Records\":[");
}

void
pdb_wire_records_close(struct pdb_buf *b, const char *next)
{
	pdb_buf_putc(b, ']');
	if (next != NULL && *next != '\0') {
		pdb_buf_puts(b, ",\"NextShardIterator\":");
		pdb_buf_put_json_string(b, next, strlen(next));
	}
	pdb_buf_putc(b, '}');
}

json_t *
pdb_wire_stream_entry(const struct pdb_stream *s)
{
	return json_pack("{s:s,s:s,s:s}", "StreamArn", s->arn, "TableName",
	    s->table, "StreamLabel", s->label);
}

json_t *
pdb_wire_shard(const struct pdb_shard *sh)
{
	char seq[PDB_SEQ_DIGITS + 1];
	json_t *range, *shard;

	pdb_seq_format(sh->start_seq, seq);
	range = json_pack("{s:s}", "StartingSequenceNumber", seq);
	if (sh->end_seq != 0) {
		pdb_seq_format(sh->end_seq, seq);
		json_object_set_new(range, "EndingSequenceNumber",
		    json_string(seq));
	}
	shard = json_pack("{s:s,s:o}", "ShardId", sh->shard_id,
	    "SequenceNumberRange", range);
	if (sh->parent_id[0] != '\0')
		json_object_set_new(shard, "ParentShardId",
		    json_string(sh->parent_id));
	return shard;
}

json_t *
pdb_wire_stream_description(const struct pdb_stream *s, json_t *shards,
    const char *last)
{
	json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:o,s:o}",
	    "StreamArn", s->arn, "StreamLabel", s->label,
	    "StreamStatus", s->enabled ? "ENABLED" : "DISABLED",
	    "StreamViewType", pdb_view_name(s->view),
	    "CreationRequestDateTime", (json_int_t)(s->created_ms / 1000),
	    "TableName", s->table, "KeySchema", pdb_wire_key_schema(&s->ks, NULL),
	    "Shards", shards);

	if (last != NULL && *last != '\0')
		json_object_set_new(d, "LastEvaluatedShardId", json_string(last));
	return d;
}

/* Billing as requested: PROVISIONED when asked for, or when throughput was
 * given without a mode (AWS's default); else PAY_PER_REQUEST. */
static void
add_billing(const struct pdb_table *t, const json_t *extra, json_t *d)
{
	const char *mode = json_string_value(json_object_get(extra,
	    "BillingMode"));
	const json_t *pt = json_object_get(extra, "ProvisionedThroughput");

	if ((mode == NULL || strcmp(mode, "PROVISIONED") == 0) && pt != NULL) {
		json_object_set_new(d, "ProvisionedThroughput", json_pack(
		    "{s:i,s:O,s:O}", "NumberOfDecreasesToday", 0,
		    "ReadCapacityUnits", json_object_get(pt,
		    "ReadCapacityUnits"), "WriteCapacityUnits",
		    json_object_get(pt, "WriteCapacityUnits")));
		return;
	}
	json_object_set_new(d, "ProvisionedThroughput", json_pack(
	    "{s:i,s:i,s:i}", "NumberOfDecreasesToday", 0, "ReadCapacityUnits",
	    0, "WriteCapacityUnits", 0));
	json_object_set_new(d, "BillingModeSummary", json_pack("{s:s,s:f}",
	    "BillingMode", "PAY_PER_REQUEST",
	    "LastUpdateToPayPerRequestDateTime", t->created_ms / 1000.0));
}

/* What was asked at creation and has a description of its own. */
static void
add_kept(const json_t *extra, json_t *d)
{
	const json_t *v;

	if ((v = json_object_get(extra, "TableClass")) != NULL)
		json_object_set_new(d, "TableClassSummary", json_pack("{s:O}",
		    "TableClass", v));
	json_object_set_new(d, "DeletionProtectionEnabled", json_boolean(
	    json_is_true(json_object_get(extra, "DeletionProtectionEnabled"))));
	if ((v = json_object_get(extra, "SSESpecification")) != NULL &&
	    json_is_true(json_object_get(v, "Enabled")))
		json_object_set_new(d, "SSEDescription", json_pack("{s:s,s:s}",
		    "Status", "ENABLED", "SSEType", "KMS"));
}

json_t *
pdb_wire_table_description(struct pdb_db *db,
    const struct pdb_table_info *info)
{
	const struct pdb_table *t = &info->t;
	json_t *d = json_object(), *defs;

	/* ItemCount and TableSizeBytes are exact here; AWS updates them
	 * lazily. */
	json_object_set_new(d, "KeySchema", pdb_wire_key_schema(&t->ks,
	    &defs));
	pdb_wire_describe_indexes(db, info, d, defs);
	json_object_set_new(d, "AttributeDefinitions", defs);
	json_object_set_new(d, "TableName", json_string(t->name));
	json_object_set_new(d, "TableStatus", json_string("ACTIVE"));
	json_object_set_new(d, "CreationDateTime",
	    json_real(t->created_ms / 1000.0));
	json_object_set_new(d, "TableArn", json_sprintf(
	    "arn:aws:dynamodb:%s:%s:table/%s", pdb_db_region(db),
	    pdb_db_account(db), t->name));
	json_object_set_new(d, "TableId", json_string(t->table_id));
	json_object_set_new(d, "ItemCount", json_integer(info->item_count));
	json_object_set_new(d, "TableSizeBytes",
	    json_integer(info->size_bytes));
	if (info->has_stream) {
		if (info->latest.enabled)
			json_object_set_new(d, "StreamSpecification",
			    json_pack("{s:b,s:s}", "StreamEnabled", 1,
			    "StreamViewType", pdb_view_name(info->latest.view)));
		json_object_set_new(d, "LatestStreamLabel",
		    json_string(info->latest.label));
		json_object_set_new(d, "LatestStreamArn",
		    json_string(info->latest.arn));
	}
	add_billing(t, info->extra, d);
	add_kept(info->extra, d);
	return d;
}

static const char *
member_string(const json_t *o, const char *member)
{
	return json_string_value(json_object_get(o, member));
}

/* The type of name, a key of schema, from AttributeDefinitions. */
static int
definition_type(const json_t *schema, const json_t *defs, const char *name,
    char *type, struct pdb_err *e)
{
	char keys[1024], defined[4096];
	const json_t *d;
	const char *t;
	size_t i;

	json_array_foreach(defs, i, d) {
		if (!json_is_string(json_object_get(d, "AttributeName")) ||
		    (t = member_string(d, "AttributeType")) == NULL)
			return pdb_err_invalid(e, "AttributeDefinitions[%zu]: "
			    "expected {\"AttributeName\":…,"
			    "\"AttributeType\":\"S|N|B\"}", i);
		if (strcmp(member_string(d, "AttributeName"), name) == 0)
			return pdb_table_parse_type(t, (int)i + 1, type, e);
	}
	/* AWS's words (dynalite's createTable.js). */
	if (json_array_size(defs) == 0)
		return pdb_err_invalid(e, "Invalid KeySchema: Some index key "
		    "attribute have no definition");
	pdb_wire_name_list(schema, keys, sizeof(keys));
	pdb_wire_name_list(defs, defined, sizeof(defined));
	return pdb_err_invalid(e, "One or more parameter values were invalid: "
	    "Some index key attributes are not defined in "
	    "AttributeDefinitions. Keys: %s, AttributeDefinitions: %s", keys,
	    defined);
}

/* A required member that is absent, as the model says it. */
static int
model_null(struct pdb_err *e, const char *path)
{
	return pdb_err_invalid(e, "1 validation error detected: Value null at "
	    "'%s' failed to satisfy constraint: Member must not be null",
	    path);
}

static int
request_keys(struct pdb_table_spec *spec, const json_t *req,
    struct pdb_err *e)
{
	const json_t *ksj = json_object_get(req, "KeySchema");
	const json_t *defs = json_object_get(req, "AttributeDefinitions");
	const json_t *k;
	const char *name, *kt;
	size_t i;

	/* The model's constraints, in AWS's words (dynalite's
	 * createTable.js). */
	if (!json_is_array(ksj))
		return model_null(e, "keySchema");
	if (json_array_size(ksj) < 1)
		return pdb_err_invalid(e, "1 validation error detected: Value "
		    "'[]' at 'keySchema' failed to satisfy constraint: Member "
		    "must have length greater than or equal to 1");
	if (!json_is_array(defs))
		return model_null(e, "attributeDefinitions");
	if (json_array_size(ksj) > 2)
		return pdb_err_invalid(e, "CreateTable needs KeySchema (1 or 2 "
		    "elements) and AttributeDefinitions");
	if (pdb_wire_definitions(defs, e) != PDB_OK)
		return e->status;
	json_array_foreach(ksj, i, k) {
		name = member_string(k, "AttributeName");
		kt = member_string(k, "KeyType");
		if (name == NULL || kt == NULL || (strcmp(kt, "HASH") != 0 &&
		    strcmp(kt, "RANGE") != 0))
			return pdb_err_invalid(e, "KeySchema[%zu]: expected "
			    "{\"AttributeName\":…,\"KeyType\":\"HASH|RANGE\"}",
			    i);
		if ((i == 0) != (strcmp(kt, "HASH") == 0))
			return pdb_err_invalid(e, "Invalid KeySchema: The first "
			    "KeySchemaElement is not a HASH key type");
		if (pdb_table_check_key_name(name, (int)i + 1, e) != PDB_OK)
			return e->status;
		snprintf(i == 0 ? spec->ks.hash : spec->ks.range, PDB_NAME_MAX,
		    "%s", name);
		if (definition_type(ksj, defs, name, i == 0 ?
		    &spec->ks.hash_type :
		    &spec->ks.range_type, e) != PDB_OK)
			return e->status;
	}
	return pdb_table_check_keys(&spec->ks, e);
}

static int
request_stream(struct pdb_table_spec *spec, const json_t *req,
    struct pdb_err *e)
{
	const json_t *ss = json_object_get(req, "StreamSpecification");
	const char *v;

	if (ss == NULL || !json_is_true(json_object_get(ss, "StreamEnabled")))
		return PDB_OK;
	if ((v = member_string(ss, "StreamViewType")) == NULL)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Table is being created with a stream enabled, "
		    "UpdateViewType is required");
	return pdb_table_parse_view(v, &spec->view, e);
}

/* Every member of a CreateTable request is used or refused, never
 * dropped: a table must not look as if it had what it has not. */
static int
request_members(const json_t *req, struct pdb_err *e)
{
	static const char *const used[] = { "TableName", "KeySchema",
	    "AttributeDefinitions", "BillingMode", "ProvisionedThroughput",
	    "StreamSpecification", "Tags", "TableClass",
	    "DeletionProtectionEnabled", "SSESpecification",
	    "GlobalSecondaryIndexes", "LocalSecondaryIndexes",
	    "TimeToLiveSpecification", NULL };
	const char *k;
	json_t *v;
	int i;

	json_object_foreach((json_t *)req, k, v) {
		for (i = 0; used[i] != NULL && strcmp(used[i], k) != 0; i++)
			;
		if (used[i] == NULL && !json_is_null(v))
			return pdb_err_invalid(e, "pdb does not support %s in "
			    "CreateTable yet; the table was not created", k);
	}
	return PDB_OK;
}

/* Billing: PROVISIONED, the default, needs its throughput; on demand
 * refuses one. */
static int
request_billing(struct pdb_table_spec *spec, const json_t *req,
    int default_on_demand, struct pdb_err *e)
{
	const char *billing = member_string(req, "BillingMode");
	const json_t *pt = json_object_get(req, "ProvisionedThroughput");

	if (billing != NULL && strcmp(billing, "PROVISIONED") != 0 &&
	    strcmp(billing, "PAY_PER_REQUEST") != 0)
		return pdb_err_invalid(e, PDB_VALIDATION "Value '%s' at "
		    "'billingMode' failed to satisfy constraint: Member must "
		    "satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
		    billing);
	/* The model requires both units of a ProvisionedThroughput given
	 * (Alternator's test_create_table_missing_units, run against AWS). */
	if (json_is_object(pt) && (json_object_get(pt, "ReadCapacityUnits") ==
	    NULL || json_object_get(pt, "WriteCapacityUnits") == NULL))
		return pdb_err_invalid(e, PDB_VALIDATION "Value null at "
		    "'provisionedThroughput.%s' failed to satisfy constraint: "
		    "Member must not be null", json_object_get(pt,
		    "ReadCapacityUnits") == NULL ? "readCapacityUnits" :
		    "writeCapacityUnits");
	if ((billing == NULL ? !default_on_demand && pt == NULL :
	    strcmp(billing, "PROVISIONED") == 0 && !json_is_object(pt)))
		return pdb_err_invalid(e, "No provisioned throughput specified "
		    "for the table");
	if (billing != NULL && strcmp(billing, "PAY_PER_REQUEST") == 0 &&
	    pt != NULL)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
		    "can be specified when BillingMode is PAY_PER_REQUEST");
	if (billing != NULL)
		json_object_set_new(spec->extra, "BillingMode",
		    json_string(billing));
	if (json_is_object(pt))
		json_object_set(spec->extra, "ProvisionedThroughput",
		    (json_t *)pt);
	return PDB_OK;
}

static int
on_demand(const json_t *req)
{
	const char *billing = member_string(req, "BillingMode");

	return billing != NULL && strcmp(billing, "PAY_PER_REQUEST") == 0;
}

/* TimeToLiveSpecification, as CloudFormation and SAM templates give it:
 * not a CreateTable member, but what such a table is meant to have. */
static int
request_ttl(struct pdb_table_spec *spec, const json_t *req,
    struct pdb_err *e)
{
	const json_t *ttl = json_object_get(req, "TimeToLiveSpecification");
	const char *attr = member_string(ttl, "AttributeName");

	if (ttl == NULL || json_is_null(ttl))
		return PDB_OK;
	if (!json_is_boolean(json_object_get(ttl, "Enabled")) ||
	    (json_is_true(json_object_get(ttl, "Enabled")) && (attr == NULL ||
	    *attr == '\0' || strlen(attr) > 255)))
		return pdb_err_invalid(e, "TimeToLiveSpecification: expected "
		    "{\"AttributeName\":…,\"Enabled\":true|false}");
	if (json_is_true(json_object_get(ttl, "Enabled")))
		snprintf(spec->ttl, sizeof(spec->ttl), "%s", attr);
	return PDB_OK;
}

int
pdb_wire_wrong_type(struct pdb_err *e, const json_t *v, const char *name,
    const char *want)
{
	pdb_err_set(e, PDB_E_SERIALIZATION, "%s cannot be converted to %s",
	    pdb_value_token_name(v), want);
	return pdb_err_detail(e, " (member %s)", name);
}

/* Tags, a list of {Key, Value}, kept as an object. */
int
pdb_wire_tags(const json_t *list, json_t *tags, struct pdb_err *e)
{
	const json_t *t;
	const char *k, *v;
	size_t i;

	if (!json_is_array(list))
		return pdb_wire_wrong_type(e, list, "Tags", "List");
	json_array_foreach(list, i, t) {
		k = member_string(t, "Key");
		v = member_string(t, "Value");
		if (k == NULL || v == NULL)
			return pdb_err_invalid(e, "Tags[%zu]: expected "
			    "{\"Key\":…,\"Value\":…}", i);
		if (strlen(k) < 1 || strlen(k) > 128 || strlen(v) > 256)
			return pdb_err_invalid(e, "One or more parameter values "
			    "were invalid: a tag key is 1 to 128 characters "
			    "and its value at most 256");
		json_object_set_new(tags, k, json_string(v));
	}
	if (json_object_size(tags) > 50)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: a resource has at most 50 tags");
	return PDB_OK;
}

/* The members kept as they are, for DescribeTable. */
static int
request_kept(struct pdb_table_spec *spec, const json_t *req,
    struct pdb_err *e)
{
	static const char *const kept[] = { "TableClass",
	    "DeletionProtectionEnabled", "SSESpecification", NULL };
	const json_t *tags = json_object_get(req, "Tags");
	json_t *t;
	int i, rc;

	for (i = 0; kept[i] != NULL; i++)
		if (json_object_get(req, kept[i]) != NULL)
			json_object_set(spec->extra, kept[i],
			    json_object_get(req, kept[i]));
	if (tags == NULL)
		return PDB_OK;
	t = json_object();
	if ((rc = pdb_wire_tags(tags, t, e)) == PDB_OK)
		json_object_set(spec->extra, "Tags", t);
	json_decref(t);
	return rc;
}

int
pdb_wire_create_table(struct pdb_table_spec *spec, const json_t *req,
    int default_on_demand, struct pdb_err *e)
{
	const char *name = member_string(req, "TableName");

	memset(spec, 0, sizeof(*spec));
	if (!json_is_object(req))
		return pdb_err_invalid(e, "CreateTable request: expected a "
		    "JSON object with TableName, KeySchema and "
		    "AttributeDefinitions");
	if (name == NULL)
		return model_null(e, "tableName");
	if (pdb_table_check_name(name, e) != PDB_OK ||
	    request_members(req, e) != PDB_OK)
		return e->status;
	snprintf(spec->name, sizeof(spec->name), "%s", name);
	if (request_keys(spec, req, e) != PDB_OK ||
	    request_stream(spec, req, e) != PDB_OK)
		return e->status;
	spec->extra = json_object();
	if (request_billing(spec, req, default_on_demand, e) != PDB_OK ||
	    pdb_wire_indexes(spec, req, on_demand(req), e) != PDB_OK ||
	    request_ttl(spec, req, e) != PDB_OK ||
	    request_kept(spec, req, e) != PDB_OK) {
		pdb_table_spec_free(spec);
		return e->status;
	}
	return PDB_OK;
}

json_t *
pdb_wire_ttl_description(const char *attr)
{
	if (*attr == '\0')
		return json_pack("{s:{s:s}}", "TimeToLiveDescription",
		    "TimeToLiveStatus", "DISABLED");
	return json_pack("{s:{s:s,s:s}}", "TimeToLiveDescription",
	    "TimeToLiveStatus", "ENABLED", "AttributeName", attr);
}

static int
by_key(const void *a, const void *b)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)a,
	    "Key")), json_string_value(json_object_get(*(json_t *const *)b,
	    "Key")));
}

/* Tags kept as an object, as CreateTable's list sorted by key. */
static json_t *
tag_list(const json_t *tags)
{
	size_t n = json_object_size(tags), i = 0;
	json_t **v = malloc((n ? n : 1) * sizeof(*v)), *list = json_array();
	const char *k;
	json_t *value;

	if (v == NULL)
		return list;
	json_object_foreach((json_t *)tags, k, value)
		v[i++] = json_pack("{s:s,s:O}", "Key", k, "Value", value);
	qsort(v, n, sizeof(*v), by_key);
	for (i = 0; i < n; i++)
		json_array_append_new(list, v[i]);
	free(v);
	return list;
}

json_t *
pdb_wire_create_table_request(const struct pdb_table_info *info)
{
	static const char *const kept[] = { "BillingMode",
	    "ProvisionedThroughput", "TableClass", "DeletionProtectionEnabled",
	    "SSESpecification", NULL };
	json_t *r = json_object(), *defs, *v;
	int i;

	json_object_set_new(r, "TableName", json_string(info->t.name));
	json_object_set_new(r, "KeySchema", pdb_wire_key_schema(&info->t.ks,
	    &defs));
	pdb_wire_request_indexes(info, r, defs);
	json_object_set_new(r, "AttributeDefinitions", defs);
	if (info->t.view != PDB_VIEW_NONE)
		json_object_set_new(r, "StreamSpecification", json_pack(
		    "{s:b,s:s}", "StreamEnabled", 1, "StreamViewType",
		    pdb_view_name(info->t.view)));
	for (i = 0; kept[i] != NULL; i++)
		if ((v = json_object_get(info->extra, kept[i])) != NULL)
			json_object_set(r, kept[i], v);
	/* A table made on the command line is on demand, as DescribeTable
	 * says; the request says so too, for DynamoDB (and pdb-serve)
	 * make a table without BillingMode PROVISIONED. */
	if (json_object_get(r, "BillingMode") == NULL &&
	    json_object_get(r, "ProvisionedThroughput") == NULL)
		json_object_set_new(r, "BillingMode",
		    json_string("PAY_PER_REQUEST"));
	if ((v = json_object_get(info->extra, "Tags")) != NULL)
		json_object_set_new(r, "Tags", tag_list(v));
	return r;
}

void
pdb_wire_error(struct pdb_buf *b, const struct pdb_err *e)
{
	pdb_buf_puts(b, "{\"__type\":");
	pdb_buf_put_json_string(b, pdb_err_type(e->code),
	    strlen(pdb_err_type(e->code)));
	/* AWS capitalises these exceptions' message (dynalite's tests). */
	pdb_buf_puts(b, e->code == PDB_E_TRANSACTION_CANCELED ||
	    e->code == PDB_E_SERIALIZATION ? ",\"Message\":" :
	    ",\"message\":");
	pdb_buf_put_json_string(b, e->msg, e->aws_len);
	pdb_buf_putc(b, '}');
}
