#!/bin/sh
# bench/serve.sh (the end of make bench; alone: make bench-serve): pdb-serve
# and DynamoDB Local side by side under the same load: wrk with
# bench/serve.lua over 4 keep-alive connections (-c4 -t2) for PutItem and
# GetItem of ~300-byte items; bench/wire.c for draining a stream with
# GetRecords, for PutItem latency at a fixed rate and for startup; and
# pdb-serve's memory idle and after the load.  Each figure is the median of
# RUNS runs (default 3) of SERVE_SECONDS (default 5); the drain reads
# SERVE_DRAIN_N records (default 20000); GetItem reads SERVE_KEYS keys
# (default 10000).  A table, then JSON lines; the ratios are pdb/DynamoDB
# Local.  Nothing is asserted.
#
# DynamoDB Local is the jar in the npm package amplify-dynamodb-simulator,
# unpacked once by tests/conformance/ddb-local.sh (its cache,
# $PDB_DDB_LOCAL_CACHE) and run by java, in memory; without java or npm
# its column is empty.  wrk comes from Debian (apt-get install wrk);
# tests/deps.sh does not install it.  The load generator runs on the same
# cores as the server it measures.
set -e
RUNS=${RUNS:-3}
SECS=${SERVE_SECONDS:-5}
DRAIN_N=${SERVE_DRAIN_N:-20000}
KEYS=${SERVE_KEYS:-10000}
top=$(pwd)
PATH="$top/bin:$PATH"

if ! command -v wrk >/dev/null 2>&1; then
	echo "serve bench: skipped: wrk is missing; on Debian: apt-get install -y wrk"
	exit 0
fi
work=$(mktemp -d)
pdb_pid="" ddb_pid=""
stop() {	# stop PID: end a server this script started, and wait for it
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}
cleanup() {
	stop "$ddb_pid"
	stop "$pdb_pid"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cc -O2 -o "$work/wire" bench/wire.c -lpthread
wire="$work/wire"

# DynamoDB Local, unpacked once into the conformance suite's cache.
ddb_dir=$(sh tests/conformance/ddb-local.sh path 2>"$work/ddb.path") || {
	ddb_dir=""
	echo "serve bench: no DynamoDB Local column: $(sed 's/^ddb-local.sh: //' "$work/ddb.path")"
}
# DynamoDB Local in memory, in its folder: $ddb_java PORT (one line: it
# goes into sh -c too)
ddb_java="java -Djava.library.path=./DynamoDBLocal_lib -jar DynamoDBLocal.jar"
ddb_java="$ddb_java -inMemory -sharedDb -disableTelemetry -port"
servers=pdb
[ -z "$ddb_dir" ] || servers="pdb ddb"

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "null" }'; }
sum() { awk '{ s += $1 } END { print s + 0 }'; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
hwm() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
port() { if [ "$1" = pdb ]; then echo "$pdb_port"; else echo "$ddb_port"; fi; }
pid() { if [ "$1" = pdb ]; then echo "$pdb_pid"; else echo "$ddb_pid"; fi; }

table() {	# table SERVER NAME [STREAM-VIEW]
	spec=""
	[ -z "$3" ] || spec=",\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"$3\"}"
	"$wire" call "$(port "$1")" CreateTable "{\"TableName\":\"$2\",\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"$spec}" >/dev/null
}
setup_writes() { table "$1" writes NEW_AND_OLD_IMAGES; }
# fill SERVER TABLE: the keys GetItem reads, the last one checked
fill() {
	"$wire" fill "$(port "$1")" "$2" g "$KEYS"
	"$wire" call "$(port "$1")" GetItem "{\"TableName\":\"$2\",\"Key\":{\"pk\":{\"S\":\"g-0-$((KEYS - 1))\"}}}" |
	    grep -q '"Item"' || { echo "serve bench: $1 lost an item of $2" >&2; exit 1; }
}
setup_reads() {
	table "$1" reads NEW_AND_OLD_IMAGES
	fill "$1" reads
}
setup_plain() {
	table "$1" plain
	fill "$1" plain
}

