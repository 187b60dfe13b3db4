/* cli_fixture.c — the fixture formats that exist, read into writes: the
 * AWS CLI's BatchWriteItem request files, DynamoDB's S3 export lines and
 * the AWS CLI's Scan and Query output, a value at a time. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/cli.h"
#include "pdb/op_table.h"
#include "pdb/wire.h"

/* Attribute names are at most 64 KB; table names at most 255 bytes. */
#define NAME_MAX_BYTES 65536
#define TABLE_NAME_MAX 1024

void
pdb_cli_fixture_free(struct pdb_cli_fixture *f)
{
	pdb_buf_free(&f->text);
}

/* f->where: the input's name, the place at (its column unless 0), then
 * what fmt says, if anything. */
static void
locate(struct pdb_cli_fixture *f, const struct pdb_pos *at,
    const char *fmt, ...)
{
	va_list ap;
	int n;

	n = at->col > 0 ? snprintf(f->where, sizeof(f->where), "%s:%ld:%ld",
	    f->in->name, at->line, at->col) : snprintf(f->where,
	    sizeof(f->where), "%s:%ld", f->in->name, at->line);
	if (fmt == NULL || n < 0 || (size_t)n + 2 >= sizeof(f->where))
		return;
	strcpy(f->where + n, ": ");
	va_start(ap, fmt);
	vsnprintf(f->where + n + 2, sizeof(f->where) - (size_t)n - 2, fmt, ap);
	va_end(ap);
}

/* f->where: the input's next byte, for what is wrong with it. */
static void
mark(struct pdb_cli_fixture *f)
{
	struct pdb_pos at;

	pdb_lines_pos(f->in, &at);
	locate(f, &at, NULL);
}

/* A syntax error, whose message says where it is: f->where names the
 * object it is in. */
static int
here(struct pdb_cli_fixture *f, struct pdb_err *e)
{
	locate(f, &f->start, NULL);
	return e->status;
}

/* The next value of the input, at most max bytes, parsed: *at is where
 * it begins, what names it in errors. */
static int
next_value(struct pdb_cli_fixture *f, size_t max, const char *what,
    struct pdb_pos *at, json_t **v, struct pdb_err *e)
{
	ssize_t n;

	*v = NULL;
	pdb_lines_peek(f->in);
	pdb_lines_pos(f->in, at);
	f->text.len = 0;
	if ((n = pdb_lines_value(f->in, &f->text, max)) < 0)
		return pdb_lines_value_error(f->in, n, what, e);
	return pdb_cli_parse_json_at(f->text.data, f->text.len, f->plain, at,
	    v, e);
}

/* BatchWriteItem request files. */

/* One table's list of write requests, each applied as it is read. */
static int
table_list(struct pdb_cli_fixture *f, const char *table, struct pdb_err *e)
{
	struct pdb_batch_write w;
	struct pdb_pos at;
	json_t *el;
	long i = 0;
	int first = 1, r, rc;

	pdb_lines_pos(f->in, &at);
	pdb_lines_skip(f->in);
	while ((r = pdb_lines_element(f->in, &first, e)) == 1) {
		pdb_lines_pos(f->in, &at);
		locate(f, &at, "request %ld of table %s", ++i, table);
		if (next_value(f, PDB_LINE_MAX, "the request", &at, &el, e) !=
		    PDB_OK)
			return e->status;
		if ((rc = pdb_wire_write_request(table, el, &w, e)) == PDB_OK)
			rc = f->write(f->arg, table, w.item, w.del, e);
		json_decref(el);
		if (rc != PDB_OK)
			return rc;
	}
	if (r < 0)
		return here(f, e);
	if (i > 0)
		return PDB_OK;
	locate(f, &at, NULL);
	return pdb_err_invalid(e, "The batch write request list for a table "
	    "cannot be null or empty: %s", table);
}

/* A member of a request object (or of its RequestItems) that is a
 * table's list; seen holds the tables already read. */
