/* op_table.c — tables and their streams' lifecycle, by DynamoDB's rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/op_table.h"
#include "pdb/shard.h"
#include "pdb/value.h"

static int
bad_view(struct pdb_err *e, const char *s)
{
	return pdb_err_invalid(e, PDB_VALIDATION "Value '%s' at "
	    "'streamSpecification.streamViewType' failed to satisfy "
	    "constraint: Member must satisfy enum value set: [NEW_IMAGE, "
	    "OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]", s);
}

int
pdb_table_parse_view(const char *s, enum pdb_view *view, struct pdb_err *e)
{
	int v = pdb_view_parse(s);

	if (v < 0)
		return bad_view(e, s);
	*view = (enum pdb_view)v;
	return PDB_OK;
}

int
pdb_table_check_name_at(const char *name, const char *member,
    struct pdb_err *e)
{
	size_t n = strlen(name);

	if (n < 3 || n > 255)
		return pdb_err_invalid(e, PDB_VALIDATION "Value '%s' at "
		    "'%s' failed to satisfy constraint: Member must have "
		    "length %s", name, member, n < 3 ? "greater than or equal "
		    "to 3" : "less than or equal to 255");
	if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.-") != n)
		return pdb_err_invalid(e, PDB_VALIDATION "Value '%s' at "
		    "'%s' failed to satisfy constraint: Member must satisfy "
		    "regular expression pattern: [a-zA-Z0-9_.-]+", name, member);
	return PDB_OK;
}

int
pdb_table_check_name(const char *name, struct pdb_err *e)
{
	return pdb_table_check_name_at(name, "tableName", e);
}

static int
check_key_name(const char *name, size_t n, int index, struct pdb_err *e)
{
	if (n < 1 || n > 255)
		return pdb_err_invalid(e, PDB_VALIDATION "Value '%.*s' at "
		    "'keySchema.%d.member.attributeName' failed to satisfy "
		    "constraint: Member must have length %s", (int)n, name,
		    index, n < 1 ? "greater than or equal to 1" : "less than "
		    "or equal to 255");
	return PDB_OK;
}

int
pdb_table_check_key_name(const char *name, int index, struct pdb_err *e)
{
	return check_key_name(name, strlen(name), index, e);
}

int
pdb_table_parse_type(const char *s, int index, char *type, struct pdb_err *e)
{
	if (strcmp(s, "S") != 0 && strcmp(s, "N") != 0 && strcmp(s, "B") != 0)
		return pdb_err_invalid(e, PDB_VALIDATION "Value '%s' at "
		    "'attributeDefinitions.%d.member.attributeType' failed to "
		    "satisfy constraint: Member must satisfy enum value set: "
		    "[B, N, S]", s, index);
	*type = s[0];
	return PDB_OK;
}

/* "KEY" or "KEY:TYPE"; the type defaults to S. */
static int
parse_key_arg(const char *arg, int index, char *name, char *type,
    struct pdb_err *e)
{
	const char *colon = strrchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);

	*type = 'S';
	if (check_key_name(arg, n, index, e) != PDB_OK)
		return e->status;
	memcpy(name, arg, n);
	name[n] = '\0';
	return colon ? pdb_table_parse_type(colon + 1, index, type, e) :
	    PDB_OK;
}

int
pdb_table_check_keys(const struct pdb_keyschema *ks, struct pdb_err *e)
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
	if (pdb_table_check_name(name, e) != PDB_OK)
		return e->status;
	snprintf(spec->name, sizeof(spec->name), "%s", name);
	if (parse_key_arg(key, 1, spec->ks.hash, &spec->ks.hash_type, e) !=
	    PDB_OK)
		return e->status;
	if (sortkey != NULL && parse_key_arg(sortkey, 2, spec->ks.range,
	    &spec->ks.range_type, e) != PDB_OK)
		return e->status;
	if (view != NULL && pdb_table_parse_view(view, &spec->view, e) !=
	    PDB_OK)
		return e->status;
	spec->extra = json_object();
	return pdb_table_check_keys(&spec->ks, e);
}

