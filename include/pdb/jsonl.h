/*
 * jsonl.h — reading JSON lines: one buffer reused for every line, so a
 * program's memory does not grow with its input.  The reader owns the
 * buffer; a line stays valid until the next call.
 */
#ifndef PDB_JSONL_H
#define PDB_JSONL_H

#include <stdio.h>
#include <sys/types.h>

struct pdb_lines {
	FILE *f;
	const char *name;	/* "stdin" or a file name, for messages */
	char *buf;
	size_t cap;
	long lineno;		/* of the line last returned */
};

void pdb_lines_init(struct pdb_lines *l, FILE *f, const char *name);
/* The next line that is not blank, without its newline; its length, or
 * -1 at the end of input (check ferror(l->f)). */
ssize_t pdb_lines_next(struct pdb_lines *l, const char **line);
void pdb_lines_free(struct pdb_lines *l);

#endif
