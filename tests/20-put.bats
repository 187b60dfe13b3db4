#!/usr/bin/env bats
# pdb-put, pdb-get, pdb-delete, pdb-scan: items in and out, DynamoDB's rules.

load helper

put() { printf '%s\n' "$@" | pdb-put users; }

setup_file() { :; }

@test "put then scan and get return the items" {
	pdb-table create users id
	put '{"id":{"S":"u1"},"age":{"N":"42"},"tags":{"SS":["b","a"]}}' \
	    '{"id":{"S":"u2"},"ok":{"BOOL":true},"nothing":{"NULL":true}}'
	run pdb-scan users
	assert_success
	assert_output $'{"age":{"N":"42"},"id":{"S":"u1"},"tags":{"SS":["a","b"]}}\n{"id":{"S":"u2"},"nothing":{"NULL":true},"ok":{"BOOL":true}}'
	run pdb-get users <<<'{"id":{"S":"u2"}}'
	assert_success
	assert_output '{"id":{"S":"u2"},"nothing":{"NULL":true},"ok":{"BOOL":true}}'
}

@test "every attribute type round-trips" {
	pdb-table create users id
	item='{"b":{"B":"AAEC/w=="},"bs":{"BS":["AQ==","Ag=="]},"bool":{"BOOL":false},"id":{"S":"u1"},"l":{"L":[{"S":"x"},{"N":"1"},{"L":[]}]},"m":{"M":{"k":{"M":{}},"s":{"S":""}}},"n":{"N":"-1.5"},"ns":{"NS":["-2","10"]},"null":{"NULL":true},"s":{"S":"h\u00e9llo \"q\""},"ss":{"SS":["","z"]}}'
	put "$item"
	run pdb-scan users
	assert_output "$(jq -cS . <<<"$item")"
}

@test "get: a missing key prints nothing, is named, exits 1" {
	pdb-table create users id
	put '{"id":{"S":"u1"}}'
	run --separate-stderr pdb-get users <<<$'{"id":{"S":"zz"}}\n{"id":{"S":"u1"}}'
	assert_failure 1
	assert_output '{"id":{"S":"u1"}}'
	assert_equal "$stderr" 'pdb-get: stdin:1: no item with key {"id":{"S":"zz"}}'
}

@test "get and delete want the key's schema" {
	pdb-table create users id
	run --separate-stderr pdb-get users <<<'{"id":{"N":"1"}}'
	assert_failure 3
	[[ "$stderr" == "pdb-get: stdin:1: ValidationException: The provided key element does not match the schema"* ]]
	run --separate-stderr pdb-delete users <<<'{"name":{"S":"x"}}'
	assert_failure 3
	[[ "$stderr" == "pdb-delete: stdin:1: ValidationException: The provided key element does not match the schema"* ]]
}

@test "delete removes items; extra attributes are ignored; missing keys are fine" {
	pdb-table create users id
	put '{"id":{"S":"u1"},"a":{"N":"1"}}' '{"id":{"S":"u2"}}'
	pdb-scan users | head -n 1 | pdb-delete users
	printf '%s\n' '{"id":{"S":"nope"}}' | pdb-delete users
	run pdb-scan users
	assert_output '{"id":{"S":"u2"}}'
}

@test "--plain in: marshalled as the SDKs do; --plain out: numbers exact" {
	pdb-table create users id
	echo '{"id":"u1","n":42,"f":1.5,"t":true,"z":null,"l":[1,"a"],"m":{"k":[]}}' | pdb-put --plain users
	run pdb-scan users
	assert_output '{"f":{"N":"1.5"},"id":{"S":"u1"},"l":{"L":[{"N":"1"},{"S":"a"}]},"m":{"M":{"k":{"L":[]}}},"n":{"N":"42"},"t":{"BOOL":true},"z":{"NULL":true}}'
	put '{"id":{"S":"u2"},"big":{"N":"12345678901234567890123456789012345678"},"ns":{"NS":["3","1"]},"ss":{"SS":["x"]},"b":{"B":"AQ=="}}'
	run pdb-get --plain users <<<'{"id":"u2"}'
	assert_output '{"b":"AQ==","big":12345678901234567890123456789012345678,"id":"u2","ns":[1,3],"ss":["x"]}'
	run pdb-scan -p users
	[ "$(head -n 1 <<<"$output")" = '{"f":1.5,"id":"u1","l":[1,"a"],"m":{"k":[]},"n":42,"t":true,"z":null}' ]
}

