#!/bin/sh
# make bench: write and read throughput, follow latency and peak memory of
# pdb on this machine, each the median of RUNS runs; a table, then JSON lines.
# BENCH_N items (default 100000); RUNS (default 3).  At the end,
# bench/serve.sh: pdb-serve beside DynamoDB Local.
set -e
N=${BENCH_N:-100000}
RUNS=${RUNS:-3}
top=$(pwd)
PATH="$top/bin:$PATH"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
for t in gen measure latency; do
	cc -O2 -o "$work/$t" "bench/$t.c"
done
cc -O2 -o "$work/floor" bench/floor.c $(pkg-config --cflags --libs sqlite3 jansson)
export PDB_DB="$work/bench.db"

"$work/gen" "$N" 42 v1 >"$work/items"
"$work/gen" "$N" 42 v2 >"$work/items2"	# same keys, changed values
"$work/gen" "$((N * 10))" 7 v1 >"$work/items10"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# measure NAME COUNT SETUP IN OUT CMD...: median items/s and peak KiB
measure() {
	name=$1 count=$2 setup=$3 in=$4 out=$5
	shift 5
	: >"$work/times"
	: >"$work/rss"
	i=0
	while [ $i -lt "$RUNS" ]; do
		sh -c "$setup"
		"$work/measure" "$in" "$out" "$@" >"$work/m"
		awk -v n="$count" '{ print n / $1 }' "$work/m" >>"$work/times"
		awk '{ print $2 }' "$work/m" >>"$work/rss"
		i=$((i + 1))
	done
	rate=$(median <"$work/times")
	rss=$(median <"$work/rss")
	printf '%-34s %12.0f /s %10s KiB\n' "$name" "$rate" "$rss"
	printf '{"bench":"%s","n":%s,"per_second":%.0f,"peak_rss_kib":%s}\n' \
	    "$name" "$count" "$rate" "$rss" >>"$work/json"
}

fresh() { echo "rm -f $PDB_DB $PDB_DB-wal $PDB_DB-shm; pdb-table create bench pk sk:N $1"; }

echo "pdb bench: N=$N, median of $RUNS runs, $(nproc) cores"
measure "put, no stream" "$N" "$(fresh)" "$work/items" - pdb-put bench
measure "put, NEW_AND_OLD_IMAGES" "$N" "$(fresh '-s NEW_AND_OLD_IMAGES')" \
    "$work/items" - pdb-put bench
measure "floor: minimal C, same schema" "$N" "rm -f $work/floor.db*" \
    "$work/items" - "$work/floor" "$work/floor.db"
measure "put, overwrite all (MODIFY)" "$N" \
    "$(fresh '-s NEW_AND_OLD_IMAGES'); pdb-put bench <$work/items" \
    "$work/items2" - pdb-put bench
measure "put --batch-size 1000" "$N" "$(fresh '-s NEW_AND_OLD_IMAGES')" \
    "$work/items" - pdb-put --batch-size 1000 bench
measure "put, 10 x N (memory)" "$((N * 10))" \
    "$(fresh '-s NEW_AND_OLD_IMAGES')" "$work/items10" - pdb-put bench

# Scan pages of 1000 over those 10 x N items: the last page, resumed from
# the LastEvaluatedKey before it, should cost what the first costs, since
# a start key is a seek, not a skip.  Median ms of RUNS runs each.
page_ms() {
	: >"$work/times"
	i=0
	while [ $i -lt "$RUNS" ]; do
		"$work/measure" - /dev/null pdb-scan --page --limit 1000 "$@" \
		    bench >"$work/m"
		awk '{ printf "%.1f\n", $1 * 1000 }' "$work/m" >>"$work/times"
		i=$((i + 1))
	done
	median <"$work/times"
}
key=$(pdb-scan bench | tail -n 1001 | head -n 1 | jq -c '{pk, sk}')
first_ms=$(page_ms)
last_ms=$(page_ms --exclusive-start-key "$key")
printf '%-34s first %s ms, last %s ms (of %s items)\n' \
    "scan --page --limit 1000" "$first_ms" "$last_ms" "$((N * 10))"
