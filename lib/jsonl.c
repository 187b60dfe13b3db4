/* jsonl.c — reading JSON lines with one reused buffer. */
#include <stdlib.h>
#include <string.h>

#include "pdb/jsonl.h"

void
pdb_lines_init(struct pdb_lines *l, FILE *f, const char *name)
{
	memset(l, 0, sizeof(*l));
	l->f = f;
	l->name = name;
}

static int
blank(const char *s, size_t n)
{
	return strspn(s, " \t\r\n") >= n;
}

ssize_t
pdb_lines_next(struct pdb_lines *l, const char **line)
{
	ssize_t n;

	while ((n = getline(&l->buf, &l->cap, l->f)) >= 0) {
		l->lineno++;
		if (n > 0 && l->buf[n - 1] == '\n')
			l->buf[--n] = '\0';
		if (!blank(l->buf, (size_t)n)) {
			*line = l->buf;
			return n;
		}
	}
	return -1;
}

void
pdb_lines_free(struct pdb_lines *l)
{
	free(l->buf);
	l->buf = NULL;
	l->cap = 0;
}
