#!/usr/bin/env bats
# pdb-table: create, list, describe, delete, streams on and off.

load helper

@test "create makes the database; list shows tables in order" {
	[ ! -e "$PDB_DB" ]
	run pdb-table create users id
	assert_success
	assert_output ""
	[ -f "$PDB_DB" ]
	pdb-table create orders customer n:N
	run pdb-table list
	assert_success
	assert_output $'orders\nusers'
}

@test "only create may create the database file" {
	run --separate-stderr pdb-table list
	assert_failure 4
	[[ "$stderr" == *"no such database"*"pdb-table --db"*"create"* ]]
	[ ! -e "$PDB_DB" ]
	run pdb-scan --db other.db users
	assert_failure 4
	[ ! -e other.db ]
}

@test "--db, then \$PDB_DB, then ./pdb.db" {
	pdb-table --db a.db create t_a id
	pdb-table -d b.db create t_b id
	run pdb-table -d a.db list
	assert_output t_a
	unset PDB_DB
	pdb-table create t_default id
	[ -f ./pdb.db ]
	run pdb-table list
	assert_output t_default
}

@test "describe prints a TableDescription" {
	AWS_REGION=eu-west-1 PDB_ACCOUNT_ID=123456789012 pdb-table create orders customer n:N --stream NEW_IMAGE
	run --separate-stderr pdb-table describe orders
	assert_success
	d=$output
	[ "$(jq -r .TableName <<<"$d")" = orders ]
	[ "$(jq -r .TableStatus <<<"$d")" = ACTIVE ]
	[ "$(jq -r .TableArn <<<"$d")" = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders" ]
	[ "$(jq -c .KeySchema <<<"$d")" = '[{"AttributeName":"customer","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}]' ]
	[ "$(jq -c '.AttributeDefinitions|sort_by(.AttributeName)' <<<"$d")" = '[{"AttributeName":"customer","AttributeType":"S"},{"AttributeName":"n","AttributeType":"N"}]' ]
	[ "$(jq -c .StreamSpecification <<<"$d")" = '{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}' ]
	[[ "$(jq -r .LatestStreamArn <<<"$d")" =~ ^arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}$ ]]
	[ "$(jq -r .LatestStreamArn <<<"$d")" = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/$(jq -r .LatestStreamLabel <<<"$d")" ]
	[[ "$(jq -r .TableId <<<"$d")" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]]
	[ "$(jq -r .ItemCount <<<"$d")" = 0 ]
	[ "$(jq -r .BillingModeSummary.BillingMode <<<"$d")" = PAY_PER_REQUEST ]
}

@test "describe counts items and their size" {
	pdb-table create users id
	printf '%s\n' '{"id":{"S":"u1"},"a":{"S":"xyz"}}' '{"id":{"S":"u2"}}' | pdb-put users
	run pdb-table describe users
	[ "$(jq .ItemCount <<<"$output")" = 2 ]
	# id+u1 (4) + a+xyz (4) + id+u2 (4)
	[ "$(jq .TableSizeBytes <<<"$output")" = 12 ]
}

@test "a table without a stream has no stream members" {
	pdb-table create users id
	run pdb-table describe users
	[ "$(jq -c '[has("StreamSpecification"), has("LatestStreamArn")]' <<<"$output")" = '[false,false]' ]
}

@test "describe output matches the DynamoDB model (TableDescription)" {
	have_validator
	pdb-table create users id --stream KEYS_ONLY
	pdb-table create plain id
	{ pdb-table describe users; pdb-table describe plain; } >all.jsonl
	# AWS always sends DeletionProtectionEnabled; Debian's botocore model
	# (2022) predates it.
	[ "$(jq -c .DeletionProtectionEnabled all.jsonl | paste -sd' ')" = "false false" ]
	jq -c 'del(.DeletionProtectionEnabled)' all.jsonl >d.jsonl
	run "$VALIDATE/validate-shape" -q --service dynamodb --shape TableDescription --strict d.jsonl
	assert_success
	assert_output --partial "2 passed, 0 failed"
}

@test "create from an AWS CreateTable request" {
	cat >req.json <<'JSON'
{
  "TableName": "Music",
  "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"},
                {"AttributeName": "SongTitle", "KeyType": "RANGE"}],
  "AttributeDefinitions": [{"AttributeName": "SongTitle", "AttributeType": "S"},
                           {"AttributeName": "Artist", "AttributeType": "S"}],
  "BillingMode": "PROVISIONED",
  "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 7},
  "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
  "Tags": [{"Key": "team", "Value": "music"}]
}
JSON
	run pdb-table create --input req.json
	assert_success
	run pdb-table describe Music
	[ "$(jq -r '.KeySchema[1].AttributeName' <<<"$output")" = SongTitle ]
	[ "$(jq -r '.StreamSpecification.StreamViewType' <<<"$output")" = NEW_AND_OLD_IMAGES ]
	[ "$(jq -r '.ProvisionedThroughput.WriteCapacityUnits' <<<"$output")" = 7 ]
	pdb-table create -i - <<<'{"TableName":"Other","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"B"}]}'
	run pdb-table describe Other
	[ "$(jq -r '.AttributeDefinitions[0].AttributeType' <<<"$output")" = B ]
}

