/* pdb-serve — answer DynamoDB and DynamoDB Streams requests over HTTP. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdb/cli.h"
#include "pdb/clock.h"
#include "pdb/serve.h"

static const char synopsis[] =
    "pdb-serve [-q] [-a none|strict] [-l [ADDR:]PORT] [-t SECONDS]\n"
    "                 [-e DURATION] [-d db]";

static void
help(const void *arg)
{
	printf("usage: %s\n\n"
	    "Answer DynamoDB and DynamoDB Streams requests (AWS's JSON "
	    "protocol) on one\nport, over the database the command-line "
	    "programs use.  Creates the\ndatabase if it is missing.  SIGINT "
	    "or SIGTERM: finish the requests in\nflight and exit 0.\n\n"
	    "  -a, --auth MODE           none (default): any request; "
	    "strict: require a\n"
	    "                            SigV4 Authorization header "
	    "(never verified)\n"
	    "  -d, --db PATH             database file (default $PDB_DB, "
	    "./pdb.db)\n"
	    "  -e, --expire-every DURATION\n"
	    "                            delete expired TTL items this often "
	    "(90s, 1m,\n"
	    "                            500ms), as pdb-expire does\n"
	    "  -l, --listen [ADDR:]PORT  where to listen (default "
	    "127.0.0.1:8000; port 0:\n"
	    "                            any free one)\n"
	    "  -q, --quiet               no diagnostics about bad HTTP\n"
	    "  -t, --idle-timeout SECS   close a connection that completes "
	    "no request for\n"
	    "                            SECS seconds (default 60)\n"
	    "  -h, --help                show this help\n"
	    "      --version             show the version\n\n"
	    "See pdb-serve(1).\n", synopsis);
}

/* "PORT", "ADDR:PORT", "[V6ADDR]:PORT" into c. */
static int
parse_listen(char *arg, struct pdb_serve_config *c)
{
	char *colon = strrchr(arg, ':'), *end;
	long port;

	if (colon != NULL) {
		*colon = '\0';
		c->address = arg;
		if (*arg == '[' && colon[-1] == ']') {
			colon[-1] = '\0';
			c->address = arg + 1;
		}
		arg = colon + 1;
	}
	port = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || port < 0 || port > 65535)
		return pdb_cli_usage(synopsis, "invalid --listen port '%s': "
		    "expected 0 to 65535", arg);
	c->port = (int)port;
	return PDB_OK;
}

static int
loopback(const char *address)
{
	return strncmp(address, "127.", 4) == 0 || strcmp(address, "::1") == 0;
}

static int
serve(struct pdb_serve_config *c, const char *dbopt)
{
	struct pdb_server *s;
	struct pdb_err e;
	sigset_t sigs;
	int sig;

	if (pdb_cli_config(&c->db, &e) != PDB_OK)
		return pdb_cli_error(NULL, &e);
	c->dbpath = pdb_cli_db_path(dbopt);
	/* Blocked before the server's threads start, which inherit it. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (pdb_serve_start(&s, c, &e) != PDB_OK)
		return pdb_cli_error(NULL, &e);
	if (!loopback(c->address))
		fprintf(stderr, "%s: warning: listening on %s, beyond this "
		    "machine; requests are not authenticated\n", pdb_cli_prog(),
		    c->address);
	fprintf(stderr, strchr(c->address, ':') ? "%s: listening on "
	    "http://[%s]:%d\n" : "%s: listening on http://%s:%d\n",
	    pdb_cli_prog(), c->address, pdb_serve_port(s));
	sigwait(&sigs, &sig);
	pdb_serve_stop(s);
	return PDB_OK;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		PDB_CLI_COMMON_OPTIONS,
		{ "auth", required_argument, NULL, 'a' },
		{ "expire-every", required_argument, NULL, 'e' },
		{ "idle-timeout", required_argument, NULL, 't' },
		{ "listen", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	struct pdb_serve_config c = { .address = "127.0.0.1", .port = 8000,
	    .idle_timeout = 60, .threads = 2, .connections = 10000 };
	const char *dbopt = NULL;
	long long t;
	int ch, status;

	pdb_cli_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "a:d:e:hl:qt:", opts, NULL)) !=
	    -1)
		switch (ch) {
		case 'a':
			if (strcmp(optarg, "none") != 0 &&
			    strcmp(optarg, "strict") != 0)
				return pdb_cli_usage(synopsis, "invalid --auth "
				    "'%s': expected none or strict", optarg);
			c.auth_strict = strcmp(optarg, "strict") == 0;
			break;
		case 'e':
			if (pdb_clock_parse_duration(optarg,
			    &c.expire_every_ms) != 0 || c.expire_every_ms < 1)
				return pdb_cli_usage(synopsis, "invalid "
				    "--expire-every '%s': expected a duration "
				    "such as 90s, 1m or 500ms", optarg);
			break;
		case 'l':
			if (parse_listen(optarg, &c) != PDB_OK)
				return 2;
			break;
		case 'q':
			c.quiet = 1;
			break;
		case 't':
			if ((t = pdb_cli_number("--idle-timeout", optarg, 1,
			    86400)) < 0)
				return 2;
			c.idle_timeout = (int)t;
			break;
		default:
			if (!pdb_cli_common(ch, &dbopt, help, NULL, &status))
				return pdb_cli_usage(synopsis, NULL);
			if (status >= 0)
				return status;
		}
	argc -= optind;
	if (argc != 0)
		return pdb_cli_usage(synopsis, "expected no operands");
	return pdb_cli_finish(serve(&c, dbopt));
}
