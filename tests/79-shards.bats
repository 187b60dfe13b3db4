#!/usr/bin/env bats
# Shards and lineage: hash ranges, rolls and splits on demand and by
# trigger, DescribeStream paging and ShardFilter, reading closed shards,
# and consumers written as AWS documents them, via the CLI and boto3.

load helper

T0=1700000000000	# 2023-11-14T22:13:20Z

# put KEY...: one INSERT or MODIFY per key, each a transaction of its own.
n_put=0
put() {
	local k lines=
	# Counted in this shell: a loop in a pipeline would forget n_put.
	for k in "$@"; do
		n_put=$((n_put + 1))
		lines+="{\"id\":{\"S\":\"$k\"},\"n\":{\"N\":\"$n_put\"}}"$'\n'
	done
	printf '%s' "$lines" | pdb-put --batch-size 1 users
}

# check_shards: the database's invariants, read from its tables: every
# record in exactly one shard of its stream, within the shard's sequence
# range; open shards never overlap and cover 0..2^32-1; each key's
# records in sequence order along one lineage path (each shard the same as
# the one before or a descendant of it); each record in the shard whose
# range holds its key's hash.
check_shards() {
	python3 - "$PDB_DB" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
shards = {r[0]: r for r in db.execute(
    "SELECT id, stream, parent, lo, hi, start_seq, end_seq FROM shards")}
def fail(msg):
    print(msg); sys.exit(1)
for stream, in db.execute("SELECT id FROM streams WHERE enabled"):
    open_ = sorted((s for s in shards.values() if s[1] == stream and s[6] is None),
                   key=lambda s: s[3])
    if not open_ or open_[0][3] != 0 or open_[-1][4] != 2**32 - 1:
        fail("open shards do not cover the range: %r" % open_)
    for a, b in zip(open_, open_[1:]):
        if b[3] != a[4] + 1:
            fail("open shards overlap or leave a gap: %r %r" % (a, b))
def ancestors(s):
    while s is not None:
        yield s
        s = shards[s][2]
def fnv_fmix(b):
    h = 2166136261
    for c in b:
        h = ((h ^ c) * 16777619) & 0xffffffff
    h ^= h >> 16; h = (h * 0x85ebca6b) & 0xffffffff
    h ^= h >> 13; h = (h * 0xc2b2ae35) & 0xffffffff
    return h ^ (h >> 16)
last = {}
for seq, stream, shard, keys in db.execute(
        "SELECT seq, stream, shard, keys FROM records ORDER BY seq"):
    s = shards.get(shard)
    if s is None or s[1] != stream:
        fail("record %d is in no shard of its stream" % seq)
    if seq < s[5] or (s[6] is not None and seq > s[6]):
        fail("record %d lies outside its shard's range %r" % (seq, s))
    k = json.loads(keys)["id"]["S"]
    # The encoding of an S key: its bytes, 0x00 as 0x00 0xff, then 0x00 0x00.
    enc = k.encode().replace(b"\0", b"\0\xff") + b"\0\0"
    h = fnv_fmix(enc)
    if not s[3] <= h <= s[4]:
        fail("record %d (key %s, hash %d) is in shard %r" % (seq, k, h, s))
    prev = last.get((stream, k))
    if prev is not None and prev not in ancestors(shard):
        fail("key %s went from shard %d to %d, not a descendant" % (k, prev, shard))
    last[(stream, k)] = shard
PY
}

# seqs: the sequence numbers of the record lines on stdin.
seqs() {
	jq -r .dynamodb.SequenceNumber
}

# stored_seqs: every record's sequence number, from the database.
stored_seqs() {
	sqlite3 "$PDB_DB" "SELECT printf('%021d', seq) FROM records ORDER BY seq"
}

# history SEED [START]: a random history of writes, rolls and splits on
# users, several keys written before and after each change, the clock
# moving a second a step from START (default T0); PDB_NOW stays at the
# last step's.
history() {
	local i op shard pick nopen
	RANDOM=$1
	for ((i = 0; i < 8; i++)); do
		export PDB_NOW=$((${2:-$T0} + i * 1000))
		put k$((RANDOM % 9)) k$((RANDOM % 9)) k$((RANDOM % 9)) k$((RANDOM % 9))
		op=$((RANDOM % 4))
		pick=$((RANDOM % 3))	# not in $(...): a subshell reseeds RANDOM
		read -r nopen shard < <(pdb-stream-describe users |
		    jq -r '[.Shards[] | select(.SequenceNumberRange.EndingSequenceNumber == null)] | "\(length) \(.['$pick' % length].ShardId)"')
		# Whole-stream splits double the shards: past 8 open ones,
		# split one, so a history stays a few dozen shards.
		[ $op != 2 ] || [ $nopen -lt 8 ] || op=1
		case $op in
		0) pdb-stream-shard users roll "$shard" >/dev/null ;;
		1) pdb-stream-shard users split "$shard" >/dev/null ;;
		2) pdb-stream-shard users split >/dev/null ;;
		3) pdb-stream-shard users roll >/dev/null ;;
		esac
		check_shards
		put k$((RANDOM % 9)) k$((RANDOM % 9)) k$((RANDOM % 9))
	done
}

