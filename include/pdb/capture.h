/*
 * capture.h — turning an item change into its stream record, inside the
 * writer's transaction, and trimming records past retention.
 *
 * Records are stored as the exact JSON text of their Keys and images, so
 * readers splice them into output without parsing them again.
 */
#ifndef PDB_CAPTURE_H
#define PDB_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "pdb/db.h"
#include "pdb/table.h"

enum pdb_event {
	PDB_EVENT_INSERT = 1,
	PDB_EVENT_MODIFY = 2,
	PDB_EVENT_REMOVE = 3
};

/* JSON text of an item or key map and its DynamoDB size; text NULL when
 * absent.  Borrowed. */
struct pdb_image {
	const char *text;
	size_t size;
};

struct pdb_change {
	enum pdb_event event;
	struct pdb_image keys, new_image, old_image;
	int service;		/* 1: done by DynamoDB itself (TTL) */
};

/* "INSERT", "MODIFY", "REMOVE". */
const char *pdb_event_name(enum pdb_event ev);

/* Append the record of change to stream, keeping what view asks for;
 * created_ms is the writer's clock. */
int pdb_capture_append(struct pdb_db *db, int64_t stream, enum pdb_view view,
    const struct pdb_change *change, int64_t created_ms, struct pdb_err *e);

/* Delete a bounded batch of the oldest records past the database's
 * retention, remembering per stream the newest one deleted.  Cheap when
 * there is nothing to do. */
int pdb_capture_trim(struct pdb_db *db, int64_t now_ms, struct pdb_err *e);

#endif