# settle PID: wait (6 s at most) until the server uses less than 3 % of a
# core, so that what a phase left running (pdb-serve's checkpoints of the
# writes before, the JVM's compiler and collector) is not counted against
# the next one, on either server.
settle() {
	[ -n "$1" ] || return 0
	i=0 last=$(ticks "$1")
	while [ $i -lt 20 ]; do
		sleep 0.3
		now=$(ticks "$1")
		[ $((now - last)) -le $((hz / 100)) ] && return 0
		last=$now i=$((i + 1))
	done
}

# load SERVER OP TABLE PREFIX SECONDS: wrk's requests/s; answers other
# than 2xx and socket errors are added to $work/bad.SERVER, the server's
# CPU (percent of a core) to $work/cpu.SERVER ($tag, when set, instead of
# SERVER).
load() {
	settle "$pdb_pid"
	settle "$ddb_pid"
	t0=$(ticks "$(pid "$1")")
	wrk -c4 -t2 -d"$5"s -s bench/serve.lua "http://127.0.0.1:$(port "$1")/" \
	    -- "$2" "$3" "$4" "$KEYS" >"$work/wrk" 2>&1 ||
	    { cat "$work/wrk" >&2; exit 1; }
	t1=$(ticks "$(pid "$1")")
	awk -v t="$((t1 - t0))" -v hz="$hz" -v s="$5" \
	    'BEGIN { printf "%.0f\n", t / hz / s * 100 }' >>"$work/cpu.${tag:-$1}"
	awk '/Non-2xx or 3xx responses:/ { bad += $NF }
	    /Socket errors:/ { gsub(/[^0-9 ]/, ""); for (i = 1; i <= NF; i++) bad += $i }
	    END { print bad + 0 }' "$work/wrk" >>"$work/bad.${tag:-$1}"
	awk '/^Requests\/sec:/ { print $2 }' "$work/wrk"
}

# Startup: from fork to pdb-serve's ready line and to the first answer to
# ListTables, on a database file it creates; DynamoDB Local's first answer.
# First, before any load leaves the disk busy writing back.
for s in $servers; do : >"$work/s.$s"; done
r=0
while [ $r -lt "$RUNS" ]; do
	"$wire" startup 0 "$work/start.log" pdb-serve -q -l 127.0.0.1:0 \
	    -d "$work/start$r.db" >>"$work/s.pdb"
	if [ -n "$ddb_dir" ]; then
		sp=$("$wire" port)
		"$wire" startup "$sp" "$work/start.log" \
		    sh -c "cd '$ddb_dir' && exec $ddb_java $sp" >>"$work/s.ddb"
	fi
	r=$((r + 1))
done
pready=$(awk '{ print $1 }' "$work/s.pdb" | median)
pfirst=$(awk '{ print $2 }' "$work/s.pdb" | median)
dfirst=null
[ -z "$ddb_dir" ] || dfirst=$(awk '{ print $2 }' "$work/s.ddb" | median)

# pdb-serve: one process for all of the bench, on a database file.
pdb-serve -q -l 127.0.0.1:0 -d "$work/serve.db" 2>"$work/pdb.log" &
pdb_pid=$!
i=0
until grep -q 'listening on' "$work/pdb.log"; do
	i=$((i + 1))
	if [ $i -gt 500 ] || ! kill -0 $pdb_pid 2>/dev/null; then
		cat "$work/pdb.log" >&2
		exit 1
	fi
	sleep 0.01
done
pdb_port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/pdb.log")
"$wire" wait "$pdb_port" 10
sleep 0.5
pdb_rss_idle=$(rss $pdb_pid)	# ready, and a request answered
for t in writes reads plain; do
	setup_$t pdb
done
table pdb warm
: >"$work/rss"