# aws_consumer ARN: read the stream the way AWS documents, through the CLI:
# DescribeStream page by page (2 shards a page), each shard from
# TRIM_HORIZON until no NextShardIterator, then its children (ShardFilter
# CHILD_SHARDS), a parent always before its children.  Prints the records.
aws_consumer() {
	local arn=$1 page last="" listed=" " todo=() sh parent it n
	local -A parent_of
	while :; do
		page=$(pdb-stream-describe -l 2 ${last:+-x "$last"} "$arn")
		while read -r sh parent; do
			listed+="$sh "
			parent_of[$sh]=$parent
		done < <(jq -r '.Shards[] | "\(.ShardId) \(.ParentShardId // "-")"' <<<"$page")
		last=$(jq -r '.LastEvaluatedShardId // empty' <<<"$page")
		[ -n "$last" ] || break
	done
	# A shard whose parent is listed is reached through it.
	for sh in $listed; do
		[[ $listed == *" ${parent_of[$sh]} "* ]] || todo+=("$sh")
	done
	while [ ${#todo[@]} -gt 0 ]; do
		sh=${todo[0]}
		todo=("${todo[@]:1}")
		it=$(pdb-stream-iter -t TRIM_HORIZON -S "$sh" "$arn")
		while [ -n "$it" ]; do
			pdb-stream-tail --page -l 3 -i "$it" >page.json
			jq -c '.Records[]' page.json
			{ read -r n; read -r it; } < <(jq -r '(.Records | length), (.NextShardIterator // "")' page.json)
			# An open shard, drained for now.
			[ "$n" != 0 ] || break
		done
		todo+=($(pdb-stream-describe -c "$sh" "$arn" | jq -r '.Shards[].ShardId'))
	done
}

# ---------------------------------------------------------------------------
# Shards as hash ranges

@test "one shard over the whole range by default; --shards N opens N equal ranges" {
	pdb-table create plain id --stream KEYS_ONLY
	[ "$(pdb-stream-describe plain | jq '.Shards | length')" = 1 ]
	[ "$(sqlite3 "$PDB_DB" 'SELECT lo, hi FROM shards')" = "0|4294967295" ]
	pdb-table create users id
	run -0 pdb-table stream --shards 4 users NEW_IMAGE
	[ "$(pdb-stream-describe users | jq '.Shards | length')" = 4 ]
	assert_equal "$(sqlite3 "$PDB_DB" "SELECT lo || '-' || hi FROM shards s JOIN streams t ON t.id = s.stream WHERE t.table_name = 'users' ORDER BY lo" | paste -sd' ')" \
	    "0-1073741823 1073741824-2147483647 2147483648-3221225471 3221225472-4294967295"
	pdb-table create orders id -s KEYS_ONLY -n 3
	[ "$(pdb-stream-describe orders | jq '.Shards | length')" = 3 ]
	for k in a b c d e f g h i j k l m n o p; do put "$k"; done
	check_shards
	# 16 keys over 4 shards: every shard gets some.
	[ "$(sqlite3 "$PDB_DB" 'SELECT count(DISTINCT shard) FROM records')" = 4 ]
	run -2 --separate-stderr pdb-table stream -n 0 users off
	run -2 --separate-stderr pdb-table stream -n 1001 users off
	run -2 --separate-stderr pdb-table list -n 2
	[[ "$stderr" == *"-n goes with stream, or create -s"* ]]
}

@test "sequence numbers stay global and in commit order across shards" {
	pdb-table create users id --stream KEYS_ONLY --shards 8
	for k in a b c d e f g h; do put "$k"; done
	run -0 pdb-stream-tail users
	assert_equal "$(seqs <<<"$output")" "$(stored_seqs)"
	assert_equal "$(seqs <<<"$output" | sort -c && echo sorted)" sorted
	[ "$(seqs <<<"$output" | head -n 1)" = 000000000000000000001 ]
	[ "$(seqs <<<"$output" | tail -n 1)" = 000000000000000000008 ]
}

@test "random histories of writes, rolls and splits keep every invariant" {
	export PDB_NOW=$T0
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	for seed in 1 2 3; do
		[ $seed = 1 ] || { pdb-table stream users off; pdb-table stream users NEW_AND_OLD_IMAGES; }
		history $seed $((T0 + seed * 100000))
		check_shards
		arn=$(pdb-stream-describe users | jq -r .StreamArn)
		# Every record in exactly one shard: the shards read one by one
		# hold the stream's records, each once.
		for sh in $(pdb-stream-describe "$arn" | jq -r '.Shards[].ShardId'); do
			pdb-stream-tail -S "$sh" "$arn"
		done | seqs | sort >by_shard
		pdb-stream-tail "$arn" | seqs >whole
		[ "$(wc -l <whole)" -ge 56 ]
		diff by_shard <(sort whole)
		[ -z "$(uniq -d by_shard)" ]
		# The whole stream is read in sequence order.
		sort -c whole
	done
}

@test "pdb-stream-tail reads a split stream exactly once, resuming from a checkpoint at every position" {
	export PDB_NOW=$T0
	pdb-table create users id --stream NEW_AND_OLD_IMAGES --shards 2
	history 7
	pdb-stream-tail users >all
	n=$(wc -l <all)
	assert_equal "$(seqs <all)" "$(stored_seqs)"
	# Per-item order: each key's records in the order they were written.
	for k in k0 k1 k2 k3 k4 k5 k6 k7 k8; do
		jq -r "select(.dynamodb.Keys.id.S == \"$k\") | .dynamodb.NewImage.n.N" all | sort -n -c
	done
	for ((i = 1; i <= n; i++)); do
		sed -n "${i}p" all | seqs >cp
		pdb-stream-tail -c cp users >rest
		diff <(tail -n +$((i + 1)) all) rest
		# The checkpoint moved to the end.
		[ "$(cat cp)" = "$(tail -n 1 all | seqs)" ]
	done
	# In pages of one record, with a checkpoint from the start.
	rm -f cp
	pdb-stream-tail -l 1 -c cp users >paged
	diff all paged
}

@test "a follower picks up new children and prints every record once, in order" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES --shards 2
	put a b c
	pdb-stream-tail -f -c cp users >out 2>err &
	pid=$!
	for ((i = 0; i < 4; i++)); do
		put "a$i" "b$i" c
		pdb-stream-shard users split >/dev/null
		put "a$i" d
		pdb-stream-shard users roll >/dev/null
	done
	put z
	want=$(stored_seqs | wc -l)
	for ((i = 0; i < 500; i++)); do
		[ "$(wc -l <out)" -ge "$want" ] && break
		sleep 0.01
	done
	kill -TERM $pid
	wait $pid
	assert_equal "$(seqs <out)" "$(stored_seqs)"
	[ "$(cat cp)" = "$(stored_seqs | tail -n 1)" ]
	[ ! -s err ]
	check_shards
}

# ---------------------------------------------------------------------------
# Rolls and splits

@test "roll and split print the children; a parent closes at its last record, an empty one where it starts" {
	export PDB_NOW=$T0
	pdb-table create users id --stream KEYS_ONLY
	put a b
	run -0 --separate-stderr env PDB_NOW=$((T0 + 5)) pdb-stream-shard users split
	[ "${#lines[@]}" = 2 ]
	parent=$(pdb-stream-describe users | jq -r '.Shards[0].ShardId')
	[ "$(jq -r .ParentShardId <<<"$output" | sort -u)" = "$parent" ]
	[[ "$(jq -r .ShardId <<<"${lines[0]}")" =~ ^shardId-00000001700000000005-[0-9a-f]{8}$ ]]
	[ "$(jq -r .SequenceNumberRange.StartingSequenceNumber <<<"${lines[0]}")" = 000000000000000000003 ]
	d=$(pdb-stream-describe users)
	[ "$(jq -c '.Shards[0].SequenceNumberRange' <<<"$d")" = '{"StartingSequenceNumber":"000000000000000000001","EndingSequenceNumber":"000000000000000000002"}' ]
	# An empty shard rolled: Ending = Starting.
	child=$(jq -r '.Shards[1].ShardId' <<<"$d")
	run -0 pdb-stream-shard users roll "$child"
	[ "$(pdb-stream-describe users | jq -c --arg c "$child" '.Shards[] | select(.ShardId == $c) | .SequenceNumberRange')" = \
	    '{"StartingSequenceNumber":"000000000000000000003","EndingSequenceNumber":"000000000000000000003"}' ]
	# A closed shard neither rolls nor splits; an unknown one is not found.
	run -3 --separate-stderr pdb-stream-shard users roll "$parent"
	[ "$stderr" = "pdb-stream-shard: ValidationException: shard $parent is closed: only an open shard rolls or splits" ]
	run -1 --separate-stderr pdb-stream-shard users split shardId-00000000000000000000-00000000
	[ "$stderr" = "pdb-stream-shard: ResourceNotFoundException: Requested resource not found: Shard does not exist" ]
	run -2 --separate-stderr pdb-stream-shard users merge
	run -2 --separate-stderr pdb-stream-shard users
	run -1 --separate-stderr pdb-stream-shard nope roll
	pdb-table stream users off
	run -3 --separate-stderr pdb-stream-shard users roll
	[[ "$stderr" == *"is disabled: its shards are closed" ]]
}

@test "disabling a stream closes every open shard" {
	pdb-table create users id --stream KEYS_ONLY --shards 4
	put a b c d e f
	pdb-table stream users off
	d=$(pdb-stream-describe users)
	[ "$(jq '[.Shards[] | select(.SequenceNumberRange.EndingSequenceNumber == null)] | length' <<<"$d")" = 0 ]
	# Each ends at its last record; all of them together at the stream's.
	[ "$(jq -r '[.Shards[].SequenceNumberRange.EndingSequenceNumber] | max' <<<"$d")" = 000000000000000000006 ]
	for sh in $(jq -r '.Shards[].ShardId' <<<"$d"); do
		last=$(pdb-stream-tail -S "$sh" users | seqs | tail -n 1)
		end=$(jq -r --arg s "$sh" '.Shards[] | select(.ShardId == $s) | .SequenceNumberRange | .EndingSequenceNumber' <<<"$d")
		start=$(jq -r --arg s "$sh" '.Shards[] | select(.ShardId == $s) | .SequenceNumberRange | .StartingSequenceNumber' <<<"$d")
		[ "$end" = "${last:-$start}" ]
	done
	# Deleting a table closes them too.
	pdb-table create orders id --stream KEYS_ONLY --shards 2
	pdb-table delete orders
	[ "$(pdb-stream-describe orders | jq '[.Shards[] | select(.SequenceNumberRange.EndingSequenceNumber == null)] | length')" = 0 ]
}

@test "the same history gives the same shard ids in a fresh database, never reused" {
	run_history() {
		export PDB_NOW=$T0
		pdb-table create users id --stream KEYS_ONLY --shards 2
		history 11
		PDB_NOW=$((T0 + 99000)) pdb-table stream users off
		PDB_NOW=$((T0 + 99001)) pdb-table stream users KEYS_ONLY --shards 2
		history 12 $((T0 + 100000))
		export PDB_NOW=$((T0 + 200000))
		pdb-stream-describe -t users | jq -r .StreamArn | while read -r arn; do
			pdb-stream-describe "$arn" | jq -c '.Shards'
		done
	}
	export PDB_DB=$BATS_TEST_TMPDIR/one.db
	first=$(run_history)
	export PDB_DB=$BATS_TEST_TMPDIR/two.db
	second=$(run_history)
	assert_equal "$first" "$second"
	[ "$(jq -r '.[].ShardId' <<<"$first" | sort | uniq -d)" = "" ]
	[ "$(jq -r '.[].ShardId' <<<"$first" | wc -l)" -gt 10 ]
	jq -r '.[].ShardId' <<<"$first" | grep -qvE '^shardId-[0-9]{20}-[0-9a-f]{8}$' && return 1
	true
}

@test "a roll every DURATION happens exactly when the clock passes it" {
	export PDB_NOW=$T0
	pdb-table create users id --stream KEYS_ONLY --shards 2
	run -0 pdb-stream-shard --roll-every 1h users
	[ "$(jq -c . <<<"$output")" = "{\"StreamArn\":\"$(pdb-stream-describe users | jq -r .StreamArn)\",\"RollEveryMilliseconds\":3600000,\"SplitAfterRecords\":0}" ]
	PDB_NOW=$((T0 + 3600000 - 1)) put a b c
	[ "$(pdb-stream-describe users | jq '.Shards | length')" = 2 ]
	export PDB_NOW=$((T0 + 3600000))
	put d
	d=$(pdb-stream-describe users)
	# Both shards rolled by that write, its record in a child.
	[ "$(jq '.Shards | length' <<<"$d")" = 4 ]
	[ "$(jq -r '[.Shards[2:][].ShardId[8:28]] | unique[]' <<<"$d")" = "0000000$((T0 + 3600000))" ]
	[ "$(jq -r '.Shards[2:][].SequenceNumberRange.StartingSequenceNumber' <<<"$d" | sort -u)" = 000000000000000000004 ]
	# The next roll an hour after the children opened, not the parents.
	export PDB_NOW=$((T0 + 7200000 - 1))
	put e
	[ "$(pdb-stream-describe users | jq '.Shards | length')" = 4 ]
	export PDB_NOW=$((T0 + 7200000))
	put f
	[ "$(pdb-stream-describe users | jq '.Shards | length')" = 6 ]
	check_shards
	# A stream nobody writes to does not roll; the next write rolls its
	# shards once.
	export PDB_NOW=$((T0 + 20 * 3600000))
	put g
	[ "$(pdb-stream-describe users | jq '.Shards | length')" = 8 ]
	run -0 pdb-stream-shard --roll-every off users
	PDB_NOW=$((T0 + 23 * 3600000)) put h
	[ "$(PDB_NOW=$((T0 + 23 * 3600000)) pdb-stream-describe users | jq '.Shards | length')" = 8 ]
	run -2 --separate-stderr pdb-stream-shard --roll-every soon users
	run -2 --separate-stderr pdb-stream-shard --split-after 0 users
}

@test "a split after N records: the Nth record's write splits its shard after it" {
	pdb-table create users id --stream KEYS_ONLY
	pdb-stream-shard -s 3 users >/dev/null
	put a b
	[ "$(pdb-stream-describe users | jq '.Shards | length')" = 1 ]
	put c
	d=$(pdb-stream-describe users)
	[ "$(jq '.Shards | length' <<<"$d")" = 3 ]
	[ "$(jq -r '.Shards[0].SequenceNumberRange.EndingSequenceNumber' <<<"$d")" = 000000000000000000003 ]
	for k in d e f g h i j k l m n o p q r s t u v w x y z; do put "$k"; done
	check_shards
	# No shard holds more than 3 records.
	[ "$(sqlite3 "$PDB_DB" 'SELECT max(c) FROM (SELECT count(*) AS c FROM records GROUP BY shard)')" -le 3 ]
	[ "$(pdb-stream-describe users | jq '.Shards | length')" -gt 9 ]
	assert_equal "$(pdb-stream-tail users | seqs)" "$(stored_seqs)"
}

# ---------------------------------------------------------------------------
# Reading shards

@test "iterators on a closed shard: its records, then no NextShardIterator" {
	pdb-table create users id --stream KEYS_ONLY
	put a b c
	parent=$(pdb-stream-describe users | jq -r '.Shards[0].ShardId')
	it=$(pdb-stream-iter -t TRIM_HORIZON -S "$parent" users)
	pdb-stream-shard users roll >/dev/null
	put d
	# The iterator taken while it was open reads to its end, no further.
	run -0 pdb-stream-tail --page -l 2 -i "$it"
	[ "$(jq -c '[.Records[].dynamodb.Keys.id.S]' <<<"$output")" = '["a","b"]' ]
	run -0 pdb-stream-tail --page -i "$(jq -r .NextShardIterator <<<"$output")"
	[ "$(jq -c '[[.Records[].dynamodb.Keys.id.S], has("NextShardIterator")]' <<<"$output")" = '[["c"],false]' ]
	# TRIM_HORIZON now: all three and no NextShardIterator in one page.
	run -0 pdb-stream-tail --page -i "$(pdb-stream-iter -t TRIM_HORIZON -S "$parent" users)"
	[ "$(jq -c '[[.Records[].dynamodb.Keys.id.S], has("NextShardIterator")]' <<<"$output")" = '[["a","b","c"],false]' ]
	# LATEST on a closed shard: nothing, and the end.
	run -0 pdb-stream-tail --page -i "$(pdb-stream-iter -t LATEST -S "$parent" users)"
	[ "$output" = '{"Records":[]}' ]
	# AT its last record; past its end is refused.
	c=$(pdb-stream-tail -S "$parent" users | seqs | tail -n 1)
	run -0 pdb-stream-tail -S "$parent" -s "at:$c" users
	[ "$(jq -r .dynamodb.Keys.id.S <<<"$output")" = c ]
	run -3 --separate-stderr pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s 000000000000000000004 -S "$parent" users
	[[ "$stderr" == *"Invalid SequenceNumber 000000000000000000004 for shard $parent: the shard holds 000000000000000000001 to 000000000000000000003" ]]
	# The open child: its own record, and a NextShardIterator.
	child=$(pdb-stream-describe -c "$parent" users | jq -r '.Shards[0].ShardId')
	run -0 pdb-stream-tail --page -i "$(pdb-stream-iter -t TRIM_HORIZON -S "$child" users)"
	[ "$(jq -c '[[.Records[].dynamodb.Keys.id.S], has("NextShardIterator")]' <<<"$output")" = '[["d"],true]' ]
	# An empty closed shard: no records, the end at once.
	pdb-stream-shard users roll >/dev/null
	run -0 pdb-stream-shard users roll
	empty=$(jq -r .ParentShardId <<<"$output")
	run -0 pdb-stream-tail --page -i "$(pdb-stream-iter -t TRIM_HORIZON -S "$empty" users)"
	[ "$output" = '{"Records":[]}' ]
}

@test "a sequence number of another shard's record is refused, ValidationException, exit 3" {
	pdb-table create users id --stream KEYS_ONLY --shards 2
	put a b c d e f
	d=$(pdb-stream-describe users)
	one=$(jq -r '.Shards[0].ShardId' <<<"$d")
	two=$(jq -r '.Shards[1].ShardId' <<<"$d")
	theirs=$(pdb-stream-tail -S "$two" users | seqs | head -n 1)
	mine=$(pdb-stream-tail -S "$one" users | seqs | head -n 1)
	for type in AT_SEQUENCE_NUMBER AFTER_SEQUENCE_NUMBER; do
		run -3 --separate-stderr pdb-stream-iter -t $type -s "$theirs" -S "$one" users
		assert_output ""
		[ "$stderr" = "pdb-stream-iter: ValidationException: Invalid SequenceNumber $theirs for shard $one: it is a record of shard $two" ]
		run -0 pdb-stream-iter -t $type -s "$mine" -S "$one" users
	done
	run -3 --separate-stderr pdb-stream-tail -S "$one" -s "after:$theirs" users
	# Without -S the stream's numbers are all good.
	run -0 pdb-stream-tail -s "after:$theirs" users
	serve_start
	arn=$(jq -r .StreamArn <<<"$d")
	body=$(call GetShardIterator "{\"StreamArn\":\"$arn\",\"ShardId\":\"$one\",\"ShardIteratorType\":\"AT_SEQUENCE_NUMBER\",\"SequenceNumber\":\"$theirs\"}")
	[ "$(status)" = 400 ]
	[ "$(jq -r .__type <<<"$body")" = "com.amazon.coral.validate#ValidationException" ]
	serve_stop
}

@test "a shard is read through its stream's records in bounded pages" {
	pdb-table create users id --stream KEYS_ONLY --shards 2
	put a b c d e f g h
	one=$(pdb-stream-describe users | jq -r '.Shards[0].ShardId')
	row="(SELECT id FROM shards WHERE shard_id = '$one')"
	mine=$(sqlite3 "$PDB_DB" "SELECT json_extract(keys, '\$.id.S') FROM records WHERE shard = $row LIMIT 1")
	other=$(sqlite3 "$PDB_DB" "SELECT json_extract(keys, '\$.id.S') FROM records WHERE shard != $row LIMIT 1")
	want=$(( $(sqlite3 "$PDB_DB" "SELECT count(*) FROM records WHERE shard = $row") + 1 ))
	[ -n "$mine" ] && [ -n "$other" ]
	# 25000 records of the other shard, then one more of this one.
	seq 25000 | awk -v k="$other" '{ printf "{\"id\":{\"S\":\"%s\"},\"n\":{\"N\":\"%d\"}}\n", k, $1 }' |
	    pdb-put users
	put "$mine"
	it=$(pdb-stream-iter -t TRIM_HORIZON -S "$one" users)
	pages=0 got=0
	while [ -n "$it" ] && [ $got -lt $want ] && [ $pages -lt 10 ]; do
		resp=$(pdb-stream-tail --page -i "$it")
		got=$((got + $(jq '.Records | length' <<<"$resp")))
		it=$(jq -r '.NextShardIterator // empty' <<<"$resp")
		pages=$((pages + 1))
	done
	# Passing over 25000 others' records takes more than one call.
	[ $got = $want ]
	[ $pages -ge 2 ]
	[ "$(pdb-stream-tail -S "$one" users | jq -r .dynamodb.Keys.id.S | tail -n 1)" = "$mine" ]
}

@test "a closed shard past retention leaves DescribeStream; its children keep their ParentShardId" {
	PDB_NOW=$T0 pdb-table create users id --stream KEYS_ONLY
	PDB_NOW=$T0 put a
	parent=$(pdb-stream-describe users | jq -r '.Shards[0].ShardId')
	PDB_NOW=$((T0 + 1000)) pdb-stream-shard users roll >/dev/null
	PDB_NOW=$((T0 + 61000)) put b
	export PDB_NOW=$((T0 + 60999)) PDB_RETENTION=60s
	[ "$(pdb-stream-describe users | jq '.Shards | length')" = 2 ]
	run -0 pdb-stream-iter -t TRIM_HORIZON -S "$parent" users
	export PDB_NOW=$((T0 + 61001))
	d=$(pdb-stream-describe users)
	[ "$(jq '.Shards | length' <<<"$d")" = 1 ]
	[ "$(jq -r '.Shards[0].ParentShardId' <<<"$d")" = "$parent" ]
	run -1 --separate-stderr pdb-stream-iter -t TRIM_HORIZON -S "$parent" users
	[ "$stderr" = "pdb-stream-iter: ResourceNotFoundException: Requested resource not found: Shard does not exist" ]
	run -1 --separate-stderr pdb-stream-tail -S "$parent" users
	run -0 pdb-stream-tail users
	[ "$(jq -r .dynamodb.Keys.id.S <<<"$output")" = b ]
}

# ---------------------------------------------------------------------------
# DescribeStream

@test "DescribeStream pages with Limit, ExclusiveStartShardId and LastEvaluatedShardId, parents first" {
	pdb-table create users id --stream KEYS_ONLY --shards 3
	pdb-stream-shard users split >/dev/null
	pdb-stream-shard users roll >/dev/null
	all=$(pdb-stream-describe users | jq -r '.Shards[].ShardId')
	[ "$(wc -l <<<"$all")" = 15 ]
	# Parents before children.
	pdb-stream-describe users | jq -r '.Shards[] | "\(.ShardId) \(.ParentShardId // "")"' | {
		seen=" "
		while read -r sh parent; do
			[ -z "$parent" ] || [[ $seen == *" $parent "* ]]
			seen+="$sh "
		done
	}
	got="" last=""
	while :; do
		page=$(pdb-stream-describe -l 4 ${last:+-x "$last"} users)
		[ "$(jq '.Shards | length' <<<"$page")" -le 4 ]
		got+="$(jq -r '.Shards[].ShardId' <<<"$page")"$'\n'
		last=$(jq -r '.LastEvaluatedShardId // empty' <<<"$page")
		[ -n "$last" ] || break
		[ "$last" = "$(jq -r '.Shards[-1].ShardId' <<<"$page")" ]
	done
	assert_equal "${got%$'\n'}" "$all"
	# Exactly a page's worth: no LastEvaluatedShardId.
	[ "$(pdb-stream-describe -l 15 users | jq 'has("LastEvaluatedShardId")')" = false ]
	# Children of a split and of a roll.
	first=$(head -n 1 <<<"$all")
	[ "$(pdb-stream-describe -c "$first" users | jq '.Shards | length')" = 2 ]
	child=$(pdb-stream-describe -c "$first" users | jq -r '.Shards[0].ShardId')
	[ "$(pdb-stream-describe -c "$child" users | jq -c "[.Shards[].ParentShardId]")" = "[\"$child\"]" ]
	last=$(tail -n 1 <<<"$all")
	[ "$(pdb-stream-describe -c "$last" users | jq -c .Shards)" = '[]' ]
	[ "$(pdb-stream-describe -c shardId-00000000000000000000-00000000 users | jq -c .Shards)" = '[]' ]
	run -3 --separate-stderr pdb-stream-describe -l 0 users
	[ "$stderr" = "pdb-stream-describe: ValidationException: 1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1" ]
	run -3 --separate-stderr pdb-stream-describe -l 101 users
	[ "$stderr" = "pdb-stream-describe: ValidationException: One or more parameter values were invalid: Limit cannot be greater than the maximum: 100" ]
	run -3 --separate-stderr pdb-stream-describe -x nope users
	[ "$stderr" = "pdb-stream-describe: ValidationException: 1 validation error detected: Value 'nope' at 'exclusiveStartShardId' failed to satisfy constraint: Member must have length greater than or equal to 28" ]
	run -2 --separate-stderr pdb-stream-describe -l 2
	run -2 --separate-stderr pdb-stream-describe -l x users
}

@test "pdb-serve: DescribeStream paging, ShardFilter and DynamoDB's validation messages" {
	pdb-table create users id --stream KEYS_ONLY --shards 2
	pdb-stream-shard users split >/dev/null
	serve_start
	arn=$(pdb-stream-describe users | jq -r .StreamArn)
	first=$(pdb-stream-describe users | jq -r '.Shards[0].ShardId')
	r=$(call DescribeStream "{\"StreamArn\":\"$arn\",\"Limit\":2}")
	[ "$(jq '.StreamDescription.Shards | length' <<<"$r")" = 2 ]
	next=$(jq -r .StreamDescription.LastEvaluatedShardId <<<"$r")
	r=$(call DescribeStream "{\"StreamArn\":\"$arn\",\"Limit\":100,\"ExclusiveStartShardId\":\"$next\"}")
	[ "$(jq '.StreamDescription.Shards | length' <<<"$r")" = 4 ]
	[ "$(jq 'has("LastEvaluatedShardId")' <<<"$(jq .StreamDescription <<<"$r")")" = false ]
	r=$(call DescribeStream "{\"StreamArn\":\"$arn\",\"ShardFilter\":{\"Type\":\"CHILD_SHARDS\",\"ShardId\":\"$first\"}}")
	[ "$(jq -r '[.StreamDescription.Shards[].ParentShardId] | unique[]' <<<"$r")" = "$first" ]
	[ "$(jq '.StreamDescription.Shards | length' <<<"$r")" = 2 ]
	refused() {
		body=$(call DescribeStream "$1")
		[ "$(status)" = 400 ] || { echo "status $(status): $body"; return 1; }
		[ "$(jq -r .__type <<<"$body")" = "com.amazon.coral.validate#ValidationException" ]
		[ "$(jq -r .message <<<"$body")" = "$2" ] || { echo "$body"; return 1; }
	}
	refused "{\"StreamArn\":\"$arn\",\"Limit\":0}" "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
	refused "{\"StreamArn\":\"$arn\",\"Limit\":101}" "One or more parameter values were invalid: Limit cannot be greater than the maximum: 100"
	refused "{\"StreamArn\":\"$arn\",\"ExclusiveStartShardId\":\"nope\"}" "1 validation error detected: Value 'nope' at 'exclusiveStartShardId' failed to satisfy constraint: Member must have length greater than or equal to 28"
	refused "{\"StreamArn\":\"$arn\",\"ShardFilter\":{\"Type\":\"PARENT\",\"ShardId\":\"$first\"}}" "1 validation error detected: Value 'PARENT' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]"
	refused "{\"StreamArn\":\"$arn\",\"ShardFilter\":{\"Type\":\"CHILD_SHARDS\",\"ShardId\":\"x\"}}" "1 validation error detected: Value 'x' at 'shardFilter.shardId' failed to satisfy constraint: Member must have length greater than or equal to 28"
	refused "{\"StreamArn\":\"$arn\",\"ShardFilter\":{\"Type\":\"CHILD_SHARDS\"}}" "One or more parameter values were invalid: ShardFilter of type CHILD_SHARDS needs the ShardId of the parent shard"
	serve_stop
}

@test "StreamDescription and Shard shapes validate, with ParentShardId and LastEvaluatedShardId" {
	have_validator
	pdb-table create users id --stream KEYS_ONLY --shards 2
	put a b c
	pdb-stream-shard users split >/dev/null
	pdb-stream-shard users roll >/dev/null
	{
		pdb-stream-describe users
		pdb-stream-describe -l 3 users
		pdb-stream-describe -c "$(pdb-stream-describe users | jq -r '.Shards[0].ShardId')" users
	} >desc.jsonl
	[ "$(grep -c LastEvaluatedShardId desc.jsonl)" = 1 ]
	[ "$(grep -c ParentShardId desc.jsonl)" = 3 ]
	run -0 "$VALIDATE/validate-shape" -q --service dynamodbstreams --shape StreamDescription --strict desc.jsonl
	pdb-stream-shard users roll >shards.jsonl
	run -0 "$VALIDATE/validate-shape" -q --service dynamodbstreams --shape Shard --strict shards.jsonl
}

# ---------------------------------------------------------------------------
# Consumers as AWS documents them

@test "a consumer written as AWS documents, through the CLI, gets every record exactly once" {
	export PDB_NOW=$T0
	pdb-table create users id --stream NEW_AND_OLD_IMAGES --shards 3
	history 5
	arn=$(pdb-stream-describe users | jq -r .StreamArn)
	aws_consumer "$arn" >got
	diff <(seqs <got | sort) <(stored_seqs)
	# Per-item order holds along each lineage.
	for k in k0 k1 k2 k3 k4 k5 k6 k7 k8; do
		jq -r "select(.dynamodb.Keys.id.S == \"$k\") | .dynamodb.NewImage.n.N" got | sort -n -c
	done
	# After disable, the consumer drains the closed shards too.
	put k0 k1
	pdb-table stream users off
	aws_consumer "$arn" >got
	diff <(seqs <got | sort) <(stored_seqs)
}

# ---------------------------------------------------------------------------
# Upgrade

@test "a schema 5 database is carried over: one shard per stream, its records in it" {
	pdb-table create users id --stream KEYS_ONLY
	put a b
	pdb-table stream users off
	pdb-table stream users NEW_IMAGE
	put c
	old=$(pdb-stream-describe -t users | jq -r .StreamArn | tail -n 1)
	before_old=$(pdb-stream-describe "$old" | jq -c .Shards)
	before_new=$(pdb-stream-describe users | jq -c .Shards)
	# Back to schema 5: the one shard in streams.shard_id.
	sqlite3 "$PDB_DB" "
	    UPDATE streams SET shard_id = (SELECT shard_id FROM shards WHERE stream = streams.id);
	    DROP TABLE shards;
	    ALTER TABLE streams DROP COLUMN roll_every_ms;
	    ALTER TABLE streams DROP COLUMN split_after;
	    ALTER TABLE records DROP COLUMN shard;
	    PRAGMA user_version = 5"
	[ "$(pdb-stream-describe "$old" | jq -c .Shards)" = "$before_old" ]
	[ "$(pdb-stream-describe users | jq -c .Shards)" = "$before_new" ]
	[ "$(sqlite3 "$PDB_DB" 'PRAGMA user_version')" = 8 ]
	[ "$(sqlite3 "$PDB_DB" 'SELECT count(*) FROM records WHERE shard IS NULL')" = 0 ]
	put d
	check_shards
	sh=$(pdb-stream-describe users | jq -r '.Shards[0].ShardId')
	[ "$(pdb-stream-tail -S "$sh" users | jq -r .dynamodb.Keys.id.S | paste -sd' ')" = "c d" ]
}

@test "a consumer written as AWS documents, with boto3 against pdb-serve, gets every record exactly once" {
	export PDB_NOW=$T0
	pdb-table create users id --stream NEW_AND_OLD_IMAGES --shards 2
	history 9
	serve_start
	# Debian's botocore predates ShardFilter, so children are found the
	# way the Kinesis Client Library does: by ParentShardId in the full
	# listing, read page by page.
	run -0 boto3 '
s = streams()
arn = ddb().describe_table(TableName="users")["Table"]["LatestStreamArn"]
shards, start = [], None
while True:
    kw = {"StreamArn": arn, "Limit": 2}
    if start: kw["ExclusiveStartShardId"] = start
    d = s.describe_stream(**kw)["StreamDescription"]
    shards += d["Shards"]
    start = d.get("LastEvaluatedShardId")
    if not start: break
ids = {sh["ShardId"] for sh in shards}
children = {}
for sh in shards:
    children.setdefault(sh.get("ParentShardId"), []).append(sh["ShardId"])
todo = [sh["ShardId"] for sh in shards if sh.get("ParentShardId") not in ids]
records = []
while todo:
    sh = todo.pop(0)
    it = s.get_shard_iterator(StreamArn=arn, ShardId=sh,
        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    while it:
        r = s.get_records(ShardIterator=it, Limit=3)
        records += [x["dynamodb"] for x in r["Records"]]
        it = r.get("NextShardIterator")
        if it and not r["Records"]:
            break    # an open shard, drained for now
    todo += children.get(sh, [])
for x in records:
    print(x["SequenceNumber"], x["Keys"]["id"]["S"], x["NewImage"]["n"]["N"])
'
	serve_stop
	[ "$(awk '{print $1}' <<<"$output" | sort)" = "$(stored_seqs)" ]
	for k in k0 k1 k2 k3 k4 k5 k6 k7 k8; do
		awk -v k=$k '$2 == k {print $3}' <<<"$output" | sort -n -c
	done
}
