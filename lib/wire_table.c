/* wire_table.c — CreateTable, DescribeTable, DeleteTable, UpdateTable,
 * ListTables, tags, DescribeEndpoints, DescribeLimits, DescribeTimeToLive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire_impl.h"

/* One table operation on a table's info, in the right transaction. */
struct table_call {
	const char *name;
	const struct pdb_table_spec *spec;
	const json_t *members;
	enum pdb_view view;
	struct pdb_index add;		/* UpdateTable's index Create */
	const char *drop;		/* and its Delete */
	struct pdb_table_info info;
	int (*op)(struct table_call *, struct wreq *);
	const char *const *left_out;	/* of the description answered */
};

static int
run_table(struct wreq *r, void *arg)
{
	struct table_call *tc = arg;

	return tc->op(tc, r);
}

/* {"MEMBER": TableDescription} */
static void
describe(struct wreq *r, const char *member, struct table_call *tc,
    const char *status)
{
	json_t *d = pdb_wire_table_description(r->c->db, &tc->info);
	const char *const *k;

	for (k = tc->left_out; k != NULL && *k != NULL; k++)
		json_object_del(d, *k);
	if (status != NULL)
		json_object_set_new(d, "TableStatus", json_string(status));
	w_open(r);
	w_member(r, member);
	w_json(r, d);
	w_close(r);
	pdb_table_info_free(&tc->info);
}

static int
op_create(struct table_call *tc, struct wreq *r)
{
	return pdb_op_create_table(r->c->tx, tc->spec, &tc->info, r->e);
}

int
w_create_table(struct wreq *r)
{
	struct table_call tc = { .op = op_create };
	struct pdb_table_spec spec;
	int rc;

	if ((rc = pdb_wire_create_table(&spec, r->body, 0, r->e)) != PDB_OK)
		return rc;
	tc.spec = &spec;
	if ((rc = w_write(r, run_table, &tc)) == PDB_OK)
		describe(r, "TableDescription", &tc, NULL);
	pdb_table_spec_free(&spec);
	return rc;
}

static int
op_describe(struct table_call *tc, struct wreq *r)
{
	return pdb_op_describe_table(r->c->tx, tc->name, &tc->info, r->e);
}

int
w_describe_table(struct wreq *r)
{
	struct table_call tc = { .op = op_describe };

	if (w_table(r, &tc.name) != PDB_OK ||
	    w_read(r, run_table, &tc) != PDB_OK)
		return r->e->status;
	describe(r, "Table", &tc, NULL);
	return PDB_OK;
}

static int
op_delete(struct table_call *tc, struct wreq *r)
{
	return pdb_op_delete_table(r->c->tx, tc->name, &tc->info, r->e);
}

int
w_delete_table(struct wreq *r)
{
	/* What AWS leaves out of DeleteTable's description (Alternator's
	 * test_delete_table_description*, run against AWS; D8). */
	static const char *const left_out[] = { "CreationDateTime",
	    "KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes",
	    "LocalSecondaryIndexes", NULL };
	struct table_call tc = { .op = op_delete, .left_out = left_out };

	if (w_table(r, &tc.name) != PDB_OK ||
	    w_write(r, run_table, &tc) != PDB_OK)
		return r->e->status;
	describe(r, "TableDescription", &tc, "DELETING");
	return PDB_OK;
}

/* UpdateTable: the stream switched, then the kept members merged. */
static int
op_update(struct table_call *tc, struct wreq *r)
{
	if ((tc->add.name[0] != '\0' && pdb_op_add_index(r->c->tx, tc->name,
	    &tc->add, &tc->info, r->e) != PDB_OK) || (tc->drop != NULL &&
	    pdb_op_delete_index(r->c->tx, tc->name, tc->drop, &tc->info,
	    r->e) != PDB_OK))
		return r->e->status;
	pdb_table_info_free(&tc->info);
	if (tc->view != (enum pdb_view)-1) {
		if (pdb_op_set_stream(r->c->tx, tc->name, tc->view, 0, &tc->info,
		    r->e) != PDB_OK)
			return r->e->status;
		pdb_table_info_free(&tc->info);
	}
	return pdb_op_update_extra(r->c->tx, tc->name, tc->members, &tc->info,
	    r->e);
}

