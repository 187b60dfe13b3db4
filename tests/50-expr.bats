#!/usr/bin/env bats
# Expressions: pdb-update, conditions on pdb-put and pdb-delete, pdb-query,
# and filters and projections on pdb-scan.

load helper

seed() {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	echo '{"id":{"S":"u1"},"n":{"N":"10"},"nick":{"S":"Ada"},"tags":{"SS":["a","b"]},"nums":{"NS":["1","2"]},"l":{"L":[{"S":"x"},{"S":"y"},{"S":"z"}]},"m":{"M":{"k":{"N":"1"},"deep":{"M":{"v":{"S":"old"}}}}},"b":{"B":"AAEC"},"flag":{"BOOL":true}}' | pdb-put users
}

upd() { echo '{"id":{"S":"u1"}}' | pdb-update users "$@"; }
get() { echo '{"id":{"S":"u1"}}' | pdb-get users | jq -c "$1"; }
last_record() { pdb-stream-tail users | tail -n 1 | jq -c "$1"; }

@test "SET with +, -, list_append and if_not_exists, top-level and nested" {
	seed
	upd -u 'SET n = n + :d, m.k = m.k - :d, l = list_append(l, :l), m.deep.v = :s, c = if_not_exists(c, :d), nick = if_not_exists(nick, :s)' \
	    -V '{":d":{"N":"0.5"},":l":{"L":[{"S":"w"}]},":s":{"S":"new"}}'
	[ "$(get '[.n.N, .m.M.k.N, [.l.L[].S], .m.M.deep.M.v.S, .c.N, .nick.S]')" = '["10.5","0.5",["x","y","z","w"],"new","0.5","Ada"]' ]
	[ "$(last_record '[.eventName, .dynamodb.OldImage.n.N, .dynamodb.NewImage.n.N]')" = '["MODIFY","10","10.5"]' ]
}

@test "SET a list element by index; past the end appends" {
	seed
	upd -u 'SET l[1] = :a, l[10] = :b' -V '{":a":{"S":"Y"},":b":{"S":"end"}}'
	[ "$(get '[.l.L[].S]')" = '["x","Y","z","end"]' ]
}

@test "REMOVE attributes, nested members and list elements" {
	seed
	upd -u 'REMOVE nick, m.deep, l[0], l[2]'
	[ "$(get '[has("nick"), (.m.M|has("deep")), [.l.L[].S]]')" = '[false,false,["y"]]' ]
}

@test "ADD to numbers and sets, DELETE from sets" {
	seed
	upd -u 'ADD n :five, tags :t, fresh :five DELETE nums :one' -V '{":five":{"N":"5"},":t":{"SS":["c","a"]},":one":{"NS":["1"]}}'
	[ "$(get '[.n.N, .tags.SS, .fresh.N, .nums.NS]')" = '["15",["a","b","c"],"5",["2"]]' ]
	upd -u 'DELETE nums :two' -V '{":two":{"NS":["2"]}}'
	[ "$(get 'has("nums")')" = false ]
}

@test "every operand reads the item as it was: SET a = b, b = a swaps" {
	pdb-table create users id
	echo '{"id":{"S":"u1"},"a":{"N":"1"},"b":{"N":"2"}}' | pdb-put users
	upd -u 'SET a = b, b = a'
	[ "$(get '[.a.N, .b.N]')" = '["2","1"]' ]
}

@test "an update of a missing key creates the item: INSERT" {
	seed
	echo '{"id":{"S":"new"}}' | pdb-update users -u 'SET v = :v' -V '{":v":{"N":"1"}}'
	[ "$(last_record '[.eventName, .dynamodb.NewImage]')" = '["INSERT",{"id":{"S":"new"},"v":{"N":"1"}}]' ]
}

@test "an update that changes nothing writes no record" {
	seed
	before=$(rows records)
	upd -u 'SET nick = :s' -V '{":s":{"S":"Ada"}}'
	upd -u 'REMOVE absent'
	[ "$(rows records)" = "$before" ]
}

