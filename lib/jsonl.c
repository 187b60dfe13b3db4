/* jsonl.c — reading JSON lines with bounded, reused buffers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
}
