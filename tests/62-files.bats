#!/usr/bin/env bats
# What a --db value and the environment can do: only pdb's own files are
# touched, a path is a path, and every setting is checked before use.

load helper

# sum FILE...: a digest of the files as they are on disk.
sum() { cat "$@" | sha256sum; }

readers() {
	echo "pdb-scan users"
	echo "pdb-query users -k id=:v -V {\":v\":{\"S\":\"a\"}}"
	echo "pdb-stream-tail users"
	echo "pdb-stream-describe"
	echo "pdb-stream-iter -t LATEST users"
	echo "pdb-table list"
	echo "pdb-table describe users"
}

@test "no program but create touches another program's SQLite file; create refuses it too" {
	sqlite3 app.db 'CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT);
	    INSERT INTO accounts(name) VALUES ("ada"); PRAGMA user_version = 7'
	before=$(sum app.db)
	while read -r cmd; do
		run --separate-stderr $cmd --db app.db
		assert_failure 4
		[[ "$stderr" == *"app.db: not a pdb database (a SQLite file of another program)"* ]]
	done < <(readers)
	run --separate-stderr bash -c 'echo "{\"id\":{\"S\":\"a\"}}" | pdb-put --db app.db users'
	assert_failure 4
	run --separate-stderr pdb-table --db app.db create users id
	assert_failure 4
	[[ "$stderr" == *"not a pdb database"* ]]
	[ "$(sum app.db)" = "$before" ]
	[ ! -e app.db-wal ] && [ ! -e app.db-journal ]
	[ "$(sqlite3 app.db 'PRAGMA journal_mode; SELECT name FROM accounts')" = "delete
ada" ]
}

@test "an empty file is refused by readers and left empty; create makes it a database" {
	: >empty.db
	while read -r cmd; do
		run --separate-stderr $cmd --db empty.db
		assert_failure 4
		[[ "$stderr" == *"empty.db: not a pdb database (an empty file); create one with 'pdb-table --db empty.db create TABLE KEY'"* ]]
	done < <(readers)
	[ ! -s empty.db ] && [ ! -e empty.db-wal ]
	pdb-table --db empty.db create users id
	[ "$(pdb-table --db empty.db list)" = users ]
}

@test "two creates on a new file at once never fail with 'database is locked'" {
	for i in $(seq 1 60); do
		rm -f race.db*
		pdb-table --db race.db create tab1 id 2>e1 &
		a=$!
		pdb-table --db race.db create tab2 id 2>e2 &
		b=$!
		wait $a || { cat e1; false; }
		wait $b || { cat e2; false; }
		[ "$(pdb-table --db race.db list | paste -sd' ')" = "tab1 tab2" ]
	done
	# The same name: one creates it, the other is told it exists.
	for i in $(seq 1 10); do
		rm -f race.db*
		pdb-table --db race.db create same id 2>e1 &
		a=$!
		pdb-table --db race.db create same id 2>e2 &
		b=$!
		sa=0 sb=0
		wait $a || sa=$?
		wait $b || sb=$?
		[ "$((sa + sb))" = 1 ]
		grep -q 'ResourceInUseException: Table already exists: same' e1 e2
	done
}

@test "a --db value is a file name, never a SQLite URI" {
	pdb-table --db 'file:x.db?mode=memory' create users id
	echo '{"id":{"S":"a"}}' | pdb-put --db 'file:x.db?mode=memory' users
	[ -f 'file:x.db?mode=memory' ]
	[ "$(pdb-scan --db 'file:x.db?mode=memory' users)" = '{"id":{"S":"a"}}' ]
	PDB_DB='file:y.db?nolock=1' pdb-table create users id
	[ -f 'file:y.db?nolock=1' ]
	[ ! -e x.db ] && [ ! -e y.db ]
}

@test "a device or a directory as --db is refused, and nothing is created beside it" {
	run --separate-stderr pdb-scan --db /dev/null users
	assert_failure 4
	assert_equal "$stderr" "pdb-scan: /dev/null: not a regular file, expected a database file"
	run --separate-stderr pdb-table --db /dev/null create users id
	assert_failure 4
	[ ! -e /dev/null-journal ] && [ ! -e /dev/null-wal ]
	run --separate-stderr pdb-table --db '' list
	assert_failure 2
}

@test "bad PDB_RETENTION, PDB_NOW and busy timeouts are usage errors, exit 2" {
	pdb-table create users id
	for v in inf nan 1e300 -5s 10x 1.5.5s '' 9999999999999999d; do
		[ -n "$v" ] || continue
		run --separate-stderr env PDB_RETENTION="$v" pdb-scan users
		assert_failure 2
		assert_equal "$stderr" "pdb-scan: invalid PDB_RETENTION '$v': expected a duration such as 90s, 15m or 24h"
	done
	run -0 env PDB_RETENTION=1.5h pdb-scan users
	for v in 1960-01-01T00:00:00Z -1000 yesterday 99999999999999999999; do
		run --separate-stderr env PDB_NOW="$v" pdb-scan users
		assert_failure 2
		[[ "$stderr" == "pdb-scan: invalid PDB_NOW '$v': "* ]]
	done
	run --separate-stderr env PDB_BUSY_TIMEOUT_MS=-1 pdb-scan users
	assert_failure 2
	run --separate-stderr env PDB_SYNC=sometimes pdb-scan users
	assert_failure 2
}

@test "a region or account that would break ARNs and records is refused at creation" {
	for r in 'us"east' 'us-east-1/x' "$(printf 'r%.0s' {1..40})" 'US-EAST-1'; do
		run --separate-stderr env AWS_REGION="$r" pdb-table create users id
		assert_failure 2
		[[ "$stderr" == "pdb-table: invalid AWS_REGION '$r': expected a region name"* ]]
	done
	run --separate-stderr env PDB_ACCOUNT_ID='12"4' pdb-table create users id
	assert_failure 2
	[ ! -e "$PDB_DB" ]
	AWS_DEFAULT_REGION=eu-central-2 pdb-table create users id -s KEYS_ONLY
	echo '{"id":{"S":"a"}}' | pdb-put users
	[ "$(pdb-stream-tail users | jq -r .awsRegion)" = eu-central-2 ]
}

@test "one write with a future PDB_NOW does not date the later real-clock records" {
	pdb-table create users id -s KEYS_ONLY
	now=$(date +%s)
	echo '{"id":{"S":"future"}}' | PDB_NOW=$(((now + 86400 * 365) * 1000)) pdb-put users
	echo '{"id":{"S":"now"}}' | pdb-put users
	t=$(pdb-stream-tail users | jq -r 'select(.dynamodb.Keys.id.S == "now") | .dynamodb.ApproximateCreationDateTime')
	[ "$t" -ge "$now" ] && [ "$t" -le "$((now + 60))" ]
	# Both stay readable: retention counts from each record's own time,
	# and the older record behind the newer one is not skipped.
	[ "$(pdb-stream-tail users | wc -l)" = 2 ]
}

@test "records past retention behind a younger one: expired prefix only, no gap" {
	T=1700000000000
	H=3600000
	PDB_NOW=$T pdb-table create users id -s KEYS_ONLY
	echo '{"id":{"S":"late"}}' | PDB_NOW=$((T + 20 * H)) pdb-put users
	echo '{"id":{"S":"early"}}' | PDB_NOW=$T pdb-put users
	# At T+25h "early" is past retention but follows a live record: a
	# reader from the start still gets both, in order, and nothing is
	# deleted until the prefix expires.
	run -0 env PDB_NOW=$((T + 25 * H)) pdb-stream-tail users
	[ "$(jq -r .dynamodb.Keys.id.S <<<"$output" | paste -sd' ')" = "late early" ]
	echo '{"id":{"S":"x"}}' | PDB_NOW=$((T + 25 * H)) pdb-put users
	[ "$(rows records)" = 3 ]
	echo '{"id":{"S":"y"}}' | PDB_NOW=$((T + 45 * H)) pdb-put users
	[ "$(rows records)" = 2 ]
}
