#!/bin/sh
# ddb-local.sh: install, start and stop DynamoDB Local, the reference the
# conformance suite compares pdb-serve with.  The jar ships inside the npm
# package amplify-dynamodb-simulator; Java 17 runs it.
#
#   ddb-local.sh path        unpack the package once; print the folder that
#                            holds DynamoDBLocal.jar
#   ddb-local.sh start       start it in memory on a free port of 127.0.0.1,
#                            wait until it answers; print "PID PORT"
#   ddb-local.sh stop PID    stop the instance started with that PID
#
# The package is unpacked into $PDB_DDB_LOCAL_CACHE, by default
# ${XDG_CACHE_HOME:-$HOME/.cache}/pdb-ddb-local; its log is ddb-local-PORT.log
# there.  Exit 3 when java, npm or the package is unavailable (the message
# names what is missing), 1 when it does not start.
set -eu
PKG=amplify-dynamodb-simulator@2.9.30
CACHE=${PDB_DDB_LOCAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pdb-ddb-local}

path() {
	command -v java >/dev/null 2>&1 || {
		echo "ddb-local.sh: java is not installed (apt-get install openjdk-17-jre-headless)" >&2
		exit 3
	}
	dir=$CACHE/package/emulator
	if [ ! -f "$dir/DynamoDBLocal.jar" ]; then
		command -v npm >/dev/null 2>&1 || {
			echo "ddb-local.sh: npm is not installed, so $PKG cannot be fetched" >&2
			exit 3
		}
		mkdir -p "$CACHE"
		tmp=$(mktemp -d "$CACHE/unpack.XXXXXX")
		if ! (cd "$tmp" && npm pack --silent --loglevel=error "$PKG" >/dev/null 2>&1 &&
		    tar xzf amplify-dynamodb-simulator-*.tgz) ||
		    [ ! -f "$tmp/package/emulator/DynamoDBLocal.jar" ]; then
			rm -rf "$tmp"
			echo "ddb-local.sh: npm could not fetch $PKG" >&2
			exit 3
		fi
		# Another run may have unpacked it meanwhile; either copy will do.
		rm -rf "$CACHE/package"
		mv "$tmp/package" "$CACHE/package"
		rm -rf "$tmp"
	fi
	echo "$dir"
}

freeport() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# answers PORT: DynamoDB Local answers a request on PORT.
answers() {
	python3 - "$1" <<'PY' 2>/dev/null
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=2)
c.request("POST", "/", "{}", {"X-Amz-Target": "DynamoDB_20120810.ListTables",
    "Content-Type": "application/x-amz-json-1.0", "X-Amz-Date": "20260101T000000Z",
    "Authorization": "AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x"})
sys.exit(0 if c.getresponse().status == 200 else 1)
PY
}

start() {
	dir=$(path)
	# One log per instance, kept for a day for post-mortems.
	find "$CACHE" -maxdepth 1 -name 'ddb-local-*.log' -mtime +1 -exec rm -f {} + 2>/dev/null || :
	tries=0
	while :; do
		port=$(freeport)
		log=$CACHE/ddb-local-$port.log
		(cd "$dir" && exec java -Djava.library.path=./DynamoDBLocal_lib \
		    -jar DynamoDBLocal.jar -inMemory -sharedDb -port "$port" \
		    -disableTelemetry) </dev/null >"$log" 2>&1 &
		pid=$!
		i=0
		while [ $i -lt 300 ] && kill -0 $pid 2>/dev/null; do
			if answers "$port"; then
				echo "$pid $port"
				return 0
			fi
			i=$((i + 1))
			sleep 0.1
		done
		kill $pid 2>/dev/null || true
		wait $pid 2>/dev/null || true
		# Someone else may have taken the port between our probe and
		# Jetty's bind: try another one, twice at most.
		tries=$((tries + 1))
		if [ $tries -ge 3 ]; then
			echo "ddb-local.sh: DynamoDB Local did not start; see $log" >&2
			exit 1
		fi
	done
}

stop() {
	kill "$1" 2>/dev/null || return 0
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null || true
}

case ${1:-} in
path) path ;;
start) start ;;
stop) stop "${2:?usage: ddb-local.sh stop PID}" ;;
*) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
