#!/usr/bin/env bats
# pdb-stream-run: a command per batch, with the semantics of Lambda's
# DynamoDB event-source mapping (batching, retries, bisection, partial
# batch responses, record age, filters, on-failure records, checkpoints).

load helper

# put_keys K...: one INSERT per key of table tbl, a commit each.
put_keys() {
	local k
	for k in "$@"; do echo "{\"id\":{\"S\":\"$k\"}}"; done |
		pdb-put --batch-size 1 tbl
}

# seq_of KEY: the sequence number of KEY's first record.
seq_of() {
	pdb-stream-tail tbl | jq -r --arg k "$1" \
		'select(.dynamodb.Keys.id.S == $k) | .dynamodb.SequenceNumber' | head -n 1
}

# A handler that logs each batch's keys, space-separated, a line a batch.
log_keys='jq -r "[.Records[].dynamodb.Keys.id.S] | join(\" \")" >>batches'


@test "batches of --batch-size in Lambda's event shape; the checkpoint covers them" {
	pdb-table create tbl id --stream NEW_AND_OLD_IMAGES
	put_keys k1 k2 k3 k4 k5
	run --separate-stderr pdb-stream-run -b 2 -c ck --once tbl -- sh -c "tee -a events | $log_keys"
	assert_success
	assert_equal "$(cat batches)" "k1 k2
k3 k4
k5"
	assert_equal "$stderr" "pdb-stream-run: 3 batches, 5 records, 0 retries, 0 bisections, 0 failed, 0 filtered"
	# Each event holds exactly the records pdb-stream-tail --lambda prints.
	assert_equal "$(jq -c '.Records[]' events)" \
		"$(pdb-stream-tail --lambda tbl | jq -c '.Records[]')"
	assert_equal "$(jq -c 'keys' events | sort -u)" '["Records"]'
	assert_equal "$(cat ck)" "$(seq_of k5)"
	# Nothing new: nothing to run, and the stream is as it was.
	before=$(db_state)
	run pdb-stream-run -c ck --once tbl -- false
	assert_success
	assert_equal "$(db_state)" "$before"
}

@test "events pass validate-lambda --mode event --strict and the botocore model" {
	have_validator
	pdb-table create tbl id --stream NEW_AND_OLD_IMAGES
	put_keys k1 k2 k3
	echo '{"id":{"S":"k1"},"n":{"N":"1.50"},"b":{"B":"AAE="}}' | pdb-put tbl
	echo '{"id":{"S":"k2"}}' | pdb-delete tbl
	pdb-stream-run -b 2 --once tbl -- sh -c 'cat >>events; echo >>events'
	[ "$(wc -l <events)" = 3 ]
	node "$VALIDATE/validate-lambda.mjs" -q --mode event --strict events
	"$VALIDATE/validate-shape" -q --service dynamodbstreams --shape Record --lambda-event --strict events
}

@test "--starting-position LATEST holds only without a checkpoint" {
	pdb-table create tbl id --stream KEYS_ONLY
	put_keys old
	pdb-stream-run -s LATEST -c ck --once tbl -- sh -c "$log_keys"
	[ ! -e batches ]
	put_keys new1 new2
	pdb-stream-run -s LATEST -c ck --once tbl -- sh -c "$log_keys"
	assert_equal "$(cat batches)" "new1 new2"
	run pdb-stream-run -s AT_TIMESTAMP --once tbl -- true
	assert_failure 2
	assert_output --partial "expected TRIM_HORIZON or LATEST"
}

