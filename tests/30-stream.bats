#!/usr/bin/env bats
# Reading streams: describe, iterators, pages, retention, record content,
# and each reading mistake of design.md §8.

load helper

T=1700000000000
H=3600000

put() { printf '%s\n' "$@" | pdb-put users; }
seqs() { jq -r .dynamodb.SequenceNumber | paste -sd' '; }
ids() { jq -r '.dynamodb.Keys.id.S' | paste -sd' '; }

@test "§8: LATEST is not off by one: two puts after it give exactly those two" {
	pdb-table create users id --stream NEW_IMAGE
	put '{"id":{"S":"old"}}'
	it=$(pdb-stream-iter -t LATEST users)
	put '{"id":{"S":"a"}}' '{"id":{"S":"b"}}'
	run bash -c "pdb-stream-tail -i '$it' | jq -r .dynamodb.Keys.id.S | paste -sd' '"
	assert_output "a b"
	run bash -c "pdb-stream-tail -s latest users | wc -l"
	assert_output 0
}

@test "§8: an empty read gives Records [] and a fresh, usable NextShardIterator" {
	pdb-table create users id --stream KEYS_ONLY
	it=$(pdb-stream-iter -t LATEST users)
	run pdb-stream-tail --page -i "$it"
	assert_success
	[ "$(jq -c .Records <<<"$output")" = '[]' ]
	next=$(jq -r .NextShardIterator <<<"$output")
	[ -n "$next" ] && [ "$next" != null ] && [ "$next" != "$it" ]
	put '{"id":{"S":"a"}}'
	run bash -c "pdb-stream-tail --page -i '$next' | jq -r '.Records[].dynamodb.Keys.id.S'"
	assert_output a
}

@test "§8: no EndingSequenceNumber on an open shard; the last record's after disable" {
	pdb-table create users id --stream KEYS_ONLY
	put '{"id":{"S":"a"}}' '{"id":{"S":"b"}}'
	run pdb-stream-describe users
	[ "$(jq -c '.Shards[0].SequenceNumberRange | has("EndingSequenceNumber")' <<<"$output")" = false ]
	[ "$(jq -r .StreamStatus <<<"$output")" = ENABLED ]
	last=$(pdb-stream-tail users | tail -n 1 | jq -r .dynamodb.SequenceNumber)
	pdb-table stream users off
	run pdb-stream-describe users
	[ "$(jq -r .StreamStatus <<<"$output")" = DISABLED ]
	[ "$(jq -r '.Shards[0].SequenceNumberRange.EndingSequenceNumber' <<<"$output")" = "$last" ]
	[[ "$(jq -r '.Shards[0].ShardId' <<<"$output")" =~ ^shardId-[0-9]{20}-[0-9a-f]{8}$ ]]
}

@test "§8: iterators hold sequence numbers, so trimming never shifts a reader" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	printf '%s\n' '{"id":{"S":"r1"}}' '{"id":{"S":"r2"}}' | PDB_NOW=$T pdb-put users
	echo '{"id":{"S":"r3"}}' | PDB_NOW=$((T + 2 * H)) pdb-put users
	r2=$(PDB_NOW=$((T + 2 * H)) pdb-stream-tail users | sed -n 2p | jq -r .dynamodb.SequenceNumber)
	it=$(PDB_NOW=$((T + 2 * H)) pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s "$r2" users)
	# r1 and r2 expire and a writer deletes them physically.
	echo '{"id":{"S":"r4"}}' | PDB_NOW=$((T + 25 * H)) pdb-put users
	[ "$(sqlite3 "$PDB_DB" 'SELECT count(*) FROM records')" = 2 ]
	run bash -c "PDB_NOW=$((T + 2 * H + 60000)) pdb-stream-tail -i '$it' | jq -r .dynamodb.Keys.id.S | paste -sd' '"
	assert_output "r3 r4"
}