static int
table(struct pdb_cli_fixture *f, json_t *seen, const char *name,
    struct pdb_err *e)
{
	if (json_object_get(seen, name) != NULL) {
		mark(f);
		return pdb_err_set(e, PDB_E_SERIALIZATION, "table %s is named "
		    "twice in one request", name);
	}
	if (pdb_table_check_name(name, e) != PDB_OK) {
		mark(f);
		return e->status;
	}
	json_object_set_new(seen, name, json_true());
	return table_list(f, name, e);
}

/* A member that is not a table's list where one was expected. */
static int
not_a_list(struct pdb_cli_fixture *f, const char *name, struct pdb_err *e)
{
	mark(f);
	return pdb_err_set(e, PDB_E_SERIALIZATION, "the value of '%s' is not "
	    "a list of write requests: expected {\"TABLE\":[{\"PutRequest\":"
	    "{\"Item\":…}}, {\"DeleteRequest\":{\"Key\":…}}, …]}", name);
}

/* RequestItems of a whole request: tables and their lists. */
static int
request_items(struct pdb_cli_fixture *f, json_t *seen, struct pdb_err *e)
{
	char name[TABLE_NAME_MAX];
	int first = 1, r;

	pdb_lines_skip(f->in);
	while ((r = pdb_lines_member(f->in, &first, name, sizeof(name), e)) ==
	    1)
		if ((pdb_lines_peek(f->in) == '[' ? table(f, seen, name, e) :
		    not_a_list(f, name, e)) != PDB_OK)
			return e->status;
	return r < 0 ? here(f, e) : PDB_OK;
}

/* ReturnConsumedCapacity or ReturnItemCollectionMetrics: they shape a
 * response, and none is printed. */
static int
response_option(struct pdb_cli_fixture *f, const char *name,
    struct pdb_err *e)
{
	struct pdb_pos at;
	json_t *v;
	int string;

	mark(f);
	if (next_value(f, NAME_MAX_BYTES, name, &at, &v, e) != PDB_OK)
		return e->status;
	string = json_is_string(v);
	json_decref(v);
	if (string)
		return PDB_OK;
	locate(f, &at, NULL);
	return pdb_err_set(e, PDB_E_SERIALIZATION, "the value of %s is not a "
	    "string", name);
}

static int
is_response_option(const char *name)
{
	return strcmp(name, "ReturnConsumedCapacity") == 0 ||
	    strcmp(name, "ReturnItemCollectionMetrics") == 0;
}

/*
 * One object: the AWS CLI's --request-items, {"TABLE":[…], …}, or a whole
 * BatchWriteItem request, {"RequestItems":{…}, …}, told apart by their
 * members' values (a table's is a list).
 */
static int
batch_object(struct pdb_cli_fixture *f, struct pdb_err *e)
{
	enum { UNKNOWN, TABLES, REQUEST } kind = UNKNOWN;
	char name[TABLE_NAME_MAX];
	json_t *seen = json_object();
	int first = 1, r = 0, c, rc = PDB_OK;

	pdb_lines_pos(f->in, &f->start);
	pdb_lines_skip(f->in);
	while (rc == PDB_OK && (r = pdb_lines_member(f->in, &first, name,
	    sizeof(name), e)) == 1) {
		c = pdb_lines_peek(f->in);
		if (kind != TABLES && c == '{' &&
		    strcmp(name, "RequestItems") == 0) {
			kind = REQUEST;
			rc = request_items(f, seen, e);
		} else if (kind != TABLES && c != '[' &&
		    is_response_option(name)) {
			kind = REQUEST;
			rc = response_option(f, name, e);
		} else if (kind != REQUEST && c == '[') {
			kind = TABLES;
			rc = table(f, seen, name, e);
		} else if (kind == REQUEST) {
			mark(f);
			rc = pdb_err_set(e, PDB_E_SERIALIZATION, "unexpected "
			    "member '%s' in a BatchWriteItem request: expected "
			    "RequestItems, ReturnConsumedCapacity or "
			    "ReturnItemCollectionMetrics", name);
		} else
			rc = not_a_list(f, name, e);
	}
	if (rc == PDB_OK && r < 0)
		rc = here(f, e);
	if (rc == PDB_OK && json_object_size(seen) == 0) {
		locate(f, &f->start, NULL);
		rc = pdb_err_invalid(e, "BatchWriteItem cannot have a null or "
		    "no requests set");
	}
	json_decref(seen);
	return rc;
}

