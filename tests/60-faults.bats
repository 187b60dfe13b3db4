#!/usr/bin/env bats
# Faults: writers killed at random moments, full disks, read-only and
# corrupt files.  Nothing is lost, half-written or left inconsistent.

load helper

# Every item has exactly its INSERT record and every record its item.
consistent() {
	[ "$(sqlite3 "$PDB_DB" 'PRAGMA integrity_check')" = ok ] || return 1
	local items records orphans
	items=$(sqlite3 "$PDB_DB" 'SELECT count(*) FROM items')
	records=$(sqlite3 "$PDB_DB" 'SELECT count(*) FROM records')
	orphans=$(sqlite3 "$PDB_DB" "SELECT count(*) FROM (SELECT new_image
	    FROM records EXCEPT SELECT item FROM items)")
	[ "$items" = "$records" ] && [ "$orphans" = 0 ] || {
		echo "items $items, records $records, orphans $orphans"; return 1; }
	echo "$items"
}

@test "SIGKILL at random moments: all or nothing, and every change has its record" {
	pdb-table create users id --stream NEW_IMAGE
	seq 1 60000 | sed 's/.*/{"id":{"S":"u&"},"v":{"N":"&"}}/' >items
	for i in $(seq 1 12); do
		pdb-put users <items &
		pid=$!
		sleep "0.$((RANDOM % 40))"
		kill -KILL $pid 2>/dev/null || true
		wait $pid 2>/dev/null || true
		n=$(consistent)
		[ "$n" = 0 ] || [ "$n" = 60000 ] || { echo "half-written: $n items"; return 1; }
		sqlite3 "$PDB_DB" 'DELETE FROM items; DELETE FROM records'
	done
}

@test "SIGKILL with --batch-size: whole batches only, each with its records" {
	pdb-table create users id --stream NEW_IMAGE
	seq 1 60000 | sed 's/.*/{"id":{"S":"u&"},"v":{"N":"&"}}/' >items
	for i in $(seq 1 8); do
		pdb-put --batch-size 1000 users <items &
		pid=$!
		sleep "0.$((RANDOM % 60))"
		kill -KILL $pid 2>/dev/null || true
		wait $pid 2>/dev/null || true
		n=$(consistent)
		[ $((n % 1000)) = 0 ] || { echo "a partial batch: $n items"; return 1; }
		sqlite3 "$PDB_DB" 'DELETE FROM items; DELETE FROM records'
	done
}

@test "a full disk fails with a clear message and leaves the database intact" {
	pdb-table create users id --stream NEW_IMAGE
	echo '{"id":{"S":"before"}}' | pdb-put users
	before=$(db_state)
	big=$(head -c 300000 /dev/zero | tr '\0' x)
	for i in $(seq 1 40); do echo "{\"id\":{\"S\":\"u$i\"},\"v\":{\"S\":\"$big\"}}"; done >items
	# The file may not grow past about 2 MB: the write must fail.
	run --separate-stderr bash -c "ulimit -f 2048; pdb-put users <items"
	assert_failure 4
	[[ "$stderr" == "pdb-put: "*"full"* || "$stderr" == "pdb-put: "*"disk I/O error"* ]]
	[ "$(db_state)" = "$before" ]
	[ "$(consistent)" = 1 ]
}

@test "a read-only database file is refused for writes, readable for reads" {
	# As root, permissions do not bind: run the programs as nobody.
	as=""
	if [ "$(id -u)" = 0 ]; then
		command -v setpriv >/dev/null || skip "setpriv is not installed"
		as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	fi
	dir=$(mktemp -d /tmp/pdb-ro.XXXXXX)
	chmod 777 "$dir"
	export PDB_DB="$dir/ro.db"
	pdb-table create users id --stream KEYS_ONLY
	echo '{"id":{"S":"a"}}' | pdb-put users
	sqlite3 "$PDB_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	chmod 444 "$PDB_DB"
	before=$(db_state)
	run --separate-stderr $as "$TOP/bin/pdb-put" users <<<'{"id":{"S":"b"}}'
	assert_failure 4
	[[ "$stderr" == "pdb-put: "*"readonly"* ]]
	run --separate-stderr $as "$TOP/bin/pdb-scan" users
	assert_success
	assert_output '{"id":{"S":"a"}}'
	[ "$(db_state)" = "$before" ]
	rm -rf "$dir"
}

@test "a truncated database file is refused, never a crash" {
	pdb-table create users id
	for i in $(seq 1 2000); do echo "{\"id\":{\"S\":\"u$i\"}}"; done | pdb-put users
	sqlite3 "$PDB_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	head -c 8192 "$PDB_DB" >cut.db
	run --separate-stderr pdb-scan -d cut.db users
	[ "$status" -eq 4 ] || [ "$status" -eq 1 ]
	[[ "$stderr" == "pdb-scan: "* ]]
}

@test "a stalled reader of pdb-scan does not make the log grow without bound" {
	pdb-table create users id
	for ((i = 0; i < 30000; i++)); do
		printf '{"id":{"S":"u%d"},"pad":{"S":"%080d"}}\n' $i $i
	done | pdb-put users
	for ((b = 0; b < 60; b++)); do
		for ((i = 0; i < 1000; i++)); do
			printf '{"id":{"S":"w%d-%d"},"pad":{"S":"%080d"}}\n' $b $i $i
		done >"batch$b"
	done
	# The reader takes nothing until told: pdb-scan blocks on the pipe.
	touch stall
	pdb-scan users | { while [ -e stall ]; do sleep 0.05; done; cat >/dev/null; } &
	reader=$!
	sleep 0.5
	for ((b = 0; b < 60; b++)); do
		pdb-put users <"batch$b"
	done
	wal=$(stat -c %s "$PDB_DB-wal")
	rm stall
	wait $reader
	# No snapshot is held while it waits, so checkpoints keep reusing
	# the log: about 4 MB (the checkpoint threshold), where holding one
	# let it grow to 12 MB here and past 40 MB elsewhere.
	[ "$wal" -lt 8000000 ] || { echo "WAL $wal bytes"; false; }
}