/* StreamSpecification of UpdateTable: the view to enable, PDB_VIEW_NONE
 * to disable, or -1 to leave as it is. */
static int
update_stream(struct wreq *r, enum pdb_view *view)
{
	json_t *ss = NULL;
	const char *v = NULL;
	int enabled = -1;

	*view = (enum pdb_view)-1;
	if (w_object(r, r->body, "StreamSpecification", &ss) != PDB_OK ||
	    w_bool(r, ss, "StreamEnabled", &enabled) != PDB_OK ||
	    w_string(r, ss, "StreamViewType", &v) != PDB_OK)
		return r->e->status;
	if (ss == NULL)
		return PDB_OK;
	if (enabled == -1)
		return w_required(r, NULL, "streamSpecification.streamEnabled");
	if (!enabled && v != NULL)
		return pdb_err_invalid(r->e, "One or more parameter values were "
		    "invalid: If stream is being disabled, then UpdateViewType "
		    "must not be specified");
	if (!enabled) {
		*view = PDB_VIEW_NONE;
		return PDB_OK;
	}
	if (v == NULL)
		return pdb_err_invalid(r->e, "One or more parameter values were "
		    "invalid: If stream is being enabled then UpdateViewType is "
		    "required");
	return pdb_table_parse_view(v, view, r->e);
}

/* GlobalSecondaryIndexUpdates: one Create or Delete (an Update of
 * throughput changes nothing here). */
static int
index_updates(struct wreq *r, struct table_call *tc, int *any)
{
	json_t *list = NULL;
	const json_t *u, *o;
	size_t i;
	int changes = 0;

	if (w_array(r, r->body, "GlobalSecondaryIndexUpdates", &list) !=
	    PDB_OK || list == NULL)
		return r->e->status;
	/* An empty list changes nothing (DynamoDB Local: "Nothing to
	 * update"; Alternator's test_updatetable_empty, run against AWS). */
	*any = json_array_size(list) > 0;
	json_array_foreach(list, i, u) {
		if (json_object_size(u) != 1)
			return pdb_err_invalid(r->e, "One or more parameter "
			    "values were invalid: One of GlobalSecondaryIndex"
			    "Updates' Create, Update or Delete is required");
		if ((o = json_object_get(u, "Create")) != NULL) {
			if (pdb_wire_definitions(json_object_get(r->body,
			    "AttributeDefinitions"), r->e) != PDB_OK ||
			    pdb_wire_index(&tc->add, o, 1, (int)i + 1,
			    json_object_get(r->body, "AttributeDefinitions"),
			    0, r->e) != PDB_OK)
				return r->e->status;
		} else if ((o = json_object_get(u, "Delete")) != NULL) {
			if ((tc->drop = json_string_value(json_object_get(o,
			    "IndexName"))) == NULL)
				return w_required(r, NULL, "globalSecondaryIndex"
				    "Updates.1.member.delete.indexName");
		} else if (json_object_get(u, "Update") == NULL)
			return pdb_err_invalid(r->e, "pdb does not support %s "
			    "in GlobalSecondaryIndexUpdates; the table was not "
			    "changed", json_object_iter_key(json_object_iter(
			    (json_t *)u)));
		else
			changes--;
		changes++;
	}
	if (changes > 1)
		return pdb_err_set(r->e, PDB_E_LIMIT_EXCEEDED, "Subscriber "
		    "limit exceeded: Only 1 online index can be created or "
		    "deleted simultaneously per table");
	return PDB_OK;
}