int
pdb_cli_fixture_batch(struct pdb_cli_fixture *f, struct pdb_err *e)
{
	int c;

	while ((c = pdb_lines_peek(f->in)) != PDB_LINES_END) {
		if (c != '{') {
			mark(f);
			return pdb_lines_expected(f->in, "a BatchWriteItem "
			    "request, {\"TABLE\":[…]} or {\"RequestItems\":{…}}",
			    e);
		}
		if (batch_object(f, e) != PDB_OK)
			return e->status;
	}
	return PDB_OK;
}

/* pdb-put's input: items, S3 export lines, Scan and Query output. */

/* The members of a Scan or Query response besides Items, which are
 * read and left: the items are what is loaded. */
static int
response_member(const char *name, struct pdb_err *e)
{
	static const char *const names[] = { "Count", "ScannedCount",
	    "LastEvaluatedKey", "ConsumedCapacity", "NextToken",
	    "ResponseMetadata", NULL };
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(name, names[i]) == 0)
			return PDB_OK;
	return pdb_err_set(e, PDB_E_SERIALIZATION, "'Items' is a list, so "
	    "this is read as a Scan or Query response, which has no member "
	    "'%s'", name);
}

/* The members of a response read so far. */
static int
response_members(const json_t *v, struct pdb_err *e)
{
	const char *name;
	json_t *m;

	json_object_foreach((json_t *)v, name, m)
		if (strcmp(name, "Items") != 0 &&
		    response_member(name, e) != PDB_OK)
			return e->status;
	return PDB_OK;
}

/* The n-th item of a response's Items. */
static int
response_item(struct pdb_cli_fixture *f, json_t *item, struct pdb_err *e)
{
	if (!json_is_object(item))
		return pdb_err_set(e, PDB_E_SERIALIZATION,
		    "expected an item, a JSON object");
	return f->write(f->arg, f->table, item, 0, e);
}

/*
 * A value that is not a spanning response: with DynamoDB JSON, a Scan or
 * Query response (a member Items whose value is a list, which an item's
 * attribute value never is), or an S3 export line (the only member is
 * Item, and its value holds the table's partition key, which an item
 * {"Item":…} cannot: its value is an attribute value, and the table's key
 * is not its only attribute unless that key is named Item), or an item.
 */
static int
put_value(struct pdb_cli_fixture *f, json_t *v, const struct pdb_pos *at,
    struct pdb_err *e)
{
	json_t *items, *inner, *item;
	const char *hash;
	size_t i;
	int rc;

	if (!f->plain && json_is_object(v) &&
	    json_is_array(items = json_object_get(v, "Items"))) {
		if (response_members(v, e) != PDB_OK)
			return e->status;
		json_array_foreach(items, i, item) {
			locate(f, at, "item %zu of Items", i + 1);
			if (response_item(f, item, e) != PDB_OK)
				return e->status;
		}
		return PDB_OK;
	}
	if (!f->plain && json_object_size(v) == 1 &&
	    json_is_object(inner = json_object_get(v, "Item"))) {
		if (f->hash_key(f->arg, &hash, e) != PDB_OK)
			return e->status;
		if (json_object_get(inner, hash) != NULL)
			v = inner;
	}
	if ((rc = pdb_cli_item(v, f->plain, &item, e)) == PDB_OK)
		rc = f->write(f->arg, f->table, item, 0, e);
	json_decref(item);
	return rc;
}

