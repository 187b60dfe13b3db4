/* table.c — tables and their streams' lifecycle. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/table.h"

#define VALIDATION "1 validation error detected: "

static const char *const views[] = {
	NULL, "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"
};

const char *
pdb_view_name(enum pdb_view v)
{
	return v > PDB_VIEW_NONE && v <= PDB_VIEW_NEW_AND_OLD_IMAGES ?
	    views[v] : NULL;
}

int
pdb_view_parse(const char *s)
{
	int v;

	for (v = PDB_VIEW_KEYS_ONLY; v <= PDB_VIEW_NEW_AND_OLD_IMAGES; v++)
		if (strcmp(s, views[v]) == 0)
			return v;
	return -1;
}

static int
bad_view(struct pdb_err *e, const char *s)
{
	return pdb_err_invalid(e, VALIDATION "Value '%s' at "
	    "'streamSpecification.streamViewType' failed to satisfy "
	    "constraint: Member must satisfy enum value set: [NEW_IMAGE, "
	    "OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]", s);
}

static int
check_table_name(const char *name, struct pdb_err *e)
{
	size_t n = strlen(name);

	if (n < 3 || n > 255)
		return pdb_err_invalid(e, VALIDATION "Value '%s' at "
		    "'tableName' failed to satisfy constraint: Member must "
		    "have length %s", name, n < 3 ? "greater than or equal to "
		    "3" : "less than or equal to 255");
	if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.-") != n)
		return pdb_err_invalid(e, VALIDATION "Value '%s' at "
		    "'tableName' failed to satisfy constraint: Member must "
		    "satisfy regular expression pattern: [a-zA-Z0-9_.-]+", name);
	return PDB_OK;
}

static int
check_key_name(const char *name, struct pdb_err *e)
{
	size_t n = strlen(name);

	if (n < 1 || n > 255)
		return pdb_err_invalid(e, VALIDATION "Value '%s' at "
		    "'keySchema.member.attributeName' failed to satisfy "
		    "constraint: Member must have length %s", name, n < 1 ?
		    "greater than or equal to 1" : "less than or equal to 255");
	return PDB_OK;
}

static int
parse_type(const char *s, char *type, struct pdb_err *e)
{
	if (strcmp(s, "S") != 0 && strcmp(s, "N") != 0 && strcmp(s, "B") != 0)
		return pdb_err_invalid(e, VALIDATION "Value '%s' at "
		    "'attributeDefinitions.member.attributeType' failed to "
		    "satisfy constraint: Member must satisfy enum value set: "
		    "[B, N, S]", s);
	*type = s[0];
	return PDB_OK;
}

/* "KEY" or "KEY:TYPE"; the type defaults to S. */
static int
parse_key_arg(const char *arg, char *name, char *type, struct pdb_err *e)
{
	const char *colon = strrchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);

	if (n >= PDB_NAME_MAX)
		n = PDB_NAME_MAX - 1;
	memcpy(name, arg, n);
	name[n] = '\0';
	*type = 'S';
	if (check_key_name(name, e) != PDB_OK)
		return e->status;
	return colon ? parse_type(colon + 1, type, e) : PDB_OK;
}

static int
check_keys(const struct pdb_keyschema *ks, struct pdb_err *e)
{
	if (ks->range[0] != '\0' && strcmp(ks->hash, ks->range) == 0)
		return pdb_err_invalid(e, "Both the Hash Key and the Range Key "
		    "element in the KeySchema have the same name");
	return PDB_OK;
}

int
pdb_table_spec_args(struct pdb_table_spec *spec, const char *name,
    const char *key, const char *sortkey, const char *view,
    struct pdb_err *e)
{
	memset(spec, 0, sizeof(*spec));
	if (check_table_name(name, e) != PDB_OK)
		return e->status;
	snprintf(spec->name, sizeof(spec->name), "%s", name);
	if (parse_key_arg(key, spec->ks.hash, &spec->ks.hash_type, e) != PDB_OK)
		return e->status;
	if (sortkey != NULL && parse_key_arg(sortkey, spec->ks.range,
	    &spec->ks.range_type, e) != PDB_OK)
		return e->status;
	if (view != NULL && (int)(spec->view = pdb_view_parse(view)) < 0)
		return bad_view(e, view);
	spec->extra = json_object();
	return check_keys(&spec->ks, e);
}