@test "--return-values prints the images asked for" {
	seed
	run upd -u 'SET n = :v' -V '{":v":{"N":"11"}}' --return-values UPDATED_OLD
	assert_output '{"n":{"N":"10"}}'
	run upd -u 'SET n = :v' -V '{":v":{"N":"12"}}' --return-values UPDATED_NEW
	assert_output '{"n":{"N":"12"}}'
	run upd -u 'SET n = :v' -V '{":v":{"N":"13"}}' -R ALL_NEW
	[ "$(jq -c '[.n.N, .nick.S]' <<<"$output")" = '["13","Ada"]' ]
	run upd -u 'SET n = :v' -V '{":v":{"N":"14"}}' -R ALL_OLD
	[ "$(jq -c .n.N <<<"$output")" = '"13"' ]
	run upd -u 'SET n = :v' -V '{":v":{"N":"15"}}' -R NONE
	assert_output ""
	run pdb-put users -R ALL_OLD <<<'{"id":{"S":"u1"}}'
	[ "$(jq -c .n.N <<<"$output")" = '"15"' ]
}

@test "--plain: plain keys, values and images" {
	seed
	run bash -c "echo '{\"id\":\"u1\"}' | pdb-update -p users -u 'SET n = n + :d' -V '{\":d\":2.5}' -R UPDATED_NEW"
	assert_success
	assert_output '{"n":12.5}'
}

@test "updating a key attribute is refused with DynamoDB's message" {
	seed
	before=$(db_state)
	run --separate-stderr upd -u 'SET id = :v' -V '{":v":{"S":"x"}}'
	assert_failure 3
	[[ "$stderr" == *"ValidationException: One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key" ]]
	[ "$(db_state)" = "$before" ]
}

@test "update errors: wrong operand types, missing operands, number rules" {
	seed
	before=$(db_state)
	# The request's own operand types are checked before the item is read;
	# the item's are not the request's fault, and AWS words them so.
	run --separate-stderr upd -u 'SET n = n + :d' -V '{":d":{"S":"1"}}'
	assert_failure 3
	[[ "$stderr" == *"Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S" ]]
	run --separate-stderr upd -u 'SET n = nick + :d' -V '{":d":{"N":"1"}}'
	assert_failure 3
	[[ "$stderr" == *"ValidationException: An operand in the update expression has an incorrect data type" ]]
	run --separate-stderr upd -u 'SET n = nothing + :d' -V '{":d":{"N":"1"}}'
	assert_failure 3
	[[ "$stderr" == *"The provided expression refers to an attribute that does not exist in the item"* ]]
	run --separate-stderr upd -u 'ADD nick :d' -V '{":d":{"N":"1"}}'
	assert_failure 3
	[[ "$stderr" == *"ValidationException: An operand in the update expression has an incorrect data type" ]]
	run --separate-stderr upd -u 'SET n = n + :d' -V '{":d":{"N":"1e-100"}}'
	assert_failure 3
	[[ "$stderr" == *"38 significant digits"* ]]
	run --separate-stderr upd -u 'SET x.y = :d' -V '{":d":{"N":"1"}}'
	assert_failure 3
	[[ "$stderr" == *"The document path provided in the update expression is invalid for update"* ]]
	[ "$(db_state)" = "$before" ]
}

@test "syntax errors, reserved words and placeholders: exit 3, DynamoDB's wording" {
	seed
	before=$(db_state)
	check() {
		local want=$1; shift
		run --separate-stderr upd "$@"
		assert_failure 3
		[[ "$stderr" == *"$want"* ]] || { echo "want: $want"; echo "got:  $stderr"; return 1; }
	}
	check 'ValidationException: Invalid UpdateExpression: Syntax error; token: "=", near: "SET = :v"' -u 'SET = :v' -V '{":v":{"N":"1"}}'
	check 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="' -u 'SET a ='
	check 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status' -u 'SET status = :v' -V '{":v":{"N":"1"}}'
	check 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope' -u 'SET a = :nope'
	check 'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #nope' -u 'SET #nope = :v' -V '{":v":{"N":"1"}}'
	check 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:extra}' -u 'SET a = :v' -V '{":v":{"N":"1"},":extra":{"N":"2"}}'
	check 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}' -u 'SET a = :v' -V '{":v":{"N":"1"}}' -N '{"#x":"x"}'
	check 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, k]' -u 'SET m = :v REMOVE m.k' -V '{":v":{"N":"1"}}'
	check 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;' -u 'SET a = :v SET b = :v' -V '{":v":{"N":"1"}}'
	check 'Invalid ConditionExpression: Syntax error' -u 'SET a = :v' -c 'a =' -V '{":v":{"N":"1"}}'
	check 'Invalid ConditionExpression: Invalid function name; function: nope' -u 'SET a = :v' -c 'nope(a)' -V '{":v":{"N":"1"}}'
	check 'SerializationException: --expression-attribute-values: malformed JSON' -u 'SET a = :v' -V '{":v":'
	check 'ValidationException: ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: x for key :v' -u 'SET a = :v' -V '{":v":{"N":"x"}}'
	run --separate-stderr upd -u 'SET #s = :v' -N '{"#s":"status"}' -V '{":v":{"S":"ok"}}'
	assert_success
	[ "$(get .status.S)" = '"ok"' ]
}

