/* wire_index.c — key schemas and secondary indexes in DynamoDB's JSON:
 * KeySchema and AttributeDefinitions, the index members of CreateTable and
 * UpdateTable requests, and their descriptions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/value.h"
#include "pdb/wire.h"

#define INVALID "One or more parameter values were invalid: "

json_t *
pdb_wire_key_schema(const struct pdb_keyschema *ks, json_t **defs)
{
	json_t *schema = json_array();

	json_array_append_new(schema, json_pack("{s:s,s:s}", "AttributeName",
	    ks->hash, "KeyType", "HASH"));
	if (ks->range[0] != '\0')
		json_array_append_new(schema, json_pack("{s:s,s:s}",
		    "AttributeName", ks->range, "KeyType", "RANGE"));
	if (defs == NULL)
		return schema;
	*defs = json_array();
	json_array_append_new(*defs, json_pack("{s:s,s:s#}", "AttributeName",
	    ks->hash, "AttributeType", &ks->hash_type, 1));
	if (ks->range[0] != '\0')
		json_array_append_new(*defs, json_pack("{s:s,s:s#}",
		    "AttributeName", ks->range, "AttributeType",
		    &ks->range_type, 1));
	return schema;
}

static const char *
member_string(const json_t *o, const char *member)
{
	return json_string_value(json_object_get(o, member));
}

void
pdb_wire_name_list(const json_t *list, char *out, size_t n)
{
	const json_t *v;
	const char *s;
	size_t i, len = 0;

	len += (size_t)snprintf(out, n, "[");
	json_array_foreach(list, i, v) {
		s = json_is_string(v) ? json_string_value(v) :
		    member_string(v, "AttributeName");
		if (len < n)
			len += (size_t)snprintf(out + len, n - len, "%s%s",
			    i ? ", " : "", s ? s : "null");
	}
	if (len < n)
		snprintf(out + len, n - len, "]");
}

/* An attribute name of 1 to 255 bytes, as AWS's model has it; member is
 * where the request holds it.  Longer names would be cut to fit. */
static int
name_length(const char *name, const char *member, struct pdb_err *e)
{
	size_t n = strlen(name);

	if (n >= 1 && n <= 255)
		return PDB_OK;
	return pdb_err_invalid(e, PDB_VALIDATION "Value '%s' at '%s' failed to "
	    "satisfy constraint: Member must have length %s", name, member,
	    n < 1 ? "greater than or equal to 1" : "less than or equal to "
	    "255");
}

int
pdb_wire_definitions(const json_t *defs, struct pdb_err *e)
{
	const json_t *d;
	const char *name, *type;
	char t, member[64];
	size_t i, j;

	json_array_foreach(defs, i, d) {
		name = member_string(d, "AttributeName");
		type = member_string(d, "AttributeType");
		if (name == NULL || type == NULL)
			return pdb_err_invalid(e, PDB_VALIDATION "Value null at "
			    "'attributeDefinitions.%zu.member.%s' failed to "
			    "satisfy constraint: Member must not be null", i + 1,
			    name == NULL ? "attributeName" : "attributeType");
		snprintf(member, sizeof(member), "attributeDefinitions.%zu."
		    "member.attributeName", i + 1);
		if (name_length(name, member, e) != PDB_OK)
			return e->status;
		if (pdb_table_parse_type(type, (int)i + 1, &t, e) != PDB_OK)
			return e->status;
	}
	json_array_foreach(defs, i, d)
		for (j = 0; j < i; j++)
			if (strcmp(member_string(json_array_get(defs, j),
			    "AttributeName"), member_string(d,
			    "AttributeName")) == 0)
				return pdb_err_invalid(e, "Attribute Name is "
				    "duplicated: %s", member_string(d,
				    "AttributeName"));
	return PDB_OK;
}

