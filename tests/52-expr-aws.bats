#!/usr/bin/env bats
# Expressions as AWS answers them: each test is one class of deviation the
# conformance suite found (tests/conformance/FINDINGS.md, by its id), with
# AWS's exact words.  The same library answers pdb-serve.

load helper


seed() {
	pdb-table create users id
	echo '{"id":{"S":"u1"},"s":{"S":"abc"},"n":{"N":"5"},"m":{"M":{"a":{"N":"1"},"x1":{"N":"8"}}},"l":{"L":[{"N":"1"},{"M":{"a":{"N":"1"},"x":{"N":"2"}}}]},"ss":{"SS":["a","b"]},"b":{"B":"AAEC"},"u":{"S":"é😀"}}' | pdb-put users
}

upd() { echo '{"id":{"S":"u1"}}' | pdb-update users "$@"; }

# invalid MESSAGE ARGS...: pdb-update refuses with exactly this message.
invalid() {
	local want=$1
	shift
	run --separate-stderr upd "$@"
	[ "$status" -eq 3 ] && [[ "$stderr" == *": ValidationException: $want" ]] ||
	    { echo "want: $want"; echo "got:  $status $stderr"; return 1; }
}

# holds COND VALUES / fails COND VALUES: the condition on u1 is true
# (the update is done) or false (ConditionalCheckFailedException).
probe() {
	run --separate-stderr upd -u 'SET probe = :probe' -c "$1" \
	    -V "$(jq -c '. + {":probe":{"N":"1"}}' <<<"${2:-{\}}")"
}
holds() {
	probe "$@"
	[ "$status" -eq 0 ] || { echo "expected true: $1 $2: $stderr"; return 1; }
}
fails() {
	probe "$@"
	[ "$status" -eq 1 ] && [[ "$stderr" == *"ConditionalCheckFailedException: The conditional request failed" ]] ||
	    { echo "expected false: $1 $2: $status $stderr"; return 1; }
}

C='Invalid ConditionExpression: '

# used JSON TEXT: the placeholders of JSON that TEXT uses.
used() { jq -c --arg x "$2" 'with_entries(select(.key as $k | $x | test($k + "\\b")))' <<<"$1"; }

# refused_as WANT: the last run exited 3 with exactly WANT on stderr.
refused_as() {
	[ "$status" -eq 3 ] && [ "$stderr" = "$1" ] ||
	    { echo "want: $1"; echo "got:  $status $stderr"; return 1; }
}

# refused MESSAGE COND VALUES: the condition is refused with
# "Invalid ConditionExpression: MESSAGE".
refused() {
	invalid "$C$1" -u 'SET probe = :probe' -c "$2" \
	    -V "$(jq -c '. + {":probe":{"N":"1"}}' <<<"${3:-{\}}")"
}
TYPE='Incorrect operand type for operator or function; operator or function: '

@test "B8: an operand of the wrong type in the request is refused before any item is read" {
	seed
	refused "${TYPE}<=, operand type: BOOL" 's <= :v' '{":v":{"BOOL":true}}'
	refused "${TYPE}<, operand type: NS" 'm.x < :v' '{":v":{"NS":["6"]}}'
	refused "${TYPE}begins_with, operand type: N" 'begins_with(s, :v)' '{":v":{"N":"1"}}'
	refused "${TYPE}size, operand type: N" 'size(:v) = :v' '{":v":{"N":"1"}}'
	refused "${TYPE}attribute_type, operand type: N" 'attribute_type(s, :v)' '{":v":{"N":"1"}}'
	refused "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}" 'n BETWEEN :v AND :s' '{":v":{"N":"1"},":s":{"S":"a"}}'
	invalid "Invalid UpdateExpression: ${TYPE}+, operand type: S" -u 'SET z = n + :s' -V '{":s":{"S":"x"}}'
	# A filter too, even on a table with nothing in it.
	pdb-table create empty id
	run --separate-stderr pdb-scan empty -F 'id <= :v' -V '{":v":{"BOOL":true}}'
	assert_failure 3
	assert_equal "$stderr" "pdb-scan: ValidationException: Invalid FilterExpression: ${TYPE}<=, operand type: BOOL"
}