@test "a failing batch is retried --maximum-retry-attempts times, then its on-failure record, and the runner moves on" {
	pdb-table create tbl id --stream KEYS_ONLY
	put_keys k1 bad k3
	run --separate-stderr pdb-stream-run -b 1 -r 2 -o failures -c ck --once tbl -- \
		sh -c "e=\$(cat); echo \"\$e\" | $log_keys; case \$e in *'\"bad\"'*) exit 1;; esac"
	assert_failure 1	# records were given up
	assert_equal "$(cat batches)" "k1
bad
bad
bad
k3"
	assert_equal "${stderr##*$'\n'}" "pdb-stream-run: 5 batches, 2 records, 2 retries, 0 bisections, 1 failed, 0 filtered"
	assert_equal "$(wc -l <failures)" 1
	run jq -c '[.requestContext.condition, .requestContext.approximateInvokeCount,
		.responseContext.functionError, .version, .DDBStreamBatchInfo.batchSize,
		.DDBStreamBatchInfo.startSequenceNumber == .DDBStreamBatchInfo.endSequenceNumber,
		(.requestContext.functionArn | test("^arn:aws:lambda:us-east-1:000000000000:function:sh$")),
		(.timestamp | test("^[0-9-]{10}T[0-9:]{8}\\.[0-9]{3}Z$")),
		(.DDBStreamBatchInfo.approximateArrivalOfFirstRecord | test("^[0-9-]{10}T[0-9:]{8}Z$"))]' failures
	assert_output '["RetryAttemptsExhausted",3,"Unhandled","1.0",1,true,true,true,true]'
	assert_equal "$(jq -r .DDBStreamBatchInfo.startSequenceNumber failures)" "$(seq_of bad)"
	assert_equal "$(jq -r .DDBStreamBatchInfo.streamArn failures)" \
		"$(pdb-stream-describe tbl | jq -r .StreamArn)"
	assert_equal "$(jq -r .DDBStreamBatchInfo.shardId failures)" \
		"$(pdb-stream-describe tbl | jq -r '.Shards[0].ShardId')"
	assert_equal "$(cat ck)" "$(seq_of k3)"
}

@test "records older than --maximum-record-age are given up unsent (RecordAgeExceeded)" {
	pdb-table create tbl id --stream KEYS_ONLY
	PDB_NOW=2026-01-01T00:00:00Z put_keys old1 old2
	PDB_NOW=2026-01-01T00:01:30Z put_keys young
	PDB_NOW=2026-01-01T00:02:00Z run --separate-stderr pdb-stream-run -a 60 -o failures --once tbl -- sh -c "$log_keys"
	assert_failure 1
	assert_equal "$(cat batches)" "young"
	run jq -c '[.requestContext.condition, .requestContext.approximateInvokeCount,
		has("responseContext"), .DDBStreamBatchInfo.batchSize,
		.DDBStreamBatchInfo.approximateArrivalOfFirstRecord, .timestamp]' failures
	assert_output '["RecordAgeExceeded",0,false,2,"2026-01-01T00:00:00Z","2026-01-01T00:02:00.000Z"]'
	run pdb-stream-run -a 59 --once tbl -- true
	assert_failure 2
}

@test "bisection narrows a failing batch to the one bad record, and is not a retry" {
	pdb-table create tbl id --stream KEYS_ONLY
	put_keys k1 k2 k3 k4 bad k6 k7 k8
	run --separate-stderr pdb-stream-run -b 8 -B -r 0 -o failures --once tbl -- \
		sh -c "e=\$(cat); echo \"\$e\" | $log_keys; case \$e in *'\"bad\"'*) exit 1;; esac"
	assert_failure 1
	assert_equal "$(cat batches)" "k1 k2 k3 k4 bad k6 k7 k8
k1 k2 k3 k4
bad k6 k7 k8
bad k6
bad
k6
k7 k8"
	assert_equal "${stderr##*$'\n'}" "pdb-stream-run: 7 batches, 7 records, 0 retries, 3 bisections, 1 failed, 0 filtered"
	run jq -c '[.DDBStreamBatchInfo.batchSize, .DDBStreamBatchInfo.startSequenceNumber, .requestContext.approximateInvokeCount]' failures
	assert_output "[1,\"$(seq_of bad)\",4]"	# in 4 invocations
}