@test "numbers are normalised as DynamoDB normalises them" {
	pdb-table create nums k:N
	cases=(
		'0000012345678901234567890123456789012345678=12345678901234567890123456789012345678'
		'-00001.23456789012345678901234567890123456780000=-1.2345678901234567890123456789012345678'
		"0009.99999999999999999999999999999999999990000e125=$(printf '9%.0s' {1..38})$(printf '0%.0s' {1..88})"
		"0001.000e-130=0.$(printf '0%.0s' {1..129})1"
		'-0015.789e6=-15789000'
		'1.0=1'
		'-0=0'
		'1E+2=100'
		'.5=0.5'
	)
	for c in "${cases[@]}"; do
		in=${c%%=*} want=${c#*=}
		pdb-table delete nums; pdb-table create nums k:N
		echo "{\"k\":{\"N\":\"$in\"}}" | pdb-put nums
		run pdb-scan nums
		assert_output "{\"k\":{\"N\":\"$want\"}}"
	done
}

@test "a 38-digit number round-trips exactly, in and out" {
	pdb-table create users id
	n=-0.00012345678901234567890123456789012345678
	put "{\"id\":{\"S\":\"u\"},\"n\":{\"N\":\"$n\"},\"ns\":{\"NS\":[\"$n\",\"99999999999999999999999999999999999999\"]}}"
	run pdb-scan users
	assert_output "{\"id\":{\"S\":\"u\"},\"n\":{\"N\":\"$n\"},\"ns\":{\"NS\":[\"$n\",\"99999999999999999999999999999999999999\"]}}"
}

@test "scan returns numbers in DynamoDB's numeric order" {
	pdb-table create nums k:N
	order='-99.1 -10.1 -9.9 -9 -1.01 -1 -0.9 -0.1 -0.09 -0.01 0 0.01 0.09 0.1 0.9 1 1.1 1.9 9 9.1 10.1 10.9 99.1'
	for n in $(tr ' ' '\n' <<<"$order" | shuf); do echo "{\"k\":{\"N\":\"$n\"}}"; done | pdb-put nums
	run bash -c "pdb-scan nums | jq -r .k.N | paste -sd' '"
	assert_output "$order"
}

@test "scan returns strings in UTF-8 byte order" {
	pdb-table create strs k
	for s in b ab 2 a B 10 aa A 1 '¿' z; do echo "{\"k\":{\"S\":\"$s\"}}"; done | pdb-put strs
	run bash -c "pdb-scan strs | jq -r .k.S | paste -sd' '"
	assert_output "1 10 2 A B a aa ab b z ¿"
}

@test "scan returns binary in unsigned byte order, prefixes first" {
	pdb-table create bins k:B
	for hex in f5 11 d4 70 22 eaff ea 4f 2400 24 00 0000; do
		b64=$(printf "$(sed 's/../\\x&/g' <<<"$hex")" | base64)
		echo "{\"k\":{\"B\":\"$b64\"}}"
	done | pdb-put bins
	run bash -c "pdb-scan bins | jq -r .k.B | while read -r b; do base64 -d <<<\"\$b\" | od -An -tx1 | tr -d ' \n'; echo; done | paste -sd' '"
	assert_output "00 0000 11 22 24 2400 4f 70 d4 ea eaff f5"
}

@test "composite keys sort by partition key, then sort key" {
	pdb-table create orders customer n:N
	for r in 'b 2' 'a 10' 'ab 1' 'a 9' 'a -1' 'b 1'; do
		set -- $r
		echo "{\"customer\":{\"S\":\"$1\"},\"n\":{\"N\":\"$2\"}}"
	done | pdb-put orders
	run bash -c "pdb-scan orders | jq -r '.customer.S + \":\" + .n.N' | paste -sd' '"
	assert_output "a:-1 a:9 a:10 ab:1 b:1 b:2"
}

@test "numbers equal in value are the same key" {
	pdb-table create nums k:N
	printf '%s\n' '{"k":{"N":"1"},"v":{"S":"first"}}' '{"k":{"N":"1.000"},"v":{"S":"second"}}' | pdb-put nums
	run pdb-scan nums
	assert_output '{"k":{"N":"1"},"v":{"S":"second"}}'
}

# Each rule: the bad line, the expected error text; exit 3, nothing stored.
rule() {
	local line=$1 want=$2
	local before
	before=$(db_state)
	run --separate-stderr pdb-put users <<<"{\"id\":{\"S\":\"ok\"}}
$line"
	assert_failure 3
	[[ "$stderr" == "pdb-put: stdin:2: "*"$want"* ]] || {
		echo "line: $line"; echo "want: $want"; echo "got:  $stderr"; return 1; }
	[ "$(db_state)" = "$before" ]
}

@test "attribute values: DynamoDB's rules and wording, exit 3, nothing written" {
	pdb-table create users id
	rule '{"id":{"S":"u"},"a":{}}' 'ValidationException: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'
	rule '{"id":{"S":"u"},"a":{"S":"x","N":"1"}}' 'ValidationException: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'
	rule '{"id":{"S":"u"},"a":{"X":"1"}}' 'ValidationException: Supplied AttributeValue is empty'
	rule '{"id":{"S":"u"},"a":{"NULL":false}}' 'ValidationException: One or more parameter values were invalid: Null attribute value types must have the value of true'
	rule '{"id":{"S":"u"},"a":{"SS":[]}}' 'ValidationException: One or more parameter values were invalid: An string set  may not be empty'
	rule '{"id":{"S":"u"},"a":{"NS":[]}}' 'ValidationException: One or more parameter values were invalid: An number set  may not be empty'
	rule '{"id":{"S":"u"},"a":{"BS":[]}}' 'ValidationException: One or more parameter values were invalid: Binary sets should not be empty'
	rule '{"id":{"S":"u"},"a":{"SS":["a","a"]}}' 'ValidationException: One or more parameter values were invalid: Input collection [a, a] contains duplicates.'
	rule '{"id":{"S":"u"},"a":{"NS":["1","1.0"]}}' 'ValidationException: Input collection contains duplicates'
	rule '{"id":{"S":"u"},"a":{"BS":["Yg==","Yg=="]}}' 'ValidationException: One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates.'
	rule '{"id":{"S":"u"},"a":{"S":5}}' 'SerializationException: NUMBER_VALUE cannot be converted to String'
	rule '{"id":{"S":"u"},"a":{"S":true}}' 'SerializationException: TRUE_VALUE cannot be converted to String'
	rule '{"id":{"S":"u"},"a":{"B":"abcde"}}' 'SerializationException: Base64 encoded length is expected a multiple of 4 bytes but found: 5'
	rule '{"id":{"S":"u"},"a":{"B":"Yh=="}}' 'SerializationException: Invalid last non-pad Base64 character dectected'
	rule '{"id":{"S":"u"},"a":{"BOOL":"true"}}' 'SerializationException: VALUE_STRING cannot be converted to Boolean'
}

@test "errors name the attribute path" {
	pdb-table create users id
	rule '{"id":{"S":"u"},"a":{"M":{"b":{"L":[{"S":"x"},{"N":"x"}]}}}}' "ValidationException: The parameter cannot be converted to a numeric value: x (attribute 'a.b[1]')"
}

@test "numbers: DynamoDB's rules and wording" {
	pdb-table create users id
	rule '{"id":{"S":"u"},"n":{"N":""}}' 'ValidationException: The parameter cannot be converted to a numeric value'
	rule '{"id":{"S":"u"},"n":{"N":"b"}}' 'ValidationException: The parameter cannot be converted to a numeric value: b'
	rule '{"id":{"S":"u"},"n":{"N":"123456789012345678901234567890123456789"}}' 'ValidationException: Attempting to store more than 38 significant digits in a Number'
	rule '{"id":{"S":"u"},"n":{"N":"1e126"}}' 'ValidationException: Number overflow. Attempting to store a number with magnitude larger than supported range'
	rule '{"id":{"S":"u"},"n":{"N":"1e-131"}}' 'ValidationException: Number underflow. Attempting to store a number with magnitude smaller than supported range'
	rule '{"id":{"S":"u"},"n":{"NS":["1","x"]}}' 'ValidationException: The parameter cannot be converted to a numeric value: x'
}

@test "keys: DynamoDB's rules and wording" {
	pdb-table create users id
	rule '{"name":{"S":"x"}}' 'ValidationException: One or more parameter values were invalid: Missing the key id in the item'
	rule '{"id":{"N":"1"}}' 'ValidationException: One or more parameter values were invalid: Type mismatch for key id expected: S actual: N'
	rule '{"id":{"S":""}}' 'ValidationException: One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id'
	rule "{\"id\":{\"S\":\"$(head -c 2049 /dev/zero | tr '\0' x)\"}}" 'ValidationException: One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes'
	pdb-table create bins k:B s
	before=$(db_state)
	run --separate-stderr pdb-put bins <<<'{"k":{"B":""},"s":{"S":"x"}}'
	assert_failure 3
	[[ "$stderr" == *"cannot contain an empty binary value. Key: k" ]]
	run --separate-stderr pdb-put bins <<<"{\"k\":{\"B\":\"AA==\"},\"s\":{\"S\":\"$(head -c 1025 /dev/zero | tr '\0' y)\"}}"
	assert_failure 3
	[[ "$stderr" == *"Aggregated size of all range keys has exceeded the size limit of 1024 bytes" ]]
	[ "$(db_state)" = "$before" ]
	# At the limits exactly: accepted.
	echo "{\"id\":{\"S\":\"$(head -c 2048 /dev/zero | tr '\0' x)\"}}" | pdb-put users
	echo "{\"k\":{\"B\":\"AA==\"},\"s\":{\"S\":\"$(head -c 1024 /dev/zero | tr '\0' y)\"}}" | pdb-put bins
}

@test "item size: 409600 bytes pass, 409601 fail" {
	pdb-table create users id
	# id(2) + u(1) + a(1) + value
	big=$(head -c 409596 /dev/zero | tr '\0' x)
	echo "{\"id\":{\"S\":\"u\"},\"a\":{\"S\":\"$big\"}}" | pdb-put users
	rule "{\"id\":{\"S\":\"v\"},\"a\":{\"S\":\"${big}x\"}}" 'ValidationException: Item size has exceeded the maximum allowed size'
}

@test "nesting: 32 levels pass, 33 fail" {
	pdb-table create users id
	nest() { local v='{"S":"leaf"}' i; for ((i = 0; i < $1; i++)); do v="{\"M\":{\"m\":$v}}"; done; echo "$v"; }
	echo "{\"id\":{\"S\":\"u\"},\"a\":$(nest 31)}" | pdb-put users
	rule "{\"id\":{\"S\":\"v\"},\"a\":$(nest 32)}" 'ValidationException: Nesting Levels have exceeded supported limits'
}

@test "malformed JSON names the line, exit 3, nothing written" {
	pdb-table create users id
	rule '{"id":{"S":"u"' 'SerializationException: malformed JSON'
	rule '[1,2]' 'SerializationException: expected an item'
	rule '{"id":{"S":"a"},"id":{"S":"b"}}' 'SerializationException: malformed JSON'
}

@test "all or nothing: a bad line keeps the whole input out" {
	pdb-table create users id --stream NEW_IMAGE
	run pdb-put users <<<$'{"id":{"S":"a"}}\n{"id":{"S":"b"}}\n{"id":{"N":"3"}}'
	assert_failure 3
	[ "$(rows items)" = 0 ]
	[ "$(rows records)" = 0 ]
}

@test "--batch-size commits every N lines" {
	pdb-table create users id --stream NEW_IMAGE
	run --separate-stderr pdb-put --batch-size 2 users <<<$'{"id":{"S":"a"}}\n{"id":{"S":"b"}}\n{"id":{"S":"c"}}\n{"id":{"N":"4"}}'
	assert_failure 3
	[[ "$stderr" == "pdb-put: stdin:4: "* ]]
	run bash -c 'pdb-scan users | jq -r .id.S | paste -sd" "'
	assert_output "a b"
	[ "$(rows records)" = 2 ]
	run --separate-stderr pdb-put -b 0 users </dev/null
	assert_failure 2
}

@test "blank lines are skipped and line numbers still count them" {
	pdb-table create users id
	run --separate-stderr pdb-put users <<<$'{"id":{"S":"a"}}\n\n   \n{"id":{"N":"1"}}'
	assert_failure 3
	[[ "$stderr" == "pdb-put: stdin:4: "* ]]
}

@test "two pdb-put processes at once: both succeed, nothing lost" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	for w in a b; do
		for i in $(seq 1 2000); do echo "{\"id\":{\"S\":\"$w$i\"},\"n\":{\"N\":\"$i\"}}"; done >"$w.jsonl"
	done
	pdb-put --batch-size 100 users <a.jsonl & pa=$!
	pdb-put --batch-size 100 users <b.jsonl & pb=$!
	wait $pa
	wait $pb
	[ "$(pdb-scan users | wc -l)" = 4000 ]
	[ "$(rows records)" = 4000 ]
	[ "$(sqlite3 "$PDB_DB" 'SELECT count(DISTINCT seq) FROM records')" = 4000 ]
}

