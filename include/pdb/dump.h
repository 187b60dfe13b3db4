/*
 * dump.h — a whole database as JSON lines, and back.  Each table is the
 * CreateTable request that makes it, followed by its items in key order,
 * each the PutItem request that writes it ({"TableName":…,"Item":…}):
 * text that diffs well, that AWS's own tools read (--cli-input-json), and
 * that is the same bytes for the same database.
 */
#ifndef PDB_DUMP_H
#define PDB_DUMP_H

#include <stddef.h>

#include "pdb/buf.h"
#include "pdb/write.h"

/*
 * The tables named (all, in name order, when n is 0) as they are in tx,
 * a read transaction: one snapshot, however long the dump.  The lines go
 * to out a chunk at a time, so memory does not grow with the database; a
 * table that does not exist is ResourceNotFoundException before any line.
 */
int pdb_dump(struct pdb_tx *tx, char *const *tables, int n,
    int (*out)(void *, const struct pdb_buf *, struct pdb_err *), void *arg,
    struct pdb_err *e);

/*
 * Apply one line of a dump in tx, a write transaction: a table is made
 * when missing and must otherwise be as the line asks
 * (pdb_op_ensure_table); with replace, its items are deleted first.  An
 * item is put as PutItem puts it, with its stream record unless
 * tx->no_capture.
 */
int pdb_load_line(struct pdb_tx *tx, const char *line, size_t len,
    int replace, struct pdb_err *e);

#endif
