#!/usr/bin/env bats
# Change capture on the write side: retention trimming by writers, sequence
# numbers, and records only for real changes.

load helper

T=1700000000000
H=3600000

put_at() { PDB_NOW=$1 pdb-put users; }

@test "writers trim records past retention, and numbers keep growing" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	printf '%s\n' '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' | put_at $T
	old=$(sqlite3 "$PDB_DB" 'SELECT max(seq) FROM records')
	[ "$(rows records)" = 2 ]
	echo '{"id":{"S":"c"}}' | put_at $((T + 25 * H))
	[ "$(rows records)" = 1 ]
	new=$(PDB_NOW=$((T + 25 * H)) pdb-stream-tail users | jq -r .dynamodb.SequenceNumber)
	[ "${#new}" = 21 ]
	[ "$((10#$new))" -gt "$old" ]
}

@test "PDB_RETENTION shortens what one reader sees; a writer never deletes by it" {
	PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	echo '{"id":{"S":"a"}}' | put_at $T
	[ "$(PDB_RETENTION=90s PDB_NOW=$((T + 89000)) pdb-stream-tail users | wc -l)" = 1 ]
	[ "$(PDB_RETENTION=90s PDB_NOW=$((T + 91000)) pdb-stream-tail users | wc -l)" = 0 ]
	# Retention belongs to the database: a writer with a short one leaves
	# the records other readers are entitled to.
	echo '{"id":{"S":"b"}}' | PDB_RETENTION=90s put_at $((T + 91000))
	[ "$(rows records)" = 2 ]
	[ "$(PDB_NOW=$((T + 91000)) pdb-stream-tail users | wc -l)" = 2 ]
	# A longer one does not make readers see what the database dropped.
	[ "$(PDB_RETENTION=48h PDB_NOW=$((T + 25 * H)) pdb-stream-tail users | wc -l)" = 0 ]
}

@test "a database created with PDB_RETENTION keeps records that long, for every program" {
	PDB_RETENTION=90s PDB_NOW=$T pdb-table create users id --stream KEYS_ONLY
	echo '{"id":{"S":"a"}}' | put_at $T
	[ "$(PDB_NOW=$((T + 89000)) pdb-stream-tail users | wc -l)" = 1 ]
	[ "$(PDB_NOW=$((T + 91000)) pdb-stream-tail users | wc -l)" = 0 ]
	echo '{"id":{"S":"b"}}' | put_at $((T + 91000))
	[ "$(rows records)" = 1 ]
}

@test "a bad PDB_NOW or PDB_RETENTION is refused" {
	pdb-table create users id
	run --separate-stderr env PDB_NOW=yesterday pdb-scan users
	assert_failure 2
	[[ "$stderr" == *"invalid PDB_NOW 'yesterday'"* ]]
	run --separate-stderr env PDB_RETENTION=forever pdb-scan users
	assert_failure 2
	PDB_NOW=2023-11-14T22:13:20Z pdb-table create iso id -s KEYS_ONLY
	[ "$(pdb-table describe iso | jq -r .LatestStreamLabel)" = 2023-11-14T22:13:20.000 ]
}

@test "no record for an identical put, a set in another order, or a missing delete" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	echo '{"id":{"S":"a"},"s":{"SS":["x","y"]},"n":{"N":"1.0"}}' | pdb-put users
	echo '{"n":{"N":"1"},"s":{"SS":["y","x"]},"id":{"S":"a"}}' | pdb-put users
	echo '{"id":{"S":"zz"}}' | pdb-delete users
	[ "$(rows records)" = 1 ]
	echo '{"id":{"S":"a"}}' | pdb-put users
	run bash -c "pdb-stream-tail users | jq -r .eventName | paste -sd' '"
	assert_output "INSERT MODIFY"
}

@test "an overwrite is MODIFY, not INSERT" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	printf '%s\n' '{"id":{"S":"a"},"v":{"N":"1"}}' '{"id":{"S":"a"},"v":{"N":"2"}}' | pdb-put users
	run bash -c "pdb-stream-tail users | jq -c '[.eventName, .dynamodb.OldImage.v.N, .dynamodb.NewImage.v.N]' | paste -sd' '"
	assert_output '["INSERT",null,"1"] ["MODIFY","1","2"]'
}

@test "a table without a stream captures nothing; capture starts at enable" {
	pdb-table create users id
	echo '{"id":{"S":"a"}}' | pdb-put users
	[ "$(rows records)" = 0 ]
	pdb-table stream users NEW_IMAGE
	echo '{"id":{"S":"b"}}' | pdb-put users
	pdb-table stream users off
	echo '{"id":{"S":"c"}}' | pdb-put users
	run bash -c "pdb-stream-tail users | jq -r .dynamodb.Keys.id.S"
	assert_output b
}

@test "a capture error rolls back the item change with it" {
	pdb-table create users id --stream NEW_IMAGE
	sqlite3 "$PDB_DB" "CREATE TRIGGER no_records BEFORE INSERT ON records BEGIN SELECT RAISE(ABORT, 'records refused'); END"
	run --separate-stderr pdb-put users <<<'{"id":{"S":"a"}}'
	assert_failure 4
	[[ "$stderr" == *"cannot write stream record"*"records refused"* ]]
	[ "$(rows items)" = 0 ]
}

@test "a database locked past the busy timeout exits 4 and says so" {
	pdb-table create users id
	# Hold the write lock from another connection for a while.
	( sqlite3 "$PDB_DB" <<'SQL'
BEGIN IMMEDIATE;
INSERT INTO meta(key, value) VALUES('lock', 'held');
SELECT 1 FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000000) SELECT count(*) FROM c);
ROLLBACK;
SQL
	) >/dev/null &
	sleep 0.3
	run --separate-stderr env PDB_BUSY_TIMEOUT_MS=100 pdb-put users <<<'{"id":{"S":"a"}}'
	assert_failure 4
	[[ "$stderr" == *"database is locked"* ]]
	wait
}