static const char *
member_string(const json_t *o, const char *member)
{
	return json_string_value(json_object_get(o, member));
}

/* The type of name from AttributeDefinitions. */
static int
definition_type(const json_t *defs, const char *name, char *type,
    struct pdb_err *e)
{
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
			return parse_type(t, type, e);
	}
	return pdb_err_invalid(e, "One or more parameter values were invalid: "
	    "Some index key attributes are not defined in "
	    "AttributeDefinitions. Keys: [%s]", name);
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

	if (!json_is_array(ksj) || json_array_size(ksj) < 1 ||
	    json_array_size(ksj) > 2 || !json_is_array(defs))
		return pdb_err_invalid(e, "CreateTable needs KeySchema (1 or 2 "
		    "elements) and AttributeDefinitions");
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
		if (check_key_name(name, e) != PDB_OK)
			return e->status;
		snprintf(i == 0 ? spec->ks.hash : spec->ks.range, PDB_NAME_MAX,
		    "%s", name);
		if (definition_type(defs, name, i == 0 ? &spec->ks.hash_type :
		    &spec->ks.range_type, e) != PDB_OK)
			return e->status;
	}
	return check_keys(&spec->ks, e);
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
	if ((int)(spec->view = pdb_view_parse(v)) < 0)
		return bad_view(e, v);
	return PDB_OK;
}

int
pdb_table_spec_request(struct pdb_table_spec *spec, const json_t *req,
    struct pdb_err *e)
{
	const char *name = member_string(req, "TableName");
	const char *billing = member_string(req, "BillingMode");

	memset(spec, 0, sizeof(*spec));
	if (!json_is_object(req) || name == NULL)
		return pdb_err_invalid(e, "CreateTable request: expected a "
		    "JSON object with TableName, KeySchema and "
		    "AttributeDefinitions");
	if (check_table_name(name, e) != PDB_OK)
		return e->status;
	snprintf(spec->name, sizeof(spec->name), "%s", name);
	if (request_keys(spec, req, e) != PDB_OK ||
	    request_stream(spec, req, e) != PDB_OK)
		return e->status;
	spec->extra = json_object();
	if (billing != NULL)
		json_object_set_new(spec->extra, "BillingMode",
		    json_string(billing));
	if (json_is_object(json_object_get(req, "ProvisionedThroughput")))
		json_object_set(spec->extra, "ProvisionedThroughput",
		    json_object_get(req, "ProvisionedThroughput"));
	return PDB_OK;
}

void
pdb_table_spec_free(struct pdb_table_spec *spec)
{
	json_decref(spec->extra);
	spec->extra = NULL;
}

static void
uuid4(char out[40])
{
	unsigned char b[16];

	sqlite3_randomness(sizeof(b), b);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static int
bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
	return *s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) :
	    sqlite3_bind_null(st, i);
}

static void
bind_keyschema(sqlite3_stmt *st, int first, const struct pdb_keyschema *ks)
{
	char ht[2] = { ks->hash_type, 0 }, rt[2] = { ks->range_type, 0 };

	sqlite3_bind_text(st, first, ks->hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, first + 1, ht, -1, SQLITE_TRANSIENT);
	bind_opt_text(st, first + 2, ks->range);
	bind_opt_text(st, first + 3, ks->range[0] ? rt : "");
}

static int
table_exists(struct pdb_db *db, const char *name, struct pdb_err *e)
{
	struct pdb_table t;
	struct pdb_err ignore;

	if (pdb_table_get(db, name, &t, &ignore) == PDB_OK)
		return pdb_err_set(e, PDB_E_IN_USE,
		    "Table already exists: %s", name);
	return PDB_OK;
}

/*
 * A new stream for table t: its label is the creation time, one
 * millisecond after the table's previous stream at least, so ARNs never
 * repeat.  The shard's first sequence number is the next one the counter
 * gives.
 */