printf '{"bench":"scan page of 1000","n":%s,"first_ms":%s,"last_ms":%s}\n' \
    "$((N * 10))" "$first_ms" "$last_ms" >>"$work/json"

rate() { awk -v b="$1" -F'"per_second":' 'index($0, "\"" b "\"") { split($2, a, ","); print a[1] }' "$work/json"; }

# Secondary indexes: the same puts into a table with two GSIs projecting
# ALL, then Query through one whose partition holds all N items.
measure "put, 2 GSIs (ALL), NEW_AND_OLD" "$N" \
    "$(fresh '-s NEW_AND_OLD_IMAGES -g "byName name score:N" -g "byScore score:N"')" \
    "$work/items" - pdb-put bench
gsi=$(awk -v g="$(rate 'put, 2 GSIs (ALL), NEW_AND_OLD')" -v p="$(rate 'put, NEW_AND_OLD_IMAGES')" 'BEGIN { printf "%.2f", g / p }')
printf '%-34s %s of put with capture\n' "put with 2 GSIs" "$gsi"
printf '{"bench":"put with 2 GSIs to put","ratio":%s}\n' "$gsi" >>"$work/json"
sh -c "$(fresh '-g "byKind kind sk:N"')"
awk '{ sub(/^\{/, "{\"kind\":{\"S\":\"k\"},"); print }' "$work/items" |
    pdb-put bench
measure "query --index, one partition" "$N" true - "$work/out" \
    pdb-query --index byKind -k 'kind = :k' -V '{":k":{"S":"k"}}' bench
ratio=$(awk -v p="$(rate 'put, NEW_AND_OLD_IMAGES')" -v f="$(rate 'floor: minimal C, same schema')" 'BEGIN { printf "%.2f", p / f }')
capture=$(awk -v p="$(rate 'put, NEW_AND_OLD_IMAGES')" -v n="$(rate 'put, no stream')" 'BEGIN { printf "%.2f", n / p }')
printf '%-34s %s of the floor; capture costs %s x\n' "put with capture" "$ratio" "$capture"
printf '{"bench":"ratio to floor","ratio":%s,"capture_cost":%s}\n' "$ratio" "$capture" >>"$work/json"

# Readers on a stream of N records.
sh -c "$(fresh '-s NEW_AND_OLD_IMAGES')"
pdb-put bench <"$work/items"
measure "stream-tail drain" "$N" true - "$work/out" pdb-stream-tail bench
# pdb-stream-run, batches of 100 to a handler that reads its event and
# exits 0: records/s end to end.
measure "stream-run -b 100, cat (records)" "$N" true - /dev/null \
    sh -c 'exec pdb-stream-run --once -b 100 bench -- cat 2>/dev/null'
measure "scan" "$N" true - "$work/out" pdb-scan bench
measure "dump" "$N" true - "$work/dump" pdb-dump bench
measure "load a dump, NEW_AND_OLD_IMAGES" "$N" \
    "rm -f $work/load.db*" "$work/dump" - pdb-load -d "$work/load.db"
load=$(awk -v l="$(rate 'load a dump, NEW_AND_OLD_IMAGES')" -v p="$(rate 'put, NEW_AND_OLD_IMAGES')" 'BEGIN { printf "%.2f", l / p }')
printf '%-34s %s of put with capture\n' "load" "$load"
printf '{"bench":"load to put","ratio":%s}\n' "$load" >>"$work/json"
pdb-put bench <"$work/items10" 2>/dev/null || true
measure "stream-tail drain, 11 x N (memory)" "$((N * 11))" true - \
    "$work/out" pdb-stream-tail bench

# Shards: the same puts into a stream of 16 open shards, and its drain,
# each against the one-shard figures above; then a roll and a split on a
# stream of 11 x N records, which should cost what they cost on an empty
# one (one transaction of constant size).
measure "put, 16 shards, NEW_AND_OLD" "$N" "$(fresh '-s NEW_AND_OLD_IMAGES -n 16')" \
    "$work/items" - pdb-put bench