void
pdb_table_spec_free(struct pdb_table_spec *spec)
{
	pdb_indexes_free(spec->index, spec->nindex);
	spec->index = NULL;
	spec->nindex = 0;
	json_decref(spec->extra);
	spec->extra = NULL;
}

/* A copy of from's include list into to. */
static int
copy_include(struct pdb_index *to, const struct pdb_index *from)
{
	int i;

	to->ninclude = 0;
	if ((to->include = calloc((size_t)from->ninclude + 1,
	    sizeof(char *))) == NULL)
		return -1;
	for (i = 0; i < from->ninclude; i++, to->ninclude++)
		if ((to->include[i] = strdup(from->include[i])) == NULL)
			return -1;
	return 0;
}

int
pdb_table_spec_add_index(struct pdb_table_spec *spec,
    const struct pdb_index *ix, struct pdb_err *e)
{
	struct pdb_index *grown;

	if ((grown = realloc(spec->index, (size_t)(spec->nindex + 1) *
	    sizeof(*grown))) == NULL)
		return pdb_err_system(e, "out of memory");
	spec->index = grown;
	grown[spec->nindex] = *ix;
	if (copy_include(&grown[spec->nindex++], ix) != 0)
		return pdb_err_system(e, "out of memory");
	return PDB_OK;
}

static int check_index_name(const char *name, const char *place,
    struct pdb_err *e);

/* "ALL", "KEYS_ONLY" or "INCLUDE:a,b" into ix. */
static int
parse_projection(struct pdb_index *ix, const char *arg, struct pdb_err *e)
{
	const char *p = arg + strlen("INCLUDE:"), *comma;
	size_t n;
	int kind;

	if (strncmp(arg, "INCLUDE:", strlen("INCLUDE:")) != 0) {
		if ((kind = pdb_projection_parse(arg)) < 0 ||
		    kind == PDB_PROJECT_INCLUDE)
			return pdb_err_invalid(e, "index %s: expected ALL, "
			    "KEYS_ONLY or INCLUDE:ATTR,… for the projection, "
			    "not %s", ix->name, arg);
		ix->projection = (enum pdb_projection)kind;
		return PDB_OK;
	}
	ix->projection = PDB_PROJECT_INCLUDE;
	if ((ix->include = calloc(strlen(p) / 2 + 2, sizeof(char *))) == NULL)
		return pdb_err_system(e, "out of memory");
	for (; *p != '\0'; p = comma + (*comma != '\0')) {
		comma = p + strcspn(p, ",");
		n = (size_t)(comma - p);
		if (n == 0)
			return pdb_err_invalid(e, "index %s: an empty attribute "
			    "name in %s", ix->name, arg);
		if ((ix->include[ix->ninclude] = strndup(p, n)) == NULL)
			return pdb_err_system(e, "out of memory");
		ix->ninclude++;
	}
	return PDB_OK;
}

