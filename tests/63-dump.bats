#!/usr/bin/env bats
# pdb-dump and pdb-load: a whole database as JSON lines that diff well,
# loaded back byte for byte; idempotent setup from Makefiles.

load helper

# Tables of every kind: binary and number keys, kept members, tags, a
# stream of each view type, items of every attribute type and extreme
# numbers.
fixture() {
	pdb-table create users id ts:N -s NEW_AND_OLD_IMAGES
	pdb-table create blobs k:B -s KEYS_ONLY
	pdb-table create plain id
	pdb-table create -i - <<'EOF'
{"TableName":"Music","KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"},{"AttributeName":"Song","KeyType":"RANGE"}],
 "AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"},{"AttributeName":"Song","AttributeType":"B"}],
 "BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":2},
 "Tags":[{"Key":"team","Value":"music"},{"Key":"cost","Value":"7"}],"TableClass":"STANDARD_INFREQUENT_ACCESS",
 "DeletionProtectionEnabled":true,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"OLD_IMAGE"}}
EOF
	pdb-put users <<'EOF'
{"id":{"S":"u1"},"ts":{"N":"-9.9999999999999999999999999999999999999E+125"},"s":{"S":"é \u0000 \"q\" \\ 😀"},"b":{"B":"AAEC/w=="},"t":{"BOOL":true},"z":{"NULL":true}}
{"id":{"S":"u1"},"ts":{"N":"1E-130"},"ss":{"SS":["b","a"]},"ns":{"NS":["10","1.50","-0"]},"bs":{"BS":["AQ==","AA=="]}}
{"id":{"S":"u2"},"ts":{"N":"9.9999999999999999999999999999999999999E+125"},"m":{"M":{"l":{"L":[{"N":"01.10"},{"M":{}},{"L":[]},{"S":""}]}}}}
EOF
	pdb-put blobs <<'EOF'
{"k":{"B":"AA=="}}
{"k":{"B":"/////w=="},"v":{"N":"0"}}
EOF
	pdb-put Music <<<'{"Artist":{"S":"Nina"},"Song":{"B":"c29uZw=="},"year":{"N":"1965"}}'
}

@test "dump, load into a fresh file, dump again: the same bytes" {
	fixture
	run pdb-dump
	assert_success
	echo "$output" >first
	# A table line, then its items in key order, tables by name.
	[ "$(jq -r 'if .KeySchema then "T " + .TableName else "I " + .TableName end' first | paste -sd' ')" = \
	    "T Music I Music T blobs I blobs I blobs T plain T users I users I users I users" ]
	[ "$(sed -n 1p first)" = '{"TableName":"Music","KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"},{"AttributeName":"Song","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"},{"AttributeName":"Song","AttributeType":"B"}],"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"OLD_IMAGE"},"BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":2},"TableClass":"STANDARD_INFREQUENT_ACCESS","DeletionProtectionEnabled":true,"Tags":[{"Key":"cost","Value":"7"},{"Key":"team","Value":"music"}]}' ]
	# Items as pdb-scan prints them.
	[ "$(jq -c 'select(.TableName == "users" and .Item) | .Item' first)" = "$(pdb-scan users)" ]
	run pdb-load -d copy.db first
	assert_success
	assert_output ""
	run pdb-dump -d copy.db
	assert_success
	[ "$output" = "$(cat first)" ]
	# And the copy describes like the original, but for times and ids.
	strip='del(.CreationDateTime, .TableId, .LatestStreamArn, .LatestStreamLabel, .BillingModeSummary)'
	for t in users blobs plain Music; do
		[ "$(pdb-table describe $t | jq -cS "$strip")" = "$(pdb-table -d copy.db describe $t | jq -cS "$strip")" ]
	done
}

@test "a dump is stable: the same database gives the same bytes" {
	fixture
	pdb-dump >a
	pdb-dump >b
	cmp a b
	pdb-dump users blobs >c
	[ "$(jq -r .TableName c | sort -u | paste -sd' ')" = "blobs users" ]
	[ "$(head -n 1 c | jq -r .TableName)" = users ]
}

@test "dump lines are the requests AWS's own tools take" {
	have_validator
	fixture
	pdb-dump >d
	# Debian's botocore model predates DeletionProtectionEnabled (2023).
	jq -c 'select(.KeySchema) | del(.DeletionProtectionEnabled)' d >tables
	jq -c 'select(.Item)' d >items
	[ -s tables ] && [ -s items ]
	"$VALIDATE/validate-shape" -q --service dynamodb --shape CreateTableInput --strict tables
	"$VALIDATE/validate-shape" -q --service dynamodb --shape PutItemInput --strict items
}

