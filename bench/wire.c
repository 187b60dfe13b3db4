/*
 * wire — the small DynamoDB wire client of bench/serve.sh, the same for
 * pdb-serve and DynamoDB Local: keep-alive HTTP/1.1 on 127.0.0.1.
 *
 *   wire port                        print a free TCP port
 *   wire call PORT OP JSON           one request (OP "Streams.X" for the
 *                                    streams API); prints the body; fails
 *                                    unless it is answered 200
 *   wire wait PORT SECONDS           ListTables until it is answered 200
 *   wire fill PORT TABLE PREFIX N    put N items (keys PREFIX-0-0 ...) by
 *                                    BatchWriteItem, 25 a request
 *   wire drain PORT TABLE N          read the table's stream from
 *                                    TRIM_HORIZON with GetShardIterator and
 *                                    GetRecords Limit 1000 until N records;
 *                                    prints "records seconds"
 *   wire rate PORT TABLE PREFIX RATE SECONDS CONNS [KEYS]
 *                                    PutItem (with KEYS: GetItem of keys
 *                                    PREFIX-0-0 ...) at a fixed RATE over
 *                                    CONNS connections, each request timed
 *                                    from when it was due (as wrk2 does);
 *                                    prints "p50_ms p99_ms p999_ms max_ms
 *                                    achieved_per_s errors"
 *   wire startup PORT LOG CMD ...    start CMD; PORT 0: wait for pdb-serve's
 *                                    ready line on its stderr; then ListTables
 *                                    until it answers 200; prints "ready_ms
 *                                    first_ms" (ready_ms -1 without PORT 0),
 *                                    then stops CMD with SIGTERM
 *
 * Items are about 300 bytes, the same as bench/serve.lua writes.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ~300 bytes of DynamoDB JSON; bench/serve.lua has the same. */
#define ITEM "{\"pk\":{\"S\":\"%s-%d-%ld\"}," \
    "\"name\":{\"S\":\"customer %ld of the serve bench\"}," \
    "\"count\":{\"N\":\"%ld\"},\"price\":{\"N\":\"19.99\"}," \
    "\"active\":{\"BOOL\":true}," \
    "\"tags\":{\"SS\":[\"red\",\"green\",\"blue\"]}," \
    "\"note\":{\"S\":\"a plain note of some length to bring the item to " \
    "about three hundred bytes, as a small record of an application\"}}"

#define AUTH "AWS4-HMAC-SHA256 Credential=x/20240101/us-east-1/dynamodb/" \
    "aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, " \
    "Signature=0000000000000000000000000000000000000000000000000000000000000000"

struct buf {
	char *p;
	size_t len, cap;
};

struct conn {
	int fd, port;
	struct buf in;		/* bytes read, not yet consumed */
	struct buf body;	/* the last response's body, NUL-terminated */
	struct buf out;
};

static pid_t child;	/* "wire startup"'s server, stopped on failure */

