#!/usr/bin/env bats
# Fixture formats that exist load unchanged: the AWS CLI's BatchWriteItem
# request files (pdb-batch-write), DynamoDB's S3 export lines and the AWS
# CLI's scan and query output (pdb-put).

load helper

eval "helper_$(declare -f setup)"
setup() {
	helper_setup
	export PDB_NOW=1795700000000
}


tables() {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	pdb-table create orders customer n:N --stream NEW_AND_OLD_IMAGES
}

# The records of a table, one compact line each: event, keys, images.
records() {
	pdb-stream-tail "$@" | jq -c '[.eventName, .dynamodb.Keys,
	    .dynamodb.NewImage // "-", .dynamodb.OldImage // "-"]'
}

# A request file as people write them for `aws dynamodb batch-write-item
# --request-items file://batch.json`: pretty-printed, two tables, puts
# and deletes (of items loaded before).
batch_file() {
	cat >batch.json <<'EOF'
{
    "users": [
        {
            "PutRequest": {
                "Item": {
                    "id": {"S": "u1"},
                    "name": {"S": "Ada"},
                    "tags": {"SS": ["admin", "dev"]}
                }
            }
        },
        {"PutRequest": {"Item": {"id": {"S": "u2"}, "age": {"N": "045.50"}}}},
        {"DeleteRequest": {"Key": {"id": {"S": "old"}}}}
    ],
    "orders": [
        {"PutRequest": {"Item": {"customer": {"S": "c1"}, "n": {"N": "1"}, "total": {"N": "20"}}}},
        {"PutRequest": {"Item": {"customer": {"S": "c1"}, "n": {"N": "2"}, "total": {"N": "5"}}}},
        {"DeleteRequest": {"Key": {"customer": {"S": "c0"}, "n": {"N": "9"}}}}
    ]
}
EOF
}

# What was there before the batch: the items it deletes.
old_items() {
	echo '{"id":{"S":"old"},"name":{"S":"Old"}}' | pdb-put "$@" users
	echo '{"customer":{"S":"c0"},"n":{"N":"9"}}' | pdb-put "$@" orders
}

@test "batch-write: an AWS CLI request file, two tables, puts and deletes, each with its record" {
	tables
	old_items
	batch_file
	run pdb-batch-write batch.json
	assert_success
	assert_output ""
	run pdb-scan users
	assert_output $'{"id":{"S":"u1"},"name":{"S":"Ada"},"tags":{"SS":["admin","dev"]}}\n{"age":{"N":"45.5"},"id":{"S":"u2"}}'
	run pdb-scan orders
	assert_output $'{"customer":{"S":"c1"},"n":{"N":"1"},"total":{"N":"20"}}\n{"customer":{"S":"c1"},"n":{"N":"2"},"total":{"N":"5"}}'
	# After the INSERT of each old item: one record per request, in order.
	run records users
	assert_output - <<'EOF'
["INSERT",{"id":{"S":"old"}},{"id":{"S":"old"},"name":{"S":"Old"}},"-"]
["INSERT",{"id":{"S":"u1"}},{"id":{"S":"u1"},"name":{"S":"Ada"},"tags":{"SS":["admin","dev"]}},"-"]
["INSERT",{"id":{"S":"u2"}},{"age":{"N":"45.5"},"id":{"S":"u2"}},"-"]
["REMOVE",{"id":{"S":"old"}},"-",{"id":{"S":"old"},"name":{"S":"Old"}}]
EOF
	[ "$(records orders | jq -r '.[0]' | paste -sd' ')" = "INSERT INSERT INSERT REMOVE" ]
}

@test "batch-write: the same file through the real AWS CLI and pdb-serve gives the same items and records" {
	[ -x /usr/bin/aws ] || skip "Debian's awscli is not installed (make deps)"
	batch_file
	for db in aws.db pdb.db; do
		PDB_DB=$db tables
		PDB_DB=$db old_items
	done
	PDB_DB=aws.db serve_start
	run -0 awscli dynamodb batch-write-item --request-items file://batch.json
	[ "$(jq -c .UnprocessedItems <<<"$output")" = "{}" ]
	serve_stop
	pdb-batch-write -d pdb.db batch.json
	pdb-dump -d pdb.db >pdb.dump
	pdb-dump -d aws.db | diff - pdb.dump
	for t in users orders; do
		diff <(records -d aws.db "$t") <(records -d pdb.db "$t")
	done
}