@test "§8: sequence numbers are 21 digits, increasing, never reused after a full trim" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	printf '%s\n' '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' | PDB_NOW=$T pdb-put users
	before=$(PDB_NOW=$T pdb-stream-tail users | seqs)
	echo '{"id":{"S":"c"}}' | PDB_NOW=$((T + 30 * H)) pdb-put users
	after=$(PDB_NOW=$((T + 30 * H)) pdb-stream-tail users | seqs)
	set -- $before $after
	[ $# = 3 ]
	for s in "$@"; do [[ "$s" =~ ^[0-9]{21}$ ]]; done
	[[ "$1" < "$2" ]] && [[ "$2" < "$3" ]]
}

@test "§8: no re-delivery: the next page starts after the last record" {
	pdb-table create users id --stream KEYS_ONLY
	put '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' '{"id":{"S":"c"}}'
	it=$(pdb-stream-iter -t TRIM_HORIZON users)
	p1=$(pdb-stream-tail --page --limit 2 -i "$it")
	[ "$(jq -r '[.Records[].dynamodb.Keys.id.S] | join(" ")' <<<"$p1")" = "a b" ]
	p2=$(pdb-stream-tail --page --limit 2 -i "$(jq -r .NextShardIterator <<<"$p1")")
	[ "$(jq -r '[.Records[].dynamodb.Keys.id.S] | join(" ")' <<<"$p2")" = "c" ]
	p3=$(pdb-stream-tail --page -i "$(jq -r .NextShardIterator <<<"$p2")")
	[ "$(jq -c .Records <<<"$p3")" = "[]" ]
}

@test "§8: readers do not consume: two drains are equal" {
	pdb-table create users id --stream NEW_IMAGE
	put '{"id":{"S":"a"}}' '{"id":{"S":"b"}}'
	one=$(pdb-stream-tail users)
	two=$(pdb-stream-tail users)
	[ "$one" = "$two" ]
	[ "$(wc -l <<<"$one")" = 2 ]
}

@test "§8: stream metadata and records survive a restart (a new process)" {
	pdb-table create users id --stream NEW_IMAGE
	put '{"id":{"S":"a"}}'
	arn=$(pdb-stream-describe users | jq -r .StreamArn)
	[ "$(pdb-stream-tail "$arn" | ids)" = a ]
	[ "$(pdb-stream-describe | jq -r .StreamArn)" = "$arn" ]
}

@test "AT_SEQUENCE_NUMBER includes the record, AFTER excludes it" {
	pdb-table create users id --stream KEYS_ONLY
	put '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' '{"id":{"S":"c"}}'
	b=$(pdb-stream-tail users | sed -n 2p | jq -r .dynamodb.SequenceNumber)
	[ "$(pdb-stream-tail -i "$(pdb-stream-iter -t AT_SEQUENCE_NUMBER -s "$b" users)" | ids)" = "b c" ]
	[ "$(pdb-stream-tail -i "$(pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s "$b" users)" | ids)" = "c" ]
	[ "$(pdb-stream-tail -s "at:$b" users | ids)" = "b c" ]
	[ "$(pdb-stream-tail -s "after:$b" users | ids)" = "c" ]
	run pdb-stream-iter --json -t TRIM_HORIZON users
	[[ "$(jq -r .ShardIterator <<<"$output")" == arn:aws:dynamodb:*"|1|"* ]]
}

