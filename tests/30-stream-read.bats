#!/usr/bin/env bats
# Reading streams as a consumer does: pdb-stream-describe, pdb-stream-iter and
# pdb-stream-tail. Each reading mistake of design.md §8, iterator positions and
# errors, retention and expiry, pages, and the content of records.

load helper

T=1700000000000	# a fixed clock, epoch ms
M=60000		# a minute
H=3600000	# an hour

# put TABLE LINE...: one pdb-put of the lines (one transaction).
put() {
	local t=$1
	shift
	printf '%s\n' "$@" | pdb-put "$t"
}
# The id.S of the records on stdin, space-separated.
ids() { jq -r '.dynamodb.Keys.id.S' | paste -sd' ' -; }
# The sequence numbers of the records on stdin, space-separated.
seqs() { jq -r '.dynamodb.SequenceNumber' | paste -sd' ' -; }
# seq_of TABLE|ARN N: the sequence number of the Nth record of a drain.
seq_of() { pdb-stream-tail "$1" | sed -n "$2p" | jq -r .dynamodb.SequenceNumber; }
# The ids of a --page response on stdin.
page_ids() { jq -r '[.Records[].dynamodb.Keys.id.S] | join(" ")'; }

# ---------------------------------------------------------------------------
# design.md §8: the mistakes other emulators made when reading

@test "§8 LATEST is not off by one: an iterator, then two puts, reads exactly those two" {
	pdb-table create users id --stream NEW_IMAGE
	put users '{"id":{"S":"old1"}}' '{"id":{"S":"old2"}}'
	it=$(pdb-stream-iter -t LATEST users)
	put users '{"id":{"S":"a"}}'
	put users '{"id":{"S":"b"}}'
	run -0 --separate-stderr pdb-stream-tail -i "$it"
	assert_equal "$(ids <<<"$output")" "a b"
	assert_equal "$stderr" ""
	# The same on a stream that has never held a record.
	pdb-table create empty id --stream KEYS_ONLY
	it=$(pdb-stream-iter -t LATEST empty)
	printf '%s\n' '{"id":{"S":"first"}}' | pdb-put empty
	run -0 pdb-stream-tail -i "$it"
	assert_equal "$(ids <<<"$output")" "first"
}

@test "§8 -s latest prints nothing of the records already there" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}'
	run -0 --separate-stderr pdb-stream-tail --from latest users
	assert_output ""
	run -0 pdb-stream-tail -s latest --page users
	[ "$(jq -c .Records <<<"$output")" = "[]" ]
	next=$(jq -r .NextShardIterator <<<"$output")
	put users '{"id":{"S":"c"}}'
	run -0 pdb-stream-tail -i "$next"
	assert_equal "$(ids <<<"$output")" "c"
}

@test "§8 an empty read gives Records [] and a fresh NextShardIterator that differs and works" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"before"}}'
	it=$(pdb-stream-iter -t LATEST users)
	run -0 --separate-stderr pdb-stream-tail --page -i "$it"
	[ "$(jq -c '.Records' <<<"$output")" = "[]" ]
	[ "$(jq -r '.NextShardIterator | type' <<<"$output")" = string ]
	next=$(jq -r .NextShardIterator <<<"$output")
	[ -n "$next" ] && [ "$next" != "$it" ]
	[[ "$next" == "$(pdb-stream-describe users | jq -r .StreamArn)|1|"?* ]]
	# Still empty: yet another fresh iterator, never the same one again.
	run -0 pdb-stream-tail --page -i "$next"
	[ "$(jq -c '.Records' <<<"$output")" = "[]" ]
	next2=$(jq -r .NextShardIterator <<<"$output")
	[ -n "$next2" ] && [ "$next2" != null ] && [ "$next2" != "$next" ] && [ "$next2" != "$it" ]
	put users '{"id":{"S":"a"}}'
	run -0 pdb-stream-tail --page -i "$next2"
	assert_equal "$(page_ids <<<"$output")" "a"
	[ "$(jq -r '.NextShardIterator | type' <<<"$output")" = string ]
	# The first empty page's iterator still reads from the same place.
	run -0 pdb-stream-tail -i "$next"
	assert_equal "$(ids <<<"$output")" "a"
}

@test "§8 an open shard has no EndingSequenceNumber; after disable it is the last record's" {
	pdb-table create users id --stream KEYS_ONLY
	run -0 pdb-stream-describe users
	[ "$(jq -c '.Shards[0].SequenceNumberRange | has("EndingSequenceNumber")' <<<"$output")" = false ]
	put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' '{"id":{"S":"c"}}'
	run -0 pdb-stream-describe users
	d=$output
	[ "$(jq -r .StreamStatus <<<"$d")" = ENABLED ]
	[ "$(jq '.Shards | length' <<<"$d")" = 1 ]
	[ "$(jq -c '.Shards[0].SequenceNumberRange | keys' <<<"$d")" = '["StartingSequenceNumber"]' ]
	[[ "$(jq -r '.Shards[0].ShardId' <<<"$d")" =~ ^shardId-[0-9]{20}-[0-9a-f]{8}$ ]]
	start=$(jq -r '.Shards[0].SequenceNumberRange.StartingSequenceNumber' <<<"$d")
	[[ "$start" =~ ^[0-9]{21}$ ]]
	first=$(seq_of users 1)
	last=$(seq_of users 3)
	[[ ! "$first" < "$start" ]]
	pdb-table stream users off
	run -0 pdb-stream-describe users
	[ "$(jq -r .StreamStatus <<<"$output")" = DISABLED ]
	[ "$(jq -r '.Shards[0].SequenceNumberRange.EndingSequenceNumber' <<<"$output")" = "$last" ]
	[ "$(jq -r '.Shards[0].SequenceNumberRange.StartingSequenceNumber' <<<"$output")" = "$start" ]
	[ "$(jq -r '.Shards[0].ShardId' <<<"$output")" = "$(jq -r '.Shards[0].ShardId' <<<"$d")" ]
}

@test "§8 iterators survive trimming: AFTER r2, taken before r1 and r2 expire, reads exactly r3" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	PDB_NOW=$T pdb-table create other id --stream KEYS_ONLY
	PDB_NOW=$T put users '{"id":{"S":"r1"}}' '{"id":{"S":"r2"}}'
	PDB_NOW=$((T + 2 * H)) put users '{"id":{"S":"r3"}}'
	r2=$(PDB_NOW=$((T + 2 * H)) seq_of users 2)
	# An iterator must be used within 15 minutes: take it 5 minutes before
	# r1 and r2 pass 24 hours, read with it 5 minutes after.
	it=$(PDB_NOW=$((T + 24 * H - 5 * M)) pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s "$r2" users)
	# A writer trims r1 and r2 physically, so a row-counting iterator
	# would now skip r3.
	PDB_NOW=$((T + 24 * H + M)) put other '{"id":{"S":"x"}}'
	[ "$(rows records)" = 2 ]
	run -0 --separate-stderr env PDB_NOW=$((T + 24 * H + 5 * M)) pdb-stream-tail -i "$it"
	assert_equal "$(ids <<<"$output")" "r3"
	assert_equal "$stderr" ""
	run -0 env PDB_NOW=$((T + 24 * H + 5 * M)) pdb-stream-tail --page -i "$it"
	assert_equal "$(page_ids <<<"$output")" "r3"
	# The NextShardIterator goes on after r3, not after a row count.
	PDB_NOW=$((T + 24 * H + 6 * M)) put users '{"id":{"S":"r4"}}'
	run -0 env PDB_NOW=$((T + 24 * H + 7 * M)) pdb-stream-tail -i "$(jq -r .NextShardIterator <<<"$output")"
	assert_equal "$(ids <<<"$output")" "r4"
}

