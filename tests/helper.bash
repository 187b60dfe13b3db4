# Shared by every bats file: pdb's bin/ first in PATH, the C locale, a fresh
# database per test, and helpers that say what a user would check.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

TOP="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
export PATH="$TOP/bin:$PATH"
export LC_ALL=C
VALIDATE="$TOP/../shared/validate"

setup() {
	export PDB_DB="$BATS_TEST_TMPDIR/test.db"
	unset PDB_NOW PDB_RETENTION AWS_REGION AWS_DEFAULT_REGION PDB_ACCOUNT_ID
	cd "$BATS_TEST_TMPDIR"
}

# A test that fails with a server running must not leave it behind: bats
# waits for every process holding its output.
teardown() { serve_stop; }

# Under VALGRIND=1 every pdb program runs under memcheck.
if [ "${VALIDATE_WRAP:-}" = "" ] && [ "${VALGRIND:-0}" = 1 ]; then
	for p in "$TOP"/bin/pdb-*; do
		n=$(basename "$p")
		eval "$n() { valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \"$p\" \"\$@\"; }"
	done
fi

# The number of rows in a table of the database.
rows() {
	sqlite3 "$PDB_DB" "SELECT count(*) FROM $1"
}

# A SHA of everything stored, to show that a failed command changed nothing.
db_state() {
	sqlite3 "$PDB_DB" "SELECT key, item FROM items ORDER BY tbl, key;
	    SELECT seq, stream, keys, new_image, old_image FROM records ORDER BY seq;
	    SELECT * FROM streams ORDER BY id; SELECT * FROM tables ORDER BY id;
	    SELECT * FROM indexes ORDER BY id;
	    SELECT idx, hex(key), item, size FROM index_rows ORDER BY idx, key" | sha1sum
}

# The stream records stored so far, one compact line each: event and Keys,
# NewImage, OldImage as stored.
stored_records() {
	sqlite3 -separator ' ' "$PDB_DB" "SELECT CASE event WHEN 1 THEN 'INSERT' WHEN 2 THEN 'MODIFY' ELSE 'REMOVE' END, keys, coalesce(new_image, '-'), coalesce(old_image, '-'), size FROM records ORDER BY seq"
}

# Run a validator of ../shared/validate when it is installed; skip otherwise.
have_validator() {
	[ -x "$VALIDATE/validate-shape" ] && [ -d "$VALIDATE/.deps" ] ||
		skip "../shared/validate is not set up (run make deps)"
}

# serve_start [ARGS...]: pdb-serve on a free port of 127.0.0.1, over
# $PDB_DB; sets SERVE_PID, PORT and ENDPOINT.  serve_stop ends it.
serve_start() {
	: >"$BATS_TEST_TMPDIR/serve.err"
	pdb-serve -q -l 127.0.0.1:0 "$@" 2>"$BATS_TEST_TMPDIR/serve.err" &
	SERVE_PID=$!
	local i
	for ((i = 0; i < 200; i++)); do
		PORT=$(sed -n 's/^pdb-serve: listening on http:\/\/127.0.0.1:\([0-9]*\)$/\1/p' "$BATS_TEST_TMPDIR/serve.err")
		[ -n "$PORT" ] && break
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.01
	done
	[ -n "$PORT" ] || { cat "$BATS_TEST_TMPDIR/serve.err"; return 1; }
	ENDPOINT="http://127.0.0.1:$PORT"
}

serve_stop() {
	[ -n "${SERVE_PID:-}" ] || return 0
	kill -TERM "$SERVE_PID" 2>/dev/null || true
	wait "$SERVE_PID" 2>/dev/null || true
	SERVE_PID=
}

# call OP JSON: one request to the server; the body on stdout, the HTTP
# status in $BATS_TEST_TMPDIR/status.
call() {
	local target=DynamoDB_20120810
	case $1 in
	ListStreams | DescribeStream | GetShardIterator | GetRecords)
		target=DynamoDBStreams_20120810 ;;
	esac
	curl -sS -o - -w '%{http_code}' -X POST -H "X-Amz-Target: $target.$1" \
	    -H 'Content-Type: application/x-amz-json-1.0' --data-binary "$2" \
	    "$ENDPOINT/" | { body=$(cat); printf '%s' "${body%???}"; printf '%s' "${body: -3}" >"$BATS_TEST_TMPDIR/status"; }
}

status() { cat "$BATS_TEST_TMPDIR/status"; }

# awscli ARGS...: Debian's AWS CLI (never another on PATH) against the
# server, with any credentials.
awscli() {
	AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1 \
	    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	    AWS_PAGER= /usr/bin/aws --endpoint-url "$ENDPOINT" --output json "$@"
}

# boto3 SCRIPT: Debian's python3 and boto3, with ENDPOINT in the
# environment; a client for either service is ddb() and streams().
boto3() {
	ENDPOINT=$ENDPOINT /usr/bin/python3 -c "
import boto3, json, os
from botocore.config import Config
def client(service):
    return boto3.client(service, endpoint_url=os.environ['ENDPOINT'],
        region_name='us-east-1', aws_access_key_id='x',
        aws_secret_access_key='x', config=Config(retries={'max_attempts': 1}))
def ddb(): return client('dynamodb')
def streams(): return client('dynamodbstreams')
$1"
}