measure "stream-tail drain, 16 shards" "$N" true - "$work/out" pdb-stream-tail bench
measure "stream-run -b 100, 16 shards" "$N" true - /dev/null \
    sh -c 'exec pdb-stream-run --once -b 100 bench -- cat 2>/dev/null'
put16=$(awk -v s="$(rate 'put, 16 shards, NEW_AND_OLD')" -v p="$(rate 'put, NEW_AND_OLD_IMAGES')" 'BEGIN { printf "%.2f", s / p }')
drain16=$(awk -v s="$(rate 'stream-tail drain, 16 shards')" -v p="$(rate 'stream-tail drain')" 'BEGIN { printf "%.2f", s / p }')
printf '%-34s put %s, drain %s of one shard\n' "16 shards" "$put16" "$drain16"
printf '{"bench":"16 shards to one","put_ratio":%s,"drain_ratio":%s}\n' "$put16" "$drain16" >>"$work/json"
shard_ms() {
	"$work/measure" - /dev/null pdb-stream-shard bench "$1" >"$work/m"
	awk '{ printf "%.1f", $1 * 1000 }' "$work/m"
}
sh -c "$(fresh '-s NEW_AND_OLD_IMAGES')"
empty_roll=$(shard_ms roll) empty_split=$(shard_ms split)
sh -c "$(fresh '-s NEW_AND_OLD_IMAGES')"
pdb-put bench <"$work/items10"
full_roll=$(shard_ms roll) full_split=$(shard_ms split)
printf '%-34s roll %s ms, split %s ms (empty: %s, %s)\n' "roll, split on $((N * 10)) records" \
    "$full_roll" "$full_split" "$empty_roll" "$empty_split"
printf '{"bench":"roll and split","n":%s,"roll_ms":%s,"split_ms":%s,"empty_roll_ms":%s,"empty_split_ms":%s}\n' \
    "$((N * 10))" "$full_roll" "$full_split" "$empty_roll" "$empty_split" >>"$work/json"

# TTL: a sweep of N expired items, with their REMOVE records; then a sweep
# that finds 10 expired among N that are not, which reads only the 10.
now=$(date +%s)
awk -v n="$N" -v t=$((now - 100)) 'BEGIN { for (i = 0; i < n; i++)
    printf "{\"pk\":{\"S\":\"e%d\"},\"sk\":{\"N\":\"%d\"},\"exp\":{\"N\":\"%d\"}}\n", i, i, t }' >"$work/expired"
measure "expire (REMOVE records)" "$N" \
    "$(fresh '-s NEW_AND_OLD_IMAGES'); pdb-table ttl bench exp; pdb-put bench <$work/expired" \
    - - pdb-expire bench
sh -c "$(fresh '-s NEW_AND_OLD_IMAGES')"
pdb-table ttl bench exp
awk -v n="$N" -v t=$((now + 86400)) 'BEGIN { for (i = 0; i < n; i++)
    printf "{\"pk\":{\"S\":\"f%d\"},\"sk\":{\"N\":\"%d\"},\"exp\":{\"N\":\"%d\"}}\n", i, i, t }' | pdb-put bench
head -n 10 "$work/expired" | pdb-put bench
"$work/measure" - - pdb-expire bench >"$work/m"
sweep_ms=$(awk '{ printf "%.1f", $1 * 1000 }' "$work/m")
"$work/measure" - - pdb-expire bench >"$work/m"
empty_ms=$(awk '{ printf "%.1f", $1 * 1000 }' "$work/m")
printf '%-34s %s ms for 10 among %s; %s ms for none\n' "expire sweep, 10 due" "$sweep_ms" "$N" "$empty_ms"
printf '{"bench":"expire sweep of 10 due","n":%s,"ms":%s,"empty_ms":%s}\n' "$N" "$sweep_ms" "$empty_ms" >>"$work/json"