@test "B9: a syntax error quotes the token, \"<EOF>\" too, and the text near it" {
	seed
	invalid "${C}Syntax error; token: \"<EOF>\", near: \"=\"" -u 'SET z = :v' -c 's =' -V '{":v":{"N":"1"}}'
	run --separate-stderr pdb-scan users -F 'NOT #n0' -N '{"#n0":"a"}'
	assert_failure 3
	assert_equal "$stderr" 'pdb-scan: ValidationException: Invalid FilterExpression: Syntax error; token: "<EOF>", near: "#n0"'
	invalid 'Invalid UpdateExpression: Syntax error; token: "UPSERT", near: "UPSERT z"' -u 'UPSERT z = :v' -V '{":v":{"N":"1"}}'
}

@test "B18: a path compared with itself is refused" {
	seed
	refused "The first operand must be distinct from the remaining operands for this operator or function; operator: >=, first operand: [n]" 'n >= n'
	refused "The first operand must be distinct from the remaining operands for this operator or function; operator: IN, first operand: [s]" 's IN (:v, s)' '{":v":{"N":"1"}}'
	# if_not_exists too, in DynamoDB Local's words, before the key or the
	# item is looked at; of two actions' faults, the last one's.
	D="Invalid UpdateExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: if_not_exists, first operand:"
	invalid "$D [m, a]" -u 'SET z = if_not_exists(m.a, m.a)'
	invalid "$D [l, [0]]" -u 'SET z = if_not_exists(l[0], l[0])'
	invalid "$D [s]" -u 'SET id = if_not_exists(#s, s)' -N '{"#s":"s"}'
	invalid "$D [nope]" -u 'SET z = if_not_exists(nope, nope)'
	invalid "$D [n]" -u 'SET y = if_not_exists(:v, :v), z = if_not_exists(n, n)' -V '{":v":{"N":"1"}}'
	invalid "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists" -u 'SET z = if_not_exists(n, n), y = if_not_exists(:v, :v)' -V '{":v":{"N":"1"}}'
	run -0 upd -u 'SET z = if_not_exists(m, m.a), y = if_not_exists(n, if_not_exists(n, :v))' -V '{":v":{"N":"1"}}'
}

@test "B19: a function in the wrong kind of expression is not allowed, not unknown" {
	seed
	invalid 'Invalid UpdateExpression: The function is not allowed in an update expression; function: size' -u 'SET z = size(s)'
	refused "The function is not allowed in a condition expression; function: list_append" 'list_append(l, :v) = :v' '{":v":{"N":"1"}}'
	refused "Invalid function name; function: Size" 'Size(s) = :v' '{":v":{"N":"1"}}'
}

@test "B21: a keyword out of place is a syntax error, not a reserved word" {
	seed
	invalid "${C}Syntax error; token: \"OR\", near: \"OR OR s\"" -u 'SET z = :v' -c 's = :v OR OR s = :v' -V '{":v":{"S":"a"}}'
	run --separate-stderr pdb-scan users -P 'size(s)'
	assert_failure 3
	assert_equal "$stderr" 'pdb-scan: ValidationException: Invalid ProjectionExpression: Syntax error; token: "(", near: "size(s"'
}

@test "B22: paths that use one attribute as both map and list conflict" {
	seed
	invalid 'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [l, [1]], path two: [l, a]' \
	    -u 'SET l[1] = :v REMOVE l.a' -V '{":v":{"N":"1"}}'
	run --separate-stderr pdb-scan users -P 'm.x, m[1]'
	assert_failure 3
	assert_equal "$stderr" 'pdb-scan: ValidationException: Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [m, x], path two: [m, [1]]'
}

@test "B23: size() of a number, BOOL or NULL in the item is a false condition, not an error" {
	seed
	fails 'size(n) = :v' '{":v":{"N":"1"}}'
	holds 'NOT (size(n) > :v)' '{":v":{"N":"1"}}'
	holds 'size(n) <> :v' '{":v":{"N":"1"}}'
}

@test "B24: an item value of the wrong type for ADD, DELETE, list_append, + or - is AWS's item error" {
	seed
	invalid 'An operand in the update expression has an incorrect data type' -u 'ADD s :v' -V '{":v":{"N":"1"}}'
	invalid 'An operand in the update expression has an incorrect data type' -u 'DELETE s :v' -V '{":v":{"SS":["a"]}}'
	invalid 'An operand in the update expression has an incorrect data type' -u 'SET z = s + :v' -V '{":v":{"N":"1"}}'
	invalid 'An operand in the update expression has an incorrect data type' -u 'SET z = list_append(s, l)'
}

