/* value.c — DynamoDB attribute values: rules, canonical form, size, plain JSON. */
#include <stdlib.h>
#include <string.h>

#include "pdb/number.h"
#include "pdb/value.h"

#define INVALID "One or more parameter values were invalid: "

struct walk {
	struct pdb_err *e;
	size_t len;
	char path[256];
};

static int check_value(struct walk *w, json_t *v, int depth, size_t *size);

/* Path handling: a.b[2].c, truncated quietly when very deep.  Every
 * attribute of every item written passes here: no printf. */
static void
path_append(struct walk *w, const char *s, size_t n)
{
	size_t room = sizeof(w->path) - 1 - w->len;

	if (n > room)
		n = room;
	memcpy(w->path + w->len, s, n);
	w->len += n;
	w->path[w->len] = '\0';
}

static size_t
path_push_name(struct walk *w, const char *name)
{
	size_t old = w->len;

	if (old > 0)
		path_append(w, ".", 1);
	path_append(w, name, strlen(name));
	return old;
}

static size_t
path_push_index(struct walk *w, size_t i)
{
	size_t old = w->len;
	int n = snprintf(w->path + w->len, sizeof(w->path) - w->len, "[%zu]",
	    i);

	if (n > 0)
		w->len += (size_t)n < sizeof(w->path) - w->len ? (size_t)n :
		    sizeof(w->path) - w->len - 1;
	return old;
}

static void
path_pop(struct walk *w, size_t old)
{
	w->len = old;
	w->path[old] = '\0';
}

/* Report at the current path; the DynamoDB text comes first, intact. */
static int
fail(struct walk *w, enum pdb_code code, const char *msg)
{
	int status = pdb_err_set(w->e, code, "%s", msg);

	if (w->len > 0)
		pdb_err_detail(w->e, " (attribute '%s')", w->path);
	return status;
}

static int
invalid(struct walk *w, const char *msg)
{
	return fail(w, PDB_E_VALIDATION, msg);
}

static int
serialization(struct walk *w, const char *msg)
{
	return fail(w, PDB_E_SERIALIZATION, msg);
}

const char *
pdb_value_token_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "START_OBJECT";
	case JSON_ARRAY:
		return "START_ARRAY";
	case JSON_STRING:
		return "VALUE_STRING";
	case JSON_INTEGER:
	case JSON_REAL:
		return "NUMBER_VALUE";
	case JSON_TRUE:
		return "TRUE_VALUE";
	case JSON_FALSE:
		return "FALSE_VALUE";
	default:
		return "NULL_VALUE";
	}
}

static int
want_string(struct walk *w, const json_t *v)
{
	char msg[96];

	if (json_is_string(v))
		return PDB_OK;
	if (json_is_object(v))
		return serialization(w, "Start of structure or map found "
		    "where not expected");
	if (json_is_array(v))
		return serialization(w, "Start of list found where not "
		    "expected");
	snprintf(msg, sizeof(msg), "%s cannot be converted to String",
	    pdb_value_token_name(v));
	return serialization(w, msg);
}

static int
check_number(struct walk *w, json_t *v, struct pdb_number *n)
{
	char msg[256], text[PDB_NUMBER_TEXT_MAX];

	if (want_string(w, v) != PDB_OK)
		return PDB_INVALID;
	if (pdb_number_parse(n, json_string_value(v), json_string_length(v),
	    msg, sizeof(msg)) != 0)
		return invalid(w, msg);
	pdb_number_format(n, text);
	if (strcmp(text, json_string_value(v)) != 0)
		json_string_set(v, text);
	return PDB_OK;
}

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64val(unsigned char c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64chars, c)) == NULL)
		return -1;
	return (int)(p - b64chars);
}