static int
stream_create(struct pdb_db *db, const struct pdb_table *t, enum pdb_view view,
    struct pdb_err *e)
{
	static const char last_sql[] = "SELECT max(created_ms) FROM streams "
	    "WHERE table_name = ?1";
	static const char insert_sql[] = "INSERT INTO streams(table_name, arn,"
	    " label, view, created_ms, shard_id, start_seq, enabled,"
	    " hash_name, hash_type, range_name, range_type)"
	    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, 1 + coalesce((SELECT seq FROM"
	    " sqlite_sequence WHERE name = 'records'), 0), 1,"
	    " ?7, ?8, ?9, ?10)";
	static const char link_sql[] = "UPDATE tables SET stream = ?2 "
	    "WHERE id = ?1";
	char label[PDB_LABEL_LEN], arn[PDB_ARN_MAX], shard[64];
	sqlite3_stmt *st;
	int64_t ms = pdb_db_now_ms(db);
	uint32_t r;

	if ((st = pdb_db_stmt(db, last_sql, e)) == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL &&
	    sqlite3_column_int64(st, 0) >= ms)
		ms = sqlite3_column_int64(st, 0) + 1;
	sqlite3_reset(st);
	pdb_clock_label(ms, label);
	snprintf(arn, sizeof(arn), "arn:aws:dynamodb:%s:%s:table/%s/stream/%s",
	    pdb_db_region(db), pdb_db_account(db), t->name, label);
	sqlite3_randomness(sizeof(r), &r);
	snprintf(shard, sizeof(shard), "shardId-%020lld-%08x", (long long)ms,
	    (unsigned)r);
	if ((st = pdb_db_stmt(db, insert_sql, e)) == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, arn, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, label, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, pdb_view_name(view), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, ms);
	sqlite3_bind_text(st, 6, shard, -1, SQLITE_STATIC);
	bind_keyschema(st, 7, &t->ks);
	if (pdb_db_step_done(db, st, e, "cannot create stream") != PDB_OK)
		return PDB_SYSTEM;
	if ((st = pdb_db_stmt(db, link_sql, e)) == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, t->id);
	sqlite3_bind_int64(st, 2, sqlite3_last_insert_rowid(
	    pdb_db_sqlite(db)));
	return pdb_db_step_done(db, st, e, "cannot create stream");
}

/* Disabling closes the shard at its last record. */
static int
stream_disable(struct pdb_db *db, int64_t stream, struct pdb_err *e)
{
	static const char sql[] = "UPDATE streams SET enabled = 0,"
	    " end_seq = coalesce((SELECT max(seq) FROM records"
	    " WHERE stream = ?1), start_seq) WHERE id = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, stream);
	return pdb_db_step_done(db, st, e, "cannot disable stream");
}

static int
insert_table(struct pdb_db *db, const struct pdb_table_spec *spec,
    struct pdb_err *e)
{
	static const char sql[] = "INSERT INTO tables(name, table_id,"
	    " created_ms, hash_name, hash_type, range_name, range_type, extra)"
	    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	char id[40], *extra;
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	uuid4(id);
	extra = json_dumps(spec->extra ? spec->extra : json_object(),
	    JSON_COMPACT);
	sqlite3_bind_text(st, 1, spec->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, pdb_db_now_ms(db));
	bind_keyschema(st, 4, &spec->ks);
	sqlite3_bind_text(st, 8, extra ? extra : "{}", -1, SQLITE_STATIC);
	rc = pdb_db_step_done(db, st, e, "cannot create table");
	free(extra);
	return rc;
}

int
pdb_table_create(struct pdb_db *db, const struct pdb_table_spec *spec,
    struct pdb_err *e)
{
	struct pdb_table t;

	if (pdb_db_begin_write(db, e) != PDB_OK)
		return e->status;
	if (table_exists(db, spec->name, e) != PDB_OK ||
	    insert_table(db, spec, e) != PDB_OK ||
	    pdb_table_get(db, spec->name, &t, e) != PDB_OK ||
	    (spec->view != PDB_VIEW_NONE &&
	    stream_create(db, &t, spec->view, e) != PDB_OK)) {
		pdb_db_rollback(db);
		return e->status;
	}
	return pdb_db_commit(db, e);
}

static const char get_sql[] = "SELECT t.id, t.name, t.table_id,"
    " t.created_ms, t.hash_name, t.hash_type, t.range_name, t.range_type,"
    " s.id, s.view FROM tables t LEFT JOIN streams s"
    " ON s.id = t.stream AND s.enabled WHERE t.name = ?1";

int
pdb_table_get(struct pdb_db *db, const char *name, struct pdb_table *t,
    struct pdb_err *e)
{
	sqlite3_stmt *st = pdb_db_stmt(db, get_sql, e);
	char type[8];
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return pdb_db_fail(db, e, "cannot read table");
		return pdb_err_notfound(e, "Requested resource not found: "
		    "Table: %s not found", name);
	}
	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(st, 0);
	pdb_db_column_text(st, 1, t->name, sizeof(t->name));
	pdb_db_column_text(st, 2, t->table_id, sizeof(t->table_id));
	t->created_ms = sqlite3_column_int64(st, 3);
	pdb_db_column_text(st, 4, t->ks.hash, sizeof(t->ks.hash));
	pdb_db_column_text(st, 5, type, sizeof(type));
	t->ks.hash_type = type[0];
	pdb_db_column_text(st, 6, t->ks.range, sizeof(t->ks.range));
	pdb_db_column_text(st, 7, type, sizeof(type));
	t->ks.range_type = type[0];
	t->stream = sqlite3_column_int64(st, 8);
	if (t->stream != 0)
		t->view = pdb_view_parse((const char *)sqlite3_column_text(st,
		    9));
	sqlite3_reset(st);
	return PDB_OK;
}

int
pdb_table_list(struct pdb_db *db, int (*fn)(void *, const char *),
    void *arg, struct pdb_err *e)
{
	static const char sql[] = "SELECT name FROM tables ORDER BY name";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(arg, (const char *)sqlite3_column_text(st, 0)) != 0)
			break;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot list tables");
	return PDB_OK;
}