@test "§8 sequence numbers: 21 digits, strictly increasing, and still growing after every record is trimmed" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	PDB_NOW=$T pdb-table create other id --stream KEYS_ONLY
	# Three processes in one millisecond: the clock cannot tell them apart.
	for k in a b c; do PDB_NOW=$T put users "{\"id\":{\"S\":\"$k\"}}"; done
	PDB_NOW=$T put other '{"id":{"S":"o"}}'
	PDB_NOW=$T put users '{"id":{"S":"d"}}' '{"id":{"S":"e"}}'
	old=$(PDB_NOW=$T pdb-stream-tail users | seqs)
	set -- $old
	[ $# = 5 ]
	prev=""
	for s in "$@"; do
		[[ "$s" =~ ^[0-9]{21}$ ]]
		[ -z "$prev" ] || [[ "$prev" < "$s" ]]
		prev=$s
	done
	# 25 hours on, a write trims every old record; numbers go on growing.
	PDB_NOW=$((T + 25 * H)) put users '{"id":{"S":"new"}}'
	[ "$(rows records)" = 1 ]
	run -0 env PDB_NOW=$((T + 25 * H)) pdb-stream-tail users
	assert_equal "$(ids <<<"$output")" "new"
	new=$(seqs <<<"$output")
	[[ "$new" =~ ^[0-9]{21}$ ]]
	[[ "$prev" < "$new" ]]
	PDB_NOW=$((T + 25 * H)) put other '{"id":{"S":"o2"}}'
	[[ "$new" < "$(PDB_NOW=$((T + 25 * H)) seq_of other 1)" ]]
}

@test "§8 numbers go on growing across a trim that empties the file, a new stream, and a file of schema 6" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	PDB_NOW=$T put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}'
	last=$(PDB_NOW=$T pdb-stream-tail users | seqs | tail -n 1)
	# 25 hours on, a table made (no record) and a write on a table without
	# a stream trim every record; the next stream starts after them.
	PDB_NOW=$((T + 25 * H)) pdb-table create plain id
	PDB_NOW=$((T + 25 * H)) put plain '{"id":{"S":"p"}}'
	[ "$(rows records)" = 0 ]
	PDB_NOW=$((T + 25 * H)) pdb-table create later id --stream KEYS_ONLY
	start=$(PDB_NOW=$((T + 25 * H)) pdb-stream-describe later | jq -r '.Shards[0].SequenceNumberRange.StartingSequenceNumber')
	[[ "$last" < "$start" ]]
	PDB_NOW=$((T + 25 * H)) put later '{"id":{"S":"x"}}'
	[ "$(PDB_NOW=$((T + 25 * H)) pdb-stream-tail later | seqs)" = "$start" ]
	# Schema 6 kept the last number in sqlite_sequence, with AUTOINCREMENT:
	# a file of it whose records were all trimmed carries it over.
	PDB_NOW=$((T + 50 * H)) put plain '{"id":{"S":"q"}}'
	[ "$(rows records)" = 0 ]
	sqlite3 "$PDB_DB" "
	    DROP TABLE records;
	    CREATE TABLE records(seq INTEGER PRIMARY KEY AUTOINCREMENT,
	        stream INTEGER NOT NULL, event INTEGER NOT NULL,
	        created_ms INTEGER NOT NULL, size INTEGER NOT NULL,
	        identity INTEGER NOT NULL DEFAULT 0, keys TEXT NOT NULL,
	        new_image TEXT, old_image TEXT, shard INTEGER);
	    CREATE INDEX records_stream ON records(stream, seq);
	    DELETE FROM meta WHERE key = 'last_seq';
	    INSERT INTO sqlite_sequence(name, seq) VALUES('records', 5000);
	    PRAGMA user_version = 6"
	PDB_NOW=$((T + 50 * H)) put later '{"id":{"S":"y"}}'
	[ "$(sqlite3 "$PDB_DB" 'PRAGMA user_version')" = 8 ]
	[ "$(PDB_NOW=$((T + 50 * H)) pdb-stream-tail later | seqs)" = 000000000000000005001 ]
	# No page of sqlite_sequence is written any more.
	[ -z "$(sqlite3 "$PDB_DB" "SELECT seq FROM sqlite_sequence WHERE name = 'records'")" ]
}

@test "§8 no re-delivery: reading on with NextShardIterator never repeats a page's last record" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' '{"id":{"S":"c"}}' '{"id":{"S":"d"}}' '{"id":{"S":"e"}}'
	it=$(pdb-stream-iter -t TRIM_HORIZON users)
	got=""
	for want in "a b" "c d" "e" ""; do
		run -0 --separate-stderr pdb-stream-tail --page --limit 2 -i "$it"
		assert_equal "$(page_ids <<<"$output")" "$want"
		it=$(jq -r .NextShardIterator <<<"$output")
		[ -n "$it" ] && [ "$it" != null ]
	done
	# After the end, a new record comes once, and then nothing again.
	put users '{"id":{"S":"f"}}'
	run -0 pdb-stream-tail --page -i "$it"
	assert_equal "$(page_ids <<<"$output")" "f"
	run -0 pdb-stream-tail --page -i "$(jq -r .NextShardIterator <<<"$output")"
	[ "$(jq -c .Records <<<"$output")" = "[]" ]
	# Record lines: a drain in pages of one equals a single drain.
	run -0 pdb-stream-tail --limit 1 users
	assert_equal "$(ids <<<"$output")" "a b c d e f"
}

@test "§8 a recreated table does not reuse the old stream's ARN; the old one stays readable" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	PDB_NOW=$T put users '{"id":{"S":"old"}}'
	old=$(PDB_NOW=$T pdb-stream-describe users | jq -r .StreamArn)
	PDB_NOW=$T pdb-table delete users
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	PDB_NOW=$T put users '{"id":{"S":"new"}}'
	new=$(PDB_NOW=$T pdb-table describe users | jq -r .LatestStreamArn)
	[ "$new" != "$old" ]
	[ "$(PDB_NOW=$T pdb-stream-describe users | jq -r .StreamArn)" = "$new" ]
	run -0 env PDB_NOW=$T pdb-stream-tail users
	assert_equal "$(ids <<<"$output")" "new"
	run -0 env PDB_NOW=$T pdb-stream-tail "$old"
	assert_equal "$(ids <<<"$output")" "old"
	run -0 env PDB_NOW=$T pdb-stream-describe "$old"
	[ "$(jq -r .StreamStatus <<<"$output")" = DISABLED ]
}

@test "§8 readers do not consume: two drains are equal and the database is unchanged" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' '{"id":{"S":"a"},"v":{"N":"1"}}'
	before=$(db_state)
	one=$(pdb-stream-tail users)
	pdb-stream-tail --page users >/dev/null
	pdb-stream-tail -L users >/dev/null
	pdb-stream-tail -i "$(pdb-stream-iter -t TRIM_HORIZON users)" >/dev/null
	pdb-stream-tail -n 1 users >/dev/null
	two=$(pdb-stream-tail users)
	[ "$(wc -l <<<"$one")" = 3 ]
	assert_equal "$two" "$one"
	assert_equal "$(db_state)" "$before"
}

# ---------------------------------------------------------------------------
# Iterators: positions and errors

