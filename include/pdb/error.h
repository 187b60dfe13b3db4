/*
 * error.h — errors as values: a status (the suite's exit code), DynamoDB's
 * error name and a message.  The library fills a struct pdb_err and returns
 * its status; only programs print and exit.
 */
#ifndef PDB_ERROR_H
#define PDB_ERROR_H

#include <stddef.h>

/* Exit statuses, the same for every program (pdb(7)). */
enum pdb_status {
	PDB_OK = 0,
	PDB_NEGATIVE = 1,	/* no such table/stream/shard/item, exists, condition failed */
	PDB_USAGE = 2,
	PDB_INVALID = 3,	/* bad input data: JSON, validation, iterators */
	PDB_SYSTEM = 4		/* database or system error */
};

struct pdb_err {
	int status;
	char name[48];		/* e.g. "ValidationException"; may be empty */
	char msg[1024];
};

/*
 * Fill e and return status.  The message follows DynamoDB's wording where it
 * has one.  e may be NULL.
 */
int pdb_err_set(struct pdb_err *e, int status, const char *name,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Append " (context)" style text to the message; returns e->status. */
int pdb_err_append(struct pdb_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Shorthands for the common classes. */
#define pdb_err_invalid(e, ...) \
	pdb_err_set((e), PDB_INVALID, "ValidationException", __VA_ARGS__)
#define pdb_err_notfound(e, ...) \
	pdb_err_set((e), PDB_NEGATIVE, "ResourceNotFoundException", __VA_ARGS__)

void pdb_err_clear(struct pdb_err *e);

#endif