int
pdb_index_parse(struct pdb_index *ix, const char *arg, int global,
    const struct pdb_keyschema *ks, struct pdb_err *e)
{
	char word[4][4096];
	int n, w, keys;

	memset(ix, 0, sizeof(*ix));
	ix->global = global;
	for (n = 0; n < 5 && *(arg += strspn(arg, " ")) != '\0'; n++) {
		w = (int)strcspn(arg, " ");
		if (n == 4 || w >= (int)sizeof(word[0]))
			return pdb_err_invalid(e, "index '%s': expected NAME %s",
			    arg, global ? "KEY[:TYPE] [SORTKEY[:TYPE]] "
			    "[PROJECTION]" : "SORTKEY[:TYPE] [PROJECTION]");
		snprintf(word[n], sizeof(word[n]), "%.*s", w, arg);
		arg += w;
	}
	keys = n - 1;
	if (n > 1 && (pdb_projection_parse(word[n - 1]) >= 0 ||
	    strncmp(word[n - 1], "INCLUDE:", 8) == 0))
		keys--;
	if (n < 2 || keys < 1 || keys > (global ? 2 : 1))
		return pdb_err_invalid(e, "index '%s': expected NAME %s",
		    n ? word[0] : "", global ? "KEY[:TYPE] [SORTKEY[:TYPE]] "
		    "[PROJECTION]" : "SORTKEY[:TYPE] [PROJECTION]");
	if (strlen(word[0]) >= sizeof(ix->name))
		return check_index_name(word[0], ix->global ?
		    "globalSecondaryIndexes.1.member" :
		    "localSecondaryIndexes.1.member", e);
	memcpy(ix->name, word[0], strlen(word[0]) + 1);
	if (!global) {
		snprintf(ix->ks.hash, sizeof(ix->ks.hash), "%s", ks->hash);
		ix->ks.hash_type = ks->hash_type;
	}
	if ((global && parse_key_arg(word[1], 1, ix->ks.hash,
	    &ix->ks.hash_type, e) != PDB_OK) || ((!global || keys == 2) &&
	    parse_key_arg(word[global ? 2 : 1], 2, ix->ks.range,
	    &ix->ks.range_type, e) != PDB_OK))
		return e->status;
	return keys + 1 < n ? parse_projection(ix, word[n - 1], e) : PDB_OK;
}

void
pdb_table_info_free(struct pdb_table_info *info)
{
	json_decref(info->extra);
	free(info->index_stats);
	pdb_table_free(&info->t);
	memset(info, 0, sizeof(*info));
}

static void
uuid4(char out[PDB_TABLE_ID_MAX])
{
	unsigned char b[16];

	pdb_db_random(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, PDB_TABLE_ID_MAX, "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4],
	    b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
	    b[15]);
}

/*
 * A new stream for table t: its label is the creation time, one
 * millisecond after the table's previous stream at least, so ARNs never
 * repeat.  Its shards start at the next sequence number.
 */
static int
stream_create(struct pdb_tx *tx, const struct pdb_table *t,
    enum pdb_view view, int shards, struct pdb_err *e)
{
	struct pdb_stream s;
	int64_t newest;

	memset(&s, 0, sizeof(s));
	if (pdb_store_stream_newest(tx->db, t->name, &newest, e) != PDB_OK)
		return e->status;
	s.created_ms = pdb_db_now_ms(tx->db);
	if (newest >= s.created_ms)
		s.created_ms = newest + 1;
	snprintf(s.table, sizeof(s.table), "%s", t->name);
	pdb_clock_label(s.created_ms, s.label);
	snprintf(s.arn, sizeof(s.arn), "arn:aws:dynamodb:%s:%s:table/%s/"
	    "stream/%s", pdb_db_region(tx->db), pdb_db_account(tx->db),
	    t->name, s.label);
	s.view = view;
	s.ks = t->ks;
	if (shards < 0 || shards > PDB_SHARDS_MAX)
		return pdb_err_invalid(e, "invalid number of shards %d: expected "
		    "1 to %d", shards, PDB_SHARDS_MAX);
	if (pdb_store_stream_insert(tx->db, t->id, &s, e) != PDB_OK)
		return e->status;
	return pdb_shard_open_first(tx->db, &s, shards > 0 ? shards : 1, e);
}

/* Disabling a stream closes every open shard, at its last record. */
static int
stream_disable(struct pdb_tx *tx, int64_t stream, struct pdb_err *e)
{
	if (pdb_store_stream_disable(tx->db, stream, e) != PDB_OK)
		return e->status;
	return pdb_shard_close_all(tx->db, stream, pdb_db_now_ms(tx->db), e);
}

/* The table's indexes, each with its live ItemCount and IndexSizeBytes. */
static int
index_stats(struct pdb_tx *tx, struct pdb_table_info *info,
    struct pdb_err *e)
{
	struct pdb_index_stats *st;
	int i;

