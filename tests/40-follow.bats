#!/usr/bin/env bats
# Following a stream while other processes write, and checkpoints.

load helper

# wait_lines FILE N: until FILE has N lines, at most 5 s.
wait_lines() {
	local i
	for ((i = 0; i < 500; i++)); do
		[ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.01
	done
	echo "timed out waiting for $2 lines in $1 (have $(wc -l <"$1"))"
	return 1
}

# wait_exit PID: until the process is gone, at most 5 s.
wait_exit() {
	local i
	for ((i = 0; i < 500; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.01
	done
	return 1
}

@test "a follower sees records other processes write, equal to a later drain" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	pdb-stream-tail -f users >out 2>err &
	pid=$!
	for i in 1 2 3; do echo "{\"id\":{\"S\":\"u$i\"}}" | pdb-put users; done
	wait_lines out 3
	printf '%s\n' '{"id":{"S":"u1"},"v":{"N":"1"}}' '{"id":{"S":"u4"}}' | pdb-put --batch-size 1 users
	echo '{"id":{"S":"u2"}}' | pdb-delete users
	wait_lines out 6
	kill -TERM $pid
	wait $pid
	[ "$(cat out)" = "$(pdb-stream-tail users)" ]
	[ ! -s err ]
}

@test "SIGINT ends a follower with exit 0" {
	pdb-table create users id --stream KEYS_ONLY
	set -m	# background jobs of an interactive-like shell keep SIGINT
	pdb-stream-tail -f users >out &
	pid=$!
	set +m
	sleep 0.2
	kill -INT $pid
	wait_exit $pid
	wait $pid
}

@test "a follower exits 0 and says so when its stream is disabled" {
	pdb-table create users id --stream KEYS_ONLY
	pdb-stream-tail -f users >out 2>err &
	pid=$!
	echo '{"id":{"S":"a"}}' | pdb-put users
	wait_lines out 1
	pdb-table stream users off
	wait_exit $pid
	wait $pid
	[[ "$(cat err)" == *"is disabled and read to its end"* ]]
	[ "$(wc -l <out)" = 1 ]
}

@test "a follower ends when its reader goes away (| head -n 1)" {
	pdb-table create users id --stream KEYS_ONLY
	( timeout 10 pdb-stream-tail -f users | head -n 1 >first; echo "${PIPESTATUS[0]}" >status ) &
	pid=$!
	sleep 0.2
	echo '{"id":{"S":"a"}}' | pdb-put users
	wait_exit $pid
	[ "$(jq -r .dynamodb.Keys.id.S first)" = a ]
	[ "$(cat status)" != 124 ]
}

@test "-s latest follows only new records; -n stops a follower" {
	pdb-table create users id --stream KEYS_ONLY
	echo '{"id":{"S":"old"}}' | pdb-put users
	pdb-stream-tail -f -s latest -n 2 users >out &
	pid=$!
	sleep 0.2
	printf '%s\n' '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' '{"id":{"S":"c"}}' | pdb-put --batch-size 1 users
	wait_exit $pid
	wait $pid
	[ "$(jq -r .dynamodb.Keys.id.S out | paste -sd' ')" = "a b" ]
}

@test "--checkpoint resumes after what was printed" {
	pdb-table create users id --stream KEYS_ONLY
	printf '%s\n' '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' '{"id":{"S":"c"}}' | pdb-put users
	[ "$(pdb-stream-tail --checkpoint cp users | wc -l)" = 3 ]
	[[ "$(cat cp)" =~ ^[0-9]{21}$ ]]
	printf '%s\n' '{"id":{"S":"d"}}' '{"id":{"S":"e"}}' | pdb-put users
	run bash -c "pdb-stream-tail --checkpoint cp users | jq -r .dynamodb.Keys.id.S | paste -sd' '"
	assert_output "d e"
	run pdb-stream-tail --checkpoint cp users
	assert_output ""
	echo junk >bad
	run --separate-stderr pdb-stream-tail --checkpoint bad users
	assert_failure 3
}

@test "--checkpoint after SIGKILL: no gap and no duplicate" {
	pdb-table create users id --stream KEYS_ONLY
	for i in $(seq 1 3000); do echo "{\"id\":{\"S\":\"u$i\"}}"; done >items
	pdb-stream-tail -f --limit 10 --checkpoint cp users >part1 &
	pid=$!
	pdb-put --batch-size 7 users <items &
	writer=$!
	wait_lines part1 300
	kill -KILL $pid
	wait $writer
	# What was printed before the kill, up to the checkpoint, then resume.
	last=$(cat cp)
	awk -v last="$last" '{ s = $0; sub(/.*"SequenceNumber":"/, "", s); sub(/".*/, "", s);
	    if (s <= last) print }' part1 >kept
	pdb-stream-tail --checkpoint cp users >part2
	cat kept part2 >all
	[ "$(jq -r .dynamodb.SequenceNumber all | sort | uniq -d | wc -l)" = 0 ]
	[ "$(cat all)" = "$(pdb-stream-tail users)" ]
	[ "$(wc -l <all)" = 3000 ]
}

@test "two writers and two followers: both see every record once, in order" {
	pdb-table create users id --stream NEW_IMAGE
	for w in a b; do
		for i in $(seq 1 1500); do echo "{\"id\":{\"S\":\"$w$i\"}}"; done >"$w.jsonl"
	done
	pdb-stream-tail -f -n 3000 users >f1 &
	f1=$!
	pdb-stream-tail -f -n 3000 users >f2 &
	f2=$!
	pdb-put --batch-size 50 users <a.jsonl &
	pa=$!
	pdb-put --batch-size 50 users <b.jsonl &
	pb=$!
	wait $pa
	wait $pb
	wait_exit $f1
	wait_exit $f2
	[ "$(wc -l <f1)" = 3000 ]
	cmp f1 f2
	[ "$(cat f1)" = "$(pdb-stream-tail users)" ]
	jq -r .dynamodb.SequenceNumber f1 >seqs
	sort -c seqs
	[ "$(sort -u seqs | wc -l)" = 3000 ]
}

@test "a follower whose database file is deleted or replaced says so and exits 4" {
	pdb-table create users id --stream KEYS_ONLY
	pdb-stream-tail -f users >out 2>err &
	pid=$!
	sleep 0.3
	rm -f "$PDB_DB" "$PDB_DB-wal" "$PDB_DB-shm"
	wait_exit $pid
	run wait $pid
	assert_failure 4
	grep -q "the database file is gone" err
	pdb-table create users id --stream KEYS_ONLY
	pdb-stream-tail -f users >out 2>err &
	pid=$!
	sleep 0.3
	PDB_DB=other.db pdb-table create users id --stream KEYS_ONLY
	mv other.db "$PDB_DB"
	wait_exit $pid
	run wait $pid
	assert_failure 4
	grep -q "the database file was replaced" err
}