# cond EXPR VALUES: is the condition true on u1? (exit 0 true, 1 false)
cond() {
	echo '{"id":{"S":"u1"}}' | pdb-update users -u 'SET probe = :probe' -c "$1" \
	    -V "$(jq -c '. + {":probe":{"N":"1"}}' <<<"${2:-{\}}")" 2>/dev/null
	local rc=$?
	echo '{"id":{"S":"u1"}}' | pdb-update users -u 'REMOVE probe'
	return $rc
}
t() { cond "$@" || { echo "expected true: $1 $2"; return 1; }; }
f() { ! cond "$@" || { echo "expected false: $1 $2"; return 1; }; }

@test "every comparison operator, true and false; different types compare false" {
	seed
	t 'n = :v' '{":v":{"N":"10.0"}}';   f 'n = :v' '{":v":{"N":"11"}}'
	t 'n <> :v' '{":v":{"N":"11"}}';    f 'n <> :v' '{":v":{"N":"10"}}'
	t 'n < :v' '{":v":{"N":"11"}}';     f 'n < :v' '{":v":{"N":"10"}}'
	t 'n <= :v' '{":v":{"N":"10"}}';    f 'n <= :v' '{":v":{"N":"9"}}'
	t 'n > :v' '{":v":{"N":"9.99"}}';   f 'n > :v' '{":v":{"N":"10"}}'
	t 'n >= :v' '{":v":{"N":"10"}}';    f 'n >= :v' '{":v":{"N":"100"}}'
	t 'nick < :v' '{":v":{"S":"Adb"}}'; f 'nick > :v' '{":v":{"S":"a"}}'
	f 'n = :v' '{":v":{"S":"10"}}';     f 'n < :v' '{":v":{"S":"z"}}'
	t 'n <> :v' '{":v":{"S":"10"}}'
	t 'tags = :v' '{":v":{"SS":["b","a"]}}'
	t 'm.k = :v' '{":v":{"N":"1"}}';     t 'l[1] = :v' '{":v":{"S":"y"}}'
}

@test "BETWEEN, IN, AND, OR, NOT and parentheses" {
	seed
	t 'n BETWEEN :a AND :b' '{":a":{"N":"1"},":b":{"N":"10"}}'
	f 'n BETWEEN :a AND :b' '{":a":{"N":"11"},":b":{"N":"20"}}'
	t 'nick IN (:a, :b)' '{":a":{"S":"Bob"},":b":{"S":"Ada"}}'
	f 'nick IN (:a, :b)' '{":a":{"S":"Bob"},":b":{"S":"Cy"}}'
	t 'n = :a AND nick = :b' '{":a":{"N":"10"},":b":{"S":"Ada"}}'
	f 'n = :a AND nick = :b' '{":a":{"N":"10"},":b":{"S":"Bob"}}'
	t 'n = :a OR nick = :b' '{":a":{"N":"0"},":b":{"S":"Ada"}}'
	f 'n = :a OR nick = :b' '{":a":{"N":"0"},":b":{"S":"Bob"}}'
	t 'NOT n = :a' '{":a":{"N":"0"}}';  f 'NOT n = :a' '{":a":{"N":"10"}}'
	# AND binds tighter than OR; parentheses change it.
	t 'n = :x OR n = :y AND nick = :z' '{":x":{"N":"10"},":y":{"N":"0"},":z":{"S":"no"}}'
	f '(n = :x OR n = :y) AND nick = :z' '{":x":{"N":"10"},":y":{"N":"0"},":z":{"S":"no"}}'
	run --separate-stderr upd -u 'SET a = :a' -c 'n BETWEEN :b AND :a' -V '{":a":{"N":"1"},":b":{"N":"5"}}'
	assert_failure 3
	[[ "$stderr" == *"BETWEEN operator requires upper bound to be greater than or equal to lower bound"* ]]
}