@test "an iterator is <StreamArn>|1|<opaque>, at most 2048 characters; --json wraps it" {
	pdb-table create users id --stream KEYS_ONLY
	arn=$(pdb-stream-describe users | jq -r .StreamArn)
	for type in TRIM_HORIZON LATEST; do
		run -0 --separate-stderr pdb-stream-iter -t "$type" users
		[ "${#lines[@]}" = 1 ]
		[[ "$output" == "$arn|1|"?* ]]
		[ "${#output}" -le 2048 ]
		run -0 --separate-stderr pdb-stream-iter --json --type "$type" "$arn"
		[ "$(jq -r 'keys | join(",")' <<<"$output")" = ShardIterator ]
		[[ "$(jq -r .ShardIterator <<<"$output")" == "$arn|1|"?* ]]
	done
}

@test "AT_SEQUENCE_NUMBER includes the record, AFTER_SEQUENCE_NUMBER excludes it" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' '{"id":{"S":"c"}}'
	a=$(seq_of users 1)
	b=$(seq_of users 2)
	c=$(seq_of users 3)
	run -0 pdb-stream-tail -i "$(pdb-stream-iter -t AT_SEQUENCE_NUMBER -s "$b" users)"
	assert_equal "$(ids <<<"$output")" "b c"
	run -0 pdb-stream-tail -i "$(pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s "$b" users)"
	assert_equal "$(ids <<<"$output")" "c"
	run -0 pdb-stream-tail -i "$(pdb-stream-iter -t AT_SEQUENCE_NUMBER -s "$a" users)"
	assert_equal "$(ids <<<"$output")" "a b c"
	run -0 --separate-stderr pdb-stream-tail -i "$(pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s "$c" users)"
	assert_output ""
	assert_equal "$stderr" ""
	# The same through --from.
	run -0 pdb-stream-tail --from "at:$b" users
	assert_equal "$(ids <<<"$output")" "b c"
	run -0 pdb-stream-tail -s "after:$b" users
	assert_equal "$(ids <<<"$output")" "c"
	run -0 pdb-stream-tail -s "at:$c" users
	assert_equal "$(ids <<<"$output")" "c"
	run -0 pdb-stream-tail -s trim-horizon users
	assert_equal "$(ids <<<"$output")" "a b c"
}

@test "a sequence number of another stream's shard, or past a closed shard's end, is ValidationException, exit 3" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}'
	olda=$(seq_of users 1)
	old=$(pdb-stream-describe users | jq -r .StreamArn)
	pdb-table stream users off
	pdb-table stream users KEYS_ONLY
	put users '{"id":{"S":"b"}}'
	newb=$(seq_of users 1)
	for type in AT_SEQUENCE_NUMBER AFTER_SEQUENCE_NUMBER; do
		# The old stream's number is not in the new stream's shard...
		run -3 --separate-stderr pdb-stream-iter -t "$type" -s "$olda" users
		assert_output ""
		[[ "$stderr" == "pdb-stream-iter: ValidationException: "* ]]
		# ...nor the new one's in the old, closed shard.
		run -3 --separate-stderr pdb-stream-iter -t "$type" -s "$newb" "$old"
		[[ "$stderr" == "pdb-stream-iter: ValidationException: "* ]]
	done
	run -3 --separate-stderr pdb-stream-tail -s "at:$olda" users
	assert_output ""
	[[ "$stderr" == "pdb-stream-tail: ValidationException: "* ]]
	run -3 --separate-stderr pdb-stream-tail -s "after:$newb" "$old"
	[[ "$stderr" == "pdb-stream-tail: ValidationException: "* ]]
}

@test "an open shard takes the sequence numbers of its records to come, as DynamoDB Local does" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}'
	a=$(seq_of users 1)
	next=$(printf '%021d' $((10#$a + 1)))
	at=$(pdb-stream-iter -t AT_SEQUENCE_NUMBER -s "$next" users)
	after=$(pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s "$next" users)
	far=$(pdb-stream-iter -t AT_SEQUENCE_NUMBER -s 000000000000000099999 users)
	run -0 --separate-stderr pdb-stream-tail -i "$at"
	assert_output ""
	put users '{"id":{"S":"b"}}' '{"id":{"S":"c"}}'
	[ "$(seq_of users 2)" = "$next" ]
	run -0 pdb-stream-tail -i "$at"
	assert_equal "$(ids <<<"$output")" "b c"
	run -0 pdb-stream-tail -i "$after"
	assert_equal "$(ids <<<"$output")" "c"
	run -0 pdb-stream-tail -i "$far"
	assert_output ""
	run -0 pdb-stream-tail -s "at:$next" users
	assert_equal "$(ids <<<"$output")" "b c"
	# A closed shard does not.
	old=$(pdb-stream-describe users | jq -r .StreamArn)
	pdb-table stream users off
	run -3 --separate-stderr pdb-stream-iter -t AT_SEQUENCE_NUMBER -s 000000000000000099999 "$old"
	[[ "$stderr" == "pdb-stream-iter: ValidationException: Invalid SequenceNumber 000000000000000099999 for stream "*": the stream holds "* ]]
}

@test "a digits-only sequence number past the shard is called out of range, not non-numeric" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}'
	# 21 and 40 digits: the lengths AWS allows.
	for s in 999999999999999999999 9999999999999999999999999999999999999999; do
		run -3 --separate-stderr pdb-stream-iter -t AT_SEQUENCE_NUMBER -s "$s" users
		[[ "$stderr" == "pdb-stream-iter: ValidationException: "* ]]
		[[ "$stderr" != *"numeric characters only"* ]] || {
			echo "a number of digits only is called non-numeric: $stderr"
			return 1
		}
	done
}

@test "a sequence number that is not all digits is ValidationException, exit 3" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}'
	before=$(db_state)
	for s in 12ab -1 ' 1' 1.0 0x1 abc; do
		run -3 --separate-stderr pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s "$s" users
		assert_output ""
		[[ "$stderr" == "pdb-stream-iter: ValidationException: "*"$s"* ]]
		run -3 --separate-stderr pdb-stream-tail -s "at:$s" users
		assert_output ""
		[[ "$stderr" == "pdb-stream-tail: ValidationException: "* ]]
	done
	assert_equal "$(db_state)" "$before"
}

@test "a sequence number is 21 to 40 characters, AWS's first rule, checked before its digits" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}'
	run -3 --separate-stderr pdb-stream-iter -t AT_SEQUENCE_NUMBER -s 1 users
	assert_equal "$stderr" "pdb-stream-iter: ValidationException: 1 validation error detected: Value '1' at 'sequenceNumber' failed to satisfy constraint: Member must have length greater than or equal to 21"
	run -3 --separate-stderr pdb-stream-tail -s "after:abc" users
	[[ "$stderr" == *"Value 'abc' at 'sequenceNumber' failed to satisfy constraint: Member must have length greater than or equal to 21" ]]
	long=$(printf '1%.0s' {1..41})
	run -3 --separate-stderr pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s "$long" users
	[[ "$stderr" == *"Member must have length less than or equal to 40" ]]
	run -3 --separate-stderr pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s "00000000000000000000x" users
	[[ "$stderr" == *"String contains numeric characters only" ]]
}

@test "AT_ and AFTER_SEQUENCE_NUMBER without -s are refused, and name the missing SequenceNumber" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}'
	for type in AT_SEQUENCE_NUMBER AFTER_SEQUENCE_NUMBER; do
		run --separate-stderr pdb-stream-iter -t "$type" users
		[ "$status" = 3 ] || [ "$status" = 2 ]
		assert_output ""
		[[ "$stderr" == *"Invalid SequenceNumber (ShardIteratorType $type needs one)" ]]
	done
	run -2 --separate-stderr pdb-stream-iter -t SIDEWAYS users
	assert_output ""
	run -2 --separate-stderr pdb-stream-iter users
	assert_output ""
}

