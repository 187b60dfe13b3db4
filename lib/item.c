/* item.c — item writes with their stream records, and item reads. */
#include <stdlib.h>
#include <string.h>

#include "pdb/capture.h"
#include "pdb/cli.h"
#include "pdb/expr.h"
#include "pdb/clock.h"
#include "pdb/item.h"
#include "pdb/jsonl.h"
#include "pdb/key.h"
#include "pdb/value.h"

struct pdb_writer {
	struct pdb_db *db;
	char name[PDB_NAME_MAX];
	struct pdb_table t;
	unsigned char key[PDB_KEY_MAX];
	size_t keylen, keysize;
};

/* The stored item for w->key, if any; the statement stays positioned on
 * the row until the caller resets it. */
static const char old_sql[] = "SELECT id, size, item FROM items"
    " WHERE tbl = ?1 AND key = ?2";

int
pdb_writer_new(struct pdb_writer **out, struct pdb_db *db, const char *table,
    struct pdb_err *e)
{
	struct pdb_writer *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (w == NULL)
		return pdb_err_set(e, PDB_E_SYSTEM, "out of memory");
	w->db = db;
	snprintf(w->name, sizeof(w->name), "%s", table);
	*out = w;
	return PDB_OK;
}

void
pdb_writer_free(struct pdb_writer *w)
{
	if (w == NULL)
		return;
	pdb_writer_rollback(w);
	free(w);
}

int
pdb_writer_begin(struct pdb_writer *w, struct pdb_err *e)
{
	if (pdb_db_begin_write(w->db, e) != PDB_OK)
		return e->status;
	/* Inside the transaction: another process may have changed the
	 * table or its stream since the last batch. */
	if (pdb_table_get(w->db, w->name, &w->t, e) != PDB_OK ||
	    pdb_capture_trim(w->db, pdb_db_now_ms(w->db), e) != PDB_OK) {
		pdb_db_rollback(w->db);
		return e->status;
	}
	return PDB_OK;
}

int
pdb_writer_commit(struct pdb_writer *w, struct pdb_err *e)
{
	return pdb_db_commit(w->db, e);
}

void
pdb_writer_rollback(struct pdb_writer *w)
{
	pdb_db_rollback(w->db);
}

/* Check the item's values and its key, leaving the key in w->key. */
static int
check_item(struct pdb_writer *w, json_t *item, enum pdb_key_use use,
    size_t *size, struct pdb_err *e)
{
	if (pdb_value_check_item(item, size, e) != PDB_OK)
		return e->status;
	return pdb_key_encode(&w->t.ks, item, use, w->key, &w->keylen,
	    &w->keysize, e);
}

static sqlite3_stmt *
find_old(struct pdb_writer *w, int *found, struct pdb_err *e)
{
	sqlite3_stmt *st = pdb_db_stmt(w->db, old_sql, e);
	int rc;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, w->t.id);
	sqlite3_bind_blob(st, 2, w->key, (int)w->keylen, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		pdb_db_fail(w->db, e, "cannot read item");
		sqlite3_reset(st);
		return NULL;
	}
	*found = rc == SQLITE_ROW;
	return st;
}

static int
capture(struct pdb_writer *w, const json_t *item, struct pdb_change *c,
    struct pdb_err *e)
{
	json_t *keys;
	char *text;
	int rc;

	if (w->t.stream == 0)
		return PDB_OK;
	keys = pdb_key_extract(&w->t.ks, item);
	text = pdb_value_dump(keys);
	json_decref(keys);
	if (text == NULL)
		return pdb_err_set(e, PDB_E_SYSTEM, "out of memory");
	c->keys.text = text;
	c->keys.size = w->keysize;
	rc = pdb_capture_append(w->db, w->t.stream, w->t.view, c,
	    pdb_db_now_ms(w->db), e);
	free(text);
	return rc;
}

static int
store(struct pdb_writer *w, const char *text, size_t size, struct pdb_err *e)
{
	static const char sql[] = "INSERT INTO items(tbl, key, size, item)"
	    " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(tbl, key) DO UPDATE"
	    " SET size = excluded.size, item = excluded.item";
	sqlite3_stmt *st = pdb_db_stmt(w->db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, w->t.id);
	sqlite3_bind_blob(st, 2, w->key, (int)w->keylen, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)size);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	return pdb_db_step_done(w->db, st, e, "cannot write item");
}