@test "batch-write: whole requests, JSON lines and objects one after another, several files and stdin" {
	tables
	cat >many.json <<'EOF'
{"RequestItems": {"users": [{"PutRequest": {"Item": {"id": {"S": "r1"}}}}]},
 "ReturnConsumedCapacity": "TOTAL"}
{"users":[{"PutRequest":{"Item":{"id":{"S":"j1"}}}}]}
{"users":[{"PutRequest":{"Item":{"id":{"S":"j2"}}}}]}{"users":[{"PutRequest":{"Item":{"id":{"S":"c1"}}}}]}
EOF
	echo '{"users":[{"PutRequest":{"Item":{"id":{"S":"in"}}}}]}' >stdin.json
	run pdb-batch-write many.json - <stdin.json
	assert_success
	[ "$(pdb-scan users | jq -r .id.S | paste -sd' ')" = "c1 in j1 j2 r1" ]
	[ "$(records users | jq -r '.[1].id.S' | paste -sd' ')" = "r1 j1 j2 c1 in" ]
}

@test "batch-write: any number of requests; a key written twice is a sequence of writes, the last one wins" {
	tables
	jq -nc '{users: ([range(60) | {PutRequest: {Item: {id: {S: "u\(. % 30)"}, v: {N: "\(.)"}}}}]
	    + [{DeleteRequest: {Key: {id: {S: "u0"}}}}])}' >long.json
	run pdb-batch-write long.json
	assert_success
	[ "$(pdb-table describe users | jq .ItemCount)" = 29 ]
	echo '{"id":{"S":"u7"}}' | pdb-get users | grep -qF '"v":{"N":"37"}'
	[ "$(records users | jq -r '.[0]' | sort | uniq -c | awk '{print $2 $1}' | paste -sd' ')" = "INSERT30 MODIFY30 REMOVE1" ]
}

@test "batch-write: a bad request in the middle writes nothing and names the file, line, table and request" {
	tables
	old_items
	batch_file
	# The second orders request has a number where the key is a string.
	sed -i 's/"customer": {"S": "c1"}, "n": {"N": "2"}/"customer": {"N": "1"}, "n": {"N": "2"}/' batch.json
	before=$(db_state)
	run --separate-stderr pdb-batch-write batch.json
	assert_failure 3
	assert_equal "$stderr" "pdb-batch-write: batch.json:17:9: request 2 of table orders: ValidationException: One or more parameter values were invalid: Type mismatch for key customer expected: S actual: N"
	[ "$(db_state)" = "$before" ]
	# Malformed JSON: where it is, and nothing written either.
	printf '%s\n' '{"users": [' '  {"PutRequest": {"Item": {"id": {"S": "a"}}}},' \
	    '  {"PutRequest": {"Item": {"id": {"S": "b"}},}}' ']}' >broken.json
	run --separate-stderr pdb-batch-write broken.json
	assert_failure 3
	assert_equal "$stderr" "pdb-batch-write: broken.json:3:3: request 2 of table users: SerializationException: malformed JSON at line 3, column 46: string or '}' expected near '}'"
	[ "$(db_state)" = "$before" ]
	# A member that is not a table's list, a missing table, a bad request.
	check() {
		run --separate-stderr pdb-batch-write <<<"$1"
		assert_failure "$2"
		assert_equal "$stderr" "pdb-batch-write: $3"
		[ "$(db_state)" = "$before" ]
	}
	check '{"users":{"PutRequest":{}}}' 3 "stdin:1:10: SerializationException: the value of 'users' is not a list of write requests: expected {\"TABLE\":[{\"PutRequest\":{\"Item\":…}}, {\"DeleteRequest\":{\"Key\":…}}, …]}"
	check '{"users":[{"PutRequest":{"Item":{"id":{"S":"a"}}}}],"nope":[{"PutRequest":{"Item":{"id":{"S":"a"}}}}]}' 1 "stdin:1:61: request 1 of table nope: ResourceNotFoundException: Requested resource not found: Table: nope not found"
	check '{"users":[{"PutRequest":{"Item":{"id":{"S":"a"}}},"DeleteRequest":{"Key":{"id":{"S":"a"}}}}]}' 3 "stdin:1:11: request 1 of table users: ValidationException: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes (a WriteRequest of table users)"
	check '{"users":[]}' 3 "stdin:1:10: ValidationException: The batch write request list for a table cannot be null or empty: users"
	check '[{"PutRequest":{"Item":{"id":{"S":"a"}}}}]' 3 'stdin:1:1: SerializationException: malformed JSON at line 1, column 1: expected a BatchWriteItem request, {"TABLE":[…]} or {"RequestItems":{…}}, found '"'['"
	# A fault between requests: the object it is in, and where it is.
	check $'{"users": [\n  {"PutRequest":{"Item":{"id":{"S":"a"}}}}\n  {"PutRequest":{"Item":{"id":{"S":"b"}}}}]}' 3 "stdin:1:1: SerializationException: malformed JSON at line 3, column 3: expected ',' or ']' after an element, found '{'"
}