# DynamoDB Local answers more slowly the more stream records it holds (each
# request reads the stream's description from its SQLite, at a cost that
# grows with them: 55000 records bring PutItem down to a few per second), so
# each of its phases, and each run of a phase that writes stream records,
# starts on a fresh instance, warmed up (JIT) on a table without a stream.
ddb_port="" ddb_rss_idle=null ddb_rss_load=null
ddb_stop() {
	stop "$ddb_pid"
	ddb_pid=""
}
ddb_fresh() {	# ddb_fresh SETUP...: a new DynamoDB Local with those tables
	ddb_stop
	ddb_port=$("$wire" port)
	(cd "$ddb_dir" && exec $ddb_java "$ddb_port") >"$work/ddb.log" 2>&1 &
	ddb_pid=$!
	"$wire" wait "$ddb_port" 120 || { cat "$work/ddb.log" >&2; exit 1; }
	if [ "$ddb_rss_idle" = null ]; then
		sleep 0.5
		ddb_rss_idle=$(rss "$ddb_pid")
	fi
	table ddb warm
	tag=warm
	load ddb put warm w 2 >/dev/null
	load ddb get warm w 2 >/dev/null
	tag=
	for t; do
		setup_$t ddb
	done
}

# row NAME UNIT PDB DDB [DECIMALS]: a line of the table, ratio pdb/ddb
row() {
	awk -v n="$1" -v u="$2" -v p="$3" -v d="$4" -v f="${5:-0}" 'BEGIN {
		fmt = f > 0 ? "%." f "f" : "%.0f"
		ps = p == "null" || p == "" ? "-" : sprintf(fmt, p)
		ds = d == "null" || d == "" ? "-" : sprintf(fmt, d)
		rs = ps == "-" || ds == "-" || d + 0 == 0 ? "-" : sprintf("%.3g", p / d)
		printf "%-42s %10s %14s %9s  %s\n", n, ps, ds, rs, u
	}' >>"$work/table"
}
ratio() {
	awk -v p="$1" -v d="$2" 'BEGIN { if (p == "null" || d == "null" ||
	    d + 0 == 0) print "null"; else printf "%.4g\n", p / d }'
}

# percpu RATE CPU-PERCENT: requests per second of the server's CPU time
percpu() {
	awk -v r="$1" -v c="$2" 'BEGIN { if (r == "null" || c == "null" ||
	    c + 0 == 0) print "null"; else printf "%.0f\n", r / c * 100 }'
}

# throughput NAME PREFIX OP TABLE PER-RUN: RUNS runs, pdb and DynamoDB
# Local in turn; PER-RUN "yes" gives DynamoDB Local a fresh instance for
# every run, else one for the phase.
throughput() {
	for s in $servers; do
		: >"$work/r.$s"
		: >"$work/bad.$s"
		: >"$work/cpu.$s"
	done
	r=0
	while [ $r -lt "$RUNS" ]; do
		pre=$2$r	# new keys for each PutItem run, "wire fill"'s to read
		[ "$3" = put ] || pre=g
		load pdb "$3" "$4" "$pre" "$SECS" >>"$work/r.pdb"
		rss $pdb_pid >>"$work/rss"
		if [ -n "$ddb_dir" ]; then
			[ $r -gt 0 ] && [ "$5" != yes ] || ddb_fresh "$4"
			load ddb "$3" "$4" "$pre" "$SECS" >>"$work/r.ddb"
			ddb_rss_load=$(rss "$ddb_pid")
		fi
		r=$((r + 1))
	done
	p=$(median <"$work/r.pdb")
	pbad=$(sum <"$work/bad.pdb")
	pcpu=$(median <"$work/cpu.pdb")
	d=null dbad=null dcpu=null
	if [ -n "$ddb_dir" ]; then
		d=$(median <"$work/r.ddb")
		dbad=$(sum <"$work/bad.ddb")
		dcpu=$(median <"$work/cpu.ddb")
	fi
	row "$1" "req/s" "$p" "$d"
	[ "$pbad" = 0 ] && [ "$dbad" = 0 -o "$dbad" = null ] ||
	    echo "  (answers other than 200, socket errors: pdb $pbad, DynamoDB Local $dbad)" >>"$work/table"
	printf '{"bench":"serve %s %s","per_second_pdb":%s,"per_second_ddb_local":%s,"ratio":%s,"not_200_pdb":%s,"not_200_ddb_local":%s,"cpu_percent_pdb":%s,"cpu_percent_ddb_local":%s,"per_cpu_second_pdb":%s,"per_cpu_second_ddb_local":%s,"seconds":%s,"runs":%s}\n' \
	    "$3" "$4" "$p" "$d" "$(ratio "$p" "$d")" "$pbad" "$dbad" \
	    "$pcpu" "$dcpu" "$(percpu "$p" "$pcpu")" "$(percpu "$d" "$dcpu")" \
	    "$SECS" "$RUNS" >>"$work/json"
	eval "peak_$3_$4=\$p ddb_peak_$3_$4=\$d"
}

