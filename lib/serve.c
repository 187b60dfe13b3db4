/* serve.c — pdb-serve's HTTP front end over libmicrohttpd. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pdb/clock.h"
#include "pdb/crc32.h"
#include "pdb/group.h"
#include "pdb/op_ttl.h"
#include "pdb/serve.h"
#include "pdb/wire.h"
#include "pdb/write.h"

#define WORKERS_MAX 64
#define MEMORY_LIMIT (16 * 1024)	/* per connection: headers, pieces */
#define DRAIN_MS 5000

/* A worker thread's own connection to the database. */
struct worker {
	struct pdb_db *db;
	struct pdb_tx tx;
	struct pdb_buf out;
};

/* A connection, for the reaper of the ones that never finish a request.
 * The list is the server's lock's; busy and since are atomic, so that a
 * request does not take the lock its neighbours on the other workers
 * take too. */
struct conn {
	MHD_socket fd;
	atomic_llong since;	/* connected, or its last request answered */
	atomic_int busy;	/* a request's headers are in */
	struct conn *prev, *next;
};

struct pdb_server {
	struct pdb_serve_config cfg;
	struct MHD_Daemon *mhd;
	int port;
	/* The connection every write uses, its transactions shared by the
	 * writers at the time: a commit on one connection empties the page
	 * cache of the others, so writes spread over the workers'
	 * connections read every page again. */
	struct pdb_db *wdb;
	struct pdb_tx wtx;
	struct pdb_group *group;
	pthread_mutex_t lock;		/* workers[], conns */
	struct worker *workers[WORKERS_MAX];
	int nworkers;
	struct conn conns;		/* list head */
	pthread_t reaper;
	pthread_t sweeper;		/* with expire_every_ms */
	pthread_t checkpointer;
	pthread_cond_t wake;
	pthread_cond_t checkpoint_wake;
	int checkpoint_due;
	int checkpoint_at;		/* pages in the log that make it due */
	int stopping;
	atomic_int inflight;
	atomic_int draining;
	atomic_ulong requests;
	uint64_t id_salt;
};

/* One request's body, gathered piece by piece. */
struct request {
	struct pdb_buf body;
	struct conn *conn;
};

static __thread struct worker *self;

static int64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* This thread's worker, opened on its first request. */
static struct worker *
worker(struct pdb_server *s, struct pdb_err *e)
{
	struct worker *w;

	if (self != NULL)
		return self;
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		pdb_err_system(e, "out of memory");
		return NULL;
	}
	if (pdb_db_open(&w->db, s->cfg.dbpath, 0, &s->cfg.db, e) != PDB_OK) {
		free(w);
		return NULL;
	}
	pdb_tx_init(&w->tx, w->db);
	pthread_mutex_lock(&s->lock);
	if (s->nworkers < WORKERS_MAX)
		s->workers[s->nworkers++] = w;
	pthread_mutex_unlock(&s->lock);
	return self = w;
}

/* An AWS-like request id: 52 characters of A-Z and 0-9. */
static void
request_id(struct pdb_server *s, char out[53])
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	uint64_t x = atomic_fetch_add(&s->requests, 1) ^ s->id_salt;
	int i;

	for (i = 0; i < 52; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		out[i] = alpha[(x >> 33) % 36];
	}
	out[52] = '\0';
}

static const char *
header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/* CORS as DynamoDB answers it: any origin, on every answer to a request
 * that names one, so that a web page's SDK can call pdb-serve. */
static void
allow_origin(struct MHD_Connection *c, struct MHD_Response *r)
{
	if (header(c, "Origin") == NULL)
		return;
	MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
	MHD_add_response_header(r, "Access-Control-Expose-Headers",
	    "x-amzn-RequestId, x-amz-crc32");
}

/* Queue r with the headers of every answer, then let it go. */
static enum MHD_Result
queue(struct pdb_server *s, struct MHD_Connection *c, unsigned status,
    struct MHD_Response *r, int close)
{
	char id[53];
	enum MHD_Result ret;

