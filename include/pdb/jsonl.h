/*
 * jsonl.h — reading JSON lines from a file descriptor: one buffer reused
 * for every line, and no line longer than PDB_LINE_MAX held, so a
 * program's memory does not grow with its input, however long a line.
 * The same reader also walks JSON text that spans lines (a pretty-printed
 * object, objects one after another), a member or an element at a time,
 * so a program holds one value of a large document, never all of it.
 * The reader owns its buffers; a line stays valid until the next call.
 */
#ifndef PDB_JSONL_H
#define PDB_JSONL_H

#include <sys/types.h>

#include "pdb/buf.h"
#include "pdb/error.h"

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
	long col;		/* bytes of the next line already read */
	char *line;		/* the current line */
	size_t cap;
	char *in;		/* read ahead */
	size_t start, end;
	int eof;
	struct pdb_buf tok;	/* a member's name, as read */
};

/* A place in the input, from 1: where a value starts or an error is. */
struct pdb_pos {
	long line, col;
};

void pdb_lines_init(struct pdb_lines *l, int fd, const char *name);
/* The next line that is not blank, without its newline, NUL-terminated;
 * its length, or one of PDB_LINES_END, PDB_LINES_TOO_LONG (l->lineno
 * names it) and PDB_LINES_ERROR. */
ssize_t pdb_lines_next(struct pdb_lines *l, const char **line);
/* Whether more input is already read: if not, the next line may wait. */
int pdb_lines_pending(const struct pdb_lines *l);
void pdb_lines_free(struct pdb_lines *l);

/*
 * JSON text that spans lines, read from where the last line returned
 * ended.  Syntax errors are SerializationException ("malformed JSON:
 * expected ':' after a member name, found '}'"), with the input left at
 * the byte at fault (pdb_lines_pos names it); a read error is a system
 * error.
 */
/* The place of the next byte. */
void pdb_lines_pos(const struct pdb_lines *l, struct pdb_pos *p);
/* The next byte that is not white space, left unread; or PDB_LINES_END or
 * PDB_LINES_ERROR. */
int pdb_lines_peek(struct pdb_lines *l);
/* Read the byte pdb_lines_peek returned. */
void pdb_lines_skip(struct pdb_lines *l);
/*
 * Append the text of the next JSON value to b, at most max bytes, and
 * return its length; or PDB_LINES_END (the input ends inside it),
 * PDB_LINES_TOO_LONG or PDB_LINES_ERROR.  Only strings and brackets are
 * followed (a closing bracket of the wrong kind ends the value there):
 * parsing the text finds any other fault.
 */
ssize_t pdb_lines_value(struct pdb_lines *l, struct pdb_buf *b, size_t max);
/* In an object whose '{' was read: 1 when a member follows, its name (at
 * most max - 1 bytes, NUL-terminated) in name and its ':' read; 0 after the
 * closing '}'; -1 with e set.  *first is 1 before the first member. */
int pdb_lines_member(struct pdb_lines *l, int *first, char *name,
    size_t max, struct pdb_err *e);
/* In an array whose '[' was read: 1 when an element follows, 0 after the
 * closing ']', -1 with e set. */
int pdb_lines_element(struct pdb_lines *l, int *first, struct pdb_err *e);
/* The rest of the line is white space: read it and its newline; or -1
 * with e set. */
int pdb_lines_line_end(struct pdb_lines *l, struct pdb_err *e);
/* e for the next byte, which is not what was expected ("a value"). */
int pdb_lines_expected(struct pdb_lines *l, const char *expected,
    struct pdb_err *e);
/* e for what pdb_lines_value returned when it is not a length: what
 * holds the value is named by what ("request 3 of table t"). */
int pdb_lines_value_error(struct pdb_lines *l, ssize_t n, const char *what,
    struct pdb_err *e);

#endif