echo "serve bench: pdb-serve${ddb_dir:+ and DynamoDB Local}: wrk -c4 -t2, ${SECS} s runs, median of $RUNS; $(nproc) cores, shared by the load generator and the server; load average $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$work/table"
: >"$work/json"
tag=warm	# a warm-up, not counted
load pdb put warm w 2 >/dev/null
load pdb get warm w 2 >/dev/null
tag=

throughput "PutItem, NEW_AND_OLD_IMAGES stream" p put writes yes
throughput "GetItem, NEW_AND_OLD_IMAGES stream" g get reads no
throughput "PutItem, no stream (reference)" n put plain no
throughput "GetItem, no stream (reference)" h get plain no

# Draining a stream: N records written, then GetShardIterator and GetRecords
# Limit 1000 from TRIM_HORIZON until all N are read; a new table each run.
for s in $servers; do : >"$work/d.$s"; done
setup_drain() {
	table "$1" "drain$r" NEW_AND_OLD_IMAGES
	"$wire" fill "$(port "$1")" "drain$r" d "$DRAIN_N"
}
r=0
while [ $r -lt "$RUNS" ]; do
	[ -z "$ddb_dir" ] || ddb_fresh drain
	for s in $servers; do
		[ $s = ddb ] || setup_drain pdb
		"$wire" drain "$(port $s)" "drain$r" "$DRAIN_N" |
		    awk '{ printf "%.0f\n", $1 / $2 }' >>"$work/d.$s"
	done
	rss $pdb_pid >>"$work/rss"
	r=$((r + 1))
done
p=$(median <"$work/d.pdb")
d=null
[ -z "$ddb_dir" ] || d=$(median <"$work/d.ddb")
row "GetRecords drain, $DRAIN_N records" "records/s" "$p" "$d"
printf '{"bench":"serve getrecords drain","n":%s,"records_per_second_pdb":%s,"records_per_second_ddb_local":%s,"ratio":%s,"runs":%s}\n' \
    "$DRAIN_N" "$p" "$d" "$(ratio "$p" "$d")" "$RUNS" >>"$work/json"

# PutItem latency at a fixed rate, half of the peak measured above, each
# request timed from when it was due (no coordinated omission); GetItem at
# the same rate beside it shows what the machine itself adds.
# latency SERVER RATE OP: medians of p50, p99, p999 and the sum of errors
# in $work/lat (not in a subshell: it may start DynamoDB Local)
latency() {
	: >"$work/l"
	r=0
	while [ $r -lt "$RUNS" ]; do
		if [ "$3" = get ]; then
			"$wire" rate "$(port "$1")" reads g "$2" "$SECS" 4 \
			    "$KEYS" >>"$work/l" || true
		else
			[ "$1" = pdb ] || ddb_fresh writes
			"$wire" rate "$(port "$1")" writes "l$r" "$2" "$SECS" 4 \
			    >>"$work/l" || true
		fi
		r=$((r + 1))
	done
	for c in 1 2 3; do
		awk -v c=$c '{ print $c }' "$work/l" | median
	done | tr '\n' ' ' >"$work/lat"
	awk '{ s += $6 } END { print s + 0 }' "$work/l" >>"$work/lat"
}
half=$(awk -v p="$peak_put_writes" 'BEGIN { printf "%.0f", p / 2 }')
latency pdb "$half" put
set -- $(cat "$work/lat")
pl50=$1 pl99=$2 pl999=$3 pbad=$4
latency pdb "$half" get
set -- $(cat "$work/lat")
gl99=$2 gbad=$4
rss $pdb_pid >>"$work/rss"
dl50=null dl99=null dhalf=null dbad=null
if [ -n "$ddb_dir" ]; then
	dhalf=$(awk -v p="$ddb_peak_put_writes" 'BEGIN { printf "%.0f", p / 2 }')
	latency ddb "$dhalf" put
	set -- $(cat "$work/lat")
	dl50=$1 dl99=$2 dbad=$4