	if (pdb_store_index_load(tx->db, &info->t, e) != PDB_OK)
		return e->status;
	if ((st = info->index_stats = calloc((size_t)info->t.nindex + 1,
	    sizeof(*st))) == NULL)
		return pdb_err_system(e, "out of memory");
	for (i = 0; i < info->t.nindex; i++)
		if (pdb_store_index_stats(tx->db, info->t.index[i].id,
		    &st[i].count, &st[i].bytes, e) != PDB_OK)
			return e->status;
	return PDB_OK;
}

static int
gather(struct pdb_tx *tx, const char *name, struct pdb_table_info *info,
    struct pdb_err *e)
{
	char *extra;

	memset(info, 0, sizeof(*info));
	if (pdb_store_table_get(tx->db, name, &info->t, e) != PDB_OK ||
	    pdb_store_table_stats(tx->db, info->t.id, &info->item_count,
	    &info->size_bytes, e) != PDB_OK ||
	    index_stats(tx, info, e) != PDB_OK ||
	    pdb_store_table_extra(tx->db, info->t.id, &extra, e) != PDB_OK) {
		pdb_table_info_free(info);
		return e->status;
	}
	info->extra = extra ? json_loads(extra, 0, NULL) : NULL;
	free(extra);
	if (info->extra == NULL)
		info->extra = json_object();
	if (info->t.latest_stream != 0) {
		if (pdb_store_stream_get(tx->db, info->t.latest_stream,
		    &info->latest, e) != PDB_OK) {
			pdb_table_info_free(info);
			return e->status;
		}
		info->has_stream = 1;
	}
	return PDB_OK;
}

/* An index name as DynamoDB takes it; place is the model's path to it,
 * such as "globalSecondaryIndexes.1.member". */
static int
check_index_name(const char *name, const char *place, struct pdb_err *e)
{
	size_t n = strlen(name);

	if (n < 3 || n > 255)
		return pdb_err_invalid(e, PDB_VALIDATION "Value '%s' at "
		    "'%s.indexName' failed to satisfy constraint: Member must "
		    "have length %s", name, place, n < 3 ? "greater than or "
		    "equal to 3" : "less than or equal to 255");
	if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.-") != n)
		return pdb_err_invalid(e, PDB_VALIDATION "Value '%s' at "
		    "'%s.indexName' failed to satisfy constraint: Member must "
		    "satisfy regular expression pattern: [a-zA-Z0-9_.-]+", name,
		    place);
	return PDB_OK;
}

/* A key attribute has one type wherever it is a key. */
static int
same_type(const char *name, char type, const struct pdb_keyschema *ks,
    struct pdb_err *e)
{
	if ((strcmp(name, ks->hash) == 0 && type != ks->hash_type) ||
	    (ks->range[0] && strcmp(name, ks->range) == 0 &&
	    type != ks->range_type))
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: attribute %s is declared with two types", name);
	return PDB_OK;
}

static int
check_types(const struct pdb_index *ix, const struct pdb_keyschema *ks,
    struct pdb_err *e)
{
	if (same_type(ix->ks.hash, ix->ks.hash_type, ks, e) != PDB_OK ||
	    (ix->ks.range[0] && same_type(ix->ks.range, ix->ks.range_type, ks,
	    e) != PDB_OK))
		return e->status;
	return PDB_OK;
}