# pdb-stream-run with batches of 1: the cost is the handler's start, so
# the rate is batches/s.
R1=${BENCH_RUN1:-3000}
sh -c "$(fresh '-s NEW_AND_OLD_IMAGES')"
head -n "$R1" "$work/items" | pdb-put bench
measure "stream-run -b 1, cat (batches)" "$R1" true - /dev/null \
    sh -c 'exec pdb-stream-run --once -b 1 bench -- cat 2>/dev/null'

# Transactions: the same items as TransactWriteItems of 10 puts each,
# against the same items put as one pdb-put batch.
awk '{ printf "%s{\"Put\":{\"TableName\":\"bench\",\"Item\":%s}}%s",
    NR % 10 == 1 ? "[" : ",", $0, NR % 10 == 0 ? "]\n" : "" }
    END { if (NR % 10) print "]" }' "$work/items" >"$work/transactions"
measure "transact, 10 puts each" "$N" "$(fresh '-s NEW_AND_OLD_IMAGES')" \
    "$work/transactions" - pdb-transact
tx=$(awk -v t="$(rate 'transact, 10 puts each')" -v p="$(rate 'put, NEW_AND_OLD_IMAGES')" 'BEGIN { printf "%.2f", t / p }')
printf '%-34s %s of put with capture\n' "transact" "$tx"
printf '{"bench":"transact to put","ratio":%s}\n' "$tx" >>"$work/json"

# Follow latency: a writer commits one item at a time, a follower prints.
sh -c "$(fresh '-s NEW_IMAGE')"
L=${BENCH_FOLLOW:-2000}
pdb-stream-tail -f -s latest bench | "$work/latency" recv "$L" >"$work/lat" &
sleep 0.3
"$work/latency" feed "$L" 500 | pdb-put --batch-size 1 bench
wait %1 2>/dev/null || true
read -r p50 p99 got <"$work/lat" || true
printf '%-34s p50 %s ms, p99 %s ms (%s records)\n' "follow latency" \
    "$p50" "$p99" "$got"
printf '{"bench":"follow latency","n":%s,"p50_ms":%s,"p99_ms":%s}\n' \
    "$got" "$p50" "$p99" >>"$work/json"

# pdb-stream-run's latency: from a commit to its handler (cat, through to
# the reader), one record a batch, no batching window.
sh -c "$(fresh '-s NEW_IMAGE')"
mkfifo "$work/run.fifo"
"$work/latency" recv "$L" <"$work/run.fifo" >"$work/lat" &
recv=$!
pdb-stream-run -s LATEST bench -- cat >"$work/run.fifo" 2>/dev/null &
runner=$!
sleep 0.3
"$work/latency" feed "$L" 500 | pdb-put --batch-size 1 bench
wait $recv 2>/dev/null || true
kill $runner 2>/dev/null || true
wait $runner 2>/dev/null || true
read -r p50 p99 got <"$work/lat" || true
printf '%-34s p50 %s ms, p99 %s ms (%s records)\n' "stream-run latency" \
    "$p50" "$p99" "$got"
printf '{"bench":"stream-run latency","n":%s,"p50_ms":%s,"p99_ms":%s}\n' \
    "$got" "$p50" "$p99" >>"$work/json"

# An idle follower's CPU over 3 seconds.
pdb-stream-tail -f bench >/dev/null &
fp=$!
sleep 0.2
t0=$(awk '{ print $14 + $15 }' /proc/$fp/stat)
sleep 3
t1=$(awk '{ print $14 + $15 }' /proc/$fp/stat)
kill $fp
hz=$(getconf CLK_TCK)
cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz / 3 * 100 }')
printf '%-34s %s %% of a core\n' "idle follower CPU" "$cpu"
printf '{"bench":"idle follower cpu","percent":%s}\n' "$cpu" >>"$work/json"
echo
cat "$work/json"

# pdb-serve beside DynamoDB Local, over the wire.
echo
sh bench/serve.sh