@test "a closed pipe ends quietly; a full disk on stdout fails loudly" {
	pdb-table create users id
	for i in $(seq 1 5000); do echo "{\"id\":{\"S\":\"u$i\"}}"; done | pdb-put users
	run --separate-stderr bash -c 'pdb-scan users | head -n 1'
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr pdb-scan users >/dev/full
	run --separate-stderr bash -c 'pdb-scan users >/dev/full'
	assert_failure 4
	[[ "$stderr" == "pdb-scan: cannot write to stdout: No space left on device" ]]
}

@test "no progress output when stderr is not a terminal" {
	pdb-table create users id
	run --separate-stderr bash -c 'for i in $(seq 1 20000); do echo "{\"id\":{\"S\":\"u$i\"}}"; done | pdb-put users'
	assert_success
	assert_equal "$stderr" ""
}

@test "progress on a terminal for long inputs" {
	command -v script >/dev/null || skip "script(1) is not installed"
	pdb-table create users id
	seq 1 100000 | sed 's/.*/{"id":{"S":"u&"}}/' >items
	# script gives pdb-put a terminal; a commit per line makes it last.
	run script -qec "pdb-put --batch-size 1 users <items" /dev/null
	assert_success
	[[ "$output" == *"pdb-put: "*" items, "*" items/s"* ]]
	[ "$(pdb-scan users | wc -l)" = 100000 ]
}