int
pdb_value_base64_decode(const char *s, size_t len, unsigned char *out,
    size_t *outlen, struct pdb_err *e)
{
	size_t i, o = 0, pad = 0;
	int v[4], k;

	if (len % 4 != 0)
		return pdb_err_set(e, PDB_E_SERIALIZATION,
		    "Base64 encoded length is expected a multiple of 4 bytes "
		    "but found: %zu", len);
	if (len >= 1 && s[len - 1] == '=')
		pad = len >= 2 && s[len - 2] == '=' ? 2 : 1;
	for (i = 0; i < len; i += 4) {
		for (k = 0; k < 4; k++) {
			if (i + k >= len - pad) {
				v[k] = 0;
				continue;
			}
			if ((v[k] = b64val((unsigned char)s[i + k])) < 0)
				return pdb_err_set(e, PDB_E_SERIALIZATION, "Invalid Base64 "
				    "character at offset %zu", i + k);
		}
		out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		out[o++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	/* Padding bits must be zero, so each byte string has one spelling. */
	if ((pad == 1 && (v[2] & 3) != 0) || (pad == 2 && (v[1] & 15) != 0))
		return pdb_err_set(e, PDB_E_SERIALIZATION,
		    "Invalid last non-pad Base64 character dectected");
	*outlen = o - pad;
	return PDB_OK;
}

static int
check_binary(struct walk *w, const json_t *v, size_t *size)
{
	unsigned char *buf;
	size_t n;
	int rc;

	if (want_string(w, v) != PDB_OK)
		return PDB_INVALID;
	if ((buf = malloc(json_string_length(v) / 4 * 3 + 3)) == NULL)
		return fail(w, PDB_E_SYSTEM, "out of memory");
	rc = pdb_value_base64_decode(json_string_value(v),
	    json_string_length(v), buf, &n, w->e);
	free(buf);
	if (rc != PDB_OK && w->len > 0)
		pdb_err_detail(w->e, " (attribute '%s')", w->path);
	*size = n;
	return rc;
}

static int
check_bool(struct walk *w, const json_t *v, int is_null)
{
	char msg[96];

	if (!json_is_boolean(v)) {
		snprintf(msg, sizeof(msg), "%s cannot be converted to Boolean",
		    pdb_value_token_name(v));
		return serialization(w, msg);
	}
	if (is_null && !json_is_true(v))
		return invalid(w, INVALID "Null attribute value types must "
		    "have the value of true");
	return PDB_OK;
}

struct elem {
	json_t *v;
	struct pdb_number n;
};

static int
cmp_bytes(const json_t *a, const json_t *b)
{
	size_t la = json_string_length(a), lb = json_string_length(b);
	int c = memcmp(json_string_value(a), json_string_value(b),
	    la < lb ? la : lb);

	return c ? c : (la > lb) - (la < lb);
}

static int
cmp_elem_bytes(const void *a, const void *b)
{
	return cmp_bytes(((const struct elem *)a)->v,
	    ((const struct elem *)b)->v);
}

static int
cmp_elem_number(const void *a, const void *b)
{
	return pdb_number_compare(&((const struct elem *)a)->n,
	    &((const struct elem *)b)->n);
}

/* DynamoDB quotes a duplicated collection as "[a, a]". */
static void
duplicate_message(char *msg, size_t sz, const char *before, const json_t *set,
    const char *after)
{
	/* The elements are shortened, never the words after them. */
	size_t i, len, room = sz - strlen(after) - 8;
	json_t *x;
	int n;

	len = (size_t)snprintf(msg, sz, "%s[", before);
	json_array_foreach(set, i, x) {
		n = (int)json_string_length(x);
		if (len + 48 > room) {
			len += (size_t)snprintf(msg + len, sz - len, ", …");
			break;
		}
		len += (size_t)snprintf(msg + len, sz - len, "%s%.*s%s",
		    i ? ", " : "", n > 32 ? 32 : n, json_string_value(x),
		    n > 32 ? "…" : "");
	}
	snprintf(msg + len, sz - len, "]%s", after);
}

static int
set_empty(struct walk *w, char type)
{
	if (type == 'S')
		return invalid(w, INVALID "An string set  may not be empty");
	if (type == 'N')
		return invalid(w, INVALID "An number set  may not be empty");
	return invalid(w, INVALID "Binary sets should not be empty");
}

static int
set_duplicates(struct walk *w, char type, const json_t *set)
{
	char msg[512];

	if (type == 'N')
		return invalid(w, "Input collection contains duplicates");
	if (type == 'S')
		duplicate_message(msg, sizeof(msg), INVALID "Input collection ",
		    set, " contains duplicates.");
	else
		duplicate_message(msg, sizeof(msg), INVALID "Input collection ",
		    set, "of type BS contains duplicates.");
	return invalid(w, msg);
}

/* Check a set's elements, then sort them: DynamoDB keeps no set order,
 * and sorted sets make equal items compare equal as text. */
static int
check_set(struct walk *w, json_t *set, char type, size_t *size)
{
	struct elem *el;
	size_t i, n = json_array_size(set), sz, total = 0;
	int rc = PDB_OK;

	if (!json_is_array(set))
		return serialization(w, "Unexpected field type");
	if (n == 0)
		return set_empty(w, type);
	if ((el = calloc(n, sizeof(*el))) == NULL)
		return fail(w, PDB_E_SYSTEM, "out of memory");
	for (i = 0; i < n && rc == PDB_OK; i++) {
		el[i].v = json_array_get(set, i);
		if (type == 'N') {
			rc = check_number(w, el[i].v, &el[i].n);
			total += rc == PDB_OK ? pdb_number_size(&el[i].n) : 0;
		} else if (type == 'B') {
			rc = check_binary(w, el[i].v, &sz);
			total += sz;
		} else if ((rc = want_string(w, el[i].v)) == PDB_OK)
			total += json_string_length(el[i].v);
	}
	if (rc == PDB_OK) {
		qsort(el, n, sizeof(*el), type == 'N' ? cmp_elem_number :
		    cmp_elem_bytes);
		for (i = 1; i < n && rc == PDB_OK; i++)
			if ((type == 'N' ? cmp_elem_number(&el[i - 1], &el[i]) :
			    cmp_elem_bytes(&el[i - 1], &el[i])) == 0)
				rc = set_duplicates(w, type, set);
	}
	if (rc == PDB_OK) {
		for (i = 0; i < n; i++)
			json_incref(el[i].v);
		json_array_clear(set);
		for (i = 0; i < n; i++)
			json_array_append_new(set, el[i].v);
		*size = total;
	}
	free(el);
	return rc;
}

const char *
pdb_value_name_fault(size_t len)
{
	if (len == 0)
		return "Empty attribute name";
	if (len > PDB_NAME_BYTES_MAX)
		return "Attribute name is too large, must be less than 65536 "
		    "bytes";
	return NULL;
}

/* An attribute's name, at the top or inside a map. */
static int
check_name(struct walk *w, const char *name)
{
	const char *fault = pdb_value_name_fault(strlen(name));

	return fault != NULL ? invalid(w, fault) : PDB_OK;
}

static int
check_map(struct walk *w, json_t *m, int depth, size_t *size)
{
	const char *name;
	json_t *v;
	size_t old, sz, total = 3;

	if (!json_is_object(m))
		return serialization(w, "Unexpected field type");
	json_object_foreach(m, name, v) {
		if (check_name(w, name) != PDB_OK)
			return w->e->status;
		old = path_push_name(w, name);
		if (check_value(w, v, depth + 1, &sz) != PDB_OK)
			return w->e->status;
		path_pop(w, old);
		total += strlen(name) + sz + 1;
	}
	*size = total;
	return PDB_OK;
}

static int
check_list(struct walk *w, json_t *l, int depth, size_t *size)
{
	json_t *v;
	size_t i, old, sz, total = 3;

	if (!json_is_array(l))
		return serialization(w, "Unexpected field type");
	json_array_foreach(l, i, v) {
		old = path_push_index(w, i);
		if (check_value(w, v, depth + 1, &sz) != PDB_OK)
			return w->e->status;
		path_pop(w, old);
		total += sz + 1;
	}
	*size = total;
	return PDB_OK;
}

static int
check_typed(struct walk *w, const char *type, json_t *x, int depth,
    size_t *size)
{
	struct pdb_number n;

	if (strcmp(type, "S") == 0) {
		*size = json_is_string(x) ? json_string_length(x) : 0;
		return want_string(w, x);
	}
	if (strcmp(type, "N") == 0) {
		if (check_number(w, x, &n) != PDB_OK)
			return PDB_INVALID;
		*size = pdb_number_size(&n);
		return PDB_OK;
	}
	if (strcmp(type, "B") == 0)
		return check_binary(w, x, size);
	if (strcmp(type, "BOOL") == 0 || strcmp(type, "NULL") == 0) {
		*size = 1;
		return check_bool(w, x, type[0] == 'N');
	}
	if (strcmp(type, "M") == 0)
		return check_map(w, x, depth, size);
	if (strcmp(type, "L") == 0)
		return check_list(w, x, depth, size);
	if (strcmp(type, "SS") == 0 || strcmp(type, "NS") == 0 ||
	    strcmp(type, "BS") == 0)
		return check_set(w, x, type[0], size);
	return invalid(w, "Supplied AttributeValue is empty, must contain "
	    "exactly one of the supported datatypes");
}

static int
check_value(struct walk *w, json_t *v, int depth, size_t *size)
{
	const char *type;

	if (depth > PDB_DEPTH_MAX)
		return invalid(w, "Nesting Levels have exceeded supported "
		    "limits: Attributes in the item have nested levels beyond "
		    "supported limit");
	if (!json_is_object(v))
		return serialization(w, json_is_array(v) ? "Start of list "
		    "found where not expected" : "Expected an AttributeValue "
		    "object such as {\"S\":\"text\"}");
	if (json_object_size(v) == 0)
		return invalid(w, "Supplied AttributeValue is empty, must "
		    "contain exactly one of the supported datatypes");
	if (json_object_size(v) > 1)
		return invalid(w, "Supplied AttributeValue has more than one "
		    "datatypes set, must contain exactly one of the supported "
		    "datatypes");
	type = json_object_iter_key(json_object_iter(v));
	return check_typed(w, type, json_object_iter_value(
	    json_object_iter(v)), depth, size);
}

int
pdb_value_check_item(json_t *item, size_t *size, struct pdb_err *e)
{
	struct walk w = { .e = e };
	const char *name;
	json_t *v;
	size_t sz, total = 0, old;

	if (!json_is_object(item))
		return pdb_err_set(e, PDB_E_SERIALIZATION,
		    "expected an item, a JSON object of attribute values");
	json_object_foreach(item, name, v) {
		if (check_name(&w, name) != PDB_OK)
			return e->status;
		old = path_push_name(&w, name);
		if (check_value(&w, v, 1, &sz) != PDB_OK)
			return e->status;
		path_pop(&w, old);
		total += strlen(name) + sz;
	}
	*size = total;
	return PDB_OK;
}

int
pdb_value_check_size(size_t size, int update, struct pdb_err *e)
{
	if (size <= PDB_ITEM_SIZE_MAX)
		return PDB_OK;
	return pdb_err_invalid(e, update ? "Item size to update has exceeded "
	    "the maximum allowed size" : "Item size has exceeded the maximum "
	    "allowed size");
}

/*
 * The canonical text: compact, object keys sorted by strcmp, strings
 * escaped exactly as Jansson escapes them.  Written here because
 * json_dumps with JSON_SORT_KEYS was a third of pdb-put's work.
 */
struct member {
	const char *key;
	json_t *value;
};

static int
by_key(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->key,
	    ((const struct member *)b)->key);
}

static void put_value(struct pdb_buf *t, const json_t *v);

static void
put_canonical_object(struct pdb_buf *t, const json_t *o)
{
	struct member few[16], *m = few;
	size_t n = json_object_size(o), i = 0;
	const char *k;
	json_t *v;

	if (n > 16 && (m = malloc(n * sizeof(*m))) == NULL) {
		t->oom = 1;
		return;
	}
	json_object_foreach((json_t *)o, k, v)
		m[i++] = (struct member){ k, v };
	qsort(m, n, sizeof(*m), by_key);
	pdb_buf_put(t, "{", 1);
	for (i = 0; i < n; i++) {
		if (i)
			pdb_buf_put(t, ",", 1);
		pdb_buf_put_json_string(t, m[i].key, strlen(m[i].key));
		pdb_buf_put(t, ":", 1);
		put_value(t, m[i].value);
	}
	pdb_buf_put(t, "}", 1);
	if (m != few)
		free(m);
}

static void
put_value(struct pdb_buf *t, const json_t *v)
{
	size_t i;
	char *other;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		put_canonical_object(t, v);
		break;
	case JSON_ARRAY:
		pdb_buf_put(t, "[", 1);
		for (i = 0; i < json_array_size(v); i++) {
			if (i)
				pdb_buf_put(t, ",", 1);
			put_value(t, json_array_get(v, i));
		}
		pdb_buf_put(t, "]", 1);
		break;
	case JSON_STRING:
		pdb_buf_put_json_string(t, json_string_value(v), json_string_length(v));
		break;
	case JSON_TRUE:
		pdb_buf_put(t, "true", 4);
		break;
	case JSON_FALSE:
		pdb_buf_put(t, "false", 5);
		break;
	case JSON_NULL:
		pdb_buf_put(t, "null", 4);
		break;
	default:	/* numbers never occur in checked items */
		if ((other = json_dumps(v, JSON_ENCODE_ANY)) == NULL) {
			t->oom = 1;
			break;
		}
		pdb_buf_put(t, other, strlen(other));
		free(other);
	}
}