@test "an unknown shard given with -S is ResourceNotFoundException, exit 1" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}'
	shard=$(pdb-stream-describe users | jq -r '.Shards[0].ShardId')
	run -0 pdb-stream-tail -S "$shard" users
	assert_equal "$(ids <<<"$output")" "a"
	run -0 pdb-stream-tail -i "$(pdb-stream-iter -t TRIM_HORIZON --shard "$shard" users)"
	assert_equal "$(ids <<<"$output")" "a"
	for bad in shardId-00000000000000000000-00000000 "${shard%?}x" nope; do
		run -1 --separate-stderr pdb-stream-iter -t TRIM_HORIZON -S "$bad" users
		assert_output ""
		[[ "$stderr" == "pdb-stream-iter: ResourceNotFoundException: "* ]]
		run -1 --separate-stderr pdb-stream-tail --shard "$bad" users
		assert_output ""
		[[ "$stderr" == "pdb-stream-tail: ResourceNotFoundException: "* ]]
	done
}

@test "an unknown table, a table without a stream or an unknown stream ARN is ResourceNotFoundException, exit 1" {
	pdb-table create users id --stream KEYS_ONLY
	pdb-table create plain id
	arn=$(pdb-stream-describe users | jq -r .StreamArn)
	ghost="${arn%/stream/*}/stream/2001-01-01T00:00:00.000"
	for target in nope plain "$ghost" "arn:aws:dynamodb:us-east-1:000000000000:table/nope/stream/2001-01-01T00:00:00.000"; do
		run -1 --separate-stderr pdb-stream-describe "$target"
		assert_output ""
		[[ "$stderr" == "pdb-stream-describe: ResourceNotFoundException: "* ]]
		run -1 --separate-stderr pdb-stream-iter -t TRIM_HORIZON "$target"
		assert_output ""
		[[ "$stderr" == "pdb-stream-iter: ResourceNotFoundException: "* ]]
		run -1 --separate-stderr pdb-stream-tail "$target"
		assert_output ""
		[[ "$stderr" == "pdb-stream-tail: ResourceNotFoundException: "* ]]
	done
	run -1 --separate-stderr pdb-stream-describe "$ghost"
	[[ "$stderr" == *"Stream: $ghost not found"* ]]
	# -t of an unknown table lists nothing; it is a filter.
	run --separate-stderr pdb-stream-describe -t nope
	[ "$status" = 0 ] || [ "$status" = 1 ]
	assert_output ""
}

@test "a malformed iterator is ValidationException, exit 3" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}'
	it=$(pdb-stream-iter -t TRIM_HORIZON users)
	prefix=${it%|*}
	opaque=${it##*|}
	[ ${#opaque} -ge 8 ]
	bad=()
	# One character of the opaque part changed, at its start, middle and end.
	for at in 0 $((${#opaque} / 2)) $((${#opaque} - 2)); do
		c=${opaque:at:1}
		[ "$c" = A ] && r=B || r=A
		bad+=("$prefix|${opaque:0:at}$r${opaque:at+1}")
	done
	bad+=(garbage "$prefix|" "$prefix|${opaque:0:${#opaque}/2}" "${prefix%|1}|2|$opaque"
		"$it$it" "$opaque" "|1|$opaque")
	for token in "${bad[@]}"; do
		run -3 --separate-stderr pdb-stream-tail -i "$token"
		assert_output ""
		[[ "$stderr" == "pdb-stream-tail: ValidationException: "* ]] || {
			echo "token: $token"; echo "stderr: $stderr"; return 1; }
		run -3 --separate-stderr pdb-stream-tail --page -i "$token"
		assert_output ""
	done
	# The unchanged iterator still works.
	run -0 pdb-stream-tail -i "$it"
	assert_equal "$(ids <<<"$output")" "a"
}

# ---------------------------------------------------------------------------
# Retention and iterator expiry

@test "retention: 25 hours after the writes a drain prints nothing and exits 0" {
	PDB_NOW=$T pdb-table create users id --stream NEW_IMAGE
	PDB_NOW=$T put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}'
	run -0 env PDB_NOW=$((T + 23 * H)) pdb-stream-tail users
	assert_equal "$(ids <<<"$output")" "a b"
	# The same travel with ISO 8601 times: T is 2023-11-14T22:13:20Z.
	run -0 env PDB_NOW=2023-11-15T21:13:20Z pdb-stream-tail users
	assert_equal "$(ids <<<"$output")" "a b"
	run -0 env PDB_NOW=2023-11-15T23:13:20Z pdb-stream-tail users
	assert_output ""
	export PDB_NOW=$((T + 25 * H))
	run -0 --separate-stderr pdb-stream-tail users
	assert_output ""
	assert_equal "$stderr" ""
	run -0 --separate-stderr pdb-stream-tail -L users
	assert_output ""
	run -0 --separate-stderr pdb-stream-tail --page users
	[ "$(jq -c .Records <<<"$output")" = "[]" ]
	[ "$(jq -r '.NextShardIterator | type' <<<"$output")" = string ]
	run -0 pdb-stream-tail -i "$(pdb-stream-iter -t TRIM_HORIZON users)"
	assert_output ""
	# Enabled, so still listed.
	[ "$(pdb-stream-describe | wc -l)" = 1 ]
}

@test "retention: AT_SEQUENCE_NUMBER of an expired record is TrimmedDataAccessException, exit 3" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	PDB_NOW=$T put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}'
	a=$(PDB_NOW=$T seq_of users 1)
	b=$(PDB_NOW=$T seq_of users 2)
	export PDB_NOW=$((T + 25 * H))
	for s in "$a" "$b"; do
		run -3 --separate-stderr pdb-stream-iter -t AT_SEQUENCE_NUMBER -s "$s" users
		assert_output ""
		assert_equal "$stderr" "pdb-stream-iter: TrimmedDataAccessException: The data you are trying to access has been trimmed."
		run -3 --separate-stderr pdb-stream-tail -s "at:$s" users
		assert_output ""
		[[ "$stderr" == "pdb-stream-tail: TrimmedDataAccessException: "* ]]
	done
	# AFTER the older of two expired records is inside the trimmed part too.
	run -3 --separate-stderr pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s "$a" users
	[[ "$stderr" == "pdb-stream-iter: TrimmedDataAccessException: "* ]]
}

@test "retention: iterators made before the records expired are TrimmedDataAccessException after" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	PDB_NOW=$T put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}'
	PDB_NOW=$((T + H)) put users '{"id":{"S":"c"}}'
	a=$(PDB_NOW=$T seq_of users 1)
	# Made 5 minutes before a and b expire, used 5 minutes after.
	export PDB_NOW=$((T + 24 * H - 5 * M))
	horizon=$(pdb-stream-iter -t TRIM_HORIZON users)
	at=$(pdb-stream-iter -t AT_SEQUENCE_NUMBER -s "$a" users)
	after=$(pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s "$a" users)
	page=$(pdb-stream-tail --page --limit 1 users | jq -r .NextShardIterator)
	export PDB_NOW=$((T + 24 * H + 5 * M))
	for it in "$horizon" "$at" "$after" "$page"; do
		run -3 --separate-stderr pdb-stream-tail -i "$it"
		assert_output ""
		assert_equal "$stderr" "pdb-stream-tail: TrimmedDataAccessException: The data you are trying to access has been trimmed."
		run -3 --separate-stderr pdb-stream-tail -L -i "$it"
		assert_output ""
	done
	# A fresh reader starts at c.
	run -0 pdb-stream-tail users
	assert_equal "$(ids <<<"$output")" "c"
}