@test "--plain: an integer past 64 bits goes through a double, as documented" {
	pdb-table create users id
	echo '{"id":"big","n":123456789012345678901234567890,"small":42}' | pdb-put -p users
	run pdb-scan users
	assert_output '{"id":{"S":"big"},"n":{"N":"123456789012345680000000000000"},"small":{"N":"42"}}'
}

@test "a 50 MB line is refused by its length, in bounded memory, naming the line" {
	pdb-table create users id
	before=$(db_state)
	{
		echo '{"id":{"S":"ok"}}'
		printf '{"id":{"S":"big"},"a":{"S":"'
		head -c 50000000 /dev/zero | tr '\0' x
		printf '"}}\n'
	} >big.jsonl
	run --separate-stderr /usr/bin/time -f '%M' pdb-put users <big.jsonl
	assert_failure 3
	[[ "${stderr%%$'\n'*}" == "pdb-put: stdin:2: SerializationException: the line is longer than 4194304 bytes"* ]]
	# Peak resident memory in KiB: far under 4 x the line.
	kib=${stderr##*$'\n'}
	[ "$kib" -lt 100000 ] || { echo "peak $kib KiB"; false; }
	[ "$(db_state)" = "$before" ]
}

@test "duplicates in a long set: the message keeps the words that name the problem" {
	pdb-table create users id
	big=$(printf 'x%.0s' {1..600})
	run --separate-stderr bash -c "echo '{\"id\":{\"S\":\"a\"},\"s\":{\"SS\":[\"$big\",\"b\",\"$big\"]}}' | pdb-put users"
	assert_failure 3
	[[ "$stderr" == *"] contains duplicates. (attribute 's')" ]]
	[ "${#stderr}" -lt 400 ]
}

@test "U+0000 in a string: every path that reads the stored item keeps the whole item" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	item='{"id":{"S":"a"},"m":{"M":{"s":{"SS":["\u0000","x\u0000y"]}}},"v":{"S":"a\u0000b"},"w":{"N":"1"}}'
	echo "$item" | pdb-put users
	# An update keeps what it does not set (it once lost them all).
	run pdb-update users -u 'SET x = :v' -V '{":v":{"N":"2"}}' <<<'{"id":{"S":"a"}}'
	assert_success
	want='{"id":{"S":"a"},"m":{"M":{"s":{"SS":["\u0000","x\u0000y"]}}},"v":{"S":"a\u0000b"},"w":{"N":"1"},"x":{"N":"2"}}'
	[ "$(pdb-scan users)" = "$want" ]
	[ "$(pdb-stream-tail users | tail -n 1 | jq -c .dynamodb.OldImage)" = "$(jq -c . <<<"$item")" ]
	# Filters, projections, conditions and pages read it too.
	[ "$(pdb-scan users -F 'v = :v' -V '{":v":{"S":"a\u0000b"}}' -P 'v, m.s')" = '{"m":{"M":{"s":{"SS":["\u0000","x\u0000y"]}}},"v":{"S":"a\u0000b"}}' ]
	[ "$(pdb-scan users -l 1)" = "$want" ]
	run pdb-put users -c 'contains(v, :z)' -V '{":z":{"S":"\u0000"}}' -R ALL_OLD <<<'{"id":{"S":"a"}}'
	assert_success
	assert_output "$want"
	serve_start
	echo "$item" | pdb-put users
	[ "$(call GetItem '{"TableName":"users","Key":{"id":{"S":"a"}},"ProjectionExpression":"v"}')" = '{"Item":{"v":{"S":"a\u0000b"}}}' ]
	[ "$(call BatchGetItem '{"RequestItems":{"users":{"Keys":[{"id":{"S":"a"}}],"ProjectionExpression":"w"}}}' | jq -c .Responses.users)" = '[{"w":{"N":"1"}}]' ]
	[ "$(status)" = 200 ]
	# In a key too: "a\u0000" is another item than "a", through either
	# front end, and its stream record says so.
	[ "$(call PutItem '{"TableName":"users","Item":{"id":{"S":"a\u0000"},"v":{"S":"\u0000"}}}')" = '{}' ]
	[ "$(pdb-get users <<<'{"id":{"S":"a\u0000"}}')" = '{"id":{"S":"a\u0000"},"v":{"S":"\u0000"}}' ]
	[ "$(call Scan '{"TableName":"users"}' | jq -c '[.Items[].id.S]')" = '["a","a\u0000"]' ]
	[ "$(pdb-stream-tail users | tail -n 1 | jq -c '[.eventName, .dynamodb.Keys]')" = '["INSERT",{"id":{"S":"a\u0000"}}]' ]
	serve_stop
}