@test "a CreateTable request with an undefined key attribute is refused" {
	run --separate-stderr pdb-table create -i - <<<'{"TableName":"Bad","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"AttributeDefinitions":[]}'
	assert_failure 3
	[[ "$stderr" == *"ValidationException: Invalid KeySchema: Some index key attribute have no definition"* ]]
	run --separate-stderr pdb-table create -i - <<<'{"TableName":"Bad","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"j","AttributeType":"S"}]}'
	assert_failure 3
	[[ "$stderr" == *"ValidationException"*"not defined in AttributeDefinitions. Keys: [k], AttributeDefinitions: [j]"* ]]
	run pdb-table describe Bad
	[ "$status" -ne 0 ]
	run --separate-stderr pdb-table create -i - <<<'{"TableName":'
	assert_failure 3
}

@test "creating an existing table is ResourceInUseException, exit 1" {
	pdb-table create users id
	run --separate-stderr pdb-table create users id
	assert_failure 1
	assert_equal "$stderr" "pdb-table: ResourceInUseException: Table already exists: users"
}

@test "an unknown table is ResourceNotFoundException, exit 1" {
	pdb-table create users id
	for cmd in "describe nope" "delete nope" "stream nope KEYS_ONLY"; do
		run --separate-stderr pdb-table $cmd
		assert_failure 1
		assert_equal "$stderr" "pdb-table: ResourceNotFoundException: Requested resource not found: Table: nope not found"
	done
	run --separate-stderr pdb-put nope <<<'{"id":{"S":"x"}}'
	assert_failure 1
	[[ "$stderr" == *"ResourceNotFoundException"*"Table: nope not found"* ]]
}

@test "bad names, key types and views are ValidationException, exit 3" {
	run --separate-stderr pdb-table create ab id
	assert_failure 3
	[[ "$stderr" == *"ValidationException"*"Value 'ab' at 'tableName'"*"length greater than or equal to 3"* ]]
	run --separate-stderr pdb-table create 'bad name' id
	assert_failure 3
	[[ "$stderr" == *"regular expression pattern: [a-zA-Z0-9_.-]+"* ]]
	run --separate-stderr pdb-table create users id:X
	assert_failure 3
	[[ "$stderr" == *"ValidationException"*"Value 'X'"*"[B, N, S]"* ]]
	run --separate-stderr pdb-table create users id --stream SOMETIMES
	assert_failure 3
	[[ "$stderr" == *"ValidationException"*"Value 'SOMETIMES'"*"KEYS_ONLY"* ]]
	run --separate-stderr pdb-table create users id id
	assert_failure 3
	[ ! -e "$PDB_DB" ] || [ -z "$(pdb-table list)" ]
}

@test "wrong usage exits 2 with the synopsis" {
	run --separate-stderr pdb-table
	assert_failure 2
	[[ "$stderr" == *"usage: pdb-table"* ]]
	run --separate-stderr pdb-table create
	assert_failure 2
	run --separate-stderr pdb-table --bogus list
	assert_failure 2
}

@test "a bad view is DynamoDB's ValidationException, exit 3, at create and stream alike" {
	pdb-table create users id
	run --separate-stderr pdb-table stream users SIDEWAYS
	assert_failure 3
	assert_equal "$stderr" "pdb-table: ValidationException: 1 validation error detected: Value 'SIDEWAYS' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]"
	run --separate-stderr pdb-table create other id -s SIDEWAYS
	assert_failure 3
	[[ "$stderr" == *"Value 'SIDEWAYS' at 'streamSpecification.streamViewType'"* ]]
}

@test "stream as it already is changes nothing; another view is refused, exit 1" {
	pdb-table create users id --stream KEYS_ONLY
	before=$(pdb-table describe users)
	run pdb-table stream users KEYS_ONLY
	assert_success
	assert_output ""
	[ "$(pdb-table describe users)" = "$before" ]
	[ "$(pdb-stream-describe | wc -l)" = 1 ]
	run --separate-stderr pdb-table stream users NEW_IMAGE
	assert_failure 1
	assert_equal "$stderr" "pdb-table: ResourceInUseException: Table already has another stream: users has KEYS_ONLY, asked for NEW_IMAGE; turn it off first"
	[ "$(pdb-table describe users)" = "$before" ]
	pdb-table stream users off
	off=$(pdb-table describe users)
	run pdb-table stream users off
	assert_success
	[ "$(pdb-table describe users)" = "$off" ]
}