/* One index of a table with key schema ks, nth of its kind (from 1). */
static int
check_index(const struct pdb_index *ix, const struct pdb_keyschema *ks,
    int nth, struct pdb_err *e)
{
	char place[64];

	snprintf(place, sizeof(place), "%sSecondaryIndexes.%d.member",
	    ix->global ? "global" : "local", nth);
	if (check_index_name(ix->name, place, e) != PDB_OK ||
	    pdb_table_check_keys(&ix->ks, e) != PDB_OK ||
	    check_types(ix, ks, e) != PDB_OK)
		return e->status;
	if (!ix->global && ks->range[0] == '\0')
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Table KeySchema does not have a range key, which "
		    "is required when specifying a LocalSecondaryIndex");
	if (!ix->global && ix->ks.range[0] == '\0')
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Index KeySchema does not have a range key for "
		    "index: %s", ix->name);
	if (!ix->global && strcmp(ix->ks.hash, ks->hash) != 0)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Index KeySchema does not have the same leading "
		    "hash key as table KeySchema for index: %s. index hash key: "
		    "%s, table hash key: %s", ix->name, ix->ks.hash, ks->hash);
	if (ix->projection == PDB_PROJECT_INCLUDE && ix->ninclude == 0)
		return pdb_err_invalid(e, "If Projection type INCLUDE is "
		    "specified, some non-key attributes to include in the "
		    "projection must be specified as well");
	return PDB_OK;
}

/* An index named as another is, or the limits of one table passed. */
static int
check_count(const struct pdb_index *ix, int n, struct pdb_err *e)
{
	int i, j, lsis = 0, gsis = 0, projected = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(ix[i].name, ix[j].name) == 0)
				return pdb_err_invalid(e, "One or more parameter "
				    "values were invalid: Duplicate index name: "
				    "%s", ix[i].name);
		*(ix[i].global ? &gsis : &lsis) += 1;
		projected += ix[i].ninclude;
	}
	if (lsis > PDB_LSI_MAX)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Number of LocalSecondaryIndexes exceeds per-table "
		    "limit of %d", PDB_LSI_MAX);
	if (gsis > PDB_GSI_MAX)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: GlobalSecondaryIndex count exceeds the per-table "
		    "limit of %d", PDB_GSI_MAX);
	if (projected > PDB_PROJECTED_MAX)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Number of projected attributes in all indexes "
		    "exceeds limit of %d", PDB_PROJECTED_MAX);
	return PDB_OK;
}

static int
check_indexes(const struct pdb_table_spec *spec, struct pdb_err *e)
{
	int i, lsi = 0, gsi = 0, j;

	for (i = 0; i < spec->nindex; i++) {
		if (check_index(&spec->index[i], &spec->ks,
		    spec->index[i].global ? ++gsi : ++lsi, e) != PDB_OK)
			return e->status;
		for (j = 0; j < i; j++)
			if (check_types(&spec->index[i], &spec->index[j].ks,
			    e) != PDB_OK)
				return e->status;
	}
	return check_count(spec->index, spec->nindex, e);
}

static int
create_indexes(struct pdb_tx *tx, const struct pdb_table_spec *spec,
    int64_t tbl, struct pdb_err *e)
{
	int i;

	for (i = 0; i < spec->nindex; i++)
		if (pdb_store_index_insert(tx->db, tbl, &spec->index[i],
		    pdb_db_now_ms(tx->db), e) != PDB_OK)
			return e->status;
	return PDB_OK;
}

int
pdb_op_create_table(struct pdb_tx *tx, const struct pdb_table_spec *spec,
    struct pdb_table_info *info, struct pdb_err *e)
{
	struct pdb_table t;
	struct pdb_err ignore;
	char id[PDB_TABLE_ID_MAX], *extra;
	int rc;

	if (check_indexes(spec, e) != PDB_OK)
		return e->status;
	if (pdb_store_table_get(tx->db, spec->name, &t, &ignore) == PDB_OK)
		return pdb_err_set(e, PDB_E_IN_USE, "Table already exists: %s",
		    spec->name);
	uuid4(id);
	if ((extra = json_dumps(spec->extra ? spec->extra : json_object(),
	    JSON_COMPACT)) == NULL)
		return pdb_err_system(e, "out of memory");
	rc = pdb_store_table_insert(tx->db, spec->name, &spec->ks, id,
	    pdb_db_now_ms(tx->db), extra, e);
	free(extra);
	if (rc != PDB_OK ||
	    pdb_store_table_get(tx->db, spec->name, &t, e) != PDB_OK ||
	    create_indexes(tx, spec, t.id, e) != PDB_OK ||
	    (spec->view != PDB_VIEW_NONE &&
	    stream_create(tx, &t, spec->view, spec->shards, e) != PDB_OK))
		return e->status;
	pdb_tx_forget_table(tx);
	/* A new table has no items whose expiries would change. */
	if (spec->ttl[0] != '\0' && pdb_store_table_set_ttl(tx->db, t.id,
	    spec->ttl, e) != PDB_OK)
		return e->status;
	return gather(tx, spec->name, info, e);
}