	request_id(s, id);
	MHD_add_response_header(r, "x-amzn-RequestId", id);
	allow_origin(c, r);
	if (close || atomic_load(&s->draining))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Send body (copied) with DynamoDB's headers. */
static enum MHD_Result
respond(struct pdb_server *s, struct MHD_Connection *c, unsigned status,
    const char *type, const char *body, size_t len, int close)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len,
	    (void *)body, MHD_RESPMEM_MUST_COPY);
	char crc[16];

	if (r == NULL)
		return MHD_NO;
	snprintf(crc, sizeof(crc), "%lu", (unsigned long)pdb_crc32(body, len));
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, "x-amz-crc32", crc);
	return queue(s, c, status, r, close);
}

static enum MHD_Result
respond_error(struct pdb_server *s, struct MHD_Connection *c,
    const struct pdb_err *e, int close)
{
	struct pdb_buf b = { 0 };
	enum MHD_Result ret;

	pdb_wire_error(&b, e);
	ret = respond(s, c, (unsigned)pdb_err_http(e->code),
	    "application/x-amz-json-1.0", b.data ? b.data : "", b.len, close);
	pdb_buf_free(&b);
	return ret;
}

/* The request's Content-Type, echoed when it is plain JSON. */
static const char *
content_type(struct MHD_Connection *c)
{
	const char *t = header(c, MHD_HTTP_HEADER_CONTENT_TYPE);

	return t != NULL && strncasecmp(t, "application/json", 16) == 0 ?
	    "application/json" : "application/x-amz-json-1.0";
}

/* --auth strict: DynamoDB's presence checks on the signature. */
static int
check_auth(struct MHD_Connection *c, struct pdb_err *e)
{
	const char *auth = header(c, "Authorization");
	const char *date = header(c, "X-Amz-Date");

	if (auth == NULL)
		return pdb_err_set(e, PDB_E_MISSING_AUTH, "Request is missing "
		    "Authentication Token");
	if (strncmp(auth, "AWS4-HMAC-SHA256 ", 17) != 0 ||
	    strstr(auth, "Credential=") == NULL ||
	    strstr(auth, "SignedHeaders=") == NULL ||
	    strstr(auth, "Signature=") == NULL || date == NULL)
		return pdb_err_set(e, PDB_E_INCOMPLETE_SIGNATURE, "Authorization "
		    "header requires 'Credential', 'Signature' and "
		    "'SignedHeaders' parameters, and a X-Amz-Date header");
	return PDB_OK;
}

static enum MHD_Result
answer(struct pdb_server *s, struct MHD_Connection *c, struct request *rq)
{
	const char *target = header(c, "X-Amz-Target");
	struct pdb_call call = { .group = s->group };
	struct pdb_err e;
	struct worker *w;
	int status;

	pdb_err_clear(&e);
	if (s->cfg.auth_strict && check_auth(c, &e) != PDB_OK)
		return respond_error(s, c, &e, 0);
	if ((w = worker(s, &e)) == NULL)
		return respond_error(s, c, &e, 0);
	call.db = w->db;
	call.tx = &w->tx;
	call.host = header(c, "Host");
	status = pdb_wire_call(&call, target, rq->body.data ? rq->body.data :
	    "", rq->body.len, &w->out);
	return respond(s, c, (unsigned)status, content_type(c), w->out.data ?
	    w->out.data : "", w->out.len, 0);
}

/* A browser's preflight (OPTIONS with an Origin): what it asks for is
 * allowed, as DynamoDB does, for two days. */
static enum MHD_Result
preflight(struct pdb_server *s, struct MHD_Connection *c)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, "",
	    MHD_RESPMEM_PERSISTENT);
	const char *headers = header(c, "Access-Control-Request-Headers");
	const char *method = header(c, "Access-Control-Request-Method");

	if (r == NULL)
		return MHD_NO;
	if (headers != NULL)
		MHD_add_response_header(r, "Access-Control-Allow-Headers",
		    headers);
	if (method != NULL)
		MHD_add_response_header(r, "Access-Control-Allow-Methods",
		    method);
	MHD_add_response_header(r, "Access-Control-Max-Age", "172800");
	return queue(s, c, MHD_HTTP_OK, r, 0);
}