@test "batch-write: --batch-size commits every N requests; a failure keeps those and says how many" {
	tables
	jq -nc '{users: ([range(7) | {PutRequest: {Item: {id: {S: "u\(.)"}}}}]
	    + [{PutRequest: {Item: {id: {N: "8"}}}}])}' >b.json
	run --separate-stderr pdb-batch-write --batch-size 3 b.json
	assert_failure 3
	assert_equal "$stderr" "pdb-batch-write: b.json:1:305: request 8 of table users: ValidationException: One or more parameter values were invalid: Type mismatch for key id expected: S actual: N
pdb-batch-write: 6 requests before the error were committed"
	[ "$(pdb-scan users | jq -r .id.S | paste -sd' ')" = "u0 u1 u2 u3 u4 u5" ]
	[ "$(rows records)" = 6 ]
	run -2 pdb-batch-write -b 0 b.json
}

@test "batch-write: a long input is read a request at a time, in bounded memory" {
	[ "${VALGRIND:-0}" = 1 ] && skip "memory is measured without valgrind"
	tables
	# 200 000 requests on one line: no line or object is held whole.
	jq -nc '{users: [range(200000) | {PutRequest: {Item: {id: {S: "u\(.)"},
	    pad: {S: "................................................................"}}}}]}' >one-line.json
	[ "$(stat -c %s one-line.json)" -gt 20000000 ]
	# AddressSanitizer keeps 256 MB of freed memory in quarantine: keep
	# it small, so that what is measured is pdb's.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8 \
	    run --separate-stderr /usr/bin/time -f '%M' pdb-batch-write one-line.json
	assert_success
	[ "$(pdb-table describe users | jq .ItemCount)" = 200000 ]
	kib=${stderr##*$'\n'}
	[ "$kib" -lt 100000 ] || { echo "peak $kib KiB"; false; }
}