int
pdb_op_describe_table(struct pdb_tx *tx, const char *name,
    struct pdb_table_info *info, struct pdb_err *e)
{
	return gather(tx, name, info, e);
}

struct listing {
	int (*fn)(void *, const char *);
	void *arg;
	int limit, n, more;
};

static int
list_one(void *arg, const char *name)
{
	struct listing *l = arg;

	if (l->limit > 0 && l->n == l->limit) {
		l->more = 1;
		return 1;
	}
	l->n++;
	return l->fn(l->arg, name);
}

int
pdb_op_list_tables(struct pdb_tx *tx, const char *start, int limit,
    int (*fn)(void *, const char *), void *arg, int *more, struct pdb_err *e)
{
	struct listing l = { .fn = fn, .arg = arg, .limit = limit };

	if (limit < 0 || limit > 100)
		return pdb_err_invalid(e, PDB_VALIDATION "Value '%d' at 'limit' "
		    "failed to satisfy constraint: Member must have value %s",
		    limit, limit < 0 ? "greater than or equal to 1" :
		    "less than or equal to 100");
	if (pdb_store_table_list(tx->db, start, list_one, &l, e) != PDB_OK)
		return e->status;
	*more = l.more;
	return PDB_OK;
}

int
pdb_op_update_extra(struct pdb_tx *tx, const char *name,
    const json_t *members, struct pdb_table_info *info, struct pdb_err *e)
{
	const char *k;
	json_t *v;
	char *text;
	int rc;

	if (gather(tx, name, info, e) != PDB_OK)
		return e->status;
	json_object_foreach((json_t *)members, k, v)
		if (json_is_null(v))
			json_object_del(info->extra, k);
		else
			json_object_set(info->extra, k, v);
	if ((text = json_dumps(info->extra, JSON_COMPACT)) == NULL)
		rc = pdb_err_system(e, "out of memory");
	else
		rc = pdb_store_table_set_extra(tx->db, info->t.id, text, e);
	free(text);
	if (rc != PDB_OK)
		pdb_table_info_free(info);
	return rc;
}

int
pdb_op_delete_table(struct pdb_tx *tx, const char *name,
    struct pdb_table_info *info, struct pdb_err *e)
{
	if (gather(tx, name, info, e) != PDB_OK)
		return e->status;
	if (json_is_true(json_object_get(info->extra,
	    "DeletionProtectionEnabled"))) {
		pdb_table_info_free(info);
		return pdb_err_invalid(e, "Resource cannot be deleted as it is "
		    "currently protected against deletion. Disable deletion "
		    "protection first.");
	}
	pdb_tx_forget_table(tx);
	if ((info->t.stream != 0 && stream_disable(tx, info->t.stream, e) !=
	    PDB_OK) ||
	    pdb_store_table_delete(tx->db, info->t.id, e) != PDB_OK) {
		pdb_table_info_free(info);
		return e->status;
	}
	return PDB_OK;
}

int
pdb_op_set_stream(struct pdb_tx *tx, const char *name, enum pdb_view view,
    int shards, struct pdb_table_info *info, struct pdb_err *e)
{
	struct pdb_table t;

	if (pdb_store_table_get(tx->db, name, &t, e) != PDB_OK)
		return e->status;
	if (view != PDB_VIEW_NONE && t.stream != 0)
		return pdb_err_invalid(e, "Table already has an enabled stream: "
		    "TableName: %s", name);
	if (view == PDB_VIEW_NONE && t.stream == 0)
		return pdb_err_invalid(e, "Table has no stream to disable: "
		    "TableName: %s", name);
	pdb_tx_forget_table(tx);
	if ((view == PDB_VIEW_NONE ? stream_disable(tx, t.stream, e) :
	    stream_create(tx, &t, view, shards, e)) != PDB_OK)
		return e->status;
	return gather(tx, name, info, e);
}