static json_t *
key_schema_json(const struct pdb_keyschema *ks, json_t **defs)
{
	json_t *schema = json_array();

	*defs = json_array();
	json_array_append_new(schema, json_pack("{s:s,s:s}", "AttributeName",
	    ks->hash, "KeyType", "HASH"));
	json_array_append_new(*defs, json_pack("{s:s,s:s#}", "AttributeName",
	    ks->hash, "AttributeType", &ks->hash_type, 1));
	if (ks->range[0] != '\0') {
		json_array_append_new(schema, json_pack("{s:s,s:s}",
		    "AttributeName", ks->range, "KeyType", "RANGE"));
		json_array_append_new(*defs, json_pack("{s:s,s:s#}",
		    "AttributeName", ks->range, "AttributeType",
		    &ks->range_type, 1));
	}
	return schema;
}

/* ItemCount and TableSizeBytes are exact here; AWS updates them lazily. */
static int
add_counts(struct pdb_db *db, const struct pdb_table *t, json_t *d,
    struct pdb_err *e)
{
	static const char sql[] = "SELECT count(*), coalesce(sum(size), 0)"
	    " FROM items WHERE tbl = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, t->id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return pdb_db_fail(db, e, "cannot count items");
	}
	json_object_set_new(d, "ItemCount",
	    json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(d, "TableSizeBytes",
	    json_integer(sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	return PDB_OK;
}

static int
add_stream(struct pdb_db *db, const char *name, json_t *d, struct pdb_err *e)
{
	static const char sql[] = "SELECT s.arn, s.label, s.view, s.enabled"
	    " FROM tables t JOIN streams s ON s.id = t.stream"
	    " WHERE t.name = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);
	int rc;

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int(st, 3))
			json_object_set_new(d, "StreamSpecification",
			    json_pack("{s:b,s:s}", "StreamEnabled", 1,
			    "StreamViewType", sqlite3_column_text(st, 2)));
		json_object_set_new(d, "LatestStreamLabel",
		    json_string((const char *)sqlite3_column_text(st, 1)));
		json_object_set_new(d, "LatestStreamArn",
		    json_string((const char *)sqlite3_column_text(st, 0)));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read stream");
	return PDB_OK;
}

static int
read_extra(struct pdb_db *db, const struct pdb_table *t, json_t **extra,
    struct pdb_err *e)
{
	static const char sql[] = "SELECT extra FROM tables WHERE id = ?1";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, t->id);
	*extra = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		*extra = json_loads((const char *)sqlite3_column_text(st, 0),
		    0, NULL);
	sqlite3_reset(st);
	if (*extra == NULL)
		*extra = json_object();
	return PDB_OK;
}