@test "a load writes the stream records a pdb-put would" {
	fixture
	pdb-dump >d
	# A database loaded item by item with pdb-put, for comparison.
	export PDB_DB=$BATS_TEST_TMPDIR/by-put.db
	jq -c 'select(.KeySchema)' d | while read -r t; do pdb-table create -i - <<<"$t"; done
	for t in $(jq -r 'select(.KeySchema) | .TableName' d); do
		jq -c --arg t "$t" 'select(.TableName == $t and .Item) | .Item' d | pdb-put "$t"
	done
	want=$(stored_records)
	export PDB_DB=$BATS_TEST_TMPDIR/by-load.db
	pdb-load d
	[ "$(stored_records)" = "$want" ]
	[ "$(pdb-stream-tail users | jq -r .eventName | paste -sd' ')" = "INSERT INSERT INSERT" ]
}

@test "loading again changes nothing: no new stream, no record" {
	fixture
	pdb-dump >d
	pdb-load -d copy.db d
	export PDB_DB=$BATS_TEST_TMPDIR/copy.db
	before=$(db_state)
	run pdb-load d
	assert_success
	[ "$(db_state)" = "$before" ]
}

@test "--no-records restores without stream records" {
	fixture
	pdb-dump >d
	export PDB_DB=$BATS_TEST_TMPDIR/restored.db
	run pdb-load --no-records d
	assert_success
	[ "$(rows records)" = 0 ]
	[ "$(pdb-dump)" = "$(cat d)" ]
	# The streams are there and capture what comes next.
	pdb-put users <<<'{"id":{"S":"u9"},"ts":{"N":"1"}}'
	[ "$(pdb-stream-tail users | jq -r .dynamodb.Keys.id.S)" = u9 ]
}

@test "--replace empties each table of the dump first, with REMOVE records" {
	fixture
	pdb-dump users >d
	pdb-put users <<<'{"id":{"S":"extra"},"ts":{"N":"1"}}'
	pdb-put plain <<<'{"id":{"S":"untouched"}}'
	n0=$(rows records)
	run pdb-load --replace d
	assert_success
	[ "$(pdb-dump users)" = "$(cat d)" ]
	[ "$(pdb-scan plain | jq -r .id.S)" = untouched ]
	# Four items removed (three come back), each change recorded.
	[ "$(sqlite3 "$PDB_DB" "SELECT group_concat(event, '') FROM (SELECT event FROM records WHERE seq > (SELECT min(seq) FROM records) + $n0 - 1 ORDER BY seq)")" = 3333111 ]
	# Without records, the same leaves the stream alone.
	n1=$(rows records)
	pdb-put users <<<'{"id":{"S":"extra"},"ts":{"N":"1"}}'
	run pdb-load --replace --no-records d
	assert_success
	[ "$(rows records)" = $((n1 + 1)) ]
	[ "$(pdb-dump users)" = "$(cat d)" ]
}

@test "a table in the dump that exists but differs: exit 1, nothing loaded" {
	fixture
	pdb-dump >d
	export PDB_DB=$BATS_TEST_TMPDIR/other.db
	pdb-table create users id -s NEW_AND_OLD_IMAGES
	before=$(db_state)
	run --separate-stderr pdb-load d
	assert_failure 1
	[ "$stderr" = "pdb-load: d:$(grep -n '^{"TableName":"users","KeySchema"' d | cut -d: -f1): ResourceInUseException: Table already exists with other keys: users has id:S, asked for id:S ts:N" ]
	[ "$(db_state)" = "$before" ]
	[ "$(pdb-table list)" = users ]
}