/* "id:S" or "id:S ts:N": a key schema as pdb-table create takes it. */
static void
keys_text(const struct pdb_keyschema *ks, char *out, size_t n)
{
	if (ks->range[0] == '\0')
		snprintf(out, n, "%s:%c", ks->hash, ks->hash_type);
	else
		snprintf(out, n, "%s:%c %s:%c", ks->hash, ks->hash_type,
		    ks->range, ks->range_type);
}

static const char *
stream_text(enum pdb_view view)
{
	return view == PDB_VIEW_NONE ? "no stream" : pdb_view_name(view);
}

static int
same_keys(const struct pdb_keyschema *a, const struct pdb_keyschema *b)
{
	return strcmp(a->hash, b->hash) == 0 && a->hash_type == b->hash_type &&
	    strcmp(a->range, b->range) == 0 &&
	    (a->range[0] == '\0' || a->range_type == b->range_type);
}

int
pdb_op_ensure_table(struct pdb_tx *tx, const struct pdb_table_spec *spec,
    struct pdb_table_info *info, int *created, struct pdb_err *e)
{
	char have[2 * PDB_NAME_MAX + 8], want[2 * PDB_NAME_MAX + 8];
	struct pdb_table t;
	struct pdb_err ignore;
	int i;

	*created = 0;
	if (pdb_store_table_get(tx->db, spec->name, &t, &ignore) != PDB_OK) {
		*created = 1;
		return pdb_op_create_table(tx, spec, info, e);
	}
	keys_text(&t.ks, have, sizeof(have));
	keys_text(&spec->ks, want, sizeof(want));
	if (!same_keys(&t.ks, &spec->ks))
		return pdb_err_set(e, PDB_E_IN_USE, "Table already exists with "
		    "other keys: %s has %s, asked for %s", spec->name, have,
		    want);
	if (t.view != spec->view)
		return pdb_err_set(e, PDB_E_IN_USE, "Table already exists with "
		    "another stream: %s has %s, asked for %s", spec->name,
		    stream_text(t.view), stream_text(spec->view));
	if (gather(tx, spec->name, info, e) != PDB_OK)
		return e->status;
	for (i = 0; i < spec->nindex; i++)
		if (pdb_table_index(&info->t, spec->index[i].name) == NULL) {
			pdb_table_info_free(info);
			return pdb_err_set(e, PDB_E_IN_USE, "Table already "
			    "exists without index %s: %s", spec->index[i].name,
			    spec->name);
		}
	return PDB_OK;
}

int
pdb_op_ensure_stream(struct pdb_tx *tx, const char *name, enum pdb_view view,
    int shards, struct pdb_table_info *info, int *changed, struct pdb_err *e)
{
	struct pdb_table t;

	*changed = 0;
	if (pdb_store_table_get(tx->db, name, &t, e) != PDB_OK)
		return e->status;
	if (t.view == view)
		return gather(tx, name, info, e);
	if (t.view != PDB_VIEW_NONE && view != PDB_VIEW_NONE)
		return pdb_err_set(e, PDB_E_IN_USE, "Table already has another "
		    "stream: %s has %s, asked for %s; turn it off first", name,
		    stream_text(t.view), stream_text(view));
	*changed = 1;
	return pdb_op_set_stream(tx, name, view, shards, info, e);
}

/* Each item of a table put in a new index: a backfill. */
struct backfill {
	struct pdb_tx *tx;
	const struct pdb_table *t;
	const struct pdb_index *ix;
	struct pdb_err *e;
	int rc;
};

