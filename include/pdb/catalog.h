/*
 * catalog.h — what pdb knows about tables, streams and records, as plain
 * values: the descriptors the store fills and the operations read, view
 * types, event names and sequence numbers.  Nothing here touches the
 * database; every struct is a value the caller owns.
 */
#ifndef PDB_CATALOG_H
#define PDB_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "pdb/clock.h"
#include "pdb/key.h"

#define PDB_ARN_MAX 512
#define PDB_SEQ_DIGITS 21
#define PDB_SHARD_MAX 64
#define PDB_TABLE_ID_MAX 40

enum pdb_view {
	PDB_VIEW_NONE,
	PDB_VIEW_KEYS_ONLY,
	PDB_VIEW_NEW_IMAGE,
	PDB_VIEW_OLD_IMAGE,
	PDB_VIEW_NEW_AND_OLD_IMAGES
};

/* "KEYS_ONLY" ... for a view, NULL for PDB_VIEW_NONE. */
const char *pdb_view_name(enum pdb_view v);
/* The view named s, or -1. */
int pdb_view_parse(const char *s);

/* What a secondary index holds besides the keys. */
enum pdb_projection {
	PDB_PROJECT_ALL,
	PDB_PROJECT_KEYS_ONLY,
	PDB_PROJECT_INCLUDE
};

#define PDB_LSI_MAX 5
#define PDB_GSI_MAX 20
#define PDB_PROJECTED_MAX 100	/* NonKeyAttributes, all indexes together */

/* "ALL", "KEYS_ONLY", "INCLUDE"; pdb_projection_parse gives -1 for
 * anything else. */
const char *pdb_projection_name(enum pdb_projection p);
int pdb_projection_parse(const char *s);

/* A secondary index.  include (ninclude names, INCLUDE only) is owned by
 * the table description it belongs to. */
struct pdb_index {
	int64_t id;
	char name[PDB_NAME_MAX];
	int global;		/* a GSI; else an LSI */
	struct pdb_keyschema ks;
	enum pdb_projection projection;
	int ninclude;
	char **include;
};

/* Is name one of the key attributes of ks? */
int pdb_key_attr(const struct pdb_keyschema *ks, const char *name);
/* Does the index hold attribute name (a key of the table or the index, or
 * one it projects)? */
int pdb_index_holds(const struct pdb_index *ix, const struct pdb_keyschema
    *table_ks, const char *name);

/*
 * A shard of a stream: the records whose partition key hashes
 * (pdb_shard_hash) into lo..hi.  Open while end_seq is 0.
 */
struct pdb_shard {
	int64_t id;		/* its row, which records name */
	int64_t stream;
	char shard_id[PDB_SHARD_MAX];
	char parent_id[PDB_SHARD_MAX];	/* "" for none */
	int64_t parent;		/* the parent's row, or 0 */
	uint32_t lo, hi;
	int64_t created_ms;
	int64_t start_seq;
	int64_t end_seq;	/* its last record once closed; 0 while open */
	int64_t closed_ms;
	int64_t records;	/* counted only under a split trigger */
};

/*
 * A table as the store describes it.  Its indexes and its capturing
 * stream's open shards are owned (pdb_table_free); a struct pdb_table is
 * reused only after that.
 */
struct pdb_table {
	int64_t id;
	char name[PDB_NAME_MAX];
	char table_id[PDB_TABLE_ID_MAX];
	int64_t created_ms;
	struct pdb_keyschema ks;
	/* The capturing stream: 0 and PDB_VIEW_NONE when disabled. */
	int64_t stream;
	enum pdb_view view;
	int64_t latest_stream;	/* the newest stream, enabled or not; 0: none */
	char ttl[PDB_NAME_MAX];	/* the TTL attribute; "" when TTL is off */
	int nindex;
	struct pdb_index *index;	/* owned */
	/* The capturing stream's open shards by lo, and its triggers
	 * (loaded by pdb_tx_table only). */
	int nshard;
	struct pdb_shard *shard;	/* owned */
	int64_t roll_every_ms;	/* 0: no automatic roll */
	int64_t split_after;	/* 0: no automatic split */
	char stream_arn[PDB_ARN_MAX];
};

/* A new object of the attributes of item that the index holds (item
 * itself, with a new reference, for ALL). */
json_t *pdb_index_cut(const struct pdb_index *ix,
    const struct pdb_keyschema *table_ks, const json_t *item);

void pdb_index_free(struct pdb_index *ix);
/* Free n indexes and the array that holds them. */
void pdb_indexes_free(struct pdb_index *ix, int n);
void pdb_table_free(struct pdb_table *t);
/* The index called name, or NULL. */
const struct pdb_index *pdb_table_index(const struct pdb_table *t,
    const char *name);

struct pdb_stream {
	int64_t id;
	char table[PDB_NAME_MAX];
	char arn[PDB_ARN_MAX];
	char label[PDB_LABEL_LEN];
	enum pdb_view view;
	int64_t created_ms;
	int64_t start_seq;
	int64_t end_seq;	/* its last record once disabled; 0 before */
	int64_t trimmed_seq;	/* newest record deleted by retention */
	int enabled;
	struct pdb_keyschema ks;
	int64_t roll_every_ms;	/* automatic roll: 0 for none */
	int64_t split_after;	/* automatic split: 0 for none */
};

enum pdb_event {
	PDB_EVENT_INSERT = 1,
	PDB_EVENT_MODIFY = 2,
	PDB_EVENT_REMOVE = 3
};

/* "INSERT", "MODIFY", "REMOVE"; "" for anything else. */
const char *pdb_event_name(int ev);
/* The bit of an event in an event mask (1 << event). */
#define PDB_EVENT_BIT(ev) (1u << (ev))
/* Parse "INSERT,MODIFY,REMOVE" into a mask; 0 if a name is unknown. */
unsigned pdb_event_mask(const char *list);

/* A stored record.  Its text is borrowed from where it was read. */
struct pdb_record {
	int64_t seq;
	int event;		/* enum pdb_event */
	int64_t created_ms;
	int64_t size;
	int service;		/* a deletion by DynamoDB itself (TTL) */
	int64_t shard;		/* the shard's row */
	const char *keys, *new_image, *old_image;	/* NULL when absent */
	size_t keys_len, new_len, old_len;
};

/* Print a sequence number as DynamoDB does: 21 digits, zero-padded. */
void pdb_seq_format(int64_t seq, char out[PDB_SEQ_DIGITS + 1]);
/* Parse a sequence number (digits only); -1 if malformed, INT64_MAX
 * when larger than any. */
int64_t pdb_seq_parse(const char *s);

#endif