/* The headers are in: check what can be checked before the body. */
static enum MHD_Result
start_request(struct pdb_server *s, struct MHD_Connection *c,
    const char *method, void **req_cls)
{
	static const char health[] = "pdb-serve: ok\n";
	const union MHD_ConnectionInfo *ci;
	struct request *rq;
	const char *len, *te;
	struct pdb_err e;

	if ((rq = calloc(1, sizeof(*rq))) == NULL)
		return MHD_NO;
	*req_cls = rq;
	atomic_fetch_add(&s->inflight, 1);
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci != NULL && (rq->conn = ci->socket_context) != NULL)
		atomic_store(&rq->conn->busy, 1);
	if (strcmp(method, "GET") == 0)
		return respond(s, c, 200, "text/plain", health,
		    sizeof(health) - 1, 0);
	if (strcmp(method, "OPTIONS") == 0 && header(c, "Origin") != NULL)
		return preflight(s, c);
	if (strcmp(method, "POST") != 0)
		return respond_error(s, c, (pdb_err_set(&e,
		    PDB_E_UNKNOWN_OPERATION, "pdb-serve answers POST / (GET / "
		    "for its health, OPTIONS for a browser), not %s", method),
		    &e), 0);
	te = header(c, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	if (te != NULL && strcasecmp(te, "chunked") != 0)
		return respond_error(s, c, (pdb_err_set(&e,
		    PDB_E_SERIALIZATION, "unsupported Transfer-Encoding '%s'",
		    te), &e), 1);
	len = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
	/* Too large by its length: refused before any of it is read. */
	if (te == NULL && len != NULL &&
	    strtoull(len, NULL, 10) > PDB_SERVE_BODY_MAX)
		return respond_error(s, c, (pdb_err_set(&e, PDB_E_TOO_LARGE,
		    "Request entity too large: the limit is %d bytes",
		    PDB_SERVE_BODY_MAX), &e), 1);
	return MHD_YES;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data,
    size_t *size, void **req_cls)
{
	struct pdb_server *s = cls;
	struct request *rq = *req_cls;

	if (rq == NULL)
		return start_request(s, c, method, req_cls);
	if (*size > 0) {
		/* A chunked body past the limit: no answer can be queued
		 * before its end, which may never come, so the connection
		 * is closed. */
		if (rq->body.len + *size > PDB_SERVE_BODY_MAX)
			return MHD_NO;
		pdb_buf_put(&rq->body, data, *size);
		*size = 0;
		return rq->body.oom ? MHD_NO : MHD_YES;
	}
	return answer(s, c, rq);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct pdb_server *s = cls;
	struct request *rq = *req_cls;

	if (rq == NULL)
		return;
	/* since before busy: the reaper reads them the other way round. */
	if (rq->conn != NULL) {
		atomic_store(&rq->conn->since, monotonic_ms());
		atomic_store(&rq->conn->busy, 0);
	}
	pdb_buf_free(&rq->body);
	free(rq);
	*req_cls = NULL;
	atomic_fetch_sub(&s->inflight, 1);
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct pdb_server *s = cls;
	const union MHD_ConnectionInfo *ci;
	struct conn *k;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(c,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci == NULL || (k = calloc(1, sizeof(*k))) == NULL)
			return;
		k->fd = ci->connect_fd;
		k->since = monotonic_ms();
		pthread_mutex_lock(&s->lock);
		k->next = s->conns.next;
		k->prev = &s->conns;
		s->conns.next->prev = k;
		s->conns.next = k;
		pthread_mutex_unlock(&s->lock);
		*socket_context = k;
		return;
	}
	/* Closed: forgotten before libmicrohttpd closes the socket, so the
	 * reaper never touches a number the system gave someone else. */
	if ((k = *socket_context) == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	k->prev->next = k->next;
	k->next->prev = k->prev;
	pthread_mutex_unlock(&s->lock);
	free(k);
	*socket_context = NULL;
}

/* Connections that send a request slower than the idle timeout allows
 * (a header byte a second keeps libmicrohttpd's own timer happy) are
 * shut down. */
