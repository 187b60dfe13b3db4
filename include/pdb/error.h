/*
 * error.h — errors as values.  Every error pdb can report has a code; one
 * table gives each code its DynamoDB name, its JSON __type, its HTTP status
 * and the suite's exit status, so the command line and the server report
 * the same error the same way and nothing compares names as strings.  The
 * library fills a struct pdb_err and returns its exit status; only programs
 * print and exit.
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

enum pdb_code {
	PDB_E_NONE,
	PDB_E_VALIDATION,		/* ValidationException */
	PDB_E_SERIALIZATION,		/* SerializationException */
	PDB_E_UNKNOWN_OPERATION,	/* UnknownOperationException */
	PDB_E_NOT_FOUND,		/* ResourceNotFoundException */
	PDB_E_IN_USE,			/* ResourceInUseException */
	PDB_E_CONDITION_FAILED,		/* ConditionalCheckFailedException */
	PDB_E_TRANSACTION_CANCELED,	/* TransactionCanceledException */
	PDB_E_IDEMPOTENT_MISMATCH,	/* IdempotentParameterMismatchException */
	PDB_E_EXPIRED_ITERATOR,		/* ExpiredIteratorException */
	PDB_E_TRIMMED,			/* TrimmedDataAccessException */
	PDB_E_LIMIT_EXCEEDED,		/* LimitExceededException */
	PDB_E_MISSING_AUTH,		/* MissingAuthenticationTokenException */
	PDB_E_INCOMPLETE_SIGNATURE,	/* IncompleteSignatureException */
	PDB_E_TOO_LARGE,		/* a request body over the limit: HTTP 413 */
	PDB_E_NO_ITEM,			/* a key with no item: a negative answer */
	PDB_E_USAGE,			/* wrong usage of a program */
	PDB_E_INPUT,			/* bad input DynamoDB never sees (a checkpoint) */
	PDB_E_SYSTEM,			/* a database or system error: InternalServerError */
	PDB_E_COUNT
};

#define PDB_ERR_MSG_MAX 12288	/* three paths of PATH_MAX */

struct pdb_err {
	enum pdb_code code;
	int status;		/* the exit status of code */
	/* msg[0..aws_len) is DynamoDB's own text, what the wire sends; the
	 * command line prints all of msg, with pdb's details after it. */
	size_t aws_len;
	char msg[PDB_ERR_MSG_MAX];
};

/*
 * Fill e and return its exit status.  The message follows DynamoDB's
 * wording where it has one.  e may be NULL.
 */
int pdb_err_set(struct pdb_err *e, enum pdb_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Append text to the message; returns e->status. */
int pdb_err_append(struct pdb_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append a detail DynamoDB would not send (which attribute, which key):
 * printed by the command line, left out on the wire. */
int pdb_err_detail(struct pdb_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void pdb_err_clear(struct pdb_err *e);

/* The code's DynamoDB name ("ValidationException"), or "" for pdb's own
 * errors, which the command line prints without a name. */
const char *pdb_err_name(enum pdb_code code);
/* The JSON __type of the code, as DynamoDB sends it
 * ("com.amazon.coral.validate#ValidationException"). */
const char *pdb_err_type(enum pdb_code code);
/* The HTTP status DynamoDB answers the code with (400, 413, 500). */
int pdb_err_http(enum pdb_code code);
/* The exit status of the code. */
int pdb_err_exit(enum pdb_code code);

/* Shorthands for the common classes. */
#define pdb_err_invalid(e, ...) pdb_err_set((e), PDB_E_VALIDATION, __VA_ARGS__)
#define pdb_err_notfound(e, ...) pdb_err_set((e), PDB_E_NOT_FOUND, __VA_ARGS__)
#define pdb_err_system(e, ...) pdb_err_set((e), PDB_E_SYSTEM, __VA_ARGS__)
#define pdb_err_usage(e, ...) pdb_err_set((e), PDB_E_USAGE, __VA_ARGS__)

#endif