char *
pdb_value_dump(const json_t *item)
{
	struct pdb_buf t = { 0 };

	put_value(&t, item);
	pdb_buf_putc(&t, '\0');
	if (t.oom) {
		pdb_buf_free(&t);
		return NULL;
	}
	return t.data;
}

json_t *
pdb_value_load(const char *text, size_t len)
{
	return json_loadb(text, len, JSON_ALLOW_NUL, NULL);
}

/* Plain numbers: integers exactly; reals by the shortest text that reads
 * back as the same double, as the SDKs print them. */
static json_t *
marshal_number(const json_t *v, struct pdb_err *e)
{
	struct pdb_number n;
	char text[64], norm[PDB_NUMBER_TEXT_MAX], msg[256];
	int prec;

	if (json_is_integer(v))
		snprintf(text, sizeof(text), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	else
		for (prec = 15; prec <= 17; prec++) {
			snprintf(text, sizeof(text), "%.*g", prec,
			    json_real_value(v));
			if (strtod(text, NULL) == json_real_value(v))
				break;
		}
	if (pdb_number_parse(&n, text, strlen(text), msg, sizeof(msg)) != 0) {
		pdb_err_set(e, PDB_E_VALIDATION, "%s", msg);
		return NULL;
	}
	pdb_number_format(&n, norm);
	return json_pack("{s:s}", "N", norm);
}

json_t *
pdb_value_marshal(const json_t *plain, struct pdb_err *e)
{
	json_t *out, *x, *m;
	const char *k;
	size_t i;

	switch (json_typeof(plain)) {
	case JSON_STRING:
		return json_pack("{s:O}", "S", plain);
	case JSON_INTEGER:
	case JSON_REAL:
		return marshal_number(plain, e);
	case JSON_TRUE:
	case JSON_FALSE:
		return json_pack("{s:O}", "BOOL", plain);
	case JSON_NULL:
		return json_pack("{s:b}", "NULL", 1);
	case JSON_ARRAY:
		out = json_array();
		json_array_foreach(plain, i, x) {
			if ((m = pdb_value_marshal(x, e)) == NULL) {
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, m);
		}
		return json_pack("{s:o}", "L", out);
	case JSON_OBJECT:
		out = json_object();
		json_object_foreach((json_t *)plain, k, x) {
			if ((m = pdb_value_marshal(x, e)) == NULL) {
				json_decref(out);
				return NULL;
			}
			json_object_set_new(out, k, m);
		}
		return json_pack("{s:o}", "M", out);
	}
	return NULL;
}

static void put_plain(struct pdb_buf *b, const json_t *v);

static void
put_json_string(struct pdb_buf *b, const json_t *s)
{
	pdb_buf_put_json_string(b, json_string_value(s), json_string_length(s));
}

static void
put_array(struct pdb_buf *b, const json_t *a, int numbers)
{
	json_t *x;
	size_t i;

	pdb_buf_putc(b, '[');
	json_array_foreach(a, i, x) {
		if (i)
			pdb_buf_putc(b, ',');
		if (numbers)
			pdb_buf_put(b, json_string_value(x),
			    json_string_length(x));
		else
			put_plain(b, x);
	}
	pdb_buf_putc(b, ']');
}

static void
put_object(struct pdb_buf *b, const json_t *o)
{
	const char *k;
	json_t *x;
	int first = 1;

	pdb_buf_putc(b, '{');
	json_object_foreach((json_t *)o, k, x) {
		if (!first)
			pdb_buf_putc(b, ',');
		first = 0;
		pdb_buf_put_json_string(b, k, strlen(k));
		pdb_buf_putc(b, ':');
		put_plain(b, x);
	}
	pdb_buf_putc(b, '}');
}

/* Numbers go out as their stored text, so 38 digits survive. */
static void
put_plain(struct pdb_buf *b, const json_t *v)
{
	const char *type = json_object_iter_key(json_object_iter((json_t *)v));
	json_t *x = json_object_iter_value(json_object_iter((json_t *)v));

	if (type == NULL || strcmp(type, "NULL") == 0)
		pdb_buf_puts(b, "null");
	else if (strcmp(type, "N") == 0)
		pdb_buf_put(b, json_string_value(x), json_string_length(x));
	else if (strcmp(type, "NS") == 0)
		put_array(b, x, 1);
	else if (strcmp(type, "L") == 0)
		put_array(b, x, 0);
	else if (strcmp(type, "M") == 0)
		put_object(b, x);
	else if (strcmp(type, "BOOL") == 0)
		pdb_buf_puts(b, json_is_true(x) ? "true" : "false");
	else if (strcmp(type, "SS") == 0 || strcmp(type, "BS") == 0) {
		size_t i;
		json_t *el;

		pdb_buf_putc(b, '[');
		json_array_foreach(x, i, el) {
			if (i)
				pdb_buf_putc(b, ',');
			put_json_string(b, el);
		}
		pdb_buf_putc(b, ']');
	} else	/* S, B */
		put_json_string(b, x);
}

void
pdb_value_put_plain(struct pdb_buf *b, const json_t *item)
{
	put_object(b, item);
}