/* The index's KeySchema elements, typed from AttributeDefinitions. */
static int
index_keys(struct pdb_index *ix, const json_t *schema, const json_t *defs,
    const char *place, struct pdb_err *e)
{
	char keys[1024], defined[4096], member[128];
	const json_t *k, *d;
	const char *name, *kt, *type;
	size_t i, j;

	if (!json_is_array(schema) || json_array_size(schema) < 1 ||
	    json_array_size(schema) > 2)
		return pdb_err_invalid(e, PDB_VALIDATION "Value '%s' at "
		    "'%s.keySchema' failed to satisfy constraint: Member must "
		    "have length less than or equal to 2 and greater than or "
		    "equal to 1", schema ? "[…]" : "null", place);
	json_array_foreach(schema, i, k) {
		name = member_string(k, "AttributeName");
		kt = member_string(k, "KeyType");
		if (name == NULL || kt == NULL)
			return pdb_err_invalid(e, "%s.keySchema[%zu]: expected "
			    "{\"AttributeName\":…,\"KeyType\":\"HASH|RANGE\"}",
			    place, i);
		snprintf(member, sizeof(member), "%s.keySchema.%zu.member."
		    "attributeName", place, i + 1);
		if (name_length(name, member, e) != PDB_OK)
			return e->status;
		if (i == 0 && strcmp(kt, "HASH") != 0)
			return pdb_err_invalid(e, "Invalid KeySchema: The first "
			    "KeySchemaElement is not a HASH key type");
		if (i == 1 && strcmp(kt, "RANGE") != 0)
			return pdb_err_invalid(e, "Invalid KeySchema: The second "
			    "KeySchemaElement is not a RANGE key type");
		type = NULL;
		json_array_foreach(defs, j, d)
			if (strcmp(member_string(d, "AttributeName"), name) ==
			    0)
				type = member_string(d, "AttributeType");
		if (type == NULL) {
			pdb_wire_name_list(schema, keys, sizeof(keys));
			pdb_wire_name_list(defs, defined, sizeof(defined));
			return pdb_err_invalid(e, INVALID "Some index key "
			    "attributes are not defined in AttributeDefinitions. "
			    "Keys: %s, AttributeDefinitions: %s", keys, defined);
		}
		snprintf(i == 0 ? ix->ks.hash : ix->ks.range, PDB_NAME_MAX,
		    "%s", name);
		*(i == 0 ? &ix->ks.hash_type : &ix->ks.range_type) = type[0];
	}
	return PDB_OK;
}

static int
index_projection(struct pdb_index *ix, const json_t *p, const char *place,
    struct pdb_err *e)
{
	const json_t *nk = json_object_get(p, "NonKeyAttributes"), *v;
	const char *type = member_string(p, "ProjectionType");
	size_t i, j;
	int kind;

	if (!json_is_object(p) || json_object_size(p) == 0)
		return pdb_err_invalid(e, PDB_VALIDATION "Value null at "
		    "'%s.projection' failed to satisfy constraint: Member must "
		    "not be null", place);
	if (type == NULL)
		return pdb_err_invalid(e, INVALID "Unknown ProjectionType: "
		    "null");
	if ((kind = pdb_projection_parse(type)) < 0)
		return pdb_err_invalid(e, PDB_VALIDATION "Value '%s' at "
		    "'%s.projection.projectionType' failed to satisfy "
		    "constraint: Member must satisfy enum value set: [ALL, "
		    "INCLUDE, KEYS_ONLY]", type, place);
	ix->projection = (enum pdb_projection)kind;
	if (nk != NULL && kind != PDB_PROJECT_INCLUDE)
		return pdb_err_invalid(e, INVALID "ProjectionType is %s, but "
		    "NonKeyAttributes is specified", type);
	if (nk == NULL)
		return PDB_OK;
	if (!json_is_array(nk) || json_array_size(nk) == 0)
		return pdb_err_invalid(e, PDB_VALIDATION "Value '[]' at "
		    "'%s.projection.nonKeyAttributes' failed to satisfy "
		    "constraint: Member must have length greater than or equal "
		    "to 1", place);
	if ((ix->include = calloc(json_array_size(nk) + 1,
	    sizeof(char *))) == NULL)
		return pdb_err_system(e, "out of memory");
	json_array_foreach(nk, i, v) {
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > 255)
			return pdb_err_invalid(e, "%s.projection."
			    "nonKeyAttributes[%zu]: expected an attribute name",
			    place, i);
		for (j = 0; j < i; j++)
			if (strcmp(ix->include[j], json_string_value(v)) == 0)
				return pdb_err_invalid(e, INVALID "Duplicate "
				    "NonKeyAttributes: %s", ix->include[j]);
		if ((ix->include[ix->ninclude++] = strdup(
		    json_string_value(v))) == NULL)
			return pdb_err_system(e, "out of memory");
	}
	return PDB_OK;
}