@test "retention: --page with a trimmed iterator fails with nothing on stdout" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	PDB_NOW=$T put users '{"id":{"S":"a"}}'
	PDB_NOW=$((T + H)) put users '{"id":{"S":"b"}}'
	it=$(PDB_NOW=$((T + 24 * H - 5 * M)) pdb-stream-iter -t TRIM_HORIZON users)
	run -3 --separate-stderr env PDB_NOW=$((T + 24 * H + 5 * M)) pdb-stream-tail --page -i "$it"
	assert_equal "$stderr" "pdb-stream-tail: TrimmedDataAccessException: The data you are trying to access has been trimmed."
	# No response: not even the start of one.
	assert_output ""
}

@test "iterators expire 15 minutes after issue: 16 minutes is ExpiredIteratorException, 14 is fine" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	PDB_NOW=$T put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}'
	it=$(PDB_NOW=$T pdb-stream-iter -t TRIM_HORIZON users)
	run -0 --separate-stderr env PDB_NOW=$((T + 14 * M)) pdb-stream-tail -i "$it"
	assert_equal "$(ids <<<"$output")" "a b"
	run -0 env PDB_NOW=$((T + 14 * M)) pdb-stream-tail --page --limit 1 -i "$it"
	next=$(jq -r .NextShardIterator <<<"$output")
	for cmd in "pdb-stream-tail -i" "pdb-stream-tail --page -i"; do
		run -3 --separate-stderr env PDB_NOW=$((T + 16 * M)) $cmd "$it"
		assert_output ""
		[[ "$stderr" == "pdb-stream-tail: ExpiredIteratorException: "* ]]
	done
	# A NextShardIterator is freshly issued: good until 15 minutes after it.
	run -0 env PDB_NOW=$((T + 28 * M)) pdb-stream-tail -i "$next"
	assert_equal "$(ids <<<"$output")" "b"
	run -3 --separate-stderr env PDB_NOW=$((T + 30 * M)) pdb-stream-tail -i "$next"
	[[ "$stderr" == "pdb-stream-tail: ExpiredIteratorException: "* ]]
}

@test "PDB_RETENTION=90s: a record 100 s old is gone for readers, a 40 s old one stays" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	PDB_NOW=$T put users '{"id":{"S":"a"}}'
	PDB_NOW=$((T + 60000)) put users '{"id":{"S":"b"}}'
	a=$(PDB_NOW=$T seq_of users 1)
	export PDB_NOW=$((T + 100000))
	run -0 pdb-stream-tail users
	assert_equal "$(ids <<<"$output")" "a b"
	export PDB_RETENTION=90s
	run -0 pdb-stream-tail users
	assert_equal "$(ids <<<"$output")" "b"
	run -3 --separate-stderr pdb-stream-iter -t AT_SEQUENCE_NUMBER -s "$a" users
	[[ "$stderr" == "pdb-stream-iter: TrimmedDataAccessException: "* ]]
	run -0 env PDB_NOW=$((T + 151000)) pdb-stream-tail users
	assert_output ""
	# Writers delete by the database's retention, not by this one.
	put users '{"id":{"S":"c"}}'
	[ "$(rows records)" = 3 ]
	run -0 pdb-stream-tail users
	assert_equal "$(ids <<<"$output")" "b c"
}

# ---------------------------------------------------------------------------
# Options: -n, --limit, --events, --lambda, --page

@test "-n N stops after N records; more than there are prints them all" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' '{"id":{"S":"c"}}'
	run -0 pdb-stream-tail -n 2 users
	assert_equal "$(ids <<<"$output")" "a b"
	run -0 pdb-stream-tail --count 1 --limit 1 users
	assert_equal "$(ids <<<"$output")" "a"
	run -0 pdb-stream-tail -n 10 users
	assert_equal "$(ids <<<"$output")" "a b c"
	run -2 --separate-stderr pdb-stream-tail -n 0 users
	assert_output ""
	run -2 --separate-stderr pdb-stream-tail -n x users
}

@test "--limit 2: a page of two whose NextShardIterator continues exactly" {
	pdb-table create users id --stream KEYS_ONLY
	for k in a b c d e; do echo "{\"id\":{\"S\":\"$k\"}}"; done | pdb-put users
	all=$(pdb-stream-tail users)
	run -0 pdb-stream-tail --page --limit 2 users
	[ "$(jq '.Records | length' <<<"$output")" = 2 ]
	pages=$(jq -c '.Records[]' <<<"$output")
	it=$(jq -r .NextShardIterator <<<"$output")
	while :; do
		run -0 pdb-stream-tail -g -l 2 -i "$it"
		n=$(jq '.Records | length' <<<"$output")
		[ "$n" -le 2 ]
		[ "$n" = 0 ] && break
		pages="$pages
$(jq -c '.Records[]' <<<"$output")"
		it=$(jq -r .NextShardIterator <<<"$output")
	done
	assert_equal "$pages" "$all"
	run -0 pdb-stream-tail --limit 1000 users
	assert_equal "$output" "$all"
}

@test "--limit 0, 1001, -1 and x are GetRecords' ValidationException, exit 3, nothing printed" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}'
	for n in 0 1001 -1 x; do
		run -3 --separate-stderr pdb-stream-tail --limit "$n" users
		assert_output ""
		if [ "$n" = 1001 ]; then
			assert_equal "$stderr" "pdb-stream-tail: ValidationException: One or more parameter values were invalid: Limit should be less than or equal to 1000"
		else
			[[ "$stderr" == "pdb-stream-tail: ValidationException: "*"'$n' at 'limit'"* ]]
		fi
		run -3 --separate-stderr pdb-stream-tail -l "$n" --page users
		assert_output ""
	done
	run -0 pdb-stream-tail -l 1 users
	run -0 pdb-stream-tail -l 1000 users
}

@test "--events keeps only the named events" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}'
	put users '{"id":{"S":"a"},"v":{"N":"1"}}'
	echo '{"id":{"S":"b"}}' | pdb-delete users
	put users '{"id":{"S":"c"}}'
	ev() { jq -r '.eventName + ":" + .dynamodb.Keys.id.S' | paste -sd' ' -; }
	run -0 pdb-stream-tail --events INSERT users
	assert_equal "$(ev <<<"$output")" "INSERT:a INSERT:b INSERT:c"
	run -0 pdb-stream-tail -e MODIFY,REMOVE users
	assert_equal "$(ev <<<"$output")" "MODIFY:a REMOVE:b"
	run -0 pdb-stream-tail -e REMOVE,INSERT users
	assert_equal "$(ev <<<"$output")" "INSERT:a INSERT:b REMOVE:b INSERT:c"
	run -0 pdb-stream-tail -e INSERT,MODIFY,REMOVE users
	assert_equal "$output" "$(pdb-stream-tail users)"
	run -0 pdb-stream-tail -e REMOVE -L users
	[ "$(jq -c '[.Records[].eventName]' <<<"$output")" = '["REMOVE"]' ]
	for bad in UPSERT insert "" DELETE; do
		run -2 --separate-stderr pdb-stream-tail -e "$bad" users
		assert_output ""
	done
}

