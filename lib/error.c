/* error.c — filling struct pdb_err values. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pdb/error.h"

int
pdb_err_set(struct pdb_err *e, int status, const char *name,
    const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return status;
	e->status = status;
	snprintf(e->name, sizeof(e->name), "%s", name ? name : "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return status;
}

int
pdb_err_append(struct pdb_err *e, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (e == NULL)
		return PDB_SYSTEM;
	len = strlen(e->msg);
	va_start(ap, fmt);
	vsnprintf(e->msg + len, sizeof(e->msg) - len, fmt, ap);
	va_end(ap);
	return e->status;
}

void
pdb_err_clear(struct pdb_err *e)
{
	e->status = PDB_OK;
	e->name[0] = '\0';
	e->msg[0] = '\0';
}