# DynamoDB's S3 export (DYNAMODB_JSON): an item per line, wrapped.
@test "put: S3 export lines load, every type" {
	pdb-table create users id --stream NEW_IMAGE
	cat >export.json <<'EOF'
{"Item":{"id":{"S":"e1"},"b":{"B":"AAEC/w=="},"bs":{"BS":["AQ==","Ag=="]},"bool":{"BOOL":false},"l":{"L":[{"S":"x"},{"N":"1"},{"L":[]}]},"m":{"M":{"k":{"M":{}},"s":{"S":""}}},"n":{"N":"-1.50"},"ns":{"NS":["10","-2"]},"null":{"NULL":true},"s":{"S":"h\u00e9llo"},"ss":{"SS":["z",""]}}}
{"Item":{"id":{"S":"e2"}}}
{"Item":{"id":{"S":"e3"},"Item":{"S":"an attribute named Item"}}}
EOF
	run pdb-put users <export.json
	assert_success
	run pdb-scan users
	assert_output - <<'EOF'
{"b":{"B":"AAEC/w=="},"bool":{"BOOL":false},"bs":{"BS":["AQ==","Ag=="]},"id":{"S":"e1"},"l":{"L":[{"S":"x"},{"N":"1"},{"L":[]}]},"m":{"M":{"k":{"M":{}},"s":{"S":""}}},"n":{"N":"-1.5"},"ns":{"NS":["-2","10"]},"null":{"NULL":true},"s":{"S":"héllo"},"ss":{"SS":["","z"]}}
{"id":{"S":"e2"}}
{"Item":{"S":"an attribute named Item"},"id":{"S":"e3"}}
EOF
	[ "$(records users | jq -r '.[0]' | paste -sd' ')" = "INSERT INSERT INSERT" ]
}

@test "put: an item with an attribute named Item or Items is still an item" {
	pdb-table create users id
	pdb-put users <<'EOF'
{"id":{"S":"a"},"Item":{"M":{"id":{"S":"inner"}}}}
{"id":{"S":"b"},"Items":{"L":[{"S":"x"}]}}
EOF
	echo '{"id":"c","Item":{"id":"inner"},"Items":["x"]}' | pdb-put -p users
	run pdb-scan users
	assert_output - <<'EOF'
{"Item":{"M":{"id":{"S":"inner"}}},"id":{"S":"a"}}
{"Items":{"L":[{"S":"x"}]},"id":{"S":"b"}}
{"Item":{"M":{"id":{"S":"inner"}}},"Items":{"L":[{"S":"x"}]},"id":{"S":"c"}}
EOF
	# With plain JSON nothing is unwrapped: {"Item":…} is an item, and
	# this one lacks the key.
	run --separate-stderr pdb-put -p users <<<'{"Item":{"id":"d"}}'
	assert_failure 3
	assert_equal "$stderr" "pdb-put: stdin:1: ValidationException: One or more parameter values were invalid: Missing the key id in the item"
	# A table whose key is named Item: its items are {"Item":…}, its
	# export lines {"Item":{"Item":…}}.
	pdb-table create things Item
	printf '%s\n' '{"Item":{"S":"k1"}}' '{"Item":{"Item":{"S":"k2"},"x":{"N":"1"}}}' | pdb-put things
	run pdb-scan things
	assert_output $'{"Item":{"S":"k1"}}\n{"Item":{"S":"k2"},"x":{"N":"1"}}'
}

@test "put: aws dynamodb scan output, pretty-printed, loads; a bad item is named" {
	pdb-table create users id --stream NEW_IMAGE
	# As `aws dynamodb scan --table-name users >scan.json` writes it.
	cat >scan.json <<'EOF'
{
    "Items": [
        {
            "id": {
                "S": "u1"
            },
            "tags": {
                "SS": [
                    "a",
                    "b"
                ]
            }
        },
        {
            "id": {
                "S": "u2"
            },
            "n": {
                "N": "7"
            }
        }
    ],
    "Count": 2,
    "ScannedCount": 2,
    "ConsumedCapacity": null
}
EOF
	run pdb-put users <scan.json
	assert_success
	run pdb-scan users
	assert_output $'{"id":{"S":"u1"},"tags":{"SS":["a","b"]}}\n{"id":{"S":"u2"},"n":{"N":"7"}}'
	# On one line too, and an item pretty-printed alone.
	printf '%s\n' '{"Items":[{"id":{"S":"u3"}}],"Count":1,"ScannedCount":1}' \
	    '{' '  "id": {"S": "u4"}' '}' | pdb-put users
	[ "$(pdb-scan users | jq -r .id.S | paste -sd' ')" = "u1 u2 u3 u4" ]
	before=$(db_state)
	sed 's/"u2"/{"x":1}/' scan.json >bad.json
	run --separate-stderr pdb-put users <bad.json
	assert_failure 3
	assert_equal "$stderr" "pdb-put: stdin:14: item 2 of Items: SerializationException: Start of structure or map found where not expected (attribute 'id')"
	run --separate-stderr pdb-put users <<<'{"Items":[],"Count":0,"id":{"S":"x"}}'
	assert_failure 3
	assert_equal "$stderr" "pdb-put: stdin:1: SerializationException: 'Items' is a list, so this is read as a Scan or Query response, which has no member 'id'"
	[ "$(db_state)" = "$before" ]
}