@test "-L groups each page of records as one Lambda event, each record with eventSourceARN" {
	pdb-table create users id --stream NEW_IMAGE
	for k in a b c d e; do echo "{\"id\":{\"S\":\"$k\"}}"; done | pdb-put users
	arn=$(pdb-stream-describe users | jq -r .StreamArn)
	run -0 --separate-stderr pdb-stream-tail -L --limit 2 users
	[ "${#lines[@]}" = 3 ]
	[ "$(jq -c '.Records | length' <<<"$output" | paste -sd' ' -)" = "2 2 1" ]
	[ "$(jq -c 'keys' <<<"$output" | sort -u)" = '["Records"]' ]
	[ "$(jq -r '.Records[].eventSourceARN' <<<"$output" | sort -u)" = "$arn" ]
	# Without eventSourceARN, the records are the plain ones.
	assert_equal "$(jq -c '.Records[] | del(.eventSourceARN)' <<<"$output")" "$(pdb-stream-tail users | jq -c .)"
	run -0 pdb-stream-tail --lambda users
	[ "${#lines[@]}" = 1 ]
	[ "$(jq '.Records | length' <<<"$output")" = 5 ]
	run -0 pdb-stream-tail -L -n 3 -l 2 users
	[ "$(jq -r '[.Records[].dynamodb.Keys.id.S] | join("")' <<<"$output" | paste -sd' ' -)" = "ab c" ]
	# No records: no event.
	run -0 pdb-stream-tail -L -s latest users
	assert_output ""
}

@test "--page on a disabled stream: NextShardIterator until its end, none at the end" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}'
	it=$(pdb-stream-iter -t TRIM_HORIZON users)
	pdb-table stream users off
	run -0 pdb-stream-tail --page --limit 1 -i "$it"
	assert_equal "$(page_ids <<<"$output")" "a"
	[ "$(jq -r '.NextShardIterator | type' <<<"$output")" = string ]
	run -0 pdb-stream-tail --page -i "$(jq -r .NextShardIterator <<<"$output")"
	assert_equal "$(page_ids <<<"$output")" "b"
	[ "$(jq 'has("NextShardIterator")' <<<"$output")" = false ]
	# Read in one page, by table; and a LATEST iterator of the closed shard.
	run -0 pdb-stream-tail --page users
	[ "$(jq -c '[(.Records | length), has("NextShardIterator")]' <<<"$output")" = '[2,false]' ]
	run -0 pdb-stream-tail --page -i "$(pdb-stream-iter -t LATEST users)"
	[ "$(jq -c '[(.Records | length), has("NextShardIterator")]' <<<"$output")" = '[0,false]' ]
}

@test "--page on a disabled stream that never held a record has no NextShardIterator" {
	pdb-table create users id --stream KEYS_ONLY
	pdb-table stream users off
	run -0 pdb-stream-tail --page users
	[ "$(jq -c '[(.Records | length), has("NextShardIterator")]' <<<"$output")" = '[0,false]' ]
	run -0 pdb-stream-tail --page -i "$(pdb-stream-iter -t TRIM_HORIZON users)"
	[ "$(jq -c '[(.Records | length), has("NextShardIterator")]' <<<"$output")" = '[0,false]' ]
}

@test "--page with -f or -L is wrong usage, exit 2" {
	pdb-table create users id --stream KEYS_ONLY
	run -2 --separate-stderr pdb-stream-tail --page -f users
	assert_output ""
	run -2 --separate-stderr pdb-stream-tail --page -L users
	assert_output ""
	run -2 --separate-stderr pdb-stream-tail --from sideways users
	run -2 --separate-stderr pdb-stream-tail
}

# ---------------------------------------------------------------------------
# Stream lifecycle

@test "disable: DISABLED, shard closed, records still readable by table and by ARN" {
	pdb-table create users id --stream NEW_IMAGE
	put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}'
	arn=$(pdb-stream-describe users | jq -r .StreamArn)
	before=$(pdb-stream-tail users)
	pdb-table stream users off
	# No more capture.
	put users '{"id":{"S":"c"}}'
	run -0 pdb-stream-describe "$arn"
	[ "$(jq -r .StreamStatus <<<"$output")" = DISABLED ]
	[ "$(jq -r .StreamViewType <<<"$output")" = NEW_IMAGE ]
	[ "$(jq -r '.Shards[0].SequenceNumberRange | has("EndingSequenceNumber")' <<<"$output")" = true ]
	run -0 pdb-stream-tail users
	assert_equal "$output" "$before"
	run -0 pdb-stream-tail "$arn"
	assert_equal "$output" "$before"
	run -0 pdb-stream-describe
	[ "$(jq -r .StreamArn <<<"$output")" = "$arn" ]
}

@test "re-enable: a new ARN; the old stream still listed and readable by its ARN" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}'
	old=$(pdb-stream-describe users | jq -r .StreamArn)
	pdb-table stream users off
	put users '{"id":{"S":"lost"}}'
	pdb-table stream users NEW_IMAGE
	put users '{"id":{"S":"b"}}'
	new=$(pdb-stream-describe users | jq -r .StreamArn)
	[ "$new" != "$old" ]
	[ "$(pdb-table describe users | jq -r .LatestStreamArn)" = "$new" ]
	run -0 pdb-stream-describe
	[ "$(jq -r .StreamArn <<<"$output" | paste -sd' ' -)" = "$new $old" ]
	run -0 pdb-stream-tail "$old"
	assert_equal "$(ids <<<"$output")" "a"
	[ "$(jq -r .dynamodb.StreamViewType <<<"$output")" = KEYS_ONLY ]
	run -0 pdb-stream-tail users
	assert_equal "$(ids <<<"$output")" "b"
	[ "$(jq -r .dynamodb.StreamViewType <<<"$output")" = NEW_IMAGE ]
	[ "$(pdb-stream-describe "$old" | jq -r .StreamStatus)" = DISABLED ]
	[ "$(pdb-stream-describe "$new" | jq -r .StreamStatus)" = ENABLED ]
	[ "$(pdb-stream-describe "$new" | jq -r '.Shards[0].ShardId')" != "$(pdb-stream-describe "$old" | jq -r '.Shards[0].ShardId')" ]
}

@test "deleting a table disables its stream, still listed and readable by ARN" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	put users '{"id":{"S":"a"}}' '{"id":{"S":"b"}}'
	arn=$(pdb-stream-describe users | jq -r .StreamArn)
	before=$(pdb-stream-tail users)
	pdb-table delete users
	run -0 pdb-stream-describe "$arn"
	[ "$(jq -r .StreamStatus <<<"$output")" = DISABLED ]
	[ "$(jq -r .TableName <<<"$output")" = users ]
	last=$(tail -n 1 <<<"$before" | jq -r .dynamodb.SequenceNumber)
	[ "$(jq -r '.Shards[0].SequenceNumberRange.EndingSequenceNumber' <<<"$output")" = "$last" ]
	run -0 pdb-stream-tail "$arn"
	assert_equal "$output" "$before"
	run -0 pdb-stream-describe -t users
	[ "$(jq -r .StreamArn <<<"$output")" = "$arn" ]
}

@test "a disabled stream is listed while it holds records within retention, then not" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	PDB_NOW=$T pdb-table create other id --stream KEYS_ONLY
	PDB_NOW=$T put users '{"id":{"S":"a"}}'
	PDB_NOW=$T pdb-table stream users off
	run -0 env PDB_NOW=$((T + H)) pdb-stream-describe
	[ "${#lines[@]}" = 2 ]
	run -0 env PDB_NOW=$((T + 25 * H)) pdb-stream-describe
	assert_equal "$(jq -r .TableName <<<"$output")" other
}