@test "iterator errors: out of range, malformed, unknown shard or stream" {
	pdb-table create users id --stream KEYS_ONLY
	pdb-table create other id --stream KEYS_ONLY
	echo '{"id":{"S":"x"}}' | pdb-put other
	put '{"id":{"S":"a"}}'
	theirs=$(pdb-stream-tail other | jq -r .dynamodb.SequenceNumber)
	run --separate-stderr pdb-stream-iter -t AT_SEQUENCE_NUMBER -s 999999999999999999999 users
	assert_failure 3
	[[ "$stderr" == *"ValidationException"* ]]
	run --separate-stderr pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s 12ab users
	assert_failure 3
	run --separate-stderr pdb-stream-iter -t AT_SEQUENCE_NUMBER users
	assert_failure 3
	run --separate-stderr pdb-stream-iter -t SIDEWAYS users
	assert_failure 2
	run --separate-stderr pdb-stream-iter -t LATEST -S shardId-00000000000000000000-00000000 users
	assert_failure 1
	assert_equal "$stderr" "pdb-stream-iter: ResourceNotFoundException: Requested resource not found: Shard does not exist"
	run --separate-stderr pdb-stream-iter -t LATEST nope
	assert_failure 1
	assert_equal "$stderr" "pdb-stream-iter: ResourceNotFoundException: Requested resource not found: Stream does not exist (table nope has no stream; enable one with 'pdb-table stream nope VIEW')"
	run --separate-stderr pdb-stream-iter -t LATEST arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/2020-01-01T00:00:00.000
	assert_failure 1
	assert_equal "$stderr" "pdb-stream-iter: ResourceNotFoundException: Requested resource not found: Stream does not exist"
	run --separate-stderr pdb-stream-describe arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/2020-01-01T00:00:00.000
	assert_failure 1
	[[ "$stderr" == *"Requested resource not found: Stream: arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/2020-01-01T00:00:00.000 not found" ]]
	it=$(pdb-stream-iter -t TRIM_HORIZON users)
	bad="${it%?}A"
	[ "$bad" != "$it" ] || bad="${it%?}B"
	for token in garbage "$bad" "${it%%|*}|1|" "$it$it"; do
		run --separate-stderr pdb-stream-tail -i "$token"
		assert_failure 3
		[[ "$stderr" == *"ValidationException"* ]]
	done
	[ -n "$theirs" ]
}

@test "retention: 25 hours later nothing is left and old positions are trimmed" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	printf '%s\n' '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' | PDB_NOW=$T pdb-put users
	a=$(PDB_NOW=$T pdb-stream-tail users | head -n 1 | jq -r .dynamodb.SequenceNumber)
	it=$(PDB_NOW=$T pdb-stream-iter -t TRIM_HORIZON users)
	[ "$(PDB_NOW=$((T + 25 * H)) pdb-stream-tail users | wc -l)" = 0 ]
	run --separate-stderr env PDB_NOW=$((T + 25 * H)) pdb-stream-iter -t AT_SEQUENCE_NUMBER -s "$a" users
	assert_failure 3
	assert_equal "$stderr" "pdb-stream-iter: TrimmedDataAccessException: The data you are trying to access has been trimmed."
	# An iterator made before: trimmed at GetRecords too (within its 15 minutes).
	run --separate-stderr env PDB_NOW=$((T + 24 * H + 1000)) PDB_RETENTION=24h pdb-stream-tail -i "$it"
	assert_failure 3
	[[ "$stderr" == *"ExpiredIteratorException"* || "$stderr" == *"TrimmedDataAccessException"* ]]
	it=$(PDB_NOW=$((T + 24 * H - 60000)) pdb-stream-iter -t TRIM_HORIZON users)
	run --separate-stderr env PDB_NOW=$((T + 24 * H + 60000)) pdb-stream-tail -i "$it"
	assert_failure 3
	assert_equal "$stderr" "pdb-stream-tail: TrimmedDataAccessException: The data you are trying to access has been trimmed."
}

@test "iterators expire after 15 minutes, not before" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	echo '{"id":{"S":"a"}}' | PDB_NOW=$T pdb-put users
	it=$(PDB_NOW=$T pdb-stream-iter -t TRIM_HORIZON users)
	run env PDB_NOW=$((T + 14 * 60000)) pdb-stream-tail -i "$it"
	assert_success
	run --separate-stderr env PDB_NOW=$((T + 16 * 60000)) pdb-stream-tail -i "$it"
	assert_failure 3
	[[ "$stderr" == "pdb-stream-tail: ExpiredIteratorException: "* ]]
}