static void
die(const char *fmt, const char *arg)
{
	if (child > 0) {
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
	fprintf(stderr, "wire: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static void
reserve(struct buf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	while (b->len + n + 1 > b->cap)
		b->cap = b->cap ? b->cap * 2 : 65536;
	if ((b->p = realloc(b->p, b->cap)) == NULL)
		die("%s", "out of memory");
}

static void
put(struct buf *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
putf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
putf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
dial(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static int
fill_in(struct conn *c)
{
	ssize_t n;

	reserve(&c->in, 65536);
	n = read(c->fd, c->in.p + c->in.len, c->in.cap - c->in.len - 1);
	if (n <= 0)
		return -1;
	c->in.len += (size_t)n;
	c->in.p[c->in.len] = '\0';
	return 0;
}

static void
consume(struct conn *c, size_t n)
{
	memmove(c->in.p, c->in.p + n, c->in.len - n);
	c->in.len -= n;
	c->in.p[c->in.len] = '\0';
}

static const char *
header(const char *h, const char *end, const char *name)
{
	size_t n = strlen(name);
	const char *nl;

	while (h < end && (nl = strstr(h, "\r\n")) != NULL) {
		h = nl + 2;
		if (h < end && strncasecmp(h, name, n) == 0 && h[n] == ':')
			return h + n + 1;
	}
	return NULL;
}

/* Read one response into c->body; its status, or -1. */
static int
response(struct conn *c)
{
	char *end;
	const char *v;
	size_t hlen, want;
	int status, chunked;

	while (c->in.len == 0 || (end = strstr(c->in.p, "\r\n\r\n")) == NULL)
		if (fill_in(c) != 0)
			return -1;
	hlen = (size_t)(end - c->in.p) + 4;
	status = atoi(c->in.p + 9);
	v = header(c->in.p, end, "Transfer-Encoding");
	chunked = v != NULL && strstr(v, "chunked") != NULL &&
	    strstr(v, "chunked") < end;
	v = header(c->in.p, end, "Content-Length");
	want = v != NULL ? strtoul(v, NULL, 10) : 0;
	consume(c, hlen);
	c->body.len = 0;
	put(&c->body, "", 0);
	if (!chunked) {
		while (c->in.len < want)
			if (fill_in(c) != 0)
				return -1;
		put(&c->body, c->in.p, want);
		consume(c, want);
		return status;
	}
	for (;;) {
		while ((end = strstr(c->in.p, "\r\n")) == NULL)
			if (fill_in(c) != 0)
				return -1;
		want = strtoul(c->in.p, NULL, 16);
		hlen = (size_t)(end - c->in.p) + 2;
		while (c->in.len < hlen + want + 2)
			if (fill_in(c) != 0)
				return -1;
		put(&c->body, c->in.p + hlen, want);
		consume(c, hlen + want + 2);
		if (want == 0)
			return status;
	}
}

/* POST one request; its status, or -1 when the connection failed. */
static int
call(struct conn *c, const char *op, const char *body, size_t len)
{
	const char *api = strncmp(op, "Streams.", 8) == 0 ?
	    "DynamoDBStreams_20120810" : "DynamoDB_20120810";
	size_t off = 0;
	ssize_t n;

	if (c->fd < 0 && (c->fd = dial(c->port)) < 0)
		return -1;
	c->out.len = 0;
	putf(&c->out, "POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
	    "Content-Type: application/x-amz-json-1.0\r\n"
	    "X-Amz-Target: %s.%s\r\nX-Amz-Date: 20240101T000000Z\r\n"
	    "Authorization: " AUTH "\r\nContent-Length: %zu\r\n\r\n",
	    c->port, api, strncmp(op, "Streams.", 8) == 0 ? op + 8 : op, len);
	put(&c->out, body, len);
	while (off < c->out.len) {
		if ((n = write(c->fd, c->out.p + off, c->out.len - off)) <= 0)
			return -1;
		off += (size_t)n;
	}
	return response(c);
}

/* Close the connection (after a failed call), to dial again. */
static void
hangup(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->in.len = 0;
}

static void
must(struct conn *c, const char *op, const char *body)
{
	int st = call(c, op, body, strlen(body));

	if (st != 200) {
		fprintf(stderr, "wire: %s answered %d: %s\n", op, st,
		    c->body.p ? c->body.p : "");
		exit(1);
	}
}

/* The JSON string after "name":" in s, raw (escapes kept), or NULL. */
static char *
member(const char *s, const char *name, const char **after)
{
	char pat[64], *r;
	const char *p, *q;

	snprintf(pat, sizeof(pat), "\"%s\":\"", name);
	if ((p = strstr(s, pat)) == NULL)
		return NULL;
	p += strlen(pat);
	for (q = p; *q && *q != '"'; q++)
		if (*q == '\\' && q[1])
			q++;
	if ((r = malloc((size_t)(q - p) + 1)) == NULL)
		die("%s", "out of memory");
	memcpy(r, p, (size_t)(q - p));
	r[q - p] = '\0';
	if (after)
		*after = q;
	return r;
}

static long
count(const char *s, const char *pat)
{
	long n = 0;

	while ((s = strstr(s, pat)) != NULL) {
		n++;
		s += strlen(pat);
	}
	return n;
}

static int
fill(int port, const char *table, const char *prefix, long n)
{
	struct conn c = { .fd = -1, .port = port };
	struct buf b = { 0 };
	long i = 0, j;

	while (i < n) {
		b.len = 0;
		putf(&b, "{\"RequestItems\":{\"%s\":[", table);
		for (j = 0; j < 25 && i < n; j++, i++) {
			putf(&b, "%s{\"PutRequest\":{\"Item\":", j ? "," : "");
			putf(&b, ITEM, prefix, 0, i, i, i);
			put(&b, "}}", 2);
		}
		put(&b, "]}}", 3);
		must(&c, "BatchWriteItem", b.p);
		if (strstr(c.body.p, "\"UnprocessedItems\":{}") == NULL)
			die("BatchWriteItem left items unprocessed: %s", c.body.p);
	}
	return 0;
}

static int
drain(int port, const char *table, long n)
{
	struct conn c = { .fd = -1, .port = port };
	struct buf b = { 0 };
	char *arn, *shards[256], *it, *next;
	const char *p;
	int nshards = 0, k;
	long total = 0, got;
	double t0;

	b.len = 0;
	putf(&b, "{\"TableName\":\"%s\"}", table);
	must(&c, "DescribeTable", b.p);
	if ((arn = member(c.body.p, "LatestStreamArn", NULL)) == NULL)
		die("%s has no stream", table);
	b.len = 0;
	putf(&b, "{\"StreamArn\":\"%s\"}", arn);
	must(&c, "Streams.DescribeStream", b.p);
	for (p = c.body.p; nshards < 256 &&
	    (shards[nshards] = member(p, "ShardId", &p)) != NULL; nshards++)
		;
	t0 = now();
	for (k = 0; k < nshards && total < n; k++) {
		b.len = 0;
		putf(&b, "{\"StreamArn\":\"%s\",\"ShardId\":\"%s\","
		    "\"ShardIteratorType\":\"TRIM_HORIZON\"}", arn, shards[k]);
		must(&c, "Streams.GetShardIterator", b.p);
		it = member(c.body.p, "ShardIterator", NULL);
		while (it != NULL && total < n) {
			b.len = 0;
			putf(&b, "{\"ShardIterator\":\"%s\",\"Limit\":1000}", it);
			must(&c, "Streams.GetRecords", b.p);
			got = count(c.body.p, "\"eventID\"");
			next = member(c.body.p, "NextShardIterator", NULL);
			free(it);
			it = next;
			total += got;
			if (got == 0)
				break;	/* this shard is caught up */
		}
		free(it);
	}
	printf("%ld %.6f\n", total, now() - t0);
	if (total != n) {
		fprintf(stderr, "wire: drained %ld records of %ld\n", total, n);
		return 1;
	}
	return 0;
}

struct rater {
	pthread_t th;
	int port, id, conns;
	const char *table, *prefix;
	long keys;		/* > 0: GetItem of keys PREFIX-0-0 ... */
	double rate, seconds, t0;
	double *lat;
	long n, errors;
};

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void *
rate_run(void *arg)
{
	struct rater *r = arg;
	struct conn c = { .fd = -1, .port = r->port };
	struct buf b = { 0 };
	double due, gap = r->conns / r->rate;
	long i, total = (long)(r->rate * r->seconds / r->conns);
	struct timespec ts;

	r->lat = calloc((size_t)total + 1, sizeof(double));
	for (i = 0; i < total; i++) {
		due = r->t0 + i * gap + r->id * gap / r->conns;
		ts.tv_sec = (time_t)due;
		ts.tv_nsec = (long)((due - (double)ts.tv_sec) * 1e9);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		b.len = 0;
		if (r->keys > 0) {
			putf(&b, "{\"TableName\":\"%s\",\"Key\":{\"pk\":"
			    "{\"S\":\"%s-0-%ld\"}}}", r->table, r->prefix,
			    (i * r->conns + r->id) % r->keys);
			if (call(&c, "GetItem", b.p, b.len) != 200 ||
			    strstr(c.body.p, "\"Item\"") == NULL)
				r->errors++;
		} else {
			putf(&b, "{\"TableName\":\"%s\",\"Item\":", r->table);
			putf(&b, ITEM, r->prefix, r->id + 1, i, i, i);
			put(&b, "}", 1);
			if (call(&c, "PutItem", b.p, b.len) != 200)
				r->errors++;
		}
		r->lat[r->n++] = now() - due;
	}
	return NULL;
}

static int
rate(int port, const char *table, const char *prefix, double per_s,
    double seconds, int conns, long keys)
{
	struct rater *rs = calloc((size_t)conns, sizeof(*rs));
	double t0 = now() + 0.05, *all, end;
	long n = 0, errors = 0, i;
	int k;

	for (k = 0; k < conns; k++) {
		rs[k] = (struct rater){ .port = port, .id = k, .conns = conns,
		    .table = table, .prefix = prefix, .keys = keys, .rate = per_s,
		    .seconds = seconds, .t0 = t0 };
		pthread_create(&rs[k].th, NULL, rate_run, &rs[k]);
	}
	for (k = 0; k < conns; k++)
		pthread_join(rs[k].th, NULL);
	end = now();
	if (getenv("WIRE_TRACE") != NULL) {
		/* every request: its connection, when it was due (s after the
		 * start) and its latency (ms) */
		FILE *f = fopen(getenv("WIRE_TRACE"), "w");

		for (k = 0; f != NULL && k < conns; k++)
			for (i = 0; i < rs[k].n; i++)
				fprintf(f, "%d %.6f %.3f\n", k, (i + k /
				    (double)conns) * conns / per_s,
				    rs[k].lat[i] * 1e3);
		if (f != NULL)
			fclose(f);
	}
	for (k = 0; k < conns; k++)
		n += rs[k].n;
	all = calloc((size_t)n + 1, sizeof(double));
	for (n = 0, k = 0; k < conns; k++) {
		for (i = 0; i < rs[k].n; i++)
			all[n++] = rs[k].lat[i];
		errors += rs[k].errors;
	}
	qsort(all, (size_t)n, sizeof(double), cmpd);
	if (n == 0)
		die("%s", "no requests");
	printf("%.3f %.3f %.3f %.3f %.0f %ld\n", all[n / 2] * 1e3,
	    all[n * 99 / 100] * 1e3, all[n * 999 / 1000] * 1e3,
	    all[n - 1] * 1e3, n / (end - t0), errors);
	return errors != 0;
}

static int
startup(int port, const char *log, char **argv)
{
	struct conn c = { .fd = -1 };
	double t0, ready = -1, first;
	int pfd[2], status;
	char line[512];
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	FILE *lf;

	if (pipe(pfd) != 0)
		die("%s", "pipe");
	t0 = now();
	if ((pid = fork()) == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(port == 0 ? pfd[1] : fd, 2);
		dup2(fd, 1);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	child = pid;
	close(pfd[1]);
	if (port == 0) {
		while (len < sizeof(line) - 1 &&
		    (n = read(pfd[0], line + len, 1)) == 1)
			if (line[len++] == '\n') {
				line[len] = '\0';
				if (strstr(line, "listening on http://") != NULL)
					break;
				len = 0;
			}
		ready = now();
		line[len] = '\0';
		if (strstr(line, "listening on http://") == NULL ||
		    (port = atoi(strrchr(line, ':') + 1)) <= 0)
			die("no ready line: %s", line);
	}
	c.port = port;
	for (;;) {
		if (call(&c, "ListTables", "{}", 2) == 200)
			break;
		hangup(&c);
		if (waitpid(pid, &status, WNOHANG) == pid) {
			child = 0;
			die("%s exited before answering", argv[0]);
		}
		if (now() - t0 > 120)
			die("%s did not answer in 120 s", argv[0]);
		usleep(1000);
	}
	first = now();
	close(c.fd);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	child = 0;
	if ((lf = fopen(log, "a")) != NULL) {
		/* keep what pdb-serve said after its ready line */
		while ((n = read(pfd[0], line, sizeof(line))) > 0)
			fwrite(line, 1, (size_t)n, lf);
		fclose(lf);
	}
	printf("%.3f %.3f\n", ready < 0 ? -1 : (ready - t0) * 1e3,
	    (first - t0) * 1e3);
	return 0;
}

static int
wait_up(int port, double seconds)
{
	struct conn c = { .fd = -1, .port = port };
	double t0 = now();

	while (call(&c, "ListTables", "{}", 2) != 200) {
		hangup(&c);
		if (now() - t0 > seconds)
			die("%s", "nothing answers");
		usleep(10000);
	}
	return 0;
}

static int
free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		die("%s", "no free port");
	printf("%d\n", ntohs(a.sin_port));
	close(fd);
	return 0;
}

int
main(int argc, char *argv[])
{
	signal(SIGPIPE, SIG_IGN);
	if (argc == 2 && strcmp(argv[1], "port") == 0)
		return free_port();
	if (argc == 5 && strcmp(argv[1], "call") == 0) {
		struct conn c = { .fd = -1, .port = atoi(argv[2]) };

		must(&c, argv[3], argv[4]);
		puts(c.body.p);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "wait") == 0)
		return wait_up(atoi(argv[2]), atof(argv[3]));
	if (argc == 6 && strcmp(argv[1], "fill") == 0)
		return fill(atoi(argv[2]), argv[3], argv[4], atol(argv[5]));
	if (argc == 5 && strcmp(argv[1], "drain") == 0)
		return drain(atoi(argv[2]), argv[3], atol(argv[4]));
	if ((argc == 8 || argc == 9) && strcmp(argv[1], "rate") == 0)
		return rate(atoi(argv[2]), argv[3], argv[4], atof(argv[5]),
		    atof(argv[6]), atoi(argv[7]), argc == 9 ? atol(argv[8]) : 0);
	if (argc >= 5 && strcmp(argv[1], "startup") == 0)
		return startup(atoi(argv[2]), argv[3], argv + 4);
	fprintf(stderr, "usage: wire port | call PORT OP JSON | wait PORT "
	    "SECONDS |\n  fill PORT TABLE PREFIX N | drain PORT TABLE N |\n"
	    "  rate PORT TABLE PREFIX RATE SECONDS CONNS [KEYS] |\n"
	    "  startup PORT LOG CMD ...\n");
	return 2;
}