@test "B25: attribute_type lists the valid types as AWS writes them" {
	seed
	refused "Invalid attribute type name found; type: XX, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}" 'attribute_type(s, :t)' '{":t":{"S":"XX"}}'
}

@test "B26: ADD or DELETE of a value of the wrong type names the type as AWS does" {
	seed
	invalid 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING' -u 'ADD n :v' -V '{":v":{"S":"x"}}'
	invalid 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER' -u 'DELETE ss :v' -V '{":v":{"N":"1"}}'
}

@test "B27: BETWEEN's bounds are printed as AWS prints them" {
	seed
	refused "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}" 'n BETWEEN :b AND :a' '{":a":{"S":"a"},":b":{"S":"b"}}'
}

@test "B28: a wrong operand count, or a value for a path, is named so" {
	seed
	refused "Incorrect number of operands for operator or function; operator or function: contains, number of operands: 3" 'contains(s, :v, s)' '{":v":{"N":"1"}}'
	refused "Operator or function requires a document path; operator or function: attribute_exists" 'attribute_exists(:v)' '{":v":{"S":"a"}}'
}

@test "B29: a function that is no condition, used as one, is refused" {
	seed
	refused "The function is not allowed to be used this way in an expression; function: size" 'size(s)'
}

@test "B31: DELETE through a missing parent is an invalid path, as ADD, SET and REMOVE" {
	seed
	invalid 'The document path provided in the update expression is invalid for update' -u 'DELETE nosuch.x :v' -V '{":v":{"SS":["a"]}}'
}

@test "B32: a <> b is true when both are missing" {
	seed
	holds 'q <> z'
	fails 'q = z'
}

@test "B33: a filter's errors name the FilterExpression" {
	seed
	run --separate-stderr pdb-scan users -F 'attribute_type(s, :t)' -V '{":t":{"S":"XX"}}'
	assert_failure 3
	assert_equal "$stderr" 'pdb-scan: ValidationException: Invalid FilterExpression: Invalid attribute type name found; type: XX, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}'
}

@test "B34: the update expression's faults come before the condition's" {
	seed
	invalid 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [z], path two: [z]' \
	    -u 'SET z = :v REMOVE z' -c 's = = :v' -V '{":v":{"S":"a"}}'
	invalid "Invalid UpdateExpression: ${TYPE}+, operand type: S" -u 'SET z = z + :v' -c 'n = :v' -V '{":v":{"S":"a"}}'
}

@test "B35: contains() finds bytes in a binary, and an empty operand everywhere" {
	seed
	holds 'contains(b, :v)' '{":v":{"B":"AQ=="}}'
	fails 'contains(b, :v)' '{":v":{"B":"Aw=="}}'
	holds 'contains(b, :v)' '{":v":{"B":""}}'
	holds 'contains(s, :v)' '{":v":{"S":""}}'
}

@test "B36: UPDATED_OLD and UPDATED_NEW return only the paths the update changes" {
	seed
	run -0 upd -u 'SET m.x2 = :v' -V '{":v":{"N":"8"}}' -R UPDATED_OLD
	assert_output ''
	run -0 upd -u 'REMOVE m.zz' -R UPDATED_OLD
	assert_output ''
	run -0 upd -u 'SET m.a = :v' -V '{":v":{"N":"2"}}' -R UPDATED_OLD
	assert_output '{"m":{"M":{"a":{"N":"1"}}}}'
	run -0 upd -u 'SET m.a = :v, l[1].a = :v' -V '{":v":{"N":"3"}}' -R UPDATED_NEW
	assert_output '{"l":{"L":[{"M":{"a":{"N":"3"}}}]},"m":{"M":{"a":{"N":"3"}}}}'
	# REMOVE l[0]: the new l[0] is what was l[1], and AWS returns it.
	run -0 upd -u 'REMOVE l[0]' -R UPDATED_NEW
	assert_output '{"l":{"L":[{"M":{"a":{"N":"3"},"x":{"N":"2"}}}]}}'
	run -0 upd -u 'SET l[9] = :v' -V '{":v":{"N":"4"}}' -R UPDATED_NEW
	assert_output ''
}