@test "--limit, -n, --events and Lambda batches" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	put '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' '{"id":{"S":"a"},"v":{"N":"1"}}'
	echo '{"id":{"S":"b"}}' | pdb-delete users
	[ "$(pdb-stream-tail -n 2 users | ids)" = "a b" ]
	[ "$(pdb-stream-tail --events MODIFY,REMOVE users | jq -r .eventName | paste -sd' ')" = "MODIFY REMOVE" ]
	run pdb-stream-tail -L --limit 3 users
	[ "${#lines[@]}" = 2 ]
	[ "$(jq -c '[.Records | length, (.[0].eventSourceARN | startswith("arn:aws:dynamodb:"))]' <<<"${lines[0]}")" = '[3,true]' ]
	run --separate-stderr pdb-stream-tail --limit 0 users
	assert_failure 3
	[[ "$stderr" == *"ValidationException"*"'limit'"* ]]
	run --separate-stderr pdb-stream-tail --limit 1001 users
	assert_failure 3
	run --separate-stderr pdb-stream-tail --events UPSERT users
	assert_failure 2
}

@test "a page stops near 1 MB" {
	pdb-table create users id --stream NEW_IMAGE
	big=$(head -c 300000 /dev/zero | tr '\0' x)
	for i in 1 2 3 4 5; do echo "{\"id\":{\"S\":\"u$i\"},\"v\":{\"S\":\"$big\"}}"; done | pdb-put users
	run bash -c "pdb-stream-tail --page users | jq '.Records | length'"
	assert_output 3
}

@test "a closed shard read to its end has no NextShardIterator" {
	pdb-table create users id --stream KEYS_ONLY
	put '{"id":{"S":"a"}}'
	it=$(pdb-stream-iter -t TRIM_HORIZON users)
	pdb-table stream users off
	run pdb-stream-tail --page -i "$it"
	[ "$(jq -c '[(.Records | length), has("NextShardIterator")]' <<<"$output")" = '[1,false]' ]
}

@test "lifecycle: re-enable makes a new stream; old ones stay listed and readable" {
	pdb-table create users id --stream KEYS_ONLY
	put '{"id":{"S":"a"}}'
	old=$(pdb-stream-describe users | jq -r .StreamArn)
	pdb-table stream users off
	pdb-table stream users NEW_IMAGE
	put '{"id":{"S":"b"}}'
	new=$(pdb-stream-describe users | jq -r .StreamArn)
	[ "$old" != "$new" ]
	[ "$(pdb-stream-describe -t users | jq -r .StreamArn | paste -sd' ')" = "$new $old" ]
	[ "$(pdb-stream-tail "$old" | ids)" = a ]
	[ "$(pdb-stream-tail users | ids)" = b ]
	pdb-table delete users
	[ "$(pdb-stream-describe "$new" | jq -r .StreamStatus)" = DISABLED ]
	[ "$(pdb-stream-tail "$new" | ids)" = b ]
	pdb-table create tab2 id --stream KEYS_ONLY
	[ "$(pdb-stream-describe -t tab2 | wc -l)" = 1 ]
}

@test "a disabled stream is listed only while it holds records within retention" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	echo '{"id":{"S":"a"}}' | PDB_NOW=$T pdb-put users
	PDB_NOW=$T pdb-table stream users off
	[ "$(PDB_NOW=$((T + H)) pdb-stream-describe | wc -l)" = 1 ]
	[ "$(PDB_NOW=$((T + 25 * H)) pdb-stream-describe | wc -l)" = 0 ]
}

# view event: the members present in the record's dynamodb object.
members() { jq -r '.dynamodb | [has("NewImage"), has("OldImage")] | map(if . then "y" else "n" end) | join("")'; }