static int
backfill_row(void *arg, const struct pdb_row *row)
{
	struct backfill *b = arg;
	unsigned char key[PDB_KEY_MAX], ikey[PDB_KEY_MAX];
	struct pdb_err ignore;
	size_t len, ilen;
	json_t *item;

	if ((item = pdb_value_load(row->text, row->len)) == NULL) {
		b->rc = pdb_err_system(b->e, "cannot read a stored item");
		return 1;
	}
	/* An item whose key does not fit the index stays out of it, as
	 * DynamoDB leaves it (a violation it would report); so does one
	 * without the index's key, which encodes to nothing (sparse). */
	if (pdb_key_encode(&b->t->ks, item, PDB_KEY_ITEM, key, &len, NULL,
	    b->e) != PDB_OK)
		b->rc = b->e->status;
	else if (pdb_key_encode_index(&b->ix->ks, b->ix->name, item, ikey,
	    &ilen, &ignore) == PDB_OK && ilen > 0)
		b->rc = pdb_write_index_row(b->tx, b->t, b->ix, item,
		    (size_t)row->size, ikey, ilen, key, len, row->id, b->e);
	json_decref(item);
	return b->rc != PDB_OK;
}

int
pdb_op_add_index(struct pdb_tx *tx, const char *name,
    const struct pdb_index *ix, struct pdb_table_info *info,
    struct pdb_err *e)
{
	struct backfill b = { .tx = tx, .ix = ix, .e = e };
	struct pdb_index *all;
	struct pdb_key_range everything;
	int i, gsi = 1;

	if (pdb_tx_table(tx, name, &b.t, e) != PDB_OK)
		return e->status;
	if (!ix->global)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: a local secondary index is created with its "
		    "table only");
	for (i = 0; i < b.t->nindex; i++) {
		gsi += b.t->index[i].global;
		if (check_types(ix, &b.t->index[i].ks, e) != PDB_OK)
			return e->status;
	}
	if (pdb_table_index(b.t, ix->name) != NULL)
		return pdb_err_invalid(e, "One or more parameter values were "
		    "invalid: Index with name %s already exists", ix->name);
	if (check_index(ix, &b.t->ks, gsi, e) != PDB_OK)
		return e->status;
	if ((all = calloc((size_t)b.t->nindex + 1, sizeof(*all))) == NULL)
		return pdb_err_system(e, "out of memory");
	if (b.t->nindex > 0)	/* index is NULL then, which memcpy may not take */
		memcpy(all, b.t->index, (size_t)b.t->nindex * sizeof(*all));
	all[b.t->nindex] = *ix;
	i = check_count(all, b.t->nindex + 1, e);
	free(all);
	if (i != PDB_OK ||
	    pdb_store_index_insert(tx->db, b.t->id, ix, pdb_db_now_ms(tx->db),
	    e) != PDB_OK)
		return e->status;
	pdb_tx_forget_table(tx);
	if (pdb_tx_table(tx, name, &b.t, e) != PDB_OK)
		return e->status;
	b.ix = pdb_table_index(b.t, ix->name);
	memset(&everything, 0, sizeof(everything));
	everything.lo_incl = 1;
	if (pdb_store_item_range(tx->db, b.t->id, &everything, 0, backfill_row,
	    &b, e) != PDB_OK || b.rc != PDB_OK)
		return e->status;
	pdb_tx_forget_table(tx);
	return gather(tx, name, info, e);
}

int
pdb_op_delete_index(struct pdb_tx *tx, const char *name, const char *index,
    struct pdb_table_info *info, struct pdb_err *e)
{
	const struct pdb_table *t;
	const struct pdb_index *ix;

	if (pdb_tx_table(tx, name, &t, e) != PDB_OK)
		return e->status;
	if ((ix = pdb_table_index(t, index)) == NULL || !ix->global)
		return pdb_err_notfound(e, "Requested resource not found: "
		    "Index: %s not found", index);
	if (pdb_store_index_drop(tx->db, ix->id, e) != PDB_OK)
		return e->status;
	pdb_tx_forget_table(tx);
	return gather(tx, name, info, e);
}