@test "pdb-stream-describe lists streams newest first; -t keeps one table's" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	PDB_NOW=$((T + 1000)) pdb-table create orders id --stream NEW_IMAGE
	PDB_NOW=$((T + 2000)) pdb-table create plain id
	PDB_NOW=$((T + 3000)) put users '{"id":{"S":"a"}}'
	PDB_NOW=$((T + 4000)) pdb-table stream users off
	PDB_NOW=$((T + 5000)) pdb-table stream users NEW_IMAGE
	export PDB_NOW=$((T + 6000))
	u2=$(pdb-stream-describe users | jq -r .StreamArn)
	o=$(pdb-stream-describe orders | jq -r .StreamArn)
	run -0 --separate-stderr pdb-stream-describe
	[ "${#lines[@]}" = 3 ]
	[ "$(jq -r .TableName <<<"$output" | paste -sd' ' -)" = "users orders users" ]
	[ "${lines[0]}" = "$(jq -c '{StreamArn, TableName, StreamLabel}' <<<"$(pdb-stream-describe users)")" ]
	[ "$(jq -r .StreamArn <<<"${lines[1]}")" = "$o" ]
	for l in "${lines[@]}"; do
		[ "$(jq -r 'keys | join(",")' <<<"$l")" = "StreamArn,StreamLabel,TableName" ]
		[ "$(jq -r '.StreamArn | sub(".*/stream/"; "")' <<<"$l")" = "$(jq -r .StreamLabel <<<"$l")" ]
	done
	run -0 pdb-stream-describe -t users
	[ "${#lines[@]}" = 2 ]
	[ "$(jq -r .StreamArn <<<"${lines[0]}")" = "$u2" ]
	[ "$(jq -r .TableName <<<"$output" | sort -u)" = users ]
	run -0 pdb-stream-describe --table orders
	assert_equal "$(jq -r .StreamArn <<<"$output")" "$o"
	run -0 pdb-stream-describe -t plain
	assert_output ""
}

@test "pdb-stream-describe TABLE prints the StreamDescription of its latest stream" {
	PDB_NOW=1700000000123 AWS_REGION=eu-west-1 PDB_ACCOUNT_ID=123456789012 pdb-table create orders customer n:N --stream NEW_AND_OLD_IMAGES
	run -0 --separate-stderr pdb-stream-describe orders
	[ "${#lines[@]}" = 1 ]
	d=$output
	[ "$(jq -r .StreamArn <<<"$d")" = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2023-11-14T22:13:20.123" ]
	[ "$(jq -r .StreamLabel <<<"$d")" = "2023-11-14T22:13:20.123" ]
	[ "$(jq -r .StreamArn <<<"$d")" = "$(pdb-table describe orders | jq -r .LatestStreamArn)" ]
	[ "$(jq -r .CreationRequestDateTime <<<"$d")" = 1700000000 ]
	[ "$(jq -r .StreamViewType <<<"$d")" = NEW_AND_OLD_IMAGES ]
	[ "$(jq -r .TableName <<<"$d")" = orders ]
	[ "$(jq -c .KeySchema <<<"$d")" = '[{"AttributeName":"customer","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}]' ]
	[[ "$(jq -r '.Shards[0].ShardId' <<<"$d")" =~ ^shardId-00000001700000000123-[0-9a-f]{8}$ ]]
	assert_equal "$(pdb-stream-describe "$(jq -r .StreamArn <<<"$d")")" "$d"
}

# ---------------------------------------------------------------------------
# Record content

# view_records VIEW: on a table with key id and sort key n:N under VIEW, an
# INSERT, a MODIFY and a REMOVE; prints one line a record:
# [EVENT, SizeBytes, {Keys, NewImage, OldImage as present}], keys sorted.
view_records() {
	pdb-table create "t_$1" id n:N --stream "$1"
	echo '{"id":{"S":"a"},"n":{"N":"1"},"v":{"S":"x"}}' | pdb-put "t_$1"
	echo '{"id":{"S":"a"},"n":{"N":"1.0"},"v":{"S":"y"},"w":{"BOOL":true}}' | pdb-put "t_$1"
	echo '{"id":{"S":"a"},"n":{"N":"1"}}' | pdb-delete "t_$1"
	pdb-stream-tail "t_$1" >"rec_$1"
	[ "$(jq -r .dynamodb.StreamViewType "rec_$1" | sort -u)" = "$1" ]
	jq -cS '[.eventName, .dynamodb.SizeBytes,
	    (.dynamodb | with_entries(select(.key == "Keys" or .key == "NewImage" or .key == "OldImage")))]' "rec_$1"
}
K='"Keys":{"id":{"S":"a"},"n":{"N":"1"}}'
N1='{"id":{"S":"a"},"n":{"N":"1"},"v":{"S":"x"}}'
N2='{"id":{"S":"a"},"n":{"N":"1"},"v":{"S":"y"},"w":{"BOOL":true}}'