@test "every condition function, true and false" {
	seed
	t 'attribute_exists(m.deep.v)';      f 'attribute_exists(m.nope)'
	t 'attribute_not_exists(nope)';      f 'attribute_not_exists(nick)'
	t 'attribute_type(tags, :t)' '{":t":{"S":"SS"}}'
	f 'attribute_type(tags, :t)' '{":t":{"S":"L"}}'
	t 'begins_with(nick, :p)' '{":p":{"S":"Ad"}}'
	f 'begins_with(nick, :p)' '{":p":{"S":"da"}}'
	t 'begins_with(b, :p)' '{":p":{"B":"AAE="}}'
	f 'begins_with(b, :p)' '{":p":{"B":"AQ=="}}'
	t 'contains(nick, :s)' '{":s":{"S":"d"}}';    f 'contains(nick, :s)' '{":s":{"S":"x"}}'
	t 'contains(tags, :s)' '{":s":{"S":"a"}}';    f 'contains(tags, :s)' '{":s":{"S":"q"}}'
	t 'contains(nums, :s)' '{":s":{"N":"2.0"}}';  f 'contains(nums, :s)' '{":s":{"N":"3"}}'
	t 'contains(l, :s)' '{":s":{"S":"y"}}';       f 'contains(l, :s)' '{":s":{"S":"q"}}'
	t 'size(nick) = :n' '{":n":{"N":"3"}}';       f 'size(nick) > :n' '{":n":{"N":"3"}}'
	t 'size(tags) = :n' '{":n":{"N":"2"}}';       t 'size(l) = :n' '{":n":{"N":"3"}}'
	t 'size(m) = :n' '{":n":{"N":"2"}}';          t 'size(b) = :n' '{":n":{"N":"3"}}'
}

@test "a failed condition: ConditionalCheckFailedException, exit 1, input rolled back" {
	pdb-table create users id --stream NEW_IMAGE
	before=$(db_state)
	run --separate-stderr pdb-put users -c 'attribute_not_exists(id)' <<<$'{"id":{"S":"a"}}\n{"id":{"S":"a"},"v":{"N":"2"}}'
	assert_failure 1
	assert_equal "$stderr" "pdb-put: stdin:2: ConditionalCheckFailedException: The conditional request failed"
	[ "$(db_state)" = "$before" ]
}

@test "--skip-failed-conditions makes a fixture load idempotent" {
	pdb-table create users id --stream NEW_IMAGE
	printf '%s\n' '{"id":{"S":"a"},"v":{"N":"1"}}' '{"id":{"S":"b"}}' >fixtures.jsonl
	pdb-put users -c 'attribute_not_exists(id)' --skip-failed-conditions <fixtures.jsonl
	echo '{"id":{"S":"a"},"v":{"N":"99"}}' >>fixtures.jsonl
	run --separate-stderr pdb-put users -c 'attribute_not_exists(id)' --skip-failed-conditions <fixtures.jsonl
	assert_success
	[[ "$stderr" == *"stdin:1: ConditionalCheckFailedException"*"stdin:2: ConditionalCheckFailedException"*"stdin:3: ConditionalCheckFailedException"* ]]
	[ "$(pdb-scan users | jq -c '[.id.S, .v.N]' | paste -sd' ')" = '["a","1"] ["b",null]' ]
	[ "$(rows records)" = 2 ]
}

@test "conditional delete" {
	pdb-table create users id --stream NEW_IMAGE
	printf '%s\n' '{"id":{"S":"a"},"v":{"N":"1"}}' '{"id":{"S":"b"},"v":{"N":"2"}}' | pdb-put users
	run pdb-delete users -c 'v = :one' -V '{":one":{"N":"1"}}' -S <<<$'{"id":{"S":"a"}}\n{"id":{"S":"b"}}'
	assert_success
	[ "$(pdb-scan users | jq -r .id.S)" = b ]
	run --separate-stderr pdb-delete users -c 'v = :one' -V '{":one":{"N":"1"}}' <<<'{"id":{"S":"b"}}'
	assert_failure 1
}

query_seed() {
	pdb-table create orders customer n:N
	pdb-table create words k w
	for c in a b; do for n in -1 2 10 9 1.5 0; do echo "{\"customer\":{\"S\":\"$c\"},\"n\":{\"N\":\"$n\"},\"x\":{\"S\":\"v$n\"}}"; done; done | pdb-put orders
	for w in b ab 2 a B 10 aa A 1 abc; do echo "{\"k\":{\"S\":\"p\"},\"w\":{\"S\":\"$w\"}}"; done | pdb-put words
	echo '{"k":{"S":"q"},"w":{"S":"a"}}' | pdb-put words
}
q() { pdb-query "$@" | jq -r '.n.N // .w.S' | paste -sd' '; }