int
pdb_writer_put(struct pdb_writer *w, json_t *item, struct pdb_err *e)
{
	struct pdb_change c = { .event = PDB_EVENT_INSERT };
	sqlite3_stmt *old;
	size_t size;
	char *text;
	int found, rc;

	if (check_item(w, item, PDB_KEY_ITEM, &size, e) != PDB_OK)
		return e->status;
	if ((text = pdb_value_dump(item)) == NULL)
		return pdb_err_set(e, PDB_E_SYSTEM, "out of memory");
	if ((old = find_old(w, &found, e)) == NULL) {
		free(text);
		return e->status;
	}
	if (found && strcmp(text, (const char *)sqlite3_column_text(old, 2))
	    == 0) {
		sqlite3_reset(old);	/* no change, no record */
		free(text);
		return PDB_OK;
	}
	c.new_image = (struct pdb_image){ text, size };
	if (found) {
		c.event = PDB_EVENT_MODIFY;
		c.old_image.text = (const char *)sqlite3_column_text(old, 2);
		c.old_image.size = (size_t)sqlite3_column_int64(old, 1);
	}
	rc = capture(w, item, &c, e);
	sqlite3_reset(old);
	if (rc == PDB_OK)
		rc = store(w, text, size, e);
	free(text);
	return rc;
}

int
pdb_writer_delete(struct pdb_writer *w, json_t *key, struct pdb_err *e)
{
	static const char sql[] = "DELETE FROM items WHERE id = ?1";
	struct pdb_change c = { .event = PDB_EVENT_REMOVE };
	sqlite3_stmt *old, *del;
	size_t size;
	int64_t id;
	int found, rc;

	if (check_item(w, key, PDB_KEY_LOOKUP, &size, e) != PDB_OK)
		return e->status;
	if ((old = find_old(w, &found, e)) == NULL)
		return e->status;
	if (!found)
		return PDB_OK;	/* nothing deleted, no record */
	id = sqlite3_column_int64(old, 0);
	c.old_image.text = (const char *)sqlite3_column_text(old, 2);
	c.old_image.size = (size_t)sqlite3_column_int64(old, 1);
	rc = capture(w, key, &c, e);
	sqlite3_reset(old);
	if (rc != PDB_OK || (del = pdb_db_stmt(w->db, sql, e)) == NULL)
		return e->status;
	sqlite3_bind_int64(del, 1, id);
	return pdb_db_step_done(w->db, del, e, "cannot delete item");
}

int
pdb_item_parse(const char *line, size_t len, int plain, json_t **out,
    struct pdb_err *e)
{
	json_error_t je;
	json_t *v, *m;

	*out = NULL;
	v = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	/* Plain integers past 64 bits go through a double, as documented. */
	if (v == NULL && plain && strstr(je.text, "too big integer") != NULL)
		v = json_loadb(line, len, JSON_REJECT_DUPLICATES |
		    JSON_DECODE_INT_AS_REAL, &je);
	if (v == NULL)
		return pdb_err_set(e, PDB_E_SERIALIZATION,
		    "malformed JSON at column %d: %s", je.column, je.text);
	if (!json_is_object(v)) {
		json_decref(v);
		return pdb_err_set(e, PDB_E_SERIALIZATION,
		    "expected an item, a JSON object, one per line");
	}
	if (!plain) {
		*out = v;
		return PDB_OK;
	}
	m = pdb_value_marshal(v, e);
	json_decref(v);
	if (m == NULL)
		return e->status;
	/* marshal wraps the object as {"M":{...}}; an item is the map. */
	*out = json_incref(json_object_get(m, "M"));
	json_decref(m);
	return PDB_OK;
}

int
pdb_item_print(FILE *f, const char *text, size_t len, int plain)
{
	json_t *item;
	int rc;

	if (!plain) {
		fwrite(text, 1, len, f);
		return putc('\n', f) == EOF ? -1 : 0;
	}
	if ((item = json_loadb(text, len, 0, NULL)) == NULL)
		return -1;
	rc = pdb_value_print_plain(f, item);
	json_decref(item);
	return rc != 0 || putc('\n', f) == EOF ? -1 : 0;
}

int
pdb_item_get(struct pdb_db *db, const struct pdb_table *t, json_t *key,
    char **text, struct pdb_err *e)
{
	static const char sql[] = "SELECT item FROM items"
	    " WHERE tbl = ?1 AND key = ?2";
	unsigned char buf[PDB_KEY_MAX];
	sqlite3_stmt *st;
	size_t size, len;
	int rc;

	*text = NULL;
	if (pdb_value_check_item(key, &size, e) != PDB_OK ||
	    pdb_key_encode(&t->ks, key, PDB_KEY_LOOKUP, buf, &len, NULL, e)
	    != PDB_OK)
		return e->status;
	if ((st = pdb_db_stmt(db, sql, e)) == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, t->id);
	sqlite3_bind_blob(st, 2, buf, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*text = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return *text ? PDB_OK : pdb_err_set(e, PDB_E_SYSTEM,
		    "out of memory");
	if (rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read item");
	return pdb_err_set(e, PDB_E_NO_ITEM, "no item with this key");
}

/* Pass each row's item text to fn until it returns non-0. */
static int
each_item(struct pdb_db *db, sqlite3_stmt *st,
    int (*fn)(void *, const char *, size_t), void *arg, struct pdb_err *e)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(arg, (const char *)sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0)) != 0)
			break;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pdb_db_fail(db, e, "cannot read items");
	return PDB_OK;
}