fi
row "PutItem p50 at half the peak rate" ms "$pl50" "$dl50" 2
row "PutItem p99 at half the peak rate" ms "$pl99" "$dl99" 2
echo "  (half the peak: pdb-serve $half/s, DynamoDB Local ${dhalf#null}/s)" |
    sed 's/, DynamoDB Local \/s//' >>"$work/table"
row "GetItem p99 at $half/s (the machine's noise)" ms "$gl99" null 2
[ "$pbad$gbad" = 00 ] && [ "$dbad" = 0 -o "$dbad" = null ] ||
    echo "  (answers other than 200: pdb PutItem $pbad, GetItem $gbad; DynamoDB Local $dbad)" >>"$work/table"
printf '{"bench":"serve putitem latency at half peak","rate_pdb":%s,"rate_ddb_local":%s,"p50_ms_pdb":%s,"p99_ms_pdb":%s,"p999_ms_pdb":%s,"p50_ms_ddb_local":%s,"p99_ms_ddb_local":%s,"ratio_p99":%s,"getitem_p99_ms_pdb_same_rate":%s,"not_200_pdb":%s,"not_200_ddb_local":%s,"seconds":%s,"runs":%s}\n' \
    "$half" "$dhalf" "$pl50" "$pl99" "$pl999" "$dl50" "$dl99" \
    "$(ratio "$pl99" "$dl99")" "$gl99" "$((pbad + gbad))" "$dbad" "$SECS" \
    "$RUNS" >>"$work/json"
ddb_stop

# Memory: pdb-serve idle (tables made and filled, before any load) and after
# all of the above, with a sample after every run to show where it levels.
pdb_rss_load=$(rss $pdb_pid)
pdb_hwm=$(hwm $pdb_pid)

row "start to ready line" ms "$pready" null 1
row "start to first answer" ms "$pfirst" "$dfirst" 1
printf '{"bench":"serve startup","ready_ms_pdb":%s,"first_answer_ms_pdb":%s,"first_answer_ms_ddb_local":%s,"ratio":%s,"runs":%s}\n' \
    "$pready" "$pfirst" "$dfirst" "$(ratio "$pfirst" "$dfirst")" "$RUNS" \
    >>"$work/json"

row "resident memory, idle" KiB "$pdb_rss_idle" "$ddb_rss_idle"
row "resident memory, after the load" KiB "$pdb_rss_load" "$ddb_rss_load"
samples=$(tr '\n' ' ' <"$work/rss" | sed 's/ $//')
printf '%-42s %s KiB; peak %s KiB\n' "pdb-serve, after each run" "$samples" \
    "$pdb_hwm" >>"$work/table"
printf '{"bench":"serve memory","rss_kib_idle_pdb":%s,"rss_kib_after_load_pdb":%s,"hwm_kib_pdb":%s,"rss_kib_after_each_run_pdb":[%s],"rss_kib_idle_ddb_local":%s,"rss_kib_after_load_ddb_local":%s,"ratio_after_load":%s}\n' \
    "$pdb_rss_idle" "$pdb_rss_load" "$pdb_hwm" \
    "$(echo "$samples" | tr ' ' ',')" "$ddb_rss_idle" "$ddb_rss_load" \
    "$(ratio "$pdb_rss_load" "$ddb_rss_load")" >>"$work/json"

printf '%-42s %10s %14s %9s\n' "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" pdb-serve "DynamoDB Local" pdb/ddb
cat "$work/table"
echo
cat "$work/json"