/* The items of a response's Items, each put as it is read. */
static int
stream_items(struct pdb_cli_fixture *f, struct pdb_err *e)
{
	struct pdb_pos at;
	json_t *item;
	long i = 0;
	int first = 1, r, rc;

	pdb_lines_skip(f->in);
	while ((r = pdb_lines_element(f->in, &first, e)) == 1) {
		pdb_lines_pos(f->in, &at);
		at.col = 0;
		locate(f, &at, "item %ld of Items", ++i);
		if (next_value(f, PDB_LINE_MAX, "the item", &at, &item, e) !=
		    PDB_OK)
			return e->status;
		rc = response_item(f, item, e);
		json_decref(item);
		if (rc != PDB_OK)
			return rc;
	}
	return r < 0 ? here(f, e) : PDB_OK;
}

/*
 * An object whose "{" stood alone on its line, to its closing "}" on a
 * later line: a pretty-printed item, or a response whose Items are put
 * one by one as they are read.  Its other members are held, at most
 * PDB_LINE_MAX bytes of them.
 */
static int
spanning(struct pdb_cli_fixture *f, struct pdb_err *e)
{
	struct pdb_pos at;
	size_t held = 0;
	json_t *obj = json_object(), *v;
	char *name;
	int first = 1, response = 0, r = 0, rc = PDB_OK;

	f->start.line = f->in->lineno;
	f->start.col = 0;
	if ((name = malloc(NAME_MAX_BYTES)) == NULL || obj == NULL) {
		free(name);
		json_decref(obj);
		return pdb_err_system(e, "out of memory");
	}
	while (rc == PDB_OK && (r = pdb_lines_member(f->in, &first, name,
	    NAME_MAX_BYTES, e)) == 1) {
		if (json_object_get(obj, name) != NULL ||
		    (response && strcmp(name, "Items") == 0)) {
			mark(f);
			rc = pdb_err_set(e, PDB_E_SERIALIZATION, "duplicate "
			    "member '%s'", name);
		} else if (!f->plain && strcmp(name, "Items") == 0 &&
		    pdb_lines_peek(f->in) == '[') {
			response = 1;
			if ((rc = response_members(obj, e)) != PDB_OK)
				locate(f, &f->start, NULL);
			else
				rc = stream_items(f, e);
		} else if (response && (rc = response_member(name, e)) !=
		    PDB_OK)
			mark(f);
		else {
			locate(f, &f->start, NULL);
			if ((rc = next_value(f, PDB_LINE_MAX - held,
			    "the object", &at, &v, e)) == PDB_OK) {
				held += f->text.len;
				json_object_set_new(obj, name, v);
			}
		}
	}
	free(name);
	if (rc == PDB_OK && (r < 0 || pdb_lines_line_end(f->in, e) != 0))
		rc = here(f, e);
	if (rc == PDB_OK && !response) {
		locate(f, &f->start, NULL);
		rc = put_value(f, obj, &f->start, e);
	}
	json_decref(obj);
	return rc;
}

/* A line that holds only "{" begins an object that spans lines. */
static int
opens_object(const char *line, size_t len)
{
	size_t i, braces = 0;

	for (i = 0; i < len; i++)
		if (line[i] == '{')
			braces++;
		else if (!strchr(" \t\r", line[i]) || line[i] == '\0')
			return 0;
	return braces == 1;
}

int
pdb_cli_fixture_line(struct pdb_cli_fixture *f, const char *line, size_t len,
    struct pdb_err *e)
{
	struct pdb_pos at = { f->in->lineno, 0 };
	json_t *v;
	int rc;

	if (opens_object(line, len))
		return spanning(f, e);
	if (pdb_cli_parse_json(line, len, f->plain, &v, e) != PDB_OK)
		return e->status;
	rc = put_value(f, v, &at, e);
	json_decref(v);
	return rc;
}