int
pdb_item_scan(struct pdb_db *db, const struct pdb_table *t,
    int (*fn)(void *, const char *, size_t), void *arg, struct pdb_err *e)
{
	static const char sql[] = "SELECT item FROM items WHERE tbl = ?1"
	    " ORDER BY key";
	sqlite3_stmt *st = pdb_db_stmt(db, sql, e);

	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, t->id);
	return each_item(db, st, fn, arg, e);
}

int
pdb_return_parse(const char *s)
{
	static const char *const names[] = { "NONE", "ALL_OLD",
	    "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW" };
	int i;

	for (i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* The stored item with the key of item (checked and canonicalised), as a
 * new reference, or NULL when there is none. */
static int
load_old(struct pdb_writer *w, json_t *item, enum pdb_key_use use,
    json_t **old, struct pdb_err *e)
{
	sqlite3_stmt *st;
	size_t size;
	int found;

	*old = NULL;
	if (check_item(w, item, use, &size, e) != PDB_OK ||
	    (st = find_old(w, &found, e)) == NULL)
		return e->status;
	if (found)
		*old = json_loads((const char *)sqlite3_column_text(st, 2), 0,
		    NULL);
	sqlite3_reset(st);
	return PDB_OK;
}

static int
condition_holds(const struct pdb_write_opts *c, const json_t *old,
    struct pdb_err *e)
{
	int ok;

	if (c == NULL || c->condition == NULL)
		return PDB_OK;
	if (pdb_expr_test(c->condition, old, &ok, e) != PDB_OK)
		return e->status;
	return ok ? PDB_OK : pdb_err_set(e, PDB_E_CONDITION_FAILED, "The conditional request "
	    "failed");
}

static void
print_image(const struct pdb_write_opts *c, const json_t *image)
{
	char *text;

	if (image == NULL || json_object_size(image) == 0 ||
	    (text = pdb_value_dump(image)) == NULL)
		return;
	pdb_item_print(c->out, text, strlen(text), c->plain);
	free(text);
}

/* Only the attributes an update named. */
static json_t *
only(const json_t *item, const json_t *names)
{
	json_t *out = json_object(), *n, *v;
	size_t i;

	json_array_foreach(names, i, n)
		if ((v = json_object_get(item, json_string_value(n))) != NULL)
			json_object_set(out, json_string_value(n), v);
	return out;
}

/* Put and delete: a condition and ALL_OLD need the old item first. */
static int
apply_whole(struct pdb_writer *w, json_t *item, const struct pdb_write_opts *c,
    int del, struct pdb_err *e)
{
	json_t *old = NULL;
	int rc;

	if (c != NULL && (c->condition != NULL || c->ret != PDB_RETURN_NONE)) {
		if (load_old(w, item, del ? PDB_KEY_LOOKUP : PDB_KEY_ITEM, &old,
		    e) != PDB_OK)
			return e->status;
		if (condition_holds(c, old, e) != PDB_OK) {
			json_decref(old);
			return e->status;
		}
	}
	rc = del ? pdb_writer_delete(w, item, e) : pdb_writer_put(w, item, e);
	if (rc == PDB_OK && c != NULL && c->ret == PDB_RETURN_ALL_OLD)
		print_image(c, old);
	json_decref(old);
	return rc;
}

int
pdb_apply_put(struct pdb_writer *w, json_t *item, void *arg,
    struct pdb_err *e)
{
	return apply_whole(w, item, arg, 0, e);
}

int
pdb_apply_delete(struct pdb_writer *w, json_t *item, void *arg,
    struct pdb_err *e)
{
	return apply_whole(w, item, arg, 1, e);
}

static void
print_update(const struct pdb_write_opts *c, const json_t *old, const json_t *new,
    const json_t *touched)
{
	json_t *part;

	if (c->ret == PDB_RETURN_ALL_OLD || c->ret == PDB_RETURN_ALL_NEW) {
		print_image(c, c->ret == PDB_RETURN_ALL_OLD ? old : new);
		return;
	}
	if (c->ret == PDB_RETURN_NONE)
		return;
	part = only(c->ret == PDB_RETURN_UPDATED_OLD ? old : new, touched);
	print_image(c, part);
	json_decref(part);
}

int
pdb_apply_update(struct pdb_writer *w, json_t *line, void *arg,
    struct pdb_err *e)
{
	const struct pdb_write_opts *c = arg;
	json_t *key = pdb_key_extract(&w->t.ks, line), *old = NULL, *new;
	json_t *touched = NULL;
	int rc;

	/* A missing key attribute: extract left a NULL member out. */
	if (pdb_key_encode(&w->t.ks, line, PDB_KEY_LOOKUP, w->key, &w->keylen,
	    NULL, e) != PDB_OK || load_old(w, key, PDB_KEY_LOOKUP, &old, e) !=
	    PDB_OK || condition_holds(c, old, e) != PDB_OK) {
		json_decref(key);
		json_decref(old);
		return e->status;
	}
	new = old ? json_deep_copy(old) : json_incref(key);
	rc = pdb_expr_update(c->update, &w->t.ks, new, &touched, e);
	if (rc == PDB_OK && (rc = pdb_writer_put(w, new, e)) != PDB_OK &&
	    strcmp(e->msg, "Item size has exceeded the maximum allowed size")
	    == 0)
		pdb_err_invalid(e, "Item size to update has exceeded the "
		    "maximum allowed size");
	if (rc == PDB_OK)
		print_update(c, old, new, touched);
	json_decref(touched);
	json_decref(new);
	json_decref(old);
	json_decref(key);
	return rc;
}

static int
load_line(struct pdb_writer *w, const char *line, size_t len,
    const struct pdb_load *load, struct pdb_err *e)
{
	json_t *item;
	int rc;

	if (pdb_item_parse(line, len, load->plain, &item, e) != PDB_OK)
		return e->status;
	rc = load->apply(w, item, load->arg, e);
	json_decref(item);
	return rc;
}

int
pdb_writer_load(struct pdb_writer *w, struct pdb_lines *in,
    const struct pdb_load *load, struct pdb_err *e)
{
	const char *line;
	ssize_t len;
	long n = 0;

	if (pdb_writer_begin(w, e) != PDB_OK)
		return e->status;
	while ((len = pdb_lines_next(in, &line)) >= 0) {
		if (load_line(w, line, (size_t)len, load, e) != PDB_OK) {
			if (load->skipped != NULL &&
			    e->code == PDB_E_CONDITION_FAILED) {
				load->skipped(in->lineno, e);
				continue;
			}
			pdb_writer_rollback(w);
			return e->status;
		}
		if (load->progress != NULL)
			pdb_progress_add(load->progress, 1);
		if (load->batch > 0 && ++n % load->batch == 0 &&
		    (pdb_writer_commit(w, e) != PDB_OK ||
		    pdb_writer_begin(w, e) != PDB_OK))
			return e->status;
	}
	if (ferror(in->f)) {
		pdb_writer_rollback(w);
		return pdb_err_set(e, PDB_E_SYSTEM, "cannot read %s",
		    in->name);
	}
	return pdb_writer_commit(w, e);
}

/* One statement per bound kind and direction, all through the key index. */
#define QUERY(lo, hi, order) "SELECT item FROM items WHERE tbl = ?1" \
    " AND key " lo " ?2 AND key " hi " ?3 ORDER BY key " order
static const char *const query_sql[8] = {
	QUERY(">", "<", "ASC"), QUERY(">", "<=", "ASC"),
	QUERY(">=", "<", "ASC"), QUERY(">=", "<=", "ASC"),
	QUERY(">", "<", "DESC"), QUERY(">", "<=", "DESC"),
	QUERY(">=", "<", "DESC"), QUERY(">=", "<=", "DESC"),
};

int
pdb_item_query(struct pdb_db *db, const struct pdb_table *t,
    const struct pdb_key_range *r, int reverse,
    int (*fn)(void *, const char *, size_t), void *arg, struct pdb_err *e)
{
	static unsigned char beyond[PDB_KEY_MAX + 1];
	int which = (reverse ? 4 : 0) | (r->lo_incl ? 2 : 0) |
	    (r->hilen && r->hi_incl ? 1 : 0);
	sqlite3_stmt *st = pdb_db_stmt(db, query_sql[which], e);

	/* No upper bound: a blob of 0xFF longer than any key. */
	if (beyond[0] != 0xFF)
		memset(beyond, 0xFF, sizeof(beyond));
	if (st == NULL)
		return PDB_SYSTEM;
	sqlite3_bind_int64(st, 1, t->id);
	sqlite3_bind_blob(st, 2, r->lo, (int)r->lolen, SQLITE_STATIC);
	if (r->hilen)
		sqlite3_bind_blob(st, 3, r->hi, (int)r->hilen, SQLITE_STATIC);
	else
		sqlite3_bind_blob(st, 3, beyond, sizeof(beyond), SQLITE_STATIC);
	return each_item(db, st, fn, arg, e);
}