static void *
reap(void *arg)
{
	struct pdb_server *s = arg;
	int64_t limit = (int64_t)s->cfg.idle_timeout * 1000, now;
	struct timespec ts;
	struct conn *k;

	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&s->wake, &s->lock, &ts);
		now = monotonic_ms();
		for (k = s->conns.next; k != &s->conns; k = k->next)
			if (!atomic_load(&k->busy) &&
			    now - atomic_load(&k->since) > limit)
				shutdown(k->fd, SHUT_RDWR);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* The TTL sweep on a timer, with a connection of its own; its writes wait
 * for the workers' like any other. */
static void *
sweep(void *arg)
{
	struct pdb_server *s = arg;
	struct pdb_db *db;
	struct pdb_tx tx;
	struct pdb_err e;
	struct timespec ts;
	int64_t deleted;

	if (pdb_db_open(&db, s->cfg.dbpath, 0, &s->cfg.db, &e) != PDB_OK) {
		fprintf(stderr, "pdb-serve: TTL sweep: %s\n", e.msg);
		return NULL;
	}
	pdb_tx_init(&tx, db);
	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += s->cfg.expire_every_ms / 1000;
		ts.tv_nsec += s->cfg.expire_every_ms % 1000 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&s->wake, &s->lock, &ts);
		if (s->stopping)
			break;
		pthread_mutex_unlock(&s->lock);
		deleted = 0;
		if (pdb_expire_all(&tx, &deleted, &e) != PDB_OK)
			fprintf(stderr, "pdb-serve: TTL sweep: %s: %s\n",
			    pdb_err_name(e.code), e.msg);
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	pdb_tx_free(&tx);
	pdb_db_close(db);
	return NULL;
}

/* A commit on the writers' connection left a long log. */
static void
log_grew(void *arg, int pages)
{
	struct pdb_server *s = arg;

	pthread_mutex_lock(&s->lock);
	if (!s->checkpoint_due && pages >= s->checkpoint_at) {
		s->checkpoint_due = 1;
		pthread_cond_signal(&s->checkpoint_wake);
	}
	pthread_mutex_unlock(&s->lock);
}

/* Checkpoints off the requests' path: in a commit, a checkpoint held up
 * every request behind it for milliseconds.  The log is copied while the
 * writers go on, each time it has grown by PDB_DB_CHECKPOINT_PAGES; once
 * it holds 4 times that, the little they added meanwhile is copied with
 * them held back, so that the log starts over instead of growing. */
static void *
checkpoint(void *arg)
{
	struct pdb_server *s = arg;
	struct pdb_db *db;
	struct pdb_err e;
	int pages = 0, rc;

	if (pdb_db_open(&db, s->cfg.dbpath, 0, &s->cfg.db, &e) != PDB_OK) {
		fprintf(stderr, "pdb-serve: checkpoints: %s\n", e.msg);
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		if (!s->checkpoint_due) {
			pthread_cond_wait(&s->checkpoint_wake, &s->lock);
			continue;
		}
		s->checkpoint_due = 0;
		pthread_mutex_unlock(&s->lock);
		rc = pdb_db_checkpoint(db, &pages, &e);
		if (rc == PDB_OK && pages >= 4 * PDB_DB_CHECKPOINT_PAGES) {
			pdb_group_hold(s->group);
			rc = pdb_db_checkpoint(db, &pages, &e);
			pdb_group_release(s->group);
			pages = 0;
		}
		if (rc != PDB_OK)
			fprintf(stderr, "pdb-serve: checkpoint: %s\n", e.msg);
		pthread_mutex_lock(&s->lock);
		s->checkpoint_at = pages + PDB_DB_CHECKPOINT_PAGES;
	}
	pthread_mutex_unlock(&s->lock);
	pdb_db_close(db);
	return NULL;
}

static void
on_log(void *cls, const char *fmt, va_list ap)
{
	struct pdb_server *s = cls;

	if (!s->cfg.quiet) {
		fputs("pdb-serve: ", stderr);
		vfprintf(stderr, fmt, ap);
	}
}

/* Enough file descriptors for the connections asked for. */
static void
raise_fd_limit(int want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < (rlim_t)want + 64) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)want + 64 ? rl.rlim_max :
		    (rlim_t)want + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int