int
w_update_table(struct wreq *r)
{
	static const char *const kept[] = { "BillingMode",
	    "ProvisionedThroughput", "DeletionProtectionEnabled", "TableClass",
	    NULL };
	struct table_call tc = { .op = op_update };
	json_t *members;
	const char *k;
	json_t *v;
	int i, rc, indexes = 0;

	if (w_table(r, &tc.name) != PDB_OK || update_stream(r, &tc.view) !=
	    PDB_OK || index_updates(r, &tc, &indexes) != PDB_OK) {
		pdb_index_free(&tc.add);
		return r->e->status;
	}
	members = json_object();
	json_object_foreach(r->body, k, v) {
		for (i = 0; kept[i] != NULL && strcmp(kept[i], k) != 0; i++)
			;
		if (kept[i] != NULL)
			json_object_set(members, k, v);
		else if (strcmp(k, "TableName") != 0 &&
		    strcmp(k, "StreamSpecification") != 0 &&
		    strcmp(k, "AttributeDefinitions") != 0 &&
		    strcmp(k, "GlobalSecondaryIndexUpdates") != 0) {
			json_decref(members);
			pdb_index_free(&tc.add);
			return pdb_err_invalid(r->e, "pdb does not support %s in "
			    "UpdateTable yet; the table was not changed", k);
		}
	}
	if (tc.view == (enum pdb_view)-1 && json_object_size(members) == 0 &&
	    !indexes) {
		json_decref(members);
		return pdb_err_invalid(r->e, "Nothing to update");
	}
	tc.members = members;
	if ((rc = w_write(r, run_table, &tc)) == PDB_OK)
		describe(r, "TableDescription", &tc, NULL);
	json_decref(members);
	pdb_index_free(&tc.add);
	return rc;
}

struct listing {
	const char *start;
	int limit, more;
	json_t *names;
};

static int
put_name(void *arg, const char *name)
{
	json_array_append_new(arg, json_string(name));
	return 0;
}

static int
op_list(struct wreq *r, void *arg)
{
	struct listing *l = arg;

	return pdb_op_list_tables(r->c->tx, l->start, l->limit, put_name,
	    l->names, &l->more, r->e);
}

int
w_list_tables(struct wreq *r)
{
	struct listing l = { NULL };
	long long limit = 0;
	int given = 0;

	if (w_string(r, r->body, "ExclusiveStartTableName", &l.start) !=
	    PDB_OK || w_int(r, r->body, "Limit", &limit, &given) != PDB_OK)
		return r->e->status;
	/* The model gives the start name a table name's constraints (AWS,
	 * recorded by dynalite's test/listTables.js); one that cannot be a
	 * table's is refused, not taken as a place to start. */
	if (l.start != NULL && pdb_table_check_name_at(l.start,
	    "exclusiveStartTableName", r->e) != PDB_OK)
		return r->e->status;
	if (given && (limit < 1 || limit > 100))
		return pdb_err_invalid(r->e, "1 validation error detected: Value "
		    "'%lld' at 'limit' failed to satisfy constraint: Member must "
		    "have value %s", limit, limit < 1 ? "greater than or equal "
		    "to 1" : "less than or equal to 100");
	l.limit = (int)limit;
	l.names = json_array();
	if (w_read(r, op_list, &l) != PDB_OK) {
		json_decref(l.names);
		return r->e->status;
	}
	w_open(r);
	w_member(r, "TableNames");
	if (l.more) {
		w_json(r, json_incref(l.names));
		w_member(r, "LastEvaluatedTableName");
		w_json(r, json_incref(json_array_get(l.names,
		    json_array_size(l.names) - 1)));
		json_decref(l.names);
	} else
		w_json(r, l.names);
	w_close(r);
	return PDB_OK;
}

int
w_describe_endpoints(struct wreq *r)
{
	w_open(r);
	w_member(r, "Endpoints");
	w_json(r, json_pack("[{s:s,s:i}]", "Address", r->c->host ?
	    r->c->host : "localhost", "CachePeriodInMinutes", 1440));
	w_close(r);
	return PDB_OK;
}

int
w_describe_limits(struct wreq *r)
{
	w_json(r, json_pack("{s:i,s:i,s:i,s:i}",
	    "AccountMaxReadCapacityUnits", 80000,
	    "AccountMaxWriteCapacityUnits", 80000,
	    "TableMaxReadCapacityUnits", 40000,
	    "TableMaxWriteCapacityUnits", 40000));
	return PDB_OK;
}

/* ResourceArn: a table of this database, by its ARN.  AWS's model
 * requires it; an ARN that cannot name a table (its name too short, too
 * long or of other characters) is refused as one that is not an ARN
 * (dynalite's test/tagResource.js, recorded against AWS). */
