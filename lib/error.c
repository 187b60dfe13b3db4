/* error.c — error codes, their one table, and struct pdb_err values. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pdb/error.h"

#define DDB "com.amazonaws.dynamodb.v20120810#"
#define CORAL "com.amazon.coral.service#"

static const struct {
	const char *name;	/* DynamoDB's; NULL: pdb's own */
	const char *type;	/* __type */
	int http, exit;
} codes[PDB_E_COUNT] = {
	[PDB_E_NONE] = { NULL, NULL, 200, PDB_OK },
	[PDB_E_VALIDATION] = { "ValidationException",
	    "com.amazon.coral.validate#ValidationException", 400, PDB_INVALID },
	[PDB_E_SERIALIZATION] = { "SerializationException",
	    CORAL "SerializationException", 400, PDB_INVALID },
	[PDB_E_UNKNOWN_OPERATION] = { "UnknownOperationException",
	    CORAL "UnknownOperationException", 400, PDB_USAGE },
	[PDB_E_NOT_FOUND] = { "ResourceNotFoundException",
	    DDB "ResourceNotFoundException", 400, PDB_NEGATIVE },
	[PDB_E_IN_USE] = { "ResourceInUseException",
	    DDB "ResourceInUseException", 400, PDB_NEGATIVE },
	[PDB_E_CONDITION_FAILED] = { "ConditionalCheckFailedException",
	    DDB "ConditionalCheckFailedException", 400, PDB_NEGATIVE },
	[PDB_E_TRANSACTION_CANCELED] = { "TransactionCanceledException",
	    DDB "TransactionCanceledException", 400, PDB_NEGATIVE },
	[PDB_E_IDEMPOTENT_MISMATCH] = { "IdempotentParameterMismatchException",
	    DDB "IdempotentParameterMismatchException", 400, PDB_INVALID },
	[PDB_E_EXPIRED_ITERATOR] = { "ExpiredIteratorException",
	    DDB "ExpiredIteratorException", 400, PDB_INVALID },
	[PDB_E_TRIMMED] = { "TrimmedDataAccessException",
	    DDB "TrimmedDataAccessException", 400, PDB_INVALID },
	[PDB_E_LIMIT_EXCEEDED] = { "LimitExceededException",
	    DDB "LimitExceededException", 400, PDB_INVALID },
	[PDB_E_MISSING_AUTH] = { "MissingAuthenticationTokenException",
	    CORAL "MissingAuthenticationTokenException", 400, PDB_INVALID },
	[PDB_E_INCOMPLETE_SIGNATURE] = { "IncompleteSignatureException",
	    CORAL "IncompleteSignatureException", 400, PDB_INVALID },
	[PDB_E_TOO_LARGE] = { "RequestEntityTooLarge",
	    CORAL "RequestEntityTooLarge", 413, PDB_INVALID },
	[PDB_E_NO_ITEM] = { NULL, DDB "ResourceNotFoundException", 400,
	    PDB_NEGATIVE },
	[PDB_E_USAGE] = { NULL, "com.amazon.coral.validate#ValidationException",
	    400, PDB_USAGE },
	[PDB_E_INPUT] = { NULL, "com.amazon.coral.validate#ValidationException",
	    400, PDB_INVALID },
	[PDB_E_SYSTEM] = { NULL, DDB "InternalServerError", 500, PDB_SYSTEM },
};

static enum pdb_code
valid(enum pdb_code code)
{
	return (unsigned)code < PDB_E_COUNT ? code : PDB_E_SYSTEM;
}

const char *
pdb_err_name(enum pdb_code code)
{
	const char *n = codes[valid(code)].name;

	return n ? n : "";
}

const char *
pdb_err_type(enum pdb_code code)
{
	const char *t = codes[valid(code)].type;

	return t ? t : "";
}

int
pdb_err_http(enum pdb_code code)
{
	return codes[valid(code)].http;
}

int
pdb_err_exit(enum pdb_code code)
{
	return codes[valid(code)].exit;
}

int
pdb_err_set(struct pdb_err *e, enum pdb_code code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return pdb_err_exit(code);
	e->code = valid(code);
	e->status = pdb_err_exit(e->code);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->aws_len = strlen(e->msg);
	return e->status;
}

/* Add to the message; DynamoDB's text grows with it or not. */
static int
vappend(struct pdb_err *e, int aws, const char *fmt, va_list ap)
{
	size_t len;

	if (e == NULL)
		return PDB_SYSTEM;
	len = strlen(e->msg);
	vsnprintf(e->msg + len, sizeof(e->msg) - len, fmt, ap);
	if (aws)
		e->aws_len = strlen(e->msg);
	return e->status;
}

int
pdb_err_append(struct pdb_err *e, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vappend(e, 1, fmt, ap);
	va_end(ap);
	return rc;
}

int
pdb_err_detail(struct pdb_err *e, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vappend(e, 0, fmt, ap);
	va_end(ap);
	return rc;
}

void
pdb_err_clear(struct pdb_err *e)
{
	e->code = PDB_E_NONE;
	e->status = PDB_OK;
	e->msg[0] = '\0';
	e->aws_len = 0;
}