@test "writes past a list's end are appended in index order, not expression order" {
	seed
	# dynalite's test/updateItem.js "should update nested attributes",
	# recorded against AWS: c[4], c[2], ADD c[8], c[6] on a list of two
	# append c[2], c[4], c[6], c[8].  Done in expression order, l[3] would
	# land on what l[5] appended and l[5]'s value would be lost.
	run -0 upd -u 'SET l[5] = :a, l[3] = :b' -V '{":a":{"N":"9"},":b":{"N":"8"}}' -R ALL_NEW
	[ "$(jq -c .l <<<"$output")" = '{"L":[{"N":"1"},{"M":{"a":{"N":"1"},"x":{"N":"2"}}},{"N":"8"},{"N":"9"}]}' ]
	run -0 upd -u 'ADD l[9] :s, l[7] :n' -V '{":s":{"SS":["a"]},":n":{"N":"2"}}' -R ALL_NEW
	[ "$(jq -c '.l.L[4:]' <<<"$output")" = '[{"N":"2"},{"SS":["a"]}]' ]
}

@test "B37: size() of a value is the value's size" {
	seed
	fails 'size(:v) = :v' '{":v":{"S":"a"}}'
	holds 'size(:v) = :one' '{":v":{"S":"ab"},":one":{"N":"2"}}'
}

@test "updates: parentheses around SET values, and REMOVE reads the item as it was" {
	seed
	run -0 upd -u 'SET z = (n + :v), y = (:v)' -V '{":v":{"N":"1"}}' -R UPDATED_NEW
	assert_output '{"y":{"N":"1"},"z":{"N":"6"}}'
	invalid 'Invalid UpdateExpression: The expression has redundant parentheses;' -u 'SET z = ((n))'
	run -0 upd -u 'REMOVE l[1].x, l[0]' -R ALL_NEW
	[ "$(jq -c .l <<<"$output")" = '{"L":[{"M":{"a":{"N":"1"}}}]}' ]
}

@test "size() of a string counts UTF-16 code units, as DynamoDB's engine does" {
	seed
	# u is "é😀": 6 bytes of UTF-8, 3 UTF-16 code units.
	holds 'size(u) = :n' '{":n":{"N":"3"}}'
	holds 'size(:v) = :n' '{":v":{"S":"😀"},":n":{"N":"2"}}'
	holds 'size(s) = :n' '{":n":{"N":"3"}}'
}

@test "key conditions: operands either way round, and AWS's words for what a key condition cannot hold" {
	pdb-table create keys pk sk
	echo '{"pk":{"S":"a"},"sk":{"S":"b"}}' | pdb-put keys
	V='{":v":{"S":"a"}}'
	run -0 pdb-query keys -k ':v = pk' -V "$V"
	assert_output '{"pk":{"S":"a"},"sk":{"S":"b"}}'
	run -0 pdb-query keys -k 'pk = :v AND :v < sk' -V "$V"
	assert_output '{"pk":{"S":"a"},"sk":{"S":"b"}}'
	run -0 pdb-query keys -k 'pk = :v AND :v >= sk' -V "$V"
	assert_output ''
	key() {
		run --separate-stderr pdb-query keys -k "$1" -V "$V"
		refused_as "pdb-query: ValidationException: $2"
	}
	key 'pk = :v AND sk <> :v' 'Invalid operator used in KeyConditionExpression: <>'
	key 'pk = :v OR sk = :v' 'Invalid operator used in KeyConditionExpression: OR'
	key 'pk = :v AND NOT sk = :v' 'Invalid operator used in KeyConditionExpression: NOT'
	key 'pk = :v AND sk IN (:v)' 'Invalid operator used in KeyConditionExpression: IN'
	key 'pk = :v AND attribute_exists(sk)' 'Invalid operator used in KeyConditionExpression: attribute_exists'
	key 'pk = :v AND size(sk) = :v' 'KeyConditionExpressions cannot contain nested operations'
	key 'pk = :v AND pk = :v' 'KeyConditionExpressions must only contain one condition per key'
	key 'pk = :v AND sk = :v AND sk = :v' 'Conditions can be of length 1 or 2 only'
	key 'pk < :v' 'Query key condition not supported'
	key 'begins_with(pk, :v)' 'Query key condition not supported'
	key 'pk = :v AND :v BETWEEN sk AND :v' 'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand'
	key 'pk = :v AND sk.a = :v' "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: sk"
	key 'pk = :v AND l[0] = :v' 'KeyConditionExpressions cannot have conditions on nested attributes'
	key 'pk = :v AND x = :v' 'Query condition missed key schema element: sk'
}