static int
resource_arn(struct wreq *r, const char **arn)
{
	*arn = NULL;
	if (w_string(r, r->body, "ResourceArn", arn) != PDB_OK ||
	    w_required(r, *arn, "resourceArn") != PDB_OK)
		return r->e->status;
	return PDB_OK;
}

static int
resource_table(struct wreq *r, const char *arn, const char **table)
{
	const char *slash;
	struct pdb_err name;

	pdb_err_clear(&name);
	if (strncmp(arn, "arn:", 4) != 0 || (slash = strstr(arn, ":table/")) ==
	    NULL || strchr(slash + 7, '/') != NULL ||
	    pdb_table_check_name(slash + 7, &name) != PDB_OK)
		return pdb_err_invalid(r->e, "Invalid TableArn: Invalid "
		    "ResourceArn provided as input %s", arn);
	*table = slash + 7;
	return PDB_OK;
}

static int
resource(struct wreq *r, const char **table)
{
	const char *arn;

	if (resource_arn(r, &arn) != PDB_OK)
		return r->e->status;
	return resource_table(r, arn, table);
}

/* The table's tags, or a not-found naming the ARN.  "ResourcArn" is
 * AWS's spelling (turbot/steampipe-plugin-aws#1516 quotes a live
 * ListTagsOfResource; dynalite records TagResource's); UntagResource's
 * not-found names nothing (dynalite's test/untagResource.js). */
static int
read_tags(struct wreq *r, struct table_call *tc, json_t **tags, int untag)
{
	if (pdb_op_describe_table(r->c->tx, tc->name, &tc->info, r->e) !=
	    PDB_OK) {
		if (r->e->code == PDB_E_NOT_FOUND && untag)
			pdb_err_notfound(r->e, "Requested resource not found");
		else if (r->e->code == PDB_E_NOT_FOUND)
			pdb_err_notfound(r->e, "Requested resource not found: "
			    "ResourcArn: %s not found", json_string_value(
			    json_object_get(r->body, "ResourceArn")));
		return r->e->status;
	}
	*tags = json_deep_copy(json_object_get(tc->info.extra, "Tags"));
	if (*tags == NULL)
		*tags = json_object();
	pdb_table_info_free(&tc->info);
	return PDB_OK;
}

static int
op_tag(struct table_call *tc, struct wreq *r)
{
	json_t *tags, *m;
	int rc;

	if (read_tags(r, tc, &tags, 0) != PDB_OK)
		return r->e->status;
	rc = pdb_wire_tags(json_object_get(r->body, "Tags"), tags, r->e);
	if (rc == PDB_OK) {
		m = json_pack("{s:o}", "Tags", tags);
		rc = pdb_op_update_extra(r->c->tx, tc->name, m, &tc->info, r->e);
		json_decref(m);
		pdb_table_info_free(&tc->info);
	} else
		json_decref(tags);
	return rc;
}

/* AWS's order for TagResource and UntagResource (dynalite's
 * test/tagResource.js and test/untagResource.js, recorded against AWS):
 * the model's missing members, then the ARN, then an empty list, and only
 * then whether the table exists. */
static int
tag_request(struct wreq *r, const char *member, const char *path,
    const char *empty, const char **table)
{
	json_t *list = NULL;
	const char *arn;

	if (resource_arn(r, &arn) != PDB_OK ||
	    w_array(r, r->body, member, &list) != PDB_OK ||
	    w_required(r, list, path) != PDB_OK ||
	    resource_table(r, arn, table) != PDB_OK)
		return r->e->status;
	if (json_array_size(list) == 0)
		return pdb_err_invalid(r->e, "%s", empty);
	return PDB_OK;
}

int
w_tag_resource(struct wreq *r)
{
	struct table_call tc = { .op = op_tag };

	if (tag_request(r, "Tags", "tags", "Atleast one Tag needs to be "
	    "provided as Input.", &tc.name) != PDB_OK ||
	    w_write(r, run_table, &tc) != PDB_OK)
		return r->e->status;
	w_open(r);
	w_close(r);
	return PDB_OK;
}