bind_address(const struct pdb_serve_config *c, struct sockaddr_storage *ss,
    unsigned *flags, struct pdb_err *e)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, c->address, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)c->port);
		return PDB_OK;
	}
	if (inet_pton(AF_INET6, c->address, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)c->port);
		*flags |= MHD_USE_IPv6;
		return PDB_OK;
	}
	return pdb_err_usage(e, "invalid address '%s': expected a numeric IPv4 "
	    "or IPv6 address", c->address);
}

int
pdb_serve_start(struct pdb_server **out, const struct pdb_serve_config *c,
    struct pdb_err *e)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ITC | MHD_USE_ERROR_LOG;
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *di;
	struct pdb_server *s;

	*out = NULL;
	if (bind_address(c, &ss, &flags, e) != PDB_OK)
		return e->status;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return pdb_err_system(e, "out of memory");
	/* The writers' connection, which makes the file if it is missing. */
	if (pdb_db_open(&s->wdb, c->dbpath, PDB_DB_CREATE, &c->db, e) !=
	    PDB_OK) {
		free(s);
		return e->status;
	}
	pdb_tx_init(&s->wtx, s->wdb);
	if (pdb_group_new(&s->group, &s->wtx, e) != PDB_OK) {
		pdb_tx_free(&s->wtx);
		pdb_db_close(s->wdb);
		free(s);
		return e->status;
	}
	pdb_db_checkpoint_elsewhere(s->wdb, log_grew, s);
	s->checkpoint_at = PDB_DB_CHECKPOINT_PAGES;
	s->cfg = *c;
	s->conns.next = s->conns.prev = &s->conns;
	s->id_salt = (uint64_t)pdb_clock_real_ms() * 2654435761ULL;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	pthread_cond_init(&s->checkpoint_wake, NULL);
	raise_fd_limit(c->connections);
	s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
	    MHD_OPTION_EXTERNAL_LOGGER, on_log, s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)c->threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)c->connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)c->idle_timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MEMORY_LIMIT,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
	    MHD_OPTION_END);
	if (s->mhd == NULL) {
		pdb_err_system(e, "cannot listen on %s port %d: %s", c->address,
		    c->port, strerror(errno ? errno : EADDRINUSE));
		pdb_group_free(s->group);
		pdb_tx_free(&s->wtx);
		pdb_db_close(s->wdb);
		free(s);
		return PDB_SYSTEM;
	}
	di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : c->port;
	pthread_create(&s->reaper, NULL, reap, s);
	pthread_create(&s->checkpointer, NULL, checkpoint, s);
	if (c->expire_every_ms > 0)
		pthread_create(&s->sweeper, NULL, sweep, s);
	*out = s;
	return PDB_OK;
}

int
pdb_serve_port(const struct pdb_server *s)
{
	return s->port;
}

void
pdb_serve_stop(struct pdb_server *s)
{
	MHD_socket lfd;
	int i;

	/* Answers say Connection: close from now on; new connections are
	 * refused at once; requests in flight are finished. */
	atomic_store(&s->draining, 1);
	if ((lfd = MHD_quiesce_daemon(s->mhd)) != MHD_INVALID_SOCKET)
		shutdown(lfd, SHUT_RDWR);
	for (i = 0; i < DRAIN_MS / 10 && atomic_load(&s->inflight) > 0; i++)
		usleep(10000);
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_cond_broadcast(&s->wake);
	pthread_cond_signal(&s->checkpoint_wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->reaper, NULL);
	pthread_join(s->checkpointer, NULL);
	if (s->cfg.expire_every_ms > 0)
		pthread_join(s->sweeper, NULL);
	MHD_stop_daemon(s->mhd);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	for (i = 0; i < s->nworkers; i++) {
		pdb_tx_free(&s->workers[i]->tx);
		pdb_buf_free(&s->workers[i]->out);
		pdb_db_close(s->workers[i]->db);
		free(s->workers[i]);
	}
	pdb_group_free(s->group);
	pdb_tx_free(&s->wtx);
	pdb_db_close(s->wdb);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->wake);
	pthread_cond_destroy(&s->checkpoint_wake);
	free(s);
}
