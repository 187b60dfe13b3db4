/*
 * serve.h — pdb-serve's HTTP front end: DynamoDB's and DynamoDB Streams'
 * JSON protocol on one port, over libmicrohttpd, each worker thread with
 * its own connection to the database, writers one at a time.  The
 * protocol itself is the wire layer's (wire.h); this module is HTTP only:
 * bodies, headers (x-amzn-RequestId, x-amz-crc32), limits against hostile
 * clients, and a graceful stop.
 */
#ifndef PDB_SERVE_H
#define PDB_SERVE_H

#include "pdb/db.h"
#include "pdb/error.h"

#define PDB_SERVE_BODY_MAX (16 * 1024 * 1024)

struct pdb_serve_config {
	const char *dbpath;
	struct pdb_config db;
	const char *address;	/* numeric IPv4 or IPv6 address to bind */
	int port;		/* 0: a free one */
	int auth_strict;	/* require a well-formed SigV4 Authorization */
	int idle_timeout;	/* seconds a connection may go without a
				 * complete request */
	int threads;		/* worker threads */
	int connections;	/* connections at most */
	int quiet;		/* no libmicrohttpd diagnostics */
	int64_t expire_every_ms;	/* TTL sweep period; 0: none */
};

struct pdb_server;

/* Open (or create) the database and listen; the caller owns *out. */
int pdb_serve_start(struct pdb_server **out, const struct pdb_serve_config *c,
    struct pdb_err *e);
/* The port listened on. */
int pdb_serve_port(const struct pdb_server *s);
/* Stop accepting, finish the requests in flight (a few seconds at most),
 * close everything. */
void pdb_serve_stop(struct pdb_server *s);


#endif