static int
op_untag(struct table_call *tc, struct wreq *r)
{
	json_t *tags, *keys = json_object_get(r->body, "TagKeys"), *k, *m;
	size_t i;
	int rc;

	if (read_tags(r, tc, &tags, 1) != PDB_OK)
		return r->e->status;
	json_array_foreach(keys, i, k)
		if (json_is_string(k))
			json_object_del(tags, json_string_value(k));
	m = json_pack("{s:o}", "Tags", tags);
	rc = pdb_op_update_extra(r->c->tx, tc->name, m, &tc->info, r->e);
	json_decref(m);
	pdb_table_info_free(&tc->info);
	return rc;
}

int
w_untag_resource(struct wreq *r)
{
	struct table_call tc = { .op = op_untag };

	/* TagKeys [] is refused in these words by AWS today too (a 2026
	 * catalogue of live answers, ack-api-quirks' DDB-TABLE-457). */
	if (tag_request(r, "TagKeys", "tagKeys", "Atleast one Tag Key needs "
	    "to be provided as Input.", &tc.name) != PDB_OK ||
	    w_write(r, run_table, &tc) != PDB_OK)
		return r->e->status;
	w_open(r);
	w_close(r);
	return PDB_OK;
}

static int
op_list_tags(struct wreq *r, void *arg)
{
	struct table_call *tc = arg;
	json_t *tags, *list, *v;
	const char *k;

	if (read_tags(r, tc, &tags, 0) != PDB_OK)
		return r->e->status;
	list = json_array();
	json_object_foreach(tags, k, v)
		json_array_append_new(list, json_pack("{s:s,s:O}", "Key", k,
		    "Value", v));
	json_decref(tags);
	w_open(r);
	w_member(r, "Tags");
	w_json(r, list);
	w_close(r);
	return PDB_OK;
}

int
w_list_tags(struct wreq *r)
{
	struct table_call tc = { NULL };

	if (resource(r, &tc.name) != PDB_OK)
		return r->e->status;
	return w_read(r, op_list_tags, &tc);
}

/* DescribeTimeToLive and UpdateTimeToLive. */
struct ttl_call {
	const char *name, *attr;
	int enabled;
	char now[PDB_NAME_MAX];
};

static int
run_describe_ttl(struct wreq *r, void *arg)
{
	struct ttl_call *tc = arg;

	return pdb_op_describe_ttl(r->c->tx, tc->name, tc->now, r->e);
}

int
w_describe_ttl(struct wreq *r)
{
	struct ttl_call tc = { NULL };

	if (w_table(r, &tc.name) != PDB_OK ||
	    w_read(r, run_describe_ttl, &tc) != PDB_OK)
		return r->e->status;
	w_json(r, pdb_wire_ttl_description(tc.now));
	return PDB_OK;
}

static int
run_update_ttl(struct wreq *r, void *arg)
{
	struct ttl_call *tc = arg;

	return pdb_op_update_ttl(r->c->tx, tc->name, tc->enabled, tc->attr,
	    r->e);
}

int
w_update_ttl(struct wreq *r)
{
	struct ttl_call tc = { NULL };
	json_t *spec = NULL;

	tc.enabled = -1;
	if (w_table(r, &tc.name) != PDB_OK ||
	    w_object(r, r->body, "TimeToLiveSpecification", &spec) != PDB_OK)
		return r->e->status;
	if (spec == NULL)
		return pdb_err_invalid(r->e, "TimeToLiveSpecification cannot be "
		    "null");
	if (w_bool(r, spec, "Enabled", &tc.enabled) != PDB_OK ||
	    w_string(r, spec, "AttributeName", &tc.attr) != PDB_OK)
		return r->e->status;
	/* Both members are required by the model. */
	if (tc.enabled < 0 || tc.attr == NULL)
		return pdb_err_invalid(r->e, PDB_VALIDATION "Value null at "
		    "'timeToLiveSpecification.%s' failed to satisfy "
		    "constraint: Member must not be null", tc.enabled < 0 ?
		    "enabled" : "attributeName");
	if (w_write(r, run_update_ttl, &tc) != PDB_OK)
		return r->e->status;
	w_open(r);
	w_member(r, "TimeToLiveSpecification");
	w_json(r, json_incref(spec));
	w_close(r);
	return PDB_OK;
}