@test "B30 and filters on keys: a Query refuses empty key values and a FilterExpression on a key attribute" {
	pdb-table create keys pk sk
	pdb-table create one pk
	pdb-table create bin pk:B sk:B
	echo '{"pk":{"S":"a"},"sk":{"S":"b"},"x":{"N":"1"}}' | pdb-put keys
	V='{":v":{"S":"a"},":e":{"S":""},":n":{"N":"1"}}'
	# query TABLE KEYCOND FILTER MESSAGE [ARGS]: refused with exactly
	# MESSAGE; the values are those of $V the expressions use.
	query() {
		local f=()
		[ -z "$3" ] || f=(-F "$3")
		run --separate-stderr pdb-query "$1" -k "$2" "${f[@]}" -V "$(used "$V" "$2 $3")" "${@:5}"
		refused_as "pdb-query: ValidationException: $4"
	}
	EMPTY='One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty'
	query keys 'pk = :e' '' "$EMPTY string value. Key: pk"
	query keys ':e = pk AND sk = :n' '' "$EMPTY string value. Key: pk"
	query keys 'pk = :v AND begins_with(sk, :e)' '' "$EMPTY string value. Key: sk"
	query keys 'sk < :e AND pk = :v' '' "$EMPTY string value. Key: sk"
	query keys 'pk = :v AND sk BETWEEN :e AND :v' '' "$EMPTY string value. Key: sk"
	query keys 'pk = :n AND sk = :e' '' 'One or more parameter values were invalid: Condition parameter type does not match schema type'
	query keys 'pk = :e AND x = :v' '' "$EMPTY string value. Key: pk"
	query keys 'pk < :e AND sk = :e' '' 'Query key condition not supported'
	query one 'pk = :e AND x = :v' '' 'Query key condition not supported'
	query keys 'x = :v AND x = :v' '' 'KeyConditionExpressions must only contain one condition per key'
	# AWS names the key no condition is on (DynamoDB Local does not).
	query keys 'x = :v AND sk = :e' '' 'Query condition missed key schema element: pk'
	query keys 'pk = :v AND x = :v' '' 'Query condition missed key schema element: sk'
	V='{":v":{"B":"AA=="},":e":{"B":""}}'
	query bin 'pk = :v AND begins_with(sk, :e)' '' "$EMPTY binary value. Key: sk"
	V='{":v":{"S":"a"}}'
	FILTER='Filter Expression can only contain non-primary key attributes: Primary key attribute:'
	query keys 'pk = :v' 'pk = :v' "$FILTER pk"
	query keys 'pk = :v' 'x = :v OR attribute_exists(sk)' "$FILTER sk"
	query keys 'pk = :v' 'x = :v AND sk = :v AND #p = :v' "$FILTER pk" -N '{"#p":"pk"}'
	query keys 'pk = :v' 'contains(:v, sk)' "$FILTER sk"
	query one 'pk = :v' 'size(pk) > :v' "$FILTER pk"
	query keys 'pk = :v' 'pk = :v AND sk.a = :v' "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: sk"
	# A Scan may filter on key attributes.
	run -0 pdb-scan keys -F 'pk = :v AND sk > :v' -V "$V"
	assert_output '{"pk":{"S":"a"},"sk":{"S":"b"},"x":{"N":"1"}}'
}