@test "bad lines are named by line, and nothing is loaded" {
	fixture
	before=$(db_state)
	check() {	# STATUS MESSAGE: the input on stdin fails at line 2
		run --separate-stderr pdb-load
		assert_failure "$1"
		assert_equal "$stderr" "pdb-load: stdin:2: $2"
		[ "$(db_state)" = "$before" ]
	}
	good='{"TableName":"users","Item":{"id":{"S":"new"},"ts":{"N":"1"}}}'
	check 3 'SerializationException: malformed JSON at column 2: string or '"'"'}'"'"' expected near '"'"'x'"'"'' <<EOF
$good
{x
EOF
	check 3 "SerializationException: expected a table (a CreateTable request, with KeySchema), its TTL (an UpdateTimeToLive request) or an item (a PutItem request, with TableName and Item)" <<EOF
$good
[1]
EOF
	check 3 "ValidationException: unexpected member ConditionExpression: an item line has only TableName and Item" <<EOF
$good
{"TableName":"users","Item":{"id":{"S":"x"},"ts":{"N":"1"}},"ConditionExpression":"attribute_not_exists(id)"}
EOF
	check 1 "ResourceNotFoundException: Requested resource not found: Table: nope not found" <<EOF
$good
{"TableName":"nope","Item":{"id":{"S":"x"}}}
EOF
	check 3 "ValidationException: One or more parameter values were invalid: Missing the key ts in the item" <<EOF
$good
{"TableName":"users","Item":{"id":{"S":"x"}}}
EOF
	check 3 "ValidationException: 1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3" <<EOF
$good
{"TableName":"x","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]}
EOF
}

@test "--batch-size commits every N lines; a failure keeps the batches before it" {
	fixture
	pdb-dump users >d
	{ cat d; echo '{"TableName":"users","Item":{"id":{"S":"bad"}}}'; } >bad
	run pdb-load -d copy.db -b 2 bad
	assert_failure 3
	# Lines 1-4 committed in two batches; the fifth failed alone.
	[ "$(pdb-dump -d copy.db users)" = "$(cat d)" ]
	run pdb-load -d copy2.db bad
	assert_failure 3
	[ ! -s copy2.db ] || [ -z "$(pdb-table -d copy2.db list)" ]
}

@test "a missing table or file is exit 1 or 4 with its name; no output" {
	fixture
	run --separate-stderr pdb-dump users nope
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "pdb-dump: ResourceNotFoundException: Requested resource not found: Table: nope not found"
	run --separate-stderr pdb-load missing.jsonl
	assert_failure 4
	assert_equal "$stderr" "pdb-load: missing.jsonl: No such file or directory"
	run --separate-stderr pdb-load a b
	assert_failure 2
	run --separate-stderr pdb-dump -d nowhere.db
	assert_failure 4
	[ ! -e nowhere.db ]
}

@test "a dump taken while writers run is one snapshot" {
	pdb-table create pair id -s NEW_IMAGE
	printf '{"id":{"S":"a"},"n":{"N":"0"}}\n{"id":{"S":"b"},"n":{"N":"0"}}\n' | pdb-put pair
	# Each write moves both items together, in one transaction.
	( for i in $(seq 1 300); do
		printf '{"id":{"S":"a"}}\n{"id":{"S":"b"}}\n' |
		    pdb-update -u 'ADD n :one' -V '{":one":{"N":"1"}}' pair
	done ) &
	writer=$!
	serve_start
	( for i in $(seq 1 100); do
		call BatchWriteItem "{\"RequestItems\":{\"pair\":[{\"PutRequest\":{\"Item\":{\"id\":{\"S\":\"c\"},\"n\":{\"N\":\"$i\"}}}},{\"PutRequest\":{\"Item\":{\"id\":{\"S\":\"d\"},\"n\":{\"N\":\"$i\"}}}}]}}" >/dev/null
	done ) &
	server_writer=$!
	dumps=0
	while kill -0 $writer 2>/dev/null; do
		pdb-dump pair >d
		[ "$(jq -r 'select(.Item.id.S == "a" or .Item.id.S == "b") | .Item.n.N' d | sort -u | wc -l)" = 1 ]
		[ "$(jq -r 'select(.Item.id.S == "c" or .Item.id.S == "d") | .Item.n.N' d | sort -u | wc -l)" -le 1 ]
		dumps=$((dumps + 1))
	done
	wait $writer
	wait $server_writer
	serve_stop
	[ "$dumps" -ge 3 ]
	[ "$(pdb-dump pair | jq -r 'select(.Item) | .Item.n.N' | paste -sd' ')" = "300 300 100 100" ]
}

# The README's ```LANG block, as written.
readme_block() {
	awk -v lang="$1" '$0 == "```" lang { on = 1; next } /^```$/ { on = 0 } on' "$TOP/README.md"
}

@test "the README's Makefile: a second make fixtures changes nothing" {
	readme_block make >Makefile
	grep -q '^fixtures:' Makefile
	export PDB_DB=$BATS_TEST_TMPDIR/test.db
	# Someone saved fixtures from a database of theirs.
	pdb-table -d mine.db create users id --stream NEW_AND_OLD_IMAGES
	printf '{"id":{"S":"u%d"},"n":{"N":"%d"}}\n' 1 1 2 2 3 3 | pdb-put -d mine.db users
	PDB_DB=mine.db make -s save-fixtures
	[ "$(wc -l <fixtures.jsonl)" = 4 ]
	run make -s fixtures
	assert_success
	[ "$(pdb-dump)" = "$(cat fixtures.jsonl)" ]
	[ "$(pdb-stream-tail users | jq -r .eventName | paste -sd' ')" = "INSERT INSERT INSERT" ]
	before=$(db_state)
	run make -s fixtures
	assert_success
	[ "$(db_state)" = "$before" ]
	[ "$(pdb-stream-describe | wc -l)" = 1 ]
	# A different table of that name is a failure, not a silent pass.
	pdb-table delete users
	pdb-table create users id:N
	run make -s fixtures
	assert_failure
}

@test "the README's bats setup loads the committed dump, without records" {
	readme_block bash >setup.bash
	pdb-table -d mine.db create users id --stream NEW_AND_OLD_IMAGES
	echo '{"id":{"S":"u1"}}' | pdb-put -d mine.db users
	pdb-dump -d mine.db >fixtures.jsonl
	BATS_TEST_DIRNAME=$PWD BATS_TEST_TMPDIR=$PWD/t bash -c '
		mkdir -p t; . ./setup.bash; setup
		pdb-scan users; pdb-stream-tail users | wc -l' >out
	[ "$(cat out)" = $'{"id":{"S":"u1"}}\n0' ]
}