int
pdb_wire_index(struct pdb_index *ix, const json_t *o, int global, int nth,
    const json_t *defs, int on_demand, struct pdb_err *e)
{
	static const char *const known[] = { "IndexName", "KeySchema",
	    "Projection", "ProvisionedThroughput", NULL };
	const char *name = member_string(o, "IndexName"), *k;
	char place[64];
	json_t *v;
	int i;

	memset(ix, 0, sizeof(*ix));
	ix->global = global;
	snprintf(place, sizeof(place), "%sSecondaryIndexes.%d.member",
	    global ? "global" : "local", nth);
	if (!json_is_object(o))
		return pdb_err_invalid(e, "%s: expected an object", place);
	json_object_foreach((json_t *)o, k, v) {
		for (i = 0; known[i] != NULL && strcmp(known[i], k) != 0; i++)
			;
		if (known[i] == NULL || (!global && i == 3))
			return pdb_err_invalid(e, "pdb does not support %s in "
			    "%s; the table was not changed", k, place);
	}
	snprintf(ix->name, sizeof(ix->name), "%s", name ? name : "");
	if (name == NULL || strlen(name) >= sizeof(ix->name))
		return pdb_err_invalid(e, PDB_VALIDATION "Value %s at "
		    "'%s.indexName' failed to satisfy constraint: Member must "
		    "have length %s", name ? "(too long)" : "null", place,
		    name ? "less than or equal to 255" : "not be null");
	if (index_keys(ix, json_object_get(o, "KeySchema"), defs, place, e) !=
	    PDB_OK || index_projection(ix, json_object_get(o, "Projection"),
	    place, e) != PDB_OK)
		return e->status;
	if (on_demand && json_object_get(o, "ProvisionedThroughput") != NULL)
		return pdb_err_invalid(e, INVALID "ProvisionedThroughput should "
		    "not be specified for index: %s when BillingMode is "
		    "PAY_PER_REQUEST", ix->name);
	return PDB_OK;
}

/* Each index of one list of a CreateTable request into spec. */
static int
index_list(struct pdb_table_spec *spec, const json_t *list, int global,
    const json_t *defs, int on_demand, struct pdb_err *e)
{
	struct pdb_index ix;
	const json_t *o;
	size_t i;
	int rc;

	if (list == NULL || json_is_null(list))
		return PDB_OK;
	if (!json_is_array(list))
		return pdb_err_set(e, PDB_E_SERIALIZATION, "%s cannot be "
		    "converted to List", pdb_value_token_name(list));
	if (json_array_size(list) == 0)
		return pdb_err_invalid(e, INVALID "List of %sSecondaryIndexes "
		    "is empty", global ? "Global" : "Local");
	json_array_foreach(list, i, o) {
		rc = pdb_wire_index(&ix, o, global, (int)i + 1, defs, on_demand,
		    e);
		if (rc == PDB_OK)
			rc = pdb_table_spec_add_index(spec, &ix, e);
		pdb_index_free(&ix);
		if (rc != PDB_OK)
			return rc;
	}
	return PDB_OK;
}

static void add_definitions(json_t *defs, const struct pdb_keyschema *ks);

static int
is_used(const struct pdb_table_spec *spec, const char *name)
{
	const struct pdb_keyschema *ks;
	int i;

	for (i = -1; i < spec->nindex; i++) {
		ks = i < 0 ? &spec->ks : &spec->index[i].ks;
		if (strcmp(ks->hash, name) == 0 || strcmp(ks->range, name) == 0)
			return 1;
	}
	return 0;
}

int
pdb_wire_indexes(struct pdb_table_spec *spec, const json_t *req,
    int on_demand, struct pdb_err *e)
{
	const json_t *defs = json_object_get(req, "AttributeDefinitions"), *d;
	char defined[4096], used[4096];
	json_t *keys;
	size_t i;
	int j;

	if (index_list(spec, json_object_get(req, "LocalSecondaryIndexes"), 0,
	    defs, on_demand, e) != PDB_OK ||
	    index_list(spec, json_object_get(req, "GlobalSecondaryIndexes"), 1,
	    defs, on_demand, e) != PDB_OK)
		return e->status;
	json_array_foreach(defs, i, d)
		if (!is_used(spec, member_string(d, "AttributeName")))
			break;
	if (i == json_array_size(defs))
		return PDB_OK;
	if (spec->nindex == 0)
		return pdb_err_invalid(e, INVALID "Number of attributes in "
		    "KeySchema does not exactly match number of attributes "
		    "defined in AttributeDefinitions");
	keys = json_array();
	for (j = -1; j < spec->nindex; j++)
		add_definitions(keys, j < 0 ? &spec->ks : &spec->index[j].ks);
	pdb_wire_name_list(defs, defined, sizeof(defined));
	pdb_wire_name_list(keys, used, sizeof(used));
	json_decref(keys);
	return pdb_err_invalid(e, INVALID "Some AttributeDefinitions are not "
	    "used. AttributeDefinitions: %s, keys used: %s", defined, used);
}