/* Billing as requested; PAY_PER_REQUEST unless PROVISIONED was asked. */
static void
add_billing(const struct pdb_table *t, const json_t *extra, json_t *d)
{
	const char *mode = json_string_value(json_object_get(extra,
	    "BillingMode"));
	const json_t *pt = json_object_get(extra, "ProvisionedThroughput");

	if (mode != NULL && strcmp(mode, "PROVISIONED") == 0 && pt != NULL) {
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

int
pdb_table_describe(struct pdb_db *db, const char *name, json_t **out,
    struct pdb_err *e)
{
	struct pdb_table t;
	json_t *d, *defs, *extra = NULL;

	*out = NULL;
	if (pdb_db_begin_read(db, e) != PDB_OK)
		return e->status;
	if (pdb_table_get(db, name, &t, e) != PDB_OK)
		goto fail;
	d = json_object();
	json_object_set_new(d, "KeySchema", key_schema_json(&t.ks, &defs));
	json_object_set_new(d, "AttributeDefinitions", defs);
	json_object_set_new(d, "TableName", json_string(t.name));
	json_object_set_new(d, "TableStatus", json_string("ACTIVE"));
	json_object_set_new(d, "CreationDateTime",
	    json_real(t.created_ms / 1000.0));
	json_object_set_new(d, "TableArn", json_sprintf(
	    "arn:aws:dynamodb:%s:%s:table/%s", pdb_db_region(db),
	    pdb_db_account(db), t.name));
	json_object_set_new(d, "TableId", json_string(t.table_id));
	if (add_counts(db, &t, d, e) != PDB_OK ||
	    read_extra(db, &t, &extra, e) != PDB_OK ||
	    add_stream(db, t.name, d, e) != PDB_OK) {
		json_decref(d);
		json_decref(extra);
		goto fail;
	}
	add_billing(&t, extra, d);
	json_decref(extra);
	pdb_db_rollback(db);
	*out = d;
	return PDB_OK;
fail:
	pdb_db_rollback(db);
	return e->status;
}

int
pdb_table_delete(struct pdb_db *db, const char *name, struct pdb_err *e)
{
	static const char items_sql[] = "DELETE FROM items WHERE tbl = ?1";
	static const char table_sql[] = "DELETE FROM tables WHERE id = ?1";
	struct pdb_table t;
	sqlite3_stmt *st;

	if (pdb_db_begin_write(db, e) != PDB_OK)
		return e->status;
	if (pdb_table_get(db, name, &t, e) != PDB_OK)
		goto fail;
	if (t.stream != 0 && stream_disable(db, t.stream, e) != PDB_OK)
		goto fail;
	if ((st = pdb_db_stmt(db, items_sql, e)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, t.id);
	if (pdb_db_step_done(db, st, e, "cannot delete items") != PDB_OK)
		goto fail;
	if ((st = pdb_db_stmt(db, table_sql, e)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, t.id);
	if (pdb_db_step_done(db, st, e, "cannot delete table") != PDB_OK)
		goto fail;
	return pdb_db_commit(db, e);
fail:
	pdb_db_rollback(db);
	return e->status;
}

int
pdb_table_set_stream(struct pdb_db *db, const char *name, enum pdb_view view,
    struct pdb_err *e)
{
	struct pdb_table t;

	if (pdb_db_begin_write(db, e) != PDB_OK)
		return e->status;
	if (pdb_table_get(db, name, &t, e) != PDB_OK)
		goto fail;
	if (view != PDB_VIEW_NONE && t.stream != 0) {
		pdb_err_invalid(e, "Table already has an enabled stream: "
		    "TableName: %s", name);
		goto fail;
	}
	if (view == PDB_VIEW_NONE && t.stream == 0) {
		pdb_err_invalid(e, "Table has no stream to disable: "
		    "TableName: %s", name);
		goto fail;
	}
	if ((view == PDB_VIEW_NONE ? stream_disable(db, t.stream, e) :
	    stream_create(db, &t, view, e)) != PDB_OK)
		goto fail;
	return pdb_db_commit(db, e);
fail:
	pdb_db_rollback(db);
	return e->status;
}