@test "KEYS_ONLY: INSERT, MODIFY and REMOVE carry Keys only" {
	run -0 view_records KEYS_ONLY
	assert_output "[\"INSERT\",6,{$K}]
[\"MODIFY\",6,{$K}]
[\"REMOVE\",6,{$K}]"
}

@test "NEW_IMAGE: INSERT and MODIFY carry the new item; REMOVE Keys only" {
	run -0 view_records NEW_IMAGE
	assert_output "[\"INSERT\",14,{$K,\"NewImage\":$N1}]
[\"MODIFY\",16,{$K,\"NewImage\":$N2}]
[\"REMOVE\",6,{$K}]"
}

@test "OLD_IMAGE: MODIFY and REMOVE carry the old item; INSERT Keys only" {
	run -0 view_records OLD_IMAGE
	assert_output "[\"INSERT\",6,{$K}]
[\"MODIFY\",14,{$K,\"OldImage\":$N1}]
[\"REMOVE\",16,{$K,\"OldImage\":$N2}]"
}

@test "NEW_AND_OLD_IMAGES: INSERT new, MODIFY both, REMOVE old" {
	run -0 view_records NEW_AND_OLD_IMAGES
	assert_output "[\"INSERT\",14,{$K,\"NewImage\":$N1}]
[\"MODIFY\",24,{$K,\"NewImage\":$N2,\"OldImage\":$N1}]
[\"REMOVE\",16,{$K,\"OldImage\":$N2}]"
}

@test "SizeBytes as in the AWS walkthrough: INSERT 24, MODIFY 56, REMOVE 36" {
	pdb-table create Thread Id:N --stream NEW_AND_OLD_IMAGES
	echo '{"Id":{"N":"1"},"Message":{"S":"New item!"}}' | pdb-put Thread
	echo '{"Id":{"N":"1"},"Message":{"S":"This item has changed"}}' | pdb-put Thread
	echo '{"Id":{"N":"1"}}' | pdb-delete Thread
	run -0 pdb-stream-tail Thread
	[ "$(jq -r '.eventName + ":" + (.dynamodb.SizeBytes | tostring)' <<<"$output" | paste -sd' ' -)" = "INSERT:24 MODIFY:56 REMOVE:36" ]
	[ "$(jq -c '.dynamodb.NewImage.Message.S' <<<"${lines[1]}")" = '"This item has changed"' ]
	[ "$(jq -c '.dynamodb.OldImage.Message.S' <<<"${lines[1]}")" = '"New item!"' ]
	[ "$(jq -c '.dynamodb.Keys' <<<"${lines[2]}")" = '{"Id":{"N":"1"}}' ]
}

@test "no record for a put of an identical item or a delete of a missing key" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	put users '{"id":{"S":"a"},"v":{"N":"1"},"s":{"SS":["x","y"]}}'
	put users '{"id":{"S":"a"},"v":{"N":"1"},"s":{"SS":["x","y"]}}'
	put users '{"s":{"SS":["y","x"]},"v":{"N":"1.0"},"id":{"S":"a"}}'
	echo '{"id":{"S":"missing"}}' | pdb-delete users
	run -0 pdb-stream-tail users
	[ "$(jq -r .eventName <<<"$output" | paste -sd' ' -)" = INSERT ]
	# A real change still makes one.
	put users '{"id":{"S":"a"},"v":{"N":"2"},"s":{"SS":["x","y"]}}'
	echo '{"id":{"S":"a"}}' | pdb-delete users
	echo '{"id":{"S":"a"}}' | pdb-delete users
	run -0 pdb-stream-tail users
	[ "$(jq -r .eventName <<<"$output" | paste -sd' ' -)" = "INSERT MODIFY REMOVE" ]
}

@test "records: eventIDs are 32 lowercase hex and distinct; version, source, region, whole seconds" {
	export PDB_NOW=1700000000999
	AWS_REGION=ap-southeast-2 pdb-table create users id --stream KEYS_ONLY
	pdb-table create other id --stream KEYS_ONLY
	for i in $(seq 1 40); do echo "{\"id\":{\"S\":\"u$i\"}}"; done | pdb-put users
	for i in $(seq 1 40); do echo "{\"id\":{\"S\":\"u$i\"}}"; done | pdb-put other
	{ pdb-stream-tail users; pdb-stream-tail other; } >all
	[ "$(wc -l <all)" = 80 ]
	[ "$(jq -r .eventID all | grep -cE '^[0-9a-f]{32}$')" = 80 ]
	[ "$(jq -r .eventID all | sort -u | wc -l)" = 80 ]
	[ "$(jq -c '[.eventVersion, .eventSource, .awsRegion, .dynamodb.ApproximateCreationDateTime]' all | sort -u)" = '["1.1","aws:dynamodb","ap-southeast-2",1700000000]' ]
	[ "$(jq -r '.dynamodb.SequenceNumber' all | sort -u | wc -l)" = 80 ]
	# A record has exactly the GetRecords members, in no other shape.
	[ "$(jq -c 'keys' all | sort -u)" = '["awsRegion","dynamodb","eventID","eventName","eventSource","eventVersion"]' ]
	[ "$(jq -c '.dynamodb | keys' all | sort -u)" = '["ApproximateCreationDateTime","Keys","SequenceNumber","SizeBytes","StreamViewType"]' ]
}

# ---------------------------------------------------------------------------
# Output against the AWS models (../shared/validate)

# A stream with every view and event, some records with every type.
model_fixture() {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	put users '{"id":{"S":"a"},"n":{"N":"-1.5"},"b":{"B":"AQ=="},"l":{"L":[{"S":"x"},{"NULL":true}]},"m":{"M":{"ns":{"NS":["1","2"]}}},"bs":{"BS":["AQ=="]},"t":{"BOOL":false}}' \
	    '{"id":{"S":"b"},"ss":{"SS":["p","q"]}}'
	put users '{"id":{"S":"a"},"n":{"N":"2"}}'
	echo '{"id":{"S":"b"}}' | pdb-delete users
}

@test "--page output validates as GetRecordsOutput" {
	have_validator
	model_fixture
	{
		pdb-stream-tail --page users
		pdb-stream-tail --page --limit 1 users
		pdb-stream-tail --page -s latest users
		pdb-stream-tail --page -i "$(pdb-stream-iter -t AFTER_SEQUENCE_NUMBER -s "$(seq_of users 2)" users)"
		pdb-table stream users off
		pdb-stream-tail --page users
	} >pages.jsonl
	[ "$(wc -l <pages.jsonl)" = 5 ]
	run -0 "$VALIDATE/validate-shape" -q --service dynamodbstreams --shape GetRecordsOutput --strict pages.jsonl
	assert_output --partial "5 passed, 0 failed"
}

@test "records of every view validate as Record" {
	have_validator
	for view in KEYS_ONLY NEW_IMAGE OLD_IMAGE NEW_AND_OLD_IMAGES; do
		pdb-table create "t_$view" id n:N --stream "$view"
		echo '{"id":{"S":"a"},"n":{"N":"1"},"v":{"B":"AQ=="}}' | pdb-put "t_$view"
		echo '{"id":{"S":"a"},"n":{"N":"1"},"v":{"M":{"x":{"L":[]}}}}' | pdb-put "t_$view"
		echo '{"id":{"S":"a"},"n":{"N":"1"}}' | pdb-delete "t_$view"
		pdb-stream-tail "t_$view"
	done >rec.jsonl
	[ "$(wc -l <rec.jsonl)" = 12 ]
	run -0 "$VALIDATE/validate-shape" -q --service dynamodbstreams --shape Record --strict rec.jsonl
	assert_output --partial "12 passed, 0 failed"
}

@test "-L output validates as a Lambda event, by the model and by Powertools" {
	have_validator
	model_fixture
	pdb-stream-tail -L --limit 2 users >lambda.jsonl
	[ "$(wc -l <lambda.jsonl)" = 2 ]
	run -0 "$VALIDATE/validate-shape" -q --service dynamodbstreams --shape Record --lambda-event --strict lambda.jsonl
	assert_output --partial "2 passed, 0 failed"
	run -0 node "$VALIDATE/validate-lambda.mjs" --mode event --strict lambda.jsonl
	assert_output --partial "2 passed, 0 failed"
}

@test "descriptions validate as StreamDescription and list entries as Stream" {
	have_validator
	model_fixture
	pdb-table create orders customer n:N --stream KEYS_ONLY
	pdb-table create gone id --stream OLD_IMAGE
	echo '{"id":{"S":"x"}}' | pdb-put gone
	old=$(pdb-stream-describe users | jq -r .StreamArn)
	pdb-table stream users off
	pdb-table stream users NEW_IMAGE
	pdb-table delete gone
	{ pdb-stream-describe users; pdb-stream-describe "$old"; pdb-stream-describe orders; pdb-stream-describe gone; } >desc.jsonl
	run -0 "$VALIDATE/validate-shape" -q --service dynamodbstreams --shape StreamDescription --strict desc.jsonl
	assert_output --partial "4 passed, 0 failed"
	pdb-stream-describe >list.jsonl
	[ "$(wc -l <list.jsonl)" = 4 ]
	run -0 "$VALIDATE/validate-shape" -q --service dynamodbstreams --shape Stream --strict list.jsonl
	assert_output --partial "4 passed, 0 failed"
}

@test "--events takes a list of any length, and refuses a bad name anywhere in it" {
	pdb-table create users id --stream KEYS_ONLY
	put users '{"id":{"S":"a"}}'
	echo '{"id":{"S":"a"}}' | pdb-delete users
	long=$(printf 'INSERT,%.0s' {1..20})REMOVE
	run -0 pdb-stream-tail --events "$long" users
	[ "$(jq -r .eventName <<<"$output" | paste -sd' ')" = "INSERT REMOVE" ]
	run -0 pdb-stream-tail --events "$(printf 'MODIFY,%.0s' {1..20})REMOVE" users
	[ "$(jq -r .eventName <<<"$output")" = REMOVE ]
	run -2 --separate-stderr pdb-stream-tail --events "$long,UPSERT" users
	run -2 --separate-stderr pdb-stream-tail --events "INSERT,,REMOVE" users
}