@test "put: each item of Items is a put of its own: conditions, skips, images; an unfinished object names its first line" {
	pdb-table create users id
	echo '{"id":{"S":"a"}}' | pdb-put users
	run --separate-stderr pdb-put -c 'attribute_not_exists(id)' -S users \
	    <<<'{"Items":[{"id":{"S":"a"},"v":{"N":"1"}},{"id":{"S":"b"}}],"Count":2}'
	assert_success
	assert_equal "$stderr" "pdb-put: stdin:1: item 1 of Items: ConditionalCheckFailedException: The conditional request failed (item skipped)"
	run -0 pdb-put -R ALL_OLD users <<<'{"Items":[{"id":{"S":"c"}},{"id":{"S":"b"},"v":{"N":"2"}}]}'
	assert_output '{"id":{"S":"b"}}'
	[ "$(pdb-scan users | paste -sd' ')" = '{"id":{"S":"a"}} {"id":{"S":"b"},"v":{"N":"2"}} {"id":{"S":"c"}}' ]
	before=$(db_state)
	run --separate-stderr pdb-put users <<<$'{"id":{"S":"x"}}\n{\n  "id": {"S": "y"},'
	assert_failure 3
	assert_equal "$stderr" "pdb-put: stdin:2: SerializationException: malformed JSON at line 4, column 1: expected a member name, a string, found the end of the input"
	[ "$(db_state)" = "$before" ]
}

@test "put: a scan by the real AWS CLI through pdb-serve loads into another database as it was" {
	[ -x /usr/bin/aws ] || skip "Debian's awscli is not installed (make deps)"
	pdb-table create users id
	pdb-table -d copy.db create users id
	jq -nc 'range(40) | {id: {S: "u\(.)"}, n: {N: "\(. * 1.5)"}, b: {B: "AAEC"},
	    ns: {NS: ["1", "\(. + 2)"]}, l: {L: [{S: "x"}, {NULL: true}]},
	    m: {M: {deep: {M: {bool: {BOOL: true}}}}}}' | pdb-put users
	serve_start
	# The CLI pages the scan itself and prints one pretty-printed object.
	awscli dynamodb scan --table-name users --page-size 7 >scan.json
	awscli dynamodb query --table-name users --key-condition-expression 'id = :v' \
	    --expression-attribute-values '{":v":{"S":"u3"}}' >query.json
	serve_stop
	[ "$(head -c 1 scan.json)" = "{" ] && [ "$(wc -l <scan.json)" -gt 40 ]
	pdb-put -d copy.db users <scan.json
	diff <(pdb-scan users) <(pdb-scan -d copy.db users)
	# A query's output loads the same way; putting it again changes
	# nothing, so writes no record.
	pdb-table -d copy.db stream users NEW_IMAGE
	pdb-put -d copy.db users <query.json
	[ "$(pdb-stream-tail -d copy.db users | wc -l)" = 0 ]
}

@test "batch-write: usage and --help" {
	run -0 pdb-batch-write --help
	assert_line --index 0 "usage: pdb-batch-write [-b N] [-d db] [FILE ...]"
	run -2 pdb-batch-write --nope
	run -2 pdb-batch-write -b x
	run -4 pdb-batch-write -d nothing.db </dev/null
	assert_output "pdb-batch-write: nothing.db: no such database; create it with 'pdb-table --db nothing.db create TABLE KEY'"
	run --separate-stderr pdb-batch-write missing.json
	assert_failure 4
	assert_equal "$stderr" "pdb-batch-write: missing.json: No such file or directory"
}