@test "batchItemFailures moves the checkpoint to the lowest failed record and retries from there" {
	pdb-table create tbl id --stream KEYS_ONLY
	put_keys k1 k2 k3 k4 k5
	cat >handler <<-'EOF'
	#!/bin/sh
	# First call: k4 and k3 failed; later calls succeed.  Logs the keys
	# and the checkpoint it was called with.
	e=$(cat)
	echo "$(echo "$e" | jq -r '[.Records[].dynamodb.Keys.id.S] | join(" ")') ck=$(cat ck 2>/dev/null)" >>batches
	[ -e called ] && exit 0
	touch called
	echo "$e" | jq -c '{batchItemFailures: [.Records[3,2] | {itemIdentifier: .dynamodb.SequenceNumber}]}'
	EOF
	chmod +x handler
	run --separate-stderr pdb-stream-run -R -c ck --once tbl -- ./handler
	assert_success
	# Before the stream's first record (trim horizon), then just before k3.
	start=$(printf '%021d' $(( 10#$(seq_of k1) - 1 )))
	assert_equal "$(cat batches)" "k1 k2 k3 k4 k5 ck=$start
k3 k4 k5 ck=$(seq_of k2)"
	assert_equal "${stderr##*$'\n'}" "pdb-stream-run: 2 batches, 5 records, 1 retries, 0 bisections, 0 failed, 0 filtered"
	assert_equal "$(cat ck)" "$(seq_of k5)"
}

@test "partial batch responses by Lambda's rules: empty or null succeed, malformed fail the whole batch" {
	pdb-table create tbl id --stream KEYS_ONLY
	put_keys k1 k2
	for ok in '' 'null' '{}' '{"batchItemFailures":null}' '{"batchItemFailures":[]}'; do
		printf '%s' "$ok" >response
		run pdb-stream-run -R -r 0 --once tbl -- sh -c 'cat >/dev/null; cat response'
		assert_success
	done
	for bad in 'not json' '[]' '{"batchItemFailures":{}}' \
	    '{"batchItemFailures":[{"itemIdentifier":""}]}' \
	    '{"batchItemFailures":[{"itemIdentifier":null}]}' \
	    '{"batchItemFailures":[{"id":"1"}]}' \
	    '{"batchItemFailures":[{"itemIdentifier":"999999999999999999999"}]}'; do
		printf '%s' "$bad" >response
		rm -f failures
		run pdb-stream-run -R -r 0 -o failures --once tbl -- sh -c 'cat >/dev/null; cat response'
		assert_failure 1
		run jq -c '[.DDBStreamBatchInfo.batchSize, .responseContext]' failures
		assert_output '[2,{"statusCode":200,"executedVersion":"$LATEST"}]'
	done
	# Without -R the output is the command's own, and ignored.
	run --separate-stderr pdb-stream-run --once tbl -- sh -c 'cat >/dev/null; echo not json'
	assert_success
	assert_output 'not json'
}

@test "a command that crashes or runs past --timeout is a function error" {
	pdb-table create tbl id --stream KEYS_ONLY
	put_keys k1
	run --separate-stderr pdb-stream-run -r 0 -o failures --once tbl -- sh -c 'kill -9 $$'
	assert_failure 1
	[[ "$stderr" == *"(Killed)"* ]]
	start=$(date +%s)
	run --separate-stderr pdb-stream-run -t 1 -r 1 -o failures --once tbl -- sh -c 'sleep 30; true'
	assert_failure 1
	[[ "$stderr" == *"(timed out): retrying"* ]]
	[ $(( $(date +%s) - start )) -lt 10 ]
	run jq -c '[.requestContext.approximateInvokeCount, .responseContext.functionError]' failures
	assert_line --index 1 '[2,"Unhandled"]'
	run pdb-stream-run --once tbl -- /no/such/command
	assert_failure 4
	assert_output --partial "cannot run /no/such/command"
}

# run_filter PATTERN...: the keys delivered under those filters, then
# the checkpoint.
run_filter() {
	local args=() p
	for p in "$@"; do args+=(-F "$p"); done
	rm -f batches ck
	pdb-stream-run "${args[@]}" -c ck --once tbl -- sh -c "$log_keys" 2>/dev/null
	echo "$(cat batches 2>/dev/null)"
}

@test "filters: each operator; filtered-out records advance the checkpoint" {
	pdb-table create tbl id --stream NEW_AND_OLD_IMAGES
	printf '%s\n' '{"id":{"S":"a1"},"color":{"S":"red"}}' '{"id":{"S":"a2"},"color":{"S":"Blue"}}' \
		'{"id":{"S":"b1"}}' '{"id":{"S":"a1"},"color":{"S":"green"}}' | pdb-put --batch-size 1 tbl
	echo '{"id":{"S":"b1"}}' | pdb-delete tbl
	last=$(pdb-stream-tail tbl | jq -r .dynamodb.SequenceNumber | tail -n 1)
	assert_equal "$(run_filter '{"eventName":["INSERT"]}')" "a1 a2 b1"
	assert_equal "$(run_filter '{"eventName":["REMOVE"]}')" "b1"
	assert_equal "$(cat ck)" "$last"
	assert_equal "$(run_filter '{"dynamodb":{"Keys":{"id":{"S":[{"prefix":"a"}]}}}}')" "a1 a2 a1"
	assert_equal "$(run_filter '{"dynamodb":{"Keys":{"id":{"S":[{"suffix":"1"}]}}}}')" "a1 b1 a1 b1"
	assert_equal "$(run_filter '{"dynamodb":{"NewImage":{"color":{"S":[{"equals-ignore-case":"BLUE"}]}}}}')" "a2"
	assert_equal "$(run_filter '{"dynamodb":{"NewImage":{"color":{"S":[{"anything-but":["red"]}]}}}}')" "a2 a1"
	assert_equal "$(run_filter '{"dynamodb":{"NewImage":{"color":[{"exists":true}]}}}')" "a1 a2 a1"
	assert_equal "$(run_filter '{"dynamodb":{"NewImage":{"color":[{"exists":false}]}}}')" "b1 b1"
	assert_equal "$(run_filter '{"dynamodb":{"OldImage":{"color":{"S":["red"]}}}}')" "a1"
	assert_equal "$(run_filter '{"dynamodb":{"SizeBytes":[{"numeric":[">",0,"<=",1000]}]}}')" "a1 a2 b1 a1 b1"
	# DynamoDB numbers are strings: numeric never matches them, as on Lambda.
	# Two filters: a record passes when either matches.
	assert_equal "$(run_filter '{"eventName":["REMOVE"]}' '{"dynamodb":{"Keys":{"id":{"S":["a2"]}}}}')" "a2 b1"
	# Nothing matches: no batch, and the checkpoint still moves past all.
	assert_equal "$(run_filter '{"eventName":["NOPE"]}')" ""
	assert_equal "$(cat ck)" "$last"
	run pdb-stream-run -F '{"eventName":"INSERT"}' --once tbl -- true
	assert_failure 2
	assert_output --partial "a field's values must be in an array"
	run pdb-stream-run -F '{"eventName":[{"bogus":1}]}' --once tbl -- true
	assert_failure 2
	assert_output --partial "unknown operator"
}

# kill_and_restart SHARDS BOUND: 300 records over SHARDS shards, the
# runner killed with -9 six times and restarted: every record delivered,
# no more than BOUND re-deliveries a kill.
kill_and_restart() {
	pdb-table create tbl id --stream KEYS_ONLY --shards "$1"
	for i in $(seq 1 300); do echo "{\"id\":{\"S\":\"k$i\"}}"; done | pdb-put --batch-size 1 tbl
	handler='jq -r ".Records[].dynamodb.SequenceNumber" >>delivered'
	kills=0
	for i in 1 2 3 4 5 6; do
		pdb-stream-run -b 10 -c ck tbl -- sh -c "$handler" 2>/dev/null &
		pid=$!
		sleep "0.$((RANDOM % 3))$((RANDOM % 10))"
		kill -9 "$pid"
		wait "$pid" || true
		kills=$((kills + 1))
	done
	sleep 0.2	# a handler the runner left behind finishes
	pdb-stream-run -b 10 -c ck --once tbl -- sh -c "$handler" 2>/dev/null
	[ "$(sort -u delivered | wc -l)" = 300 ]
	assert_equal "$(sort -u delivered)" "$(pdb-stream-tail tbl | jq -r .dynamodb.SequenceNumber)"
	[ $(( $(wc -l <delivered) - 300 )) -le $(( kills * $2 )) ]
}

@test "kill -9 at random moments, then a restart: no record skipped, re-deliveries only of a batch in flight" {
	kill_and_restart 1 10
}

@test "kill -9 of a runner over 4 shards: no record skipped, re-deliveries only of the batches in flight" {
	# In flight: up to 4 batches of 10 of each of the 4 shards.
	kill_and_restart 4 160
}

@test "--batching-window gathers records arriving within it into one batch" {
	pdb-table create tbl id --stream KEYS_ONLY
	pdb-stream-run -w 2 -c ck tbl -- sh -c "$log_keys" 2>err &
	pid=$!
	sleep 0.2
	put_keys k1
	put_keys k2
	put_keys k3
	# The checkpoint reaches the last record once the batch is settled.
	seq=$(pdb-stream-tail tbl | jq -r .dynamodb.SequenceNumber | tail -1)
	for ((i = 0; i < 500; i++)); do [ "$(cat ck 2>/dev/null)" = "$seq" ] && break; sleep 0.01; done
	kill -TERM $pid
	wait $pid
	assert_equal "$(cat batches)" "k1 k2 k3"
	[[ "$(cat err)" == *"1 batches, 3 records"* ]]
}

@test "without a window each commit is its own batch; SIGTERM ends a follower with exit 0" {
	pdb-table create tbl id --stream KEYS_ONLY
	pdb-stream-run -c ck tbl -- sh -c "$log_keys" 2>err &
	pid=$!
	for k in k1 k2; do
		put_keys $k
		seq=$(pdb-stream-tail tbl | jq -r .dynamodb.SequenceNumber | tail -1)
		for ((i = 0; i < 500; i++)); do [ "$(cat ck 2>/dev/null)" = "$seq" ] && break; sleep 0.01; done
	done
	kill -TERM $pid
	wait $pid
	assert_equal "$(cat batches)" "k1
k2"
	assert_equal "$(cat err)" "pdb-stream-run: 2 batches, 2 records, 0 retries, 0 bisections, 0 failed, 0 filtered"
}

@test "a batch stays within Lambda's 6 MB payload" {
	pdb-table create tbl id --stream NEW_IMAGE
	python3 -c '
import json
for i in range(17):
    print(json.dumps({"id": {"S": "k%02d" % i}, "blob": {"S": "x" * 390000}}))' |
		pdb-put tbl
	pdb-stream-run -b 100 --once tbl -- sh -c 'wc -c >>sizes'
	[ "$(wc -l <sizes)" = 2 ]
	while read -r size; do [ "$size" -le 6291456 ]; done <sizes
	[ $(( $(head -n 1 sizes) + 390000 )) -gt 6291456 ]
}

@test "--parallelization-factor: keys in lanes at once, each key's records in order, failures per lane" {
	pdb-table create tbl id --stream NEW_IMAGE
	# Keys a and b fall in different lanes of 2 (FNV-1a of their value).
	for i in 1 2 3; do
		printf '{"id":{"S":"a"},"n":{"N":"%d"}}\n{"id":{"S":"b"},"n":{"N":"%d"}}\n' $i $i
	done | pdb-put --batch-size 1 tbl
	# Each handler waits for the other key's to start: it passes only
	# when the two run at once.
	cat >meet.sh <<'EOF'
k=$(jq -r '.Records[0].dynamodb.Keys.id.S' | tee -a order.tmp)
touch "started.$k"
other=a; [ "$k" = a ] && other=b
for i in $(seq 100); do [ -e "started.$other" ] && exit 0; sleep 0.02; done
exit 1
EOF
	run --separate-stderr pdb-stream-run --once -b 10 -P 2 -r 0 -c ck tbl -- sh meet.sh
	assert_success
	assert_equal "$stderr" "pdb-stream-run: 2 batches, 6 records, 0 retries, 0 bisections, 0 failed, 0 filtered"
	[ "$(cat ck)" = "$(pdb-stream-tail tbl | tail -n 1 | jq -r .dynamodb.SequenceNumber)" ]
	# One lane at a time, the same handler fails: the proof that it tests
	# concurrency.
	rm -f started.* ck
	run pdb-stream-run --once -b 10 -r 0 -t 5 -c ck tbl -- sh meet.sh
	assert_failure 1
	# Per-key order, batch by batch; a failing lane gives up its own
	# records only.
	rm -f ck
	run --separate-stderr pdb-stream-run --once -b 1 -P 2 -r 0 -o failed.jsonl -c ck tbl -- \
	    sh -c 'r=$(jq -r ".Records[] | .dynamodb.Keys.id.S + .dynamodb.NewImage.n.N"); echo "$r" >>seen; [ "$r" != b2 ]'
	assert_failure 1
	[ "$(grep a seen | paste -sd' ')" = "a1 a2 a3" ]
	[ "$(grep b seen | paste -sd' ')" = "b1 b2 b3" ]
	[ "$(jq -r .DDBStreamBatchInfo.batchSize failed.jsonl)" = 1 ]
	[[ "$stderr" == *"6 batches, 5 records, 0 retries, 0 bisections, 1 failed"* ]]
}

@test "options are checked against Lambda's ranges" {
	pdb-table create tbl id --stream KEYS_ONLY
	for bad in "-b 0" "-b 10001" "-w 301" "-r -2" "-r 10001" "-a 59" "-a 604801" "-t 0" "-t 901" "-P 0" "-P 11"; do
		run pdb-stream-run $bad --once tbl -- true
		assert_failure 2
	done
	run pdb-stream-run --once tbl
	assert_failure 2
	assert_output --partial "then -- COMMAND"
	run pdb-stream-run -b 10000 -w 300 -r 10000 -a 604800 -t 900 -P 10 -a -1 --once tbl -- true
	assert_success
	run pdb-stream-run --once nosuch -- true
	assert_failure 1
}

@test "the README's handler-test target: passes on good fixtures, fails on one the handler rejects" {
	mkdir handlers
	# The README's Python handler and wrapper, as written there.
	awk '/^cat >handlers\/[a-z]+\.py <<.EOF.$/ { f = substr($2, 2); on = 1; next }
	    /^EOF$/ { on = 0 } on { print > f }' "$TOP/README.md"
	[ -s handlers/app.py ] && [ -s handlers/lambda.py ]
	awk '$0 == "```make" { on = 1; next } /^```$/ { on = 0 } on' "$TOP/README.md" >Makefile
	grep -q '^handler-test:' Makefile
	pdb-table create payments id --stream NEW_IMAGE
	echo '{"id":{"S":"p1"},"amount":{"N":"20"}}' | pdb-put payments
	run make -s handler-test
	assert_success
	echo '{"id":{"S":"p2"},"amount":{"N":"500"}}' | pdb-put payments
	run make -s handler-test
	assert_failure
	# Reading left the stream as it was: the next run fails the same way.
	run make -s handler-test
	assert_failure
}

# ---------------------------------------------------------------------------
# Whole streams: several shards, rolls and splits

# put_round N KEY...: KEY's item with v = N, a commit each; a record each
# when N is new.
put_round() {
	local k
	for k in "${@:2}"; do echo "{\"id\":{\"S\":\"$k\"},\"v\":{\"N\":\"$1\"}}"; done |
		pdb-put --batch-size 1 tbl
}

# check_run_log FILE BATCH: FILE has a line of sequence numbers per batch,
# in the order the batches ran; every record of the stream appears once,
# each batch holds at most BATCH records of one shard, a shard's records
# run in sequence order and after all of its parent's.
check_run_log() {
	python3 - "$PDB_DB" "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
shard_of = dict(db.execute("SELECT seq, shard FROM records"))
parent = dict(db.execute("SELECT id, parent FROM shards"))
pos, batches = {}, [l.split() for l in open(sys.argv[2])]
for b, line in enumerate(batches):
    if len({shard_of[int(s)] for s in line}) != 1 or len(line) > int(sys.argv[3]):
        sys.exit("batch %d mixes shards or is too long: %s" % (b, line))
    for i, s in enumerate(line):
        if int(s) in pos:
            sys.exit("record %s ran twice" % s)
        pos[int(s)] = (b, i)
if sorted(pos) != sorted(shard_of):
    sys.exit("ran %d records of %d" % (len(pos), len(shard_of)))
by_shard = {}
for seq in sorted(pos):
    by_shard.setdefault(shard_of[seq], []).append(pos[seq])
for sh, ps in by_shard.items():
    if ps != sorted(ps):
        sys.exit("shard %d ran out of order" % sh)
    p = parent.get(sh)
    while p and p not in by_shard:
        p = parent.get(p)
    if p and max(by_shard[p]) > min(ps):
        sys.exit("shard %d ran before its parent %d was done" % (sh, p))
PY
}

@test "several shards: a batch holds one shard's records, a parent's run before its children's, each once" {
	pdb-table create tbl id --stream KEYS_ONLY --shards 3
	put_round 1 a b c d e f g h i j
	pdb-stream-shard tbl split >/dev/null
	put_round 2 a b c d e f g h i j k l
	pdb-stream-shard tbl roll >/dev/null
	pdb-stream-shard tbl split "$(pdb-stream-describe tbl | jq -r '.Shards[-1].ShardId')" >/dev/null
	put_round 3 a b c d e f g
	[ "$(rows records)" = 29 ]
	run --separate-stderr pdb-stream-run -b 4 -c ck --once tbl -- \
		sh -c 'jq -r "[.Records[].dynamodb.SequenceNumber] | join(\" \")" >>batches'
	assert_success
	run -0 check_run_log batches 4
	[ "$(cat ck)" = "$(pdb-stream-tail tbl | jq -r .dynamodb.SequenceNumber | tail -n 1)" ]
	# Every open shard's records came, in batches of up to 4 each.
	[ "$(wc -l <batches)" -gt $((29 / 4)) ]
	# A follower does the same with records arriving around a split.
	rm -f batches ck
	pdb-stream-run -b 3 -c ck tbl -- \
		sh -c 'jq -r "[.Records[].dynamodb.SequenceNumber] | join(\" \")" >>batches' 2>/dev/null &
	pid=$!
	put_round 4 a b c
	pdb-stream-shard tbl split >/dev/null
	put_round 5 a b c d e
	want=$(pdb-stream-tail tbl | jq -r .dynamodb.SequenceNumber | tail -n 1)
	for ((i = 0; i < 500; i++)); do
		[ "$(cat ck 2>/dev/null)" = "$want" ] && break
		sleep 0.01
	done
	kill -TERM $pid
	wait $pid
	run -0 check_run_log batches 3
}

@test "several shards run side by side, as Lambda polls each shard" {
	pdb-table create tbl id --stream KEYS_ONLY --shards 2
	put_keys a b c d e f g h
	[ "$(sqlite3 "$PDB_DB" 'SELECT count(DISTINCT shard) FROM records')" = 2 ]
	# Each batch waits for the other shard's to start: run one after the
	# other, the first would give up and fail.
	run --separate-stderr pdb-stream-run -t 20 -r 0 --once tbl -- sh -c '
		cat >/dev/null; touch "started.$$"
		for i in $(seq 200); do
			[ "$(ls started.* | wc -l)" -ge 2 ] && exit 0
			sleep 0.05
		done
		exit 1'
	assert_success
	assert_equal "$stderr" "pdb-stream-run: 2 batches, 8 records, 0 retries, 0 bisections, 0 failed, 0 filtered"
}

@test "across a split: a checkpoint resumes exactly, and a child's failure names the child shard" {
	pdb-table create tbl id --stream KEYS_ONLY
	put_keys a b c
	pdb-stream-run -c ck --once tbl -- sh -c 'jq -r "[.Records[].dynamodb.SequenceNumber] | join(\" \")" >>batches' 2>/dev/null
	pdb-stream-shard tbl split >/dev/null
	put_keys a bad c d
	run --separate-stderr pdb-stream-run -b 1 -r 0 -o failures -c ck --once tbl -- \
		sh -c 'e=$(cat); echo "$e" | jq -r "[.Records[].dynamodb.SequenceNumber] | join(\" \")" >>batches
			case $e in *"\"bad\""*) exit 1;; esac'
	assert_failure 1
	run -0 check_run_log batches 100
	bad=$(pdb-stream-tail tbl | jq -r 'select(.dynamodb.Keys.id.S == "bad") | .dynamodb.SequenceNumber')
	child=$(sqlite3 "$PDB_DB" "SELECT s.shard_id FROM records r JOIN shards s ON s.id = r.shard WHERE r.seq = $((10#$bad))")
	[ "$(jq -r .DDBStreamBatchInfo.shardId failures)" = "$child" ]
	[ "$(pdb-stream-describe tbl | jq -r --arg c "$child" '.Shards[] | select(.ShardId == $c) | .ParentShardId')" != null ]
	# Nothing again.
	run -0 --separate-stderr pdb-stream-run -c ck --once tbl -- cat
	[[ "$stderr" == *"0 batches"* ]]
}