@test "every view type by every event carries the right images" {
	for view in KEYS_ONLY NEW_IMAGE OLD_IMAGE NEW_AND_OLD_IMAGES; do
		pdb-table create "t_$view" id --stream "$view"
		printf '%s\n' '{"id":{"S":"a"},"v":{"N":"1"}}' '{"id":{"S":"a"},"v":{"N":"2"}}' | pdb-put "t_$view"
		echo '{"id":{"S":"a"}}' | pdb-delete "t_$view"
		got=$(pdb-stream-tail "t_$view" | members | paste -sd' ')
		case $view in
		KEYS_ONLY) want="nn nn nn" ;;
		NEW_IMAGE) want="yn yn nn" ;;
		OLD_IMAGE) want="nn ny ny" ;;
		NEW_AND_OLD_IMAGES) want="yn yy ny" ;;
		esac
		[ "$got" = "$want" ] || { echo "$view: got $got, want $want"; return 1; }
		[ "$(pdb-stream-tail "t_$view" | jq -r .dynamodb.StreamViewType | sort -u)" = "$view" ]
	done
	run bash -c "pdb-stream-tail t_NEW_AND_OLD_IMAGES | jq -c '[.eventName, .dynamodb.Keys, .dynamodb.OldImage.v.N, .dynamodb.NewImage.v.N]' | paste -sd' '"
	assert_output '["INSERT",{"id":{"S":"a"}},null,"1"] ["MODIFY",{"id":{"S":"a"}},"1","2"] ["REMOVE",{"id":{"S":"a"}},"2",null]'
}

@test "SizeBytes as AWS computes it: the walkthrough's 24, 56 and 36" {
	pdb-table create Thread Id:N --stream NEW_AND_OLD_IMAGES
	echo '{"Id":{"N":"1"},"Message":{"S":"New item!"}}' | pdb-put Thread
	echo '{"Id":{"N":"1"},"Message":{"S":"This item has changed"}}' | pdb-put Thread
	echo '{"Id":{"N":"1"}}' | pdb-delete Thread
	run bash -c "pdb-stream-tail Thread | jq -r '.eventName + \":\" + (.dynamodb.SizeBytes|tostring)' | paste -sd' '"
	assert_output "INSERT:24 MODIFY:56 REMOVE:36"
}

@test "records: eventIDs unique 32 hex, region, version, whole seconds" {
	export PDB_NOW=1700000000999
	AWS_REGION=eu-west-3 pdb-table create users id --stream KEYS_ONLY
	for i in $(seq 1 50); do echo "{\"id\":{\"S\":\"u$i\"}}"; done | pdb-put users
	run bash -c "pdb-stream-tail users | jq -r .eventID | sort -u | grep -cE '^[0-9a-f]{32}$'"
	assert_output 50
	r=$(pdb-stream-tail -n 1 users)
	[ "$(jq -c '[.eventVersion, .eventSource, .awsRegion, .dynamodb.ApproximateCreationDateTime]' <<<"$r")" = '["1.1","aws:dynamodb","eu-west-3",1700000000]' ]
}

@test "records, pages, Lambda events and descriptions match the AWS models" {
	have_validator
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	put '{"id":{"S":"a"},"n":{"N":"1"},"b":{"B":"AQ=="}}' '{"id":{"S":"a"},"n":{"N":"2"},"s":{"SS":["x"]}}'
	echo '{"id":{"S":"a"}}' | pdb-delete users
	v="$VALIDATE/validate-shape"
	pdb-stream-tail users >rec.jsonl
	run "$v" -q --service dynamodbstreams --shape Record --strict rec.jsonl
	assert_success
	pdb-stream-tail --page users >page.jsonl
	run "$v" -q --service dynamodbstreams --shape GetRecordsOutput --strict page.jsonl
	assert_success
	pdb-stream-tail -L users >lambda.jsonl
	run "$v" -q --service dynamodbstreams --shape Record --lambda-event --strict lambda.jsonl
	assert_success
	pdb-stream-describe users >desc.jsonl
	run "$v" -q --service dynamodbstreams --shape StreamDescription --strict desc.jsonl
	assert_success
	pdb-stream-describe >list.jsonl
	run "$v" -q --service dynamodbstreams --shape Stream --strict list.jsonl
	assert_success
	if [ -d "$VALIDATE/node_modules" ]; then
		run node "$VALIDATE/validate-lambda.mjs" -q --mode event --strict lambda.jsonl
		assert_success
		run node "$VALIDATE/validate-lambda.mjs" -q --mode record --strict rec.jsonl
		assert_success
	fi
}