@test "pdb-query: numeric sort keys in order, both directions, with every operator" {
	query_seed
	V='{":c":{"S":"a"},":v":{"N":"2"},":w":{"N":"9"}}'
	V1='{":c":{"S":"a"}}'
	[ "$(q orders -k 'customer = :c' -V "$V1")" = "-1 0 1.5 2 9 10" ]
	[ "$(q orders -k 'customer = :c' -V "$V1" --reverse)" = "10 9 2 1.5 0 -1" ]
	V2='{":c":{"S":"a"},":v":{"N":"2"}}'
	[ "$(q orders -k 'customer = :c AND n = :v' -V "$V2")" = "2" ]
	[ "$(q orders -k 'customer = :c AND n < :v' -V "$V2")" = "-1 0 1.5" ]
	[ "$(q orders -k 'customer = :c AND n <= :v' -V "$V2")" = "-1 0 1.5 2" ]
	[ "$(q orders -k 'customer = :c AND n > :v' -V "$V2")" = "9 10" ]
	[ "$(q orders -k 'n >= :v AND customer = :c' -V "$V2")" = "2 9 10" ]
	[ "$(q orders -k 'customer = :c AND n BETWEEN :v AND :w' -V "$V")" = "2 9" ]
	[ "$(q orders -k 'customer = :c AND n BETWEEN :v AND :w' -V "$V" -r)" = "9 2" ]
}

@test "pdb-query: string sort keys in byte order, begins_with, filters and projections" {
	query_seed
	P='{":k":{"S":"p"}}'
	[ "$(q words -k 'k = :k' -V "$P")" = "1 10 2 A B a aa ab abc b" ]
	[ "$(q words -k 'k = :k' -V "$P" -r)" = "b abc ab aa a B A 2 10 1" ]
	[ "$(q words -k 'k = :k AND begins_with(w, :a)' -V '{":k":{"S":"p"},":a":{"S":"a"}}')" = "a aa ab abc" ]
	[ "$(q words -k 'k = :k AND w BETWEEN :a AND :b' -V '{":k":{"S":"p"},":a":{"S":"A"},":b":{"S":"aa"}}')" = "A B a aa" ]
	[ "$(q words -k 'k = :k' -V '{":k":{"S":"q"}}')" = "a" ]
	[ "$(q orders -k 'customer = :c' -F 'x > :z' -V '{":c":{"S":"b"},":z":{"S":"v1"}}')" = "1.5 2 9 10" ]
	run pdb-query orders -k 'customer = :c AND n = :n' -P 'x' -V '{":c":{"S":"b"},":n":{"N":"9"}}'
	assert_output '{"x":{"S":"v9"}}'
	[ "$(q orders -k 'customer = :c' -V '{":c":{"S":"a"}}' --limit 2)" = "-1 0" ]
}

@test "pdb-query: key condition errors" {
	query_seed
	run --separate-stderr pdb-query orders -k 'n = :v' -V '{":v":{"N":"1"}}'
	assert_failure 3
	[[ "$stderr" == *"Query condition missed key schema element: customer"* ]]
	run --separate-stderr pdb-query orders -k 'customer = :v' -V '{":v":{"N":"1"}}'
	assert_failure 3
	[[ "$stderr" == *"Condition parameter type does not match schema type"* ]]
	run --separate-stderr pdb-query orders -k 'customer = :c AND x = :c' -V '{":c":{"S":"a"}}'
	assert_failure 3
	run --separate-stderr pdb-query orders
	assert_failure 2
}

@test "pdb-scan with a filter and a projection" {
	query_seed
	run pdb-scan orders -F 'n >= :z AND customer = :c' -P 'customer, n' -V '{":z":{"N":"9"},":c":{"S":"b"}}'
	assert_output $'{"customer":{"S":"b"},"n":{"N":"9"}}\n{"customer":{"S":"b"},"n":{"N":"10"}}'
	run pdb-scan -p orders -F 'n = :z' -V '{":z":10}' -P 'n'
	assert_output $'{"n":10}\n{"n":10}'
}

