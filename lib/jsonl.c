/* jsonl.c — reading JSON lines, and JSON text that spans them, with
 * bounded, reused buffers. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "pdb/jsonl.h"

#define READ_SIZE 65536

void
pdb_lines_init(struct pdb_lines *l, int fd, const char *name)
{
	memset(l, 0, sizeof(*l));
	l->fd = fd;
	l->name = name;
}

static int
blank(const char *s, size_t n)
{
	return strspn(s, " \t\r\n") >= n;
}

/* Append n bytes to the line, unless it would pass the limit. */
static int
append(struct pdb_lines *l, size_t *len, const char *s, size_t n)
{
	size_t cap;
	char *p;

	if (*len + n > PDB_LINE_MAX)
		return -1;
	if (*len + n + 1 > l->cap) {
		for (cap = l->cap ? l->cap : 4096; cap < *len + n + 1; cap *= 2)
			;
		if ((p = realloc(l->line, cap)) == NULL)
			return -1;
		l->line = p;
		l->cap = cap;
	}
	memcpy(l->line + *len, s, n);
	*len += n;
	return 0;
}

static int
fill(struct pdb_lines *l)
{
	ssize_t n;

	if (l->in == NULL && (l->in = malloc(READ_SIZE)) == NULL)
		return -1;
	do
		n = read(l->fd, l->in, READ_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	l->start = 0;
	l->end = (size_t)n;
	l->eof = n == 0;
	return 0;
}

/* One raw line into l->line; its length, or an error code.  A line
 * too long is read to its end, but not kept. */
static ssize_t
raw_line(struct pdb_lines *l)
{
	size_t len = 0, n;
	char *nl;
	int toolong = 0;

	for (;;) {
		if (l->start == l->end) {
			if (l->eof || fill(l) != 0)
				break;
			if (l->eof)
				break;
		}
		nl = memchr(l->in + l->start, '\n', l->end - l->start);
		n = (nl ? (size_t)(nl - l->in) : l->end) - l->start;
		if (!toolong && append(l, &len, l->in + l->start, n) != 0) {
			if (len + n <= PDB_LINE_MAX)
				return PDB_LINES_ERROR;	/* out of memory */
			toolong = 1;
		}
		l->start += n + (nl != NULL);
		if (nl != NULL)
			goto line;
	}
	if (!l->eof)
		return PDB_LINES_ERROR;
	if (len == 0 && !toolong)
		return PDB_LINES_END;
line:
	l->lineno++;
	l->col = 0;
	if (toolong)
		return PDB_LINES_TOO_LONG;
	if (append(l, &len, "", 0) != 0)
		return PDB_LINES_ERROR;
	l->line[len] = '\0';
	return (ssize_t)len;
}

ssize_t
pdb_lines_next(struct pdb_lines *l, const char **line)
{
	ssize_t n;

	while ((n = raw_line(l)) >= 0) {
		if (!blank(l->line, (size_t)n)) {
			*line = l->line;
			return n;
		}
	}
	return n;
}

int
pdb_lines_pending(const struct pdb_lines *l)
{
	return l->start < l->end;
}

void
pdb_lines_free(struct pdb_lines *l)
{
	free(l->line);
	free(l->in);
	l->line = l->in = NULL;
	l->cap = 0;
	pdb_buf_free(&l->tok);
}

void
pdb_lines_pos(const struct pdb_lines *l, struct pdb_pos *p)
{
	p->line = l->lineno + 1;
	p->col = l->col + 1;
}

/* Bytes read ahead, after filling the buffer if it is empty: 0 at the end
 * of the input, -1 on a read error. */
static ssize_t
ahead(struct pdb_lines *l)
{
	if (l->start == l->end && !l->eof && fill(l) != 0)
		return -1;
	return (ssize_t)(l->end - l->start);
}

/* Account for n bytes read from the buffer. */
static void
advance(struct pdb_lines *l, size_t n)
{
	const char *p = l->in + l->start, *nl;

	l->start += n;
	while ((nl = memchr(p, '\n', n)) != NULL) {
		l->lineno++;
		l->col = 0;
		n -= (size_t)(nl + 1 - p);
		p = nl + 1;
	}
	l->col += (long)n;
}

static int
space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
pdb_lines_peek(struct pdb_lines *l)
{
	ssize_t n;
	size_t ws;

	while ((n = ahead(l)) > 0) {
		for (ws = 0; ws < (size_t)n && space(l->in[l->start + ws]);
		    ws++)
			;
		advance(l, ws);
		if (ws < (size_t)n)
			return (unsigned char)l->in[l->start];
	}
	return n == 0 ? PDB_LINES_END : PDB_LINES_ERROR;
}

void
pdb_lines_skip(struct pdb_lines *l)
{
	advance(l, 1);
}

/* Where the text of one value ends. */
struct scan {
	char open[256];		/* brackets to close, innermost last */
	size_t depth;
	int string, escape, scalar, done;
};

/* How many of the n bytes at p belong to the value; done is set when it
 * ends with them. */
static size_t
scan(struct scan *s, const char *p, size_t n)
{
	size_t i;
	char c;

	for (i = 0; i < n; i++) {
		c = p[i];
		if (s->string) {
			if (s->escape)
				s->escape = 0;
			else if (c == '\\')
				s->escape = 1;
			else if (c == '"' && (s->string = 0, s->depth == 0))
				break;
		} else if (s->scalar) {
			/* A number or literal ends before the byte after it. */
			if (space(c) || (c != '\0' && strchr(",:[]{}\"", c)))
				return s->done = 1, i;
		} else if (c == '"')
			s->string = 1;
		else if (c == '{' || c == '[') {
			if (s->depth < sizeof(s->open))
				s->open[s->depth] = c == '{' ? '}' : ']';
			s->depth++;
		} else if (c == '}' || c == ']') {
			/* A bracket of the wrong kind ends the text here, for
			 * the parser to name. */
			if (s->depth == 0 || (s->depth <= sizeof(s->open) &&
			    s->open[s->depth - 1] != c) || --s->depth == 0)
				break;
		} else if (s->depth == 0)
			s->scalar = 1;
	}
	if (i == n)
		return n;
	s->done = 1;
	return i + 1;
}

ssize_t
pdb_lines_value(struct pdb_lines *l, struct pdb_buf *b, size_t max)
{
	struct scan s = { .depth = 0 };
	size_t len = 0, used;
	ssize_t n = 0;
	int c;

	if ((c = pdb_lines_peek(l)) < 0)
		return c;
	while (!s.done && (n = ahead(l)) > 0) {
		used = scan(&s, l->in + l->start, (size_t)n);
		if (len + used > max)
			return PDB_LINES_TOO_LONG;
		pdb_buf_put(b, l->in + l->start, used);
		len += used;
		advance(l, used);
	}
	if (n < 0)
		return PDB_LINES_ERROR;
	/* The input may end a number or a literal, nothing else. */
	if (!s.done && !s.scalar)
		return PDB_LINES_END;
	return b->oom ? PDB_LINES_ERROR : (ssize_t)len;
}

static int
read_error(const struct pdb_lines *l, struct pdb_err *e)
{
	return pdb_err_system(e, "cannot read %s: %s", l->name,
	    strerror(errno ? errno : EIO));
}

int
pdb_lines_expected(struct pdb_lines *l, const char *expected,
    struct pdb_err *e)
{
	struct pdb_pos at;
	int c = pdb_lines_peek(l);

	if (c == PDB_LINES_ERROR)
		return read_error(l, e);
	pdb_lines_pos(l, &at);
	pdb_err_set(e, PDB_E_SERIALIZATION, "malformed JSON at line %ld, "
	    "column %ld: expected %s, found ", at.line, at.col, expected);
	if (c == PDB_LINES_END)
		return pdb_err_append(e, "the end of the input");
	if (!isprint(c))
		return pdb_err_append(e, "byte 0x%02x", c);
	return pdb_err_append(e, "'%c'", c);
}

int
pdb_lines_value_error(struct pdb_lines *l, ssize_t n, const char *what,
    struct pdb_err *e)
{
	struct pdb_pos at;

	pdb_lines_pos(l, &at);
	if (n == PDB_LINES_END)
		return pdb_err_set(e, PDB_E_SERIALIZATION, "malformed JSON at "
		    "line %ld, column %ld: the input ends inside %s", at.line,
		    at.col, what);
	if (n == PDB_LINES_TOO_LONG)
		return pdb_err_set(e, PDB_E_SERIALIZATION, "%s is longer than "
		    "%d bytes; an item (at most 400 KB) takes far fewer", what,
		    PDB_LINE_MAX);
	return read_error(l, e);
}

/* Names are short: a table's is at most 255 bytes. */
#define NAME_TEXT_MAX 65536

/* A member's name, read into name. */
static int
member_name(struct pdb_lines *l, char *name, size_t max, struct pdb_err *e)
{
	struct pdb_pos at;
	json_error_t je;
	json_t *s;
	ssize_t n;

	pdb_lines_pos(l, &at);
	l->tok.len = 0;
	if ((n = pdb_lines_value(l, &l->tok, NAME_TEXT_MAX)) < 0)
		return pdb_lines_value_error(l, n, "a member name", e);
	if ((s = json_loadb(l->tok.data, l->tok.len, JSON_DECODE_ANY, &je)) ==
	    NULL)
		return pdb_err_set(e, PDB_E_SERIALIZATION, "malformed JSON at "
		    "line %ld, column %ld: %s, in a member name", at.line,
		    at.col, je.text);
	if (json_string_length(s) >= max) {
		json_decref(s);
		return pdb_err_set(e, PDB_E_SERIALIZATION, "a member name is "
		    "longer than %zu bytes", max - 1);
	}
	memcpy(name, json_string_value(s), json_string_length(s) + 1);
	json_decref(s);
	if (pdb_lines_peek(l) != ':')
		return pdb_lines_expected(l, "':' after a member name", e);
	pdb_lines_skip(l);
	return PDB_OK;
}

/* In an object or array that close ends: 0 after reading close; else 1,
 * the ',' before it read unless first, and its next byte in *c; or -1
 * with e set. */
static int
next_in(struct pdb_lines *l, int *first, char close, const char *after,
    int *c, struct pdb_err *e)
{
	if ((*c = pdb_lines_peek(l)) == close) {
		pdb_lines_skip(l);
		return 0;
	}
	if (!*first) {
		if (*c != ',') {
			pdb_lines_expected(l, after, e);
			return -1;
		}
		pdb_lines_skip(l);
		*c = pdb_lines_peek(l);
	}
	*first = 0;
	return 1;
}

int
pdb_lines_member(struct pdb_lines *l, int *first, char *name, size_t max,
    struct pdb_err *e)
{
	int c, r;

	if ((r = next_in(l, first, '}', "',' or '}' after a member", &c, e)) !=
	    1)
		return r;
	if (c != '"') {
		pdb_lines_expected(l, "a member name, a string", e);
		return -1;
	}
	return member_name(l, name, max, e) == PDB_OK ? 1 : -1;
}

int
pdb_lines_element(struct pdb_lines *l, int *first, struct pdb_err *e)
{
	int c, r;

	if ((r = next_in(l, first, ']', "',' or ']' after an element", &c,
	    e)) != 1)
		return r;
	if (c < 0 || strchr(",:]}", c) != NULL) {
		pdb_lines_expected(l, "a value", e);
		return -1;
	}
	return 1;
}

int
pdb_lines_line_end(struct pdb_lines *l, struct pdb_err *e)
{
	ssize_t n;
	char c;

	while ((n = ahead(l)) > 0) {
		if (!space(c = l->in[l->start])) {
			pdb_lines_expected(l, "the end of the line", e);
			return -1;
		}
		pdb_lines_skip(l);
		if (c == '\n')
			return 0;
	}
	if (n < 0) {
		read_error(l, e);
		return -1;
	}
	return 0;
}