/* Append ks's attributes to defs, each once. */
static void
add_definitions(json_t *defs, const struct pdb_keyschema *ks)
{
	const char *names[2] = { ks->hash, ks->range };
	const char types[2] = { ks->hash_type, ks->range_type };
	const json_t *d;
	size_t i;
	int k;

	for (k = 0; k < 2 && names[k][0] != '\0'; k++) {
		json_array_foreach(defs, i, d)
			if (strcmp(member_string(d, "AttributeName"),
			    names[k]) == 0)
				break;
		if (i == json_array_size(defs))
			json_array_append_new(defs, json_pack("{s:s,s:s#}",
			    "AttributeName", names[k], "AttributeType",
			    &types[k], 1));
	}
}

static json_t *
projection(const struct pdb_index *ix)
{
	json_t *p = json_pack("{s:s}", "ProjectionType",
	    pdb_projection_name(ix->projection)), *names;
	int i;

	if (ix->projection != PDB_PROJECT_INCLUDE)
		return p;
	names = json_array();
	for (i = 0; i < ix->ninclude; i++)
		json_array_append_new(names, json_string(ix->include[i]));
	json_object_set_new(p, "NonKeyAttributes", names);
	return p;
}

/* IndexName, KeySchema, Projection: what a request and a description
 * share. */
static json_t *
index_common(const struct pdb_index *ix, json_t *defs)
{
	add_definitions(defs, &ix->ks);
	return json_pack("{s:s,s:o,s:o}", "IndexName", ix->name, "KeySchema",
	    pdb_wire_key_schema(&ix->ks, NULL), "Projection", projection(ix));
}

/* The two lists (taken) into o, each only when it has an index. */
static void
set_lists(json_t *o, json_t *lsis, json_t *gsis)
{
	if (json_array_size(lsis) > 0)
		json_object_set(o, "LocalSecondaryIndexes", lsis);
	if (json_array_size(gsis) > 0)
		json_object_set(o, "GlobalSecondaryIndexes", gsis);
	json_decref(lsis);
	json_decref(gsis);
}

void
pdb_wire_describe_indexes(struct pdb_db *db,
    const struct pdb_table_info *info, json_t *d, json_t *defs)
{
	json_t *lsis = json_array(), *gsis = json_array(), *o;
	const struct pdb_index *ix;
	int i;

	for (i = 0; i < info->t.nindex; i++) {
		ix = &info->t.index[i];
		o = index_common(ix, defs);
		if (ix->global) {
			json_object_set_new(o, "IndexStatus",
			    json_string("ACTIVE"));
			json_object_set_new(o, "ProvisionedThroughput",
			    json_pack("{s:i,s:i,s:i}", "NumberOfDecreasesToday",
			    0, "ReadCapacityUnits", 0, "WriteCapacityUnits",
			    0));
		}
		json_object_set_new(o, "IndexSizeBytes",
		    json_integer(info->index_stats[i].bytes));
		json_object_set_new(o, "ItemCount",
		    json_integer(info->index_stats[i].count));
		json_object_set_new(o, "IndexArn", json_sprintf(
		    "arn:aws:dynamodb:%s:%s:table/%s/index/%s",
		    pdb_db_region(db), pdb_db_account(db), info->t.name,
		    ix->name));
		json_array_append_new(ix->global ? gsis : lsis, o);
	}
	set_lists(d, lsis, gsis);
}

void
pdb_wire_request_indexes(const struct pdb_table_info *info, json_t *r,
    json_t *defs)
{
	json_t *lsis = json_array(), *gsis = json_array();
	int i;

	for (i = 0; i < info->t.nindex; i++)
		json_array_append_new(info->t.index[i].global ? gsis : lsis,
		    index_common(&info->t.index[i], defs));
	set_lists(r, lsis, gsis);
}