@test "projections through maps and list elements keep the item's shape" {
	seed
	run pdb-scan users -P 'l[2], m.deep.v, l[0], nick, nope.x, l[9]'
	assert_output '{"l":{"L":[{"S":"x"},{"S":"z"}]},"m":{"M":{"deep":{"M":{"v":{"S":"old"}}}}},"nick":{"S":"Ada"}}'
	echo '{"id":{"S":"u2"},"l":{"L":[{"M":{"a":{"N":"1"},"b":{"N":"2"}}},{"M":{"a":{"N":"3"}}}]}}' | pdb-put users
	run pdb-query users -k 'id = :u' -V '{":u":{"S":"u2"}}' -P 'l[1].a, l[0].b'
	assert_output '{"l":{"L":[{"M":{"b":{"N":"2"}}},{"M":{"a":{"N":"3"}}}]}}'
}

@test "a failed condition on an update changes nothing and writes no record" {
	seed
	before=$(db_state)
	run --separate-stderr upd -u 'SET n = :v' -c 'n > :v' -V '{":v":{"N":"100"}}'
	assert_failure 1
	assert_equal "$stderr" "pdb-update: stdin:1: ConditionalCheckFailedException: The conditional request failed"
	[ "$(db_state)" = "$before" ]
}

@test "expressions past DynamoDB's limits are ValidationException, never a crash" {
	seed
	open=$(printf '(%.0s' {1..40000})
	close=$(printf ')%.0s' {1..40000})
	deep="${open}n = :v${close}"
	run --separate-stderr upd -u 'SET n = :v' -c "$deep" -V '{":v":{"N":"1"}}'
	assert_failure 3
	assert_equal "$stderr" "pdb-update: ValidationException: Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 80006"
	run --separate-stderr bash -c 'echo "{\"id\":{\"S\":\"u9\"}}" | pdb-put users -c "$1"' _ "$deep"
	assert_failure 3
	run --separate-stderr pdb-scan users -F "$deep" -V '{":v":{"N":"1"}}'
	assert_failure 3
	[[ "$stderr" == *"Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: 80006" ]]
	run --separate-stderr pdb-query users -k "${open}id = :v${close}" -V '{":v":{"S":"u1"}}'
	assert_failure 3
	[[ "$stderr" == *"Invalid KeyConditionExpression: Expression size has exceeded"* ]]
	# Within 4 KB, nesting is bounded too.
	n2000="$(printf '(%.0s' {1..2000})n = :v$(printf ')%.0s' {1..2000})"
	run --separate-stderr pdb-scan users -F "$n2000" -V '{":v":{"N":"1"}}'
	assert_failure 3
	[[ "$stderr" == *"Invalid FilterExpression: The expression has too many nested levels; nesting depth: 257" ]]
	nots="$(printf 'NOT %.0s' {1..900})n = :v"
	run --separate-stderr pdb-scan users -F "$nots" -V '{":v":{"N":"1"}}'
	assert_failure 3
	# 300 operators pass, 301 do not; 4096 bytes pass, 4097 do not.
	ors="n = :v$(printf ' OR n = :v%.0s' {1..149})"
	run -0 pdb-scan users -F "$ors" -V '{":v":{"N":"10"}}' -P id
	assert_output '{"id":{"S":"u1"}}'
	run --separate-stderr pdb-scan users -F "$ors OR n = :v" -V '{":v":{"N":"10"}}'
	assert_failure 3
	[[ "$stderr" == *"Invalid FilterExpression: The expression contains too many operators; operator count: 301" ]]
	pad=$(printf ' %.0s' {1..4090})
	run -0 pdb-scan users -F "n = :v$pad" -V '{":v":{"N":"10"}}' -P id
	run --separate-stderr pdb-scan users -F "n = :v$pad " -V '{":v":{"N":"10"}}'
	assert_failure 3
	[[ "$stderr" == *"expression size: 4097" ]]
}

@test "an operand of the wrong type in an item makes the condition false, never an error" {
	seed
	echo '{"id":{"S":"u2"},"n":{"S":"text"}}' | pdb-put users
	# size() of u1's number: u1 is filtered out, as AWS does.
	run -0 pdb-scan users -F 'size(n) > :z' -V '{":z":{"N":"1"}}' -P id
	assert_output '{"id":{"S":"u2"}}'
	run -0 pdb-query users -k 'id = :u' -F 'size(n) > :z' -V '{":u":{"S":"u1"},":z":{"N":"1"}}'
	assert_output ''
}