@test "create --if-not-exists: made when missing, nothing done when there as asked" {
	run pdb-table create --if-not-exists users id ts:N -s NEW_IMAGE
	assert_success
	assert_output ""
	pdb-put users <<<'{"id":{"S":"a"},"ts":{"N":"1"}}'
	before=$(db_state)
	for i in 1 2 3; do
		run pdb-table create --if-not-exists users id:S ts:N --stream NEW_IMAGE
		assert_success
	done
	[ "$(db_state)" = "$before" ]
	# The same table from a CreateTable request; tags and billing are
	# not compared.
	run pdb-table create --if-not-exists -i - <<'EOF'
{"TableName":"users","KeySchema":[{"AttributeName":"id","KeyType":"HASH"},{"AttributeName":"ts","KeyType":"RANGE"}],
 "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"ts","AttributeType":"N"}],
 "BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5},
 "Tags":[{"Key":"k","Value":"v"}],
 "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}
EOF
	assert_success
	[ "$(db_state)" = "$before" ]
}

@test "create --if-not-exists: there but different is refused with what differs, exit 1" {
	pdb-table create users id ts:N -s NEW_IMAGE
	before=$(db_state)
	check() {
		run --separate-stderr pdb-table create --if-not-exists "$@"
		assert_failure 1
		assert_equal "$stderr" "pdb-table: ResourceInUseException: $want"
		[ "$(db_state)" = "$before" ]
	}
	want="Table already exists with other keys: users has id:S ts:N, asked for id:S"
	check users id -s NEW_IMAGE
	want="Table already exists with other keys: users has id:S ts:N, asked for id:S ts:S"
	check users id ts -s NEW_IMAGE
	want="Table already exists with other keys: users has id:S ts:N, asked for id:N ts:N"
	check users id:N ts:N -s NEW_IMAGE
	want="Table already exists with other keys: users has id:S ts:N, asked for id:S at:N"
	check users id at:N -s NEW_IMAGE
	want="Table already exists with other keys: users has id:S ts:N, asked for ts:N id:S"
	check users ts:N id -s NEW_IMAGE
	want="Table already exists with another stream: users has NEW_IMAGE, asked for no stream"
	check users id ts:N
	want="Table already exists with another stream: users has NEW_IMAGE, asked for KEYS_ONLY"
	check users id ts:N -s KEYS_ONLY
	# Without the option, an existing table is DynamoDB's answer.
	run --separate-stderr pdb-table create users id ts:N -s NEW_IMAGE
	assert_failure 1
	assert_equal "$stderr" "pdb-table: ResourceInUseException: Table already exists: users"
}

@test "delete --if-exists: no table is success; the options go with their commands" {
	pdb-table create --if-not-exists users id
	run pdb-table delete --if-exists users
	assert_success
	run pdb-table delete --if-exists users
	assert_success
	assert_output ""
	run pdb-table delete users
	assert_failure 1
	run --separate-stderr pdb-table describe --if-exists users
	assert_failure 2
	[[ "$stderr" == "pdb-table: --if-exists goes with delete"* ]]
	run --separate-stderr pdb-table delete --if-not-exists users
	assert_failure 2
	[[ "$stderr" == "pdb-table: --if-not-exists goes with create"* ]]
}

@test "through pdb-serve, UpdateTable keeps DynamoDB's answers to a stream already on or off" {
	serve_start
	call CreateTable '{"TableName":"users","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}' >/dev/null
	call UpdateTable '{"TableName":"users","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}' >out
	[ "$(status)" = 400 ]
	[ "$(jq -r .message out)" = "Table already has an enabled stream: TableName: users" ]
	call UpdateTable '{"TableName":"users","StreamSpecification":{"StreamEnabled":false}}' >/dev/null
	call UpdateTable '{"TableName":"users","StreamSpecification":{"StreamEnabled":false}}' >out
	[ "$(status)" = 400 ]
	[ "$(jq -r .message out)" = "Table has no stream to disable: TableName: users" ]
	serve_stop
}

@test "every enable makes a new stream with a unique ARN, even in one millisecond" {
	PDB_NOW=1700000000000 pdb-table create users id --stream KEYS_ONLY
	arns=$(pdb-table describe users | jq -r .LatestStreamArn)
	for i in 1 2 3; do
		PDB_NOW=1700000000000 pdb-table stream users off
		PDB_NOW=1700000000000 pdb-table stream users NEW_IMAGE
		arns="$arns
$(pdb-table describe users | jq -r .LatestStreamArn)"
	done
	[ "$(sort -u <<<"$arns" | wc -l)" = 4 ]
	[[ "$arns" == *"/stream/2023-11-14T22:13:20.000"* ]]
	[[ "$arns" == *"/stream/2023-11-14T22:13:20.001"* ]]
}

@test "disable keeps LatestStreamArn but drops StreamSpecification" {
	pdb-table create users id --stream KEYS_ONLY
	arn=$(pdb-table describe users | jq -r .LatestStreamArn)
	pdb-table stream users off
	run pdb-table describe users
	[ "$(jq -r .LatestStreamArn <<<"$output")" = "$arn" ]
	[ "$(jq 'has("StreamSpecification")' <<<"$output")" = false ]
}

@test "a recreated table never reuses the old stream's ARN" {
	PDB_NOW=1700000000000 pdb-table create users id --stream KEYS_ONLY
	old=$(pdb-table describe users | jq -r .LatestStreamArn)
	PDB_NOW=1700000000000 pdb-table delete users
	PDB_NOW=1700000000000 pdb-table create users id --stream KEYS_ONLY
	new=$(pdb-table describe users | jq -r .LatestStreamArn)
	[ "$old" != "$new" ]
}

@test "delete removes the table and its items" {
	pdb-table create users id
	echo '{"id":{"S":"u1"}}' | pdb-put users
	pdb-table delete users
	run pdb-table list
	assert_output ""
	[ "$(rows items)" = 0 ]
	pdb-table create users id
	run pdb-scan users
	assert_output ""
}

@test "region and account are fixed when the database is created" {
	AWS_DEFAULT_REGION=ap-south-1 pdb-table create first id
	AWS_REGION=eu-north-1 PDB_ACCOUNT_ID=999999999999 pdb-table create second id
	run pdb-table describe second
	[ "$(jq -r .TableArn <<<"$output")" = "arn:aws:dynamodb:ap-south-1:000000000000:table/second" ]
}

@test "a database from a newer pdb is refused clearly" {
	pdb-table create users id
	sqlite3 "$PDB_DB" "PRAGMA user_version = 99"
	run --separate-stderr pdb-scan users
	assert_failure 4
	[[ "$stderr" == *"schema version 99 is newer"* ]]
}

@test "a directory or a corrupt file as --db is refused" {
	mkdir dir.db
	run --separate-stderr pdb-scan --db dir.db users
	assert_failure 4
	[[ "$stderr" == *"is a directory"* ]]
	head -c 4096 /dev/urandom >junk.db
	run --separate-stderr pdb-scan --db junk.db users
	assert_failure 4
	[[ "$stderr" == *"junk.db"* ]]
}

@test "the database uses WAL" {
	pdb-table create users id
	[ "$(sqlite3 "$PDB_DB" 'PRAGMA journal_mode')" = wal ]
}

@test "--help and --version" {
	for p in "$TOP"/bin/pdb-*; do
		p=$(basename "$p")
		run --separate-stderr "$p" --help
		assert_success
		[[ "$output" == "usage: $p"* ]]
		[[ "$output" == *"pdb.db"* ]]
		run "$p" --version
		assert_success
		[[ "$output" =~ ^$p\ \(pdb\)\ [0-9]+\.[0-9]+ ]]
		run --separate-stderr "$p" --no-such-option
		assert_failure 2
		[[ "$stderr" == *"usage: $p"* ]]
	done
}

@test "create -i: errors name the file and line first; a missing file is exit 4" {
	run --separate-stderr pdb-table create -i - <<<$'{\n"TableName":'
	assert_failure 3
	[[ "$stderr" =~ ^pdb-table:\ stdin:[0-9]+:\ SerializationException:\  ]]
	run --separate-stderr pdb-table create -i nofile.json
	assert_failure 4
	assert_equal "$stderr" "pdb-table: nofile.json: cannot open: No such file or directory"
}

@test "a key name over 255 characters is refused whole, never cut" {
	long=$(printf 'k%.0s' {1..300})
	run --separate-stderr pdb-table create users "$long"
	assert_failure 3
	assert_equal "$stderr" "pdb-table: ValidationException: 1 validation error detected: Value '$long' at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255"
	run --separate-stderr pdb-table create users id "$long:N"
	assert_failure 3
	[ ! -e "$PDB_DB" ] || [ -z "$(pdb-table list)" ]
	ok=$(printf 'k%.0s' {1..255})
	pdb-table create users "$ok"
	[ "$(pdb-table describe users | jq -r '.KeySchema[0].AttributeName | length')" = 255 ]
}