@test "attribute names: empty or of 64 KB and more are refused, in items and in ExpressionAttributeNames/Values, in AWS's words" {
	seed
	long=$(printf 'n%.0s' $(seq 65536))
	put() {
		run --separate-stderr pdb-put users <<<"$1"
		refused_as "pdb-put: stdin:1: ValidationException: $2"
	}
	put "{\"id\":{\"S\":\"u2\"},\"$long\":{\"S\":\"x\"}}" 'Attribute name is too large, must be less than 65536 bytes'
	put "{\"id\":{\"S\":\"u2\"},\"m\":{\"M\":{\"$long\":{\"S\":\"x\"}}}}" "Attribute name is too large, must be less than 65536 bytes (attribute 'm')"
	put '{"id":{"S":"u2"},"l":{"L":[{"M":{"":{"S":"x"}}}]}}' "Empty attribute name (attribute 'l[0]')"
	# One byte less is a name.
	run -0 pdb-put users <<<"{\"id\":{\"S\":\"u2\"},\"${long:1}\":{\"S\":\"x\"}}"
	N='ExpressionAttributeNames contains invalid value: '
	invalid "${N}Empty attribute name for key #n" -u 'SET #n = :v' -N '{"#n":""}' -V '{":v":{"N":"1"}}'
	invalid "${N}Attribute name is too large, must be less than 65536 bytes for key #n" -u 'SET #n = :v' \
	    -N "{\"#n\":\"$long\"}" -V '{":v":{"N":"1"}}'
	V='ExpressionAttributeValues contains invalid value: '
	invalid "${V}Attribute name is too large, must be less than 65536 bytes for key :v" \
	    -u 'SET m = :v' -V "{\":v\":{\"M\":{\"$long\":{\"S\":\"x\"}}}}"
	invalid "${V}One or more parameter values were invalid: An string set  may not be empty for key :v" \
	    -u 'SET m = :v' -V '{":v":{"SS":[]}}'
	invalid "${V}Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :w" \
	    -u 'SET m = :v, o = :w' -V '{":v":{"N":"1"},":w":{}}'
	# pdb-serve sends only AWS's words.
	serve_start
	run -0 call UpdateItem '{"TableName":"users","Key":{"id":{"S":"u1"}},"UpdateExpression":"SET m = :v","ExpressionAttributeValues":{":v":{"M":{"":{"S":"x"}}}}}'
	[ "$(cat "$BATS_TEST_TMPDIR/status")" = 400 ]
	assert_output '{"__type":"com.amazon.coral.validate#ValidationException","message":"ExpressionAttributeValues contains invalid value: Empty attribute name for key :v"}'
}

# B10: the faults of an update that only the item shows, each as
# DynamoDB Local names it (too many digits in AWS's words, D10.6).
b10_item() {
	pdb-table create faults id
	echo '{"id":{"S":"u"},"n":{"N":"5"},"s":{"S":"x"},"l":{"L":[{"N":"1"}]},"m":{"M":{}}}' | pdb-put faults
	PATH_='The document path provided in the update expression is invalid for update'
	TYPE_='An operand in the update expression has an incorrect data type'
	DIGITS='Attempting to store more than 38 significant digits in a Number'
	MISSING='The provided expression refers to an attribute that does not exist in the item'
	V='{":v":{"N":"1"},":x":{"N":"99999999999999999999999999999999999999"},":y":{"N":"0.1"},":ss":{"SS":["a"]},":l":{"L":[]}}'
}

# fault UPDATE MESSAGE [NAMES]: the update of u is refused with MESSAGE.
fault() {
	local v
	v=$(used "$V" "$1")
	[ "$v" != '{}' ] || v=
	run --separate-stderr pdb-update faults -u "$1" ${v:+-V "$v"} ${3:+-N "$3"} <<<'{"id":{"S":"u"}}'
	refused_as "pdb-update: stdin:1: ValidationException: $2"
}

