#!/usr/bin/env bats
# Load: four writers and two followers on one database at once.

load helper

@test "4 writers x 25 000 items while 2 followers run: 100 000 records each, same order, no gap" {
	pdb-table create users id --stream NEW_IMAGE
	for w in a b c d; do
		seq 1 25000 | sed "s/.*/{\"id\":{\"S\":\"$w&\"},\"w\":{\"S\":\"$w\"}}/" >"$w.jsonl"
	done
	pdb-stream-tail -f -n 100000 users >f1 &
	f1=$!
	pdb-stream-tail -f -n 100000 --limit 100 users >f2 &
	f2=$!
	pids=""
	for w in a b c d; do
		pdb-put --batch-size 500 users <"$w.jsonl" &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p"; done
	for i in $(seq 1 1000); do
		kill -0 $f1 2>/dev/null || kill -0 $f2 2>/dev/null || break
		sleep 0.01
	done
	wait $f1
	wait $f2
	[ "$(wc -l <f1)" = 100000 ]
	cmp f1 f2
	pdb-stream-tail users >drain
	cmp f1 drain
	jq -r .dynamodb.SequenceNumber f1 >seqs
	sort -c -u seqs
	[ "$(pdb-scan users | wc -l)" = 100000 ]
	for w in a b c d; do
		[ "$(grep -c "\"w\":{\"S\":\"$w\"}" f1)" = 25000 ]
	done
}
