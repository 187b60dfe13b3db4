/*
 * jsonl.h — reading JSON lines from a file descriptor: one buffer reused
 * for every line, and no line longer than PDB_LINE_MAX held, so a
 * program's memory does not grow with its input, however long a line.
 * The reader owns its buffers; a line stays valid until the next call.
 */
#ifndef PDB_JSONL_H
#define PDB_JSONL_H

#include <sys/types.h>

/* 4 MiB: the DynamoDB JSON of a 400 KB item is at most about 3 MB. */
#define PDB_LINE_MAX (4 * 1024 * 1024)

enum {
	PDB_LINES_END = -1,		/* end of input */
	PDB_LINES_TOO_LONG = -2,	/* the line exceeds PDB_LINE_MAX */
	PDB_LINES_ERROR = -3		/* a read error; errno says which */
};

struct pdb_lines {
	int fd;
	const char *name;	/* "stdin" or a file name, for messages */
	long lineno;		/* of the line last returned */
	char *line;		/* the current line */
	size_t cap;
	char *in;		/* read ahead */
	size_t start, end;
	int eof;
};

void pdb_lines_init(struct pdb_lines *l, int fd, const char *name);
/* The next line that is not blank, without its newline, NUL-terminated;
 * its length, or one of PDB_LINES_END, PDB_LINES_TOO_LONG (l->lineno
 * names it) and PDB_LINES_ERROR. */
ssize_t pdb_lines_next(struct pdb_lines *l, const char **line);
/* Whether more input is already read: if not, the next line may wait. */
int pdb_lines_pending(const struct pdb_lines *l);
void pdb_lines_free(struct pdb_lines *l);

#endif