@test "B10: of several faults only the item shows, an update names the one DynamoDB Local meets first" {
	b10_item
	# DynamoDB Local walks a tree of the paths, each node's children in
	# the order of a Java HashMap: by bucket of the name's hash (a 1, b 12,
	# c 11, m 0, n 0, q 13, s 11), then the later action first.
	fault 'SET b.d = :v, c = nope' "$MISSING"
	fault 'SET c = nope, b.d = :v' "$MISSING"
	fault 'SET b = nope, c.d = :v' "$PATH_"
	fault 'SET a = nope, q.d = :v' "$PATH_"
	fault 'SET q.d = :v, a = nope' "$MISSING"
	fault 'ADD s :v SET n.c = :v' "$PATH_"
	fault 'ADD s :v REMOVE n[1]' "$PATH_"
	fault 'ADD s :v SET b.c = :v' "$TYPE_"
	fault 'DELETE s :ss SET b.c = :v' "$TYPE_"
	fault 'ADD s :v REMOVE b.c' "$TYPE_"
	fault 'SET a = nope, b.c = :v' "$PATH_"
	fault 'SET a = s + :v, b.c = :v' "$PATH_"
	fault 'DELETE b.c :ss SET a = nope' "$PATH_"
	fault 'SET a = nope, b = :x + :y' "$DIGITS"
	fault 'SET b = :x + :y, a = nope' "$DIGITS"
	fault 'SET a = nope, b = s + :v' "$TYPE_"
	fault 'SET b = :x + :y, a = s + :v' "$DIGITS"
	fault 'SET c = :x + :y, b = s + :v' "$DIGITS"
	fault 'SET b = :x + :y, c = s + :v' "$TYPE_"
	# An ADD to a number is done at its place in the walk too.
	fault 'SET b = nope ADD n :x' "$DIGITS"
	# Inside a map and a list (index i: bucket 14 - i) alike.
	fault 'SET m.q.d = :v, m.a = nope' "$MISSING"
	fault 'SET m.b.d = :v, m.c = nope' "$MISSING"
	fault 'SET l[0].x = :v, l[1] = nope' "$MISSING"
	fault 'REMOVE l[0].x SET l[1] = nope' "$MISSING"
	# The same order in a transaction's Update (its ValidationError
	# reason, D17).
	run -1 --separate-stderr pdb-transact <<<'[{"Update":{"TableName":"faults","Key":{"id":{"S":"u"}},"UpdateExpression":"SET b.d = :v, c = nope","ExpressionAttributeValues":{":v":{"N":"1"}}}}]'
	[ "$stderr" = "pdb-transact: stdin:1: TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]; action 1 on table faults: $MISSING" ]
}

@test "B10: the walk hashes names as Java does, and grows a node past 12 children" {
	b10_item
	# String.hashCode over UTF-16 units: é (5) before ñ (13), x😀 (0)
	# before 😀 (14); hashed as UTF-8 bytes (é, ñ) or as code points
	# (x😀, 😀) they would go the other way.
	fault 'SET #a = nope, #b.d = :v' "$MISSING" '{"#a":"é","#b":"ñ"}'
	fault 'SET #a = nope, #b.d = :v' "$MISSING" '{"#a":"x😀","#b":"😀"}'
	# 16 buckets hold 12 children (aq 14, ba 15); 13 need 32 (aq 30, ba 15).
	more='hs = :v, ht = :v, hu = :v, hv = :v, hw = :v, hx = :v, hy = :v, hz = :v, ia = :v, ib = :v'
	fault "SET aq = nope, ba.d = :v, $more" "$MISSING"
	fault "SET aq = nope, ba.d = :v, $more, ic = :v" "$PATH_"
}

@test "B10: DynamoDB Local works out every operand of a SET before it checks one" {
	b10_item
	fault 'SET x = list_append(s, nope)' "$TYPE_"
	fault 'SET x = list_append(nope, s)' "$MISSING"
	fault 'SET x = s + nope' "$TYPE_"
	fault 'SET x = nope + s' "$MISSING"
	fault 'SET x = list_append(if_not_exists(s, :l), nope)' "$TYPE_"
	# if_not_exists refuses a fallback that names nothing, even when the
	# attribute is there.
	fault 'SET x = if_not_exists(s, nope)' "$MISSING"
	fault 'SET x = if_not_exists(s, if_not_exists(nope, nope2))' "$MISSING"
	fault 'SET x = if_not_exists(nope, nope2)' "$MISSING"
	run -0 pdb-update faults -u 'SET x = if_not_exists(s, :v), y = if_not_exists(s, n)' -V '{":v":{"N":"1"}}' <<<'{"id":{"S":"u"}}'
}

@test "a set a DELETE empties in a list goes at the end, so every index means the element it named" {
	pdb-table create lists pk
	echo '{"pk":{"S":"a"},"l":{"L":[{"NS":["1"]},{"BS":["TQtt"]},{"NS":["2"]}]}}' | pdb-put lists
	# DynamoDB Local's answer: ADD l[2] adds to what was l[2], and the
	# emptied l[0] is gone afterwards.
	run -0 pdb-update lists -u 'DELETE l[0] :a ADD l[2] :b' \
	    -V '{":a":{"NS":["1"]},":b":{"NS":["5"]}}' -R ALL_NEW <<<'{"pk":{"S":"a"}}'
	[ "$(jq -c .l <<<"$output")" = '{"L":[{"BS":["TQtt"]},{"NS":["2","5"]}]}' ]
}
