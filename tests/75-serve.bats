#!/usr/bin/env bats
# pdb-serve: DynamoDB's JSON protocol over HTTP, on the file the command
# line uses; errors, headers, limits, and stopping.

load helper


users='{"TableName":"users","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}}'

# crc_ok FILE: the x-amz-crc32 header of a dumped response matches its body.
crc_ok() {
	local want got
	want=$(tr -d '\r' <"$1.h" | sed -n 's/^x-amz-crc32: //Ip')
	got=$(python3 -c 'import sys, zlib; print(zlib.crc32(open(sys.argv[1], "rb").read()))' "$1")
	[ -n "$want" ] && [ "$want" = "$got" ] || { echo "crc32 header $want, body $got"; return 1; }
}

# raw OP BODY NAME: the response of one call kept as NAME (body) and
# NAME.h (headers).
raw() {
	curl -sS -D "$3.h" -o "$3" -X POST -H "X-Amz-Target: DynamoDB_20120810.$1" \
	    -H 'Content-Type: application/x-amz-json-1.0' --data-binary "$2" "$ENDPOINT/"
}

# says OP BODY WANT: the call is answered with the message WANT.
says() {
	call "$1" "$2" >out
	[ "$(jq -r .message out)" = "$3" ] || { echo "$2: $(cat out)"; return 1; }
}

@test "it creates the database, says where it listens, and answers GET / with a health line" {
	serve_start
	[ -f "$PDB_DB" ]
	grep -q "^pdb-serve: listening on http://127.0.0.1:$PORT\$" "$BATS_TEST_TMPDIR/serve.err"
	run -0 curl -sS "$ENDPOINT/"
	assert_output "pdb-serve: ok"
}

@test "a web page may call it: CORS as DynamoDB answers it, preflight and all" {
	serve_start
	# AWS, recorded by dynalite's test/connection.js: a preflight is a 200
	# with nothing in it that allows any origin and what it asks for, for
	# 172800 s; an answer to a request with an Origin allows any origin.
	run -0 curl -sS -D h -o body -w '%{http_code}' -X OPTIONS -H 'Origin: http://app.test' \
	    -H 'Access-Control-Request-Headers: content-type, x-amz-target' \
	    -H 'Access-Control-Request-Method: POST' "$ENDPOINT/"
	assert_output 200
	[ ! -s body ]
	tr -d '\r' <h >hh
	grep -qi '^access-control-allow-origin: \*$' hh
	grep -qi '^access-control-allow-headers: content-type, x-amz-target$' hh
	grep -qi '^access-control-allow-methods: POST$' hh
	grep -qi '^access-control-max-age: 172800$' hh
	grep -qi '^x-amzn-requestid: [0-9A-Z]\{52\}$' hh
	curl -sS -D h -o body -X POST -H 'Origin: http://app.test' \
	    -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
	    -H 'Content-Type: application/x-amz-json-1.0' --data '{}' "$ENDPOINT/"
	tr -d '\r' <h >hh
	grep -qi '^access-control-allow-origin: \*$' hh
	grep -qi '^access-control-expose-headers: x-amzn-RequestId, x-amz-crc32$' hh
	[ "$(jq -c . body)" = '{"TableNames":[]}' ]
	# No Origin: no CORS headers, and OPTIONS is no operation.
	curl -sS -D h -o body -X POST -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
	    -H 'Content-Type: application/x-amz-json-1.0' --data '{}' "$ENDPOINT/"
	! grep -qi '^access-control' h
	run -0 curl -sS -o body -w '%{http_code}' -X OPTIONS "$ENDPOINT/"
	assert_output 400
	jq -e '.__type | endswith("UnknownOperationException")' body
	serve_stop
}

@test "a table's life and items over the wire, seen by the command line" {
	serve_start
	call CreateTable "$users" | jq -e '.TableDescription.TableStatus == "ACTIVE"'
	call PutItem '{"TableName":"users","Item":{"id":{"S":"u1"},"n":{"N":"01.50"}}}' >out
	[ "$(cat out)" = '{}' ] && [ "$(status)" = 200 ]
	# The command line sees it, and its fixtures are what the server reads.
	[ "$(pdb-scan users)" = '{"id":{"S":"u1"},"n":{"N":"1.5"}}' ]
	echo '{"id":{"S":"u2"},"name":{"S":"Grace"}}' | pdb-put users
	[ "$(call GetItem '{"TableName":"users","Key":{"id":{"S":"u2"}}}')" = '{"Item":{"id":{"S":"u2"},"name":{"S":"Grace"}}}' ]
	[ "$(call GetItem '{"TableName":"users","Key":{"id":{"S":"zz"}}}')" = '{}' ]
	[ "$(call DescribeTable '{"TableName":"users"}' | jq .Table.ItemCount)" = 2 ]
	[ "$(call ListTables '{}')" = '{"TableNames":["users"]}' ]
	call DeleteTable '{"TableName":"users"}' | jq -e '.TableDescription.TableStatus == "DELETING"'
	run -1 pdb-table describe users
}

@test "CreateTable without BillingMode is PROVISIONED and needs its throughput; an empty UpdateTable changes nothing" {
	serve_start
	local base='"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]'
	# AWS (Alternator's test_create_table_billing_mode_errors) and
	# DynamoDB Local refuse it; pdb-table and a dump's tables stay on demand.
	call CreateTable "{\"TableName\":\"bare\",$base}" >out
	[ "$(status)" = 400 ] && [ "$(jq -r .message out)" = "No provisioned throughput specified for the table" ]
	call CreateTable "{\"TableName\":\"prov\",$base,\"ProvisionedThroughput\":{\"ReadCapacityUnits\":1,\"WriteCapacityUnits\":1}}" | jq -e '.TableDescription.ProvisionedThroughput.ReadCapacityUnits == 1'
	# Both units, or the model's refusal (Alternator's
	# test_create_table_missing_units).
	call CreateTable "{\"TableName\":\"half\",$base,\"BillingMode\":\"PROVISIONED\",\"ProvisionedThroughput\":{\"WriteCapacityUnits\":1}}" >out
	[ "$(status)" = 400 ] && [ "$(jq -r .message out)" = "1 validation error detected: Value null at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must not be null" ]
	call CreateTable "{\"TableName\":\"half\",$base,\"ProvisionedThroughput\":{\"ReadCapacityUnits\":1}}" >out
	[ "$(status)" = 400 ] && [ "$(jq -r .message out)" = "1 validation error detected: Value null at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must not be null" ]
	echo "{\"TableName\":\"cli\",$base}" >req.json
	run -0 pdb-table create -i req.json
	# A dump's request for it says on demand, so it makes it again here.
	pdb-dump cli | head -n 1 | jq -c '.TableName = "again"' >again.json
	[ "$(jq -r .BillingMode again.json)" = PAY_PER_REQUEST ]
	call CreateTable "$(cat again.json)" >out
	[ "$(status)" = 200 ] || { cat out; false; }
	call UpdateTable '{"TableName":"prov","GlobalSecondaryIndexUpdates":[]}' >out
	[ "$(status)" = 400 ] && [ "$(jq -r .message out)" = "Nothing to update" ]
	serve_stop
}

@test "CreateTable and UpdateTable check every AttributeDefinition: named, typed S/N/B, once (Alternator test_gsi_invalid_key_types, #13870)" {
	serve_start
	local base='"TableName":"tbl","BillingMode":"PAY_PER_REQUEST","KeySchema":[{"AttributeName":"p","KeyType":"HASH"}]'
	local gsi='"GlobalSecondaryIndexes":[{"IndexName":"g","KeySchema":[{"AttributeName":"x","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]'
	# A definition without a name, beside an index, once crashed the server.
	[ "$(call CreateTable "{$base,$gsi,\"AttributeDefinitions\":[{\"AttributeName\":\"p\",\"AttributeType\":\"S\"},{\"AttributeType\":\"S\"}]}" | jq -r .message)" = "1 validation error detected: Value null at 'attributeDefinitions.2.member.attributeName' failed to satisfy constraint: Member must not be null" ]
	[ "$(status)" = 400 ]
	# An index key of type BOOL was taken as B.
	[ "$(call CreateTable "{$base,$gsi,\"AttributeDefinitions\":[{\"AttributeName\":\"p\",\"AttributeType\":\"S\"},{\"AttributeName\":\"x\",\"AttributeType\":\"BOOL\"}]}" | jq -r .message)" = "1 validation error detected: Value 'BOOL' at 'attributeDefinitions.2.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]" ]
	# Two definitions of one name: the last one won.
	[ "$(call CreateTable "{$base,$gsi,\"AttributeDefinitions\":[{\"AttributeName\":\"p\",\"AttributeType\":\"S\"},{\"AttributeName\":\"x\",\"AttributeType\":\"S\"},{\"AttributeName\":\"x\",\"AttributeType\":\"N\"}]}" | jq -r .message)" = "Attribute Name is duplicated: x" ]
	[ "$(call CreateTable "{$base,\"AttributeDefinitions\":[{\"AttributeName\":\"p\",\"AttributeType\":\"S\"},{\"AttributeName\":\"p\",\"AttributeType\":\"N\"}]}" | jq -r .message)" = "Attribute Name is duplicated: p" ]
	# An index key name over 255 bytes was cut to 255: the index then
	# covered another attribute (Alternator test_limits.py,
	# test_limit_gsiu_key_len_bad).
	local long
	long=$(printf 'k%.0s' {1..256})
	[ "$(call CreateTable "{$base,\"GlobalSecondaryIndexes\":[{\"IndexName\":\"g\",\"KeySchema\":[{\"AttributeName\":\"$long\",\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":\"ALL\"}}],\"AttributeDefinitions\":[{\"AttributeName\":\"p\",\"AttributeType\":\"S\"}]}" | jq -r .message)" = "1 validation error detected: Value '$long' at 'globalSecondaryIndexes.1.member.keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255" ]
	[ "$(call ListTables '{}')" = '{"TableNames":[]}' ]
	call CreateTable "{$base,\"AttributeDefinitions\":[{\"AttributeName\":\"p\",\"AttributeType\":\"S\"}]}" >/dev/null
	[ "$(call UpdateTable '{"TableName":"tbl","AttributeDefinitions":[{"AttributeName":"x","AttributeType":"BOOL"}],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"g","KeySchema":[{"AttributeName":"x","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]}' | jq -r .message)" = "1 validation error detected: Value 'BOOL' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]" ]
	[ "$(call UpdateTable "{\"TableName\":\"tbl\",\"AttributeDefinitions\":[{\"AttributeName\":\"$long\",\"AttributeType\":\"S\"}],\"GlobalSecondaryIndexUpdates\":[{\"Create\":{\"IndexName\":\"g\",\"KeySchema\":[{\"AttributeName\":\"$long\",\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":\"ALL\"}}}]}" | jq -r .message)" = "1 validation error detected: Value '$long' at 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255" ]
	[ "$(status)" = 400 ]
	[ "$(call DescribeTable '{"TableName":"tbl"}' | jq '.Table.GlobalSecondaryIndexes | length')" = 0 ]
}

@test "a bare attribute name in an expression starts with a letter (Alternator test_update_expression_name_token)" {
	serve_start
	call CreateTable "$users" >/dev/null
	[ "$(call UpdateItem '{"TableName":"users","Key":{"id":{"S":"u1"}},"UpdateExpression":"SET _a = :v","ExpressionAttributeValues":{":v":{"N":"1"}}}' | jq -r .message)" = 'Invalid UpdateExpression: Syntax error; token: "_", near: "SET _a"' ]
	[ "$(status)" = 400 ]
	[ "$(call GetItem '{"TableName":"users","Key":{"id":{"S":"u1"}},"ProjectionExpression":"_a"}' | jq -r .message)" = 'Invalid ProjectionExpression: Syntax error; token: "_", near: "_a"' ]
	# Inside a name or after # or :, an underscore is fine.
	call UpdateItem '{"TableName":"users","Key":{"id":{"S":"u1"}},"UpdateExpression":"SET a_1 = :_v, #_b = :_v","ExpressionAttributeNames":{"#_b":"_b"},"ExpressionAttributeValues":{":_v":{"N":"1"}}}' >/dev/null
	[ "$(status)" = 200 ]
	[ "$(call GetItem '{"TableName":"users","Key":{"id":{"S":"u1"}}}')" = '{"Item":{"_b":{"N":"1"},"a_1":{"N":"1"},"id":{"S":"u1"}}}' ]
}

@test "conditions, ReturnValues and a failed condition's item" {
	serve_start
	call CreateTable "$users" >/dev/null
	call PutItem '{"TableName":"users","Item":{"id":{"S":"u1"},"n":{"N":"1"}}}' >/dev/null
	[ "$(call PutItem '{"TableName":"users","Item":{"id":{"S":"u1"},"n":{"N":"2"}},"ReturnValues":"ALL_OLD"}')" = '{"Attributes":{"id":{"S":"u1"},"n":{"N":"1"}}}' ]
	[ "$(call UpdateItem '{"TableName":"users","Key":{"id":{"S":"u1"}},"UpdateExpression":"ADD n :d","ExpressionAttributeValues":{":d":{"N":"5"}},"ReturnValues":"UPDATED_NEW"}')" = '{"Attributes":{"n":{"N":"7"}}}' ]
	call PutItem '{"TableName":"users","Item":{"id":{"S":"u1"}},"ConditionExpression":"attribute_not_exists(id)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}' >out
	[ "$(status)" = 400 ]
	[ "$(cat out)" = '{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"id":{"S":"u1"},"n":{"N":"7"}}}' ]
	[ "$(call DeleteItem '{"TableName":"users","Key":{"id":{"S":"u1"}},"ReturnValues":"ALL_OLD"}' | jq -c .Attributes.n)" = '{"N":"7"}' ]
	[ "$(pdb-stream-tail users | jq -r .eventName | paste -sd' ')" = "INSERT MODIFY MODIFY REMOVE" ]
	# UpdateItem's ReturnValues on a PutItem or DeleteItem: AWS's text
	# (dynalite's test/putItem.js), before the table is looked for.
	for rv in ALL_NEW UPDATED_OLD UPDATED_NEW; do
		call PutItem '{"TableName":"nope","Item":{"id":{"S":"u2"}},"ReturnValues":"'$rv'"}' >out
		[ "$(status)" = 400 ]
		[ "$(jq -r .message out)" = "ReturnValues can only be ALL_OLD or NONE" ]
		call DeleteItem '{"TableName":"users","Key":{"id":{"S":"u2"}},"ReturnValues":"'$rv'"}' >out
		[ "$(jq -r .message out)" = "ReturnValues can only be ALL_OLD or NONE" ]
	done
}

@test "an update that only removes does not create a missing item (AWS, as Alternator's test_update_item_non_existent)" {
	serve_start
	call CreateTable "$users" >/dev/null
	# REMOVE, and DELETE from a set, of a missing item: no item, no record,
	# no ALL_NEW image; the request still succeeds.
	[ "$(call UpdateItem '{"TableName":"users","Key":{"id":{"S":"u1"}},"UpdateExpression":"REMOVE a","ReturnValues":"ALL_NEW"}')" = '{}' ]
	[ "$(status)" = 200 ]
	[ "$(call UpdateItem '{"TableName":"users","Key":{"id":{"S":"u1"}},"UpdateExpression":"DELETE s :s","ExpressionAttributeValues":{":s":{"SS":["x"]}}}')" = '{}' ]
	[ "$(call GetItem '{"TableName":"users","Key":{"id":{"S":"u1"}}}')" = '{}' ]
	[ -z "$(pdb-stream-tail users)" ]
	# Without an expression, or with a SET, the update creates it.
	call UpdateItem '{"TableName":"users","Key":{"id":{"S":"u2"}}}' >/dev/null
	[ "$(call UpdateItem '{"TableName":"users","Key":{"id":{"S":"u3"}},"UpdateExpression":"SET a = :a REMOVE b","ExpressionAttributeValues":{":a":{"N":"1"}},"ReturnValues":"ALL_NEW"}')" = '{"Attributes":{"a":{"N":"1"},"id":{"S":"u3"}}}' ]
	[ "$(pdb-scan users | jq -r .id.S | sort | paste -sd' ')" = "u2 u3" ]
	# On an existing item a REMOVE-only update still applies.
	[ "$(call UpdateItem '{"TableName":"users","Key":{"id":{"S":"u3"}},"UpdateExpression":"REMOVE a","ReturnValues":"ALL_NEW"}')" = '{"Attributes":{"id":{"S":"u3"}}}' ]
	[ "$(pdb-stream-tail users | jq -r .eventName | paste -sd' ')" = "INSERT INSERT MODIFY" ]
}

@test "errors are DynamoDB's: __type, message, status, and a checksum on every response" {
	serve_start
	call CreateTable "$users" >/dev/null
	raw GetItem '{"TableName":"nope","Key":{"id":{"S":"a"}}}' missing
	grep -q '^HTTP/1.1 400' missing.h && crc_ok missing
	[ "$(jq -r .__type missing)" = "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" ]
	raw PutItem '{"TableName":"users","Item":{"id":{"N":"1"}}}' invalid
	grep -q '^HTTP/1.1 400' invalid.h && crc_ok invalid
	[ "$(cat invalid)" = '{"__type":"com.amazon.coral.validate#ValidationException","message":"One or more parameter values were invalid: Type mismatch for key id expected: S actual: N"}' ]
	raw GetItem '{"TableName":' malformed
	[ "$(jq -r .__type malformed)" = "com.amazon.coral.service#SerializationException" ] && crc_ok malformed
	raw GetItem '{"TableName":"users","Key":"x"}' wrongtype
	[ "$(jq -r .__type wrongtype)" = "com.amazon.coral.service#SerializationException" ]
	# AWS's words and member name (dynalite's test/helpers.js).
	[ "$(jq -c . wrongtype)" = '{"__type":"com.amazon.coral.service#SerializationException","Message":"VALUE_STRING cannot be converted to Map"}' ]
	raw Frobnicate '{}' unknown
	[ "$(jq -r .__type unknown)" = "com.amazon.coral.service#UnknownOperationException" ] && crc_ok unknown
	raw PutItem '{"TableName":"users","Item":{"id":{"S":"a"}}}' ok
	grep -q '^HTTP/1.1 200' ok.h && crc_ok ok
	tr -d '\r' <ok.h | grep -Eq '^x-amzn-RequestId: [A-Z0-9]{52}$'
	tr -d '\r' <ok.h | grep -q '^Content-Type: application/x-amz-json-1.0$'
	# application/json is accepted and echoed.
	curl -sS -D json.h -o /dev/null -X POST -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
	    -H 'Content-Type: application/json' -d '{}' "$ENDPOINT/"
	tr -d '\r' <json.h | grep -q '^Content-Type: application/json$'
}

@test "a body over 16 MB is 413, chunked bodies are read, Connection: close is honoured" {
	serve_start
	call CreateTable "$users" >/dev/null
	head -c 17000000 /dev/zero >big
	run -0 curl -sS -o out -w '%{http_code}' -X POST -H 'X-Amz-Target: DynamoDB_20120810.PutItem' \
	    -H 'Content-Type: application/x-amz-json-1.0' --data-binary @big "$ENDPOINT/"
	assert_output 413
	[ "$(jq -r .__type out)" = "com.amazon.coral.service#RequestEntityTooLarge" ]
	run -0 curl -sS -X POST -H 'X-Amz-Target: DynamoDB_20120810.PutItem' -H 'Transfer-Encoding: chunked' \
	    -H 'Content-Type: application/x-amz-json-1.0' -d '{"TableName":"users","Item":{"id":{"S":"chunked"}}}' "$ENDPOINT/"
	assert_output '{}'
	[ "$(pdb-scan users | jq -r .id.S)" = chunked ]
	curl -sS -D close.h -o /dev/null -H 'Connection: close' -X POST -H 'X-Amz-Target: DynamoDB_20120810.ListTables' -d '{}' "$ENDPOINT/"
	tr -d '\r' <close.h | grep -qi '^Connection: close$'
}

@test "CreateTable members are used or refused, never dropped" {
	serve_start
	call CreateTable '{"TableName":"gsi","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","OnDemandThroughput":{"MaxReadRequestUnits":5}}' >out
	[ "$(jq -r .message out)" = "pdb does not support OnDemandThroughput in CreateTable yet; the table was not created" ]
	run -1 pdb-table describe gsi
}

@test "Query and Scan pages: Limit, LastEvaluatedKey, ExclusiveStartKey, Select COUNT, segments" {
	serve_start
	call CreateTable '{"TableName":"orders","KeySchema":[{"AttributeName":"c","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"c","AttributeType":"S"},{"AttributeName":"n","AttributeType":"N"}],"BillingMode":"PAY_PER_REQUEST"}' >/dev/null
	for i in $(seq 1 25); do echo "{\"c\":{\"S\":\"c$((i % 3))\"},\"n\":{\"N\":\"$i\"}}"; done | pdb-put orders
	q='{"TableName":"orders","KeyConditionExpression":"c = :c","ExpressionAttributeValues":{":c":{"S":"c1"}},"Limit":3'
	call Query "$q}" >p1
	[ "$(jq -c '[.Count, .ScannedCount, [.Items[].n.N], .LastEvaluatedKey]' p1)" = '[3,3,["1","4","7"],{"c":{"S":"c1"},"n":{"N":"7"}}]' ]
	call Query "$q,\"ExclusiveStartKey\":$(jq -c .LastEvaluatedKey p1)}" >p2
	[ "$(jq -c '[.Items[].n.N]' p2)" = '["10","13","16"]' ]
	[ "$(call Query "$q,\"ScanIndexForward\":false}" | jq -c '[.Items[].n.N]')" = '["25","22","19"]' ]
	[ "$(call Scan '{"TableName":"orders","Select":"COUNT"}')" = '{"Count":25,"ScannedCount":25}' ]
	[ "$(call Scan '{"TableName":"orders","FilterExpression":"n > :z","ExpressionAttributeValues":{":z":{"N":"20"}}}' | jq -c '[.Count, .ScannedCount]')" = '[5,25]' ]
	total=0
	for s in 0 1 2 3; do
		n=$(call Scan "{\"TableName\":\"orders\",\"Segment\":$s,\"TotalSegments\":4}" | jq .Count)
		total=$((total + n))
	done
	[ "$total" = 25 ]
	call Scan '{"TableName":"orders","Segment":4,"TotalSegments":4}' >out
	[ "$(jq -r .__type out)" = "com.amazon.coral.validate#ValidationException" ]
	call Query '{"TableName":"orders","IndexName":"byTotal","KeyConditionExpression":"c = :c","ExpressionAttributeValues":{":c":{"S":"c1"}}}' >out
	[ "$(jq -r .message out)" = "The table does not have the specified index: byTotal" ]
}

@test "batches: 25 writes at most, no duplicates, one table or many; gets list every table" {
	serve_start
	call CreateTable "$users" >/dev/null
	w='{"RequestItems":{"users":['
	for i in $(seq 1 25); do w+="{\"PutRequest\":{\"Item\":{\"id\":{\"S\":\"u$i\"}}}},"; done
	[ "$(call BatchWriteItem "${w%,}]}}")" = '{"UnprocessedItems":{}}' ]
	[ "$(pdb-scan users | wc -l)" = 25 ]
	call BatchWriteItem "${w}{\"DeleteRequest\":{\"Key\":{\"id\":{\"S\":\"x\"}}}}]}}" >out
	[ "$(jq -r .message out)" = "Too many items requested for the BatchWriteItem call" ]
	call BatchWriteItem '{"RequestItems":{"users":[{"PutRequest":{"Item":{"id":{"S":"d"}}}},{"DeleteRequest":{"Key":{"id":{"S":"d"}}}}]}}' >out
	[ "$(jq -r .message out)" = "Provided list of item keys contains duplicates" ]
	[ "$(pdb-scan users | wc -l)" = 25 ]
	# B17: a WriteRequest with both or neither of its members.
	for r in '{}' '{"PutRequest":{"Item":{"id":{"S":"e"}}},"DeleteRequest":{"Key":{"id":{"S":"e"}}}}'; do
		call BatchWriteItem "{\"RequestItems\":{\"users\":[$r]}}" >out
		[ "$(cat out)" = '{"__type":"com.amazon.coral.validate#ValidationException","message":"Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"}' ]
	done
	call BatchGetItem '{"RequestItems":{"users":{"Keys":[{"id":{"S":"u1"}},{"id":{"S":"nope"}}],"ProjectionExpression":"id"}}}' >out
	[ "$(cat out)" = '{"Responses":{"users":[{"id":{"S":"u1"}}]},"UnprocessedKeys":{}}' ]
}

@test "ListStreams resumes after a start stream whose table was deleted (Alternator test_list_streams_paged_resume_on_deleted_table)" {
	serve_start
	local t from
	for t in st0 st1 st2; do
		call CreateTable "$(jq -c --arg t "$t" '.TableName = $t' <<<"$users")" >/dev/null
		sleep 0.01
	done
	# Newest first: st2 ends the first page; then st2 goes away, its
	# stream holding no records.
	from=$(call ListStreams '{"Limit":1}' | jq -r .LastEvaluatedStreamArn)
	[[ $from == *:table/st2/stream/* ]]
	call DeleteTable '{"TableName":"st2"}' >/dev/null
	[ "$(call ListStreams "{\"Limit\":1,\"ExclusiveStartStreamArn\":\"$from\"}" | jq -r '.Streams[].TableName')" = st1 ]
	[ "$(call ListStreams "{\"ExclusiveStartStreamArn\":\"$from\"}" | jq -r '.Streams[].TableName' | paste -sd' ')" = "st1 st0" ]
}

@test "a Streams walk: ListStreams, DescribeStream, GetShardIterator, GetRecords until caught up" {
	serve_start
	call CreateTable "$users" >/dev/null
	printf '%s\n' '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' '{"id":{"S":"c"}}' | pdb-put users
	arn=$(call ListStreams '{"TableName":"users"}' | jq -r '.Streams[0].StreamArn')
	shard=$(call DescribeStream "{\"StreamArn\":\"$arn\"}" | jq -r '.StreamDescription.Shards[0].ShardId')
	it=$(call GetShardIterator "{\"StreamArn\":\"$arn\",\"ShardId\":\"$shard\",\"ShardIteratorType\":\"TRIM_HORIZON\"}" | jq -r .ShardIterator)
	got=
	for i in 1 2 3 4; do
		call GetRecords "{\"ShardIterator\":\"$it\",\"Limit\":2}" >page
		got+=$(jq -r '.Records[].dynamodb.Keys.id.S' page | tr -d '\n')
		it=$(jq -r .NextShardIterator page)
		[ -n "$it" ] && [ "$it" != null ]
	done
	[ "$got" = abc ]
	# Caught up: an empty page still has a fresh iterator.
	[ "$(jq -c '.Records' page)" = '[]' ]
	[ "$(pdb-stream-tail --page -i "$it" | jq -c .Records)" = '[]' ]
	diff <(call GetRecords "{\"ShardIterator\":\"$(call GetShardIterator "{\"StreamArn\":\"$arn\",\"ShardId\":\"$shard\",\"ShardIteratorType\":\"TRIM_HORIZON\"}" | jq -r .ShardIterator)\"}" | jq -c '.Records[]') <(pdb-stream-tail users)
}

@test "B14, B15: Streams Limit past its maximum, and a missing SequenceNumber, in DynamoDB Local's words" {
	serve_start
	call CreateTable "$users" >/dev/null
	arn=$(call ListStreams '{"TableName":"users"}' | jq -r '.Streams[0].StreamArn')
	shard=$(call DescribeStream "{\"StreamArn\":\"$arn\"}" | jq -r '.StreamDescription.Shards[0].ShardId')
	it=$(call GetShardIterator "{\"StreamArn\":\"$arn\",\"ShardId\":\"$shard\",\"ShardIteratorType\":\"LATEST\"}" | jq -r .ShardIterator)
	I='One or more parameter values were invalid: '
	refused() {
		call "$1" "$2" >out
		[ "$(status)" = 400 ] && [ "$(jq -r .__type out)" = com.amazon.coral.validate#ValidationException ] &&
		    [ "$(jq -r .message out)" = "$3" ] || { echo "$1 $2: want $3"; cat out; return 1; }
	}
	refused ListStreams '{"Limit":101}' "${I}Limit cannot be greater than the maximum allowed size: 100"
	refused DescribeStream "{\"StreamArn\":\"$arn\",\"Limit\":101}" "${I}Limit cannot be greater than the maximum: 100"
	refused GetRecords "{\"ShardIterator\":\"$it\",\"Limit\":1001}" "${I}Limit should be less than or equal to 1000"
	refused GetRecords "{\"ShardIterator\":\"$it\",\"Limit\":0}" "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
	for t in AT_SEQUENCE_NUMBER AFTER_SEQUENCE_NUMBER; do
		refused GetShardIterator "{\"StreamArn\":\"$arn\",\"ShardId\":\"$shard\",\"ShardIteratorType\":\"$t\"}" "${I}Invalid SequenceNumber"
	done
}

@test "B16: GetShardIterator on a stream that is not there: DynamoDB Local's words with AWS's prefix (D10.13)" {
	serve_start
	call CreateTable "$users" >/dev/null
	arn=$(call ListStreams '{"TableName":"users"}' | jq -r '.Streams[0].StreamArn')
	shard=$(call DescribeStream "{\"StreamArn\":\"$arn\"}" | jq -r '.StreamDescription.Shards[0].ShardId')
	ghost="${arn%/stream/*}/stream/2001-01-01T00:00:00.000"
	call GetShardIterator "{\"StreamArn\":\"$ghost\",\"ShardId\":\"$shard\",\"ShardIteratorType\":\"TRIM_HORIZON\"}" >out
	[ "$(status)" = 400 ]
	[ "$(jq -r .__type out)" = com.amazonaws.dynamodb.v20120810#ResourceNotFoundException ]
	[ "$(jq -r .message out)" = "Requested resource not found: Stream does not exist" ]
	run -1 --separate-stderr pdb-stream-iter -t TRIM_HORIZON -S "$shard" "$ghost"
	[ "$stderr" = "pdb-stream-iter: ResourceNotFoundException: Requested resource not found: Stream does not exist" ]
	# DescribeStream keeps AWS's own text, which names the stream.
	call DescribeStream "{\"StreamArn\":\"$ghost\"}" >out
	[ "$(jq -r .message out)" = "Requested resource not found: Stream: $ghost not found" ]
}

@test "a follower on the command line sees the server's writes" {
	serve_start
	call CreateTable "$users" >/dev/null
	pdb-stream-tail -f users >followed &
	follower=$!
	sleep 0.3
	call PutItem '{"TableName":"users","Item":{"id":{"S":"from-the-app"}}}' >/dev/null
	for ((i = 0; i < 200; i++)); do
		[ -s followed ] && break
		sleep 0.01
	done
	kill -TERM $follower
	wait $follower
	[ "$(jq -r .dynamodb.Keys.id.S followed)" = from-the-app ]
}

@test "--auth strict requires a signature's parts; the default takes any request" {
	serve_start --auth strict
	call ListTables '{}' >out
	[ "$(jq -r .__type out)" = "com.amazon.coral.service#MissingAuthenticationTokenException" ]
	run -0 curl -sS -X POST -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
	    -H 'Authorization: AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00' \
	    -H 'X-Amz-Date: 20260101T000000Z' -d '{}' "$ENDPOINT/"
	assert_output '{"TableNames":[]}'
}

@test "SIGTERM finishes what is in flight and exits 0; a bad address or port is refused" {
	serve_start
	call CreateTable "$users" >/dev/null
	# A request in flight (a big batch) when the signal comes.
	w='{"RequestItems":{"users":['
	for i in $(seq 1 25); do w+="{\"PutRequest\":{\"Item\":{\"id\":{\"S\":\"u$i\"},\"pad\":{\"S\":\"$(head -c 50000 /dev/zero | tr '\0' x)\"}}}},"; done
	call BatchWriteItem "${w%,}]}}" >answer &
	client=$!
	kill -TERM "$SERVE_PID"
	status=0
	wait "$SERVE_PID" || status=$?
	SERVE_PID=
	[ "$status" = 0 ]
	wait $client
	# Answered whole, or refused before it began: never half applied.
	if [ "$(cat answer)" = '{"UnprocessedItems":{}}' ]; then
		[ "$(pdb-scan users | wc -l)" = 25 ]
	else
		[ "$(pdb-scan users | wc -l)" = 0 ]
	fi
	run --separate-stderr pdb-serve -l 127.0.0.1:99999
	assert_failure 2
	run --separate-stderr pdb-serve -l nowhere:8000
	assert_failure 2
	run --separate-stderr pdb-serve --auth sometimes
	assert_failure 2
}

@test "the wire sends DynamoDB's words alone; the command line adds which attribute, key or table" {
	serve_start
	call CreateTable "$users" >/dev/null
	check() {	# OP BODY MESSAGE: the wire's message, exactly
		call "$1" "$2" >out
		[ "$(status)" = 400 ]
		[ "$(jq -r .message out)" = "$3" ] || { cat out; false; }
	}
	check PutItem '{"TableName":"users","Item":{"id":{"S":"a"},"m":{"M":{"s":{"SS":[]}}}}}' \
	    "One or more parameter values were invalid: An string set  may not be empty"
	check GetItem '{"TableName":"users","Key":{"id":{"N":"1"}}}' \
	    "The provided key element does not match the schema"
	check GetItem '{"TableName":"nope","Key":{"id":{"S":"a"}}}' \
	    "Requested resource not found"
	check DescribeTable '{"TableName":"nope"}' \
	    "Requested resource not found: Table: nope not found"
	check GetRecords '{"ShardIterator":"garbage"}' "Invalid ShardIterator"
	serve_stop
	run --separate-stderr pdb-put users <<<'{"id":{"S":"a"},"m":{"M":{"s":{"SS":[]}}}}'
	[ "$stderr" = "pdb-put: stdin:1: ValidationException: One or more parameter values were invalid: An string set  may not be empty (attribute 'm.s')" ]
	run --separate-stderr pdb-get users <<<'{"id":{"N":"1"}}'
	[ "$stderr" = "pdb-get: stdin:1: ValidationException: The provided key element does not match the schema (key 'id' of type S)" ]
	run --separate-stderr pdb-get nope <<<'{"id":{"S":"a"}}'
	[ "$stderr" = "pdb-get: ResourceNotFoundException: Requested resource not found: Table: nope not found" ]
}

@test "throughput without a BillingMode is a provisioned table, as AWS makes it" {
	serve_start
	call CreateTable '{"TableName":"prov","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":3}}' >out
	[ "$(jq -c '.TableDescription | [.ProvisionedThroughput.ReadCapacityUnits, .ProvisionedThroughput.WriteCapacityUnits, has("BillingModeSummary"), .DeletionProtectionEnabled]' out)" = '[5,3,false,false]' ]
	serve_stop
}

@test "a Key with attributes beyond the key is refused, as AWS does; the command line takes whole items" {
	serve_start
	call CreateTable "$users" >/dev/null
	call PutItem '{"TableName":"users","Item":{"id":{"S":"a"},"x":{"S":"b"}}}' >/dev/null
	for req in 'GetItem {"TableName":"users","Key":{"id":{"S":"a"},"x":{"S":"b"}}}' \
	    'DeleteItem {"TableName":"users","Key":{"id":{"S":"a"},"x":{"S":"b"}}}' \
	    'UpdateItem {"TableName":"users","Key":{"id":{"S":"a"},"x":{"S":"b"}},"UpdateExpression":"SET y = :y","ExpressionAttributeValues":{":y":{"N":"1"}}}' \
	    'BatchGetItem {"RequestItems":{"users":{"Keys":[{"id":{"S":"a"},"x":{"S":"b"}}]}}}' \
	    'BatchWriteItem {"RequestItems":{"users":[{"DeleteRequest":{"Key":{"id":{"S":"a"},"x":{"S":"b"}}}}]}}'; do
		call "${req%% *}" "${req#* }" >out
		[ "$(status)" = 400 ] || { echo "$req: $(status)"; false; }
		[ "$(jq -r .message out)" = "The provided key element does not match the schema" ]
	done
	[ "$(call GetItem '{"TableName":"users","Key":{"id":{"S":"a"}}}')" = '{"Item":{"id":{"S":"a"},"x":{"S":"b"}}}' ]
	serve_stop
	[ "$(pdb-scan users | pdb-get users)" = '{"id":{"S":"a"},"x":{"S":"b"}}' ]
	pdb-scan users | pdb-update users -u 'SET y = :y' -V '{":y":{"N":"1"}}'
	pdb-scan users | pdb-delete users
	[ -z "$(pdb-scan users)" ]
}

@test "placeholders without an expression to use them are refused with AWS's words; GetItem ignores values" {
	serve_start
	call CreateTable "$users" >/dev/null
	check() {
		call "$1" "$2" >out
		[ "$(status)" = 400 ] && [ "$(jq -r .message out)" = "$3" ] || { cat out; false; }
	}
	check Scan '{"TableName":"users","ExpressionAttributeNames":{"#a":"a"}}' \
	    "ExpressionAttributeNames can only be specified when using expressions"
	check Scan '{"TableName":"users","ExpressionAttributeValues":{":a":{"S":"a"}}}' \
	    "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null"
	check Scan '{"TableName":"users","ProjectionExpression":"id","ExpressionAttributeValues":{":a":{"S":"a"}}}' \
	    "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null"
	check PutItem '{"TableName":"users","Item":{"id":{"S":"a"}},"ExpressionAttributeValues":{":a":{"S":"a"}}}' \
	    "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"
	check UpdateItem '{"TableName":"users","Key":{"id":{"S":"a"}},"ExpressionAttributeValues":{":a":{"S":"a"}}}' \
	    "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null"
	check Scan '{"TableName":"users","ProjectionExpression":"id","ExpressionAttributeNames":{"#a":"a"}}' \
	    "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}"
	call PutItem '{"TableName":"users","Item":{"id":{"S":"a"}}}' >/dev/null
	[ "$(call GetItem '{"TableName":"users","Key":{"id":{"S":"a"}},"ExpressionAttributeValues":{":a":{"S":"a"}}}')" = '{"Item":{"id":{"S":"a"}}}' ]
	serve_stop
}

@test "consumed capacity counts the item written, not one written before it" {
	pdb-table create users id
	serve_start
	big=$(head -c 300000 /dev/zero | tr '\0' x)
	echo '{"TableName":"users","Item":{"id":{"S":"big"},"s":{"S":"'"$big"'"}},"ReturnConsumedCapacity":"TOTAL"}' >big.json
	call PutItem @big.json >out
	[ "$(jq .ConsumedCapacity.CapacityUnits out)" = 293 ]
	# A new small item on the same connection: one unit, as AWS counts.
	call PutItem '{"TableName":"users","Item":{"id":{"S":"small"}},"ReturnConsumedCapacity":"TOTAL"}' >out
	[ "$(jq .ConsumedCapacity.CapacityUnits out)" = 1 ]
	# In a transaction, two units a KB: the big item again, then a new one.
	echo '{"TransactItems":[{"Put":{"TableName":"users","Item":{"id":{"S":"big"},"s":{"S":"'"$big"'"}}}},{"Put":{"TableName":"users","Item":{"id":{"S":"new"}}}}],"ReturnConsumedCapacity":"TOTAL"}' >tx.json
	call TransactWriteItems @tx.json >out
	[ "$(jq .ConsumedCapacity[0].CapacityUnits out)" = 588 ]
}

@test "a batch's ConsumedCapacity under INDEXES gives each table its Table share" {
	pdb-table create users id
	serve_start
	# AWS, recorded by dynalite's test/batchGetItem.js and batchWriteItem.js:
	# {"CapacityUnits":N,"Table":{"CapacityUnits":N},"TableName":T}.
	call BatchWriteItem '{"RequestItems":{"users":[{"PutRequest":{"Item":{"id":{"S":"a"}}}}]},"ReturnConsumedCapacity":"INDEXES"}' >out
	[ "$(jq -c '.ConsumedCapacity[] | [.TableName, .CapacityUnits, .Table.CapacityUnits]' out)" = '["users",1,1]' ] || { cat out; false; }
	call BatchGetItem '{"RequestItems":{"users":{"Keys":[{"id":{"S":"a"}}]}},"ReturnConsumedCapacity":"INDEXES"}' >out
	[ "$(jq -c '.ConsumedCapacity[] | [.TableName, .CapacityUnits, .Table.CapacityUnits]' out)" = '["users",0.5,0.5]' ] || { cat out; false; }
	call BatchGetItem '{"RequestItems":{"users":{"Keys":[{"id":{"S":"a"}}]}},"ReturnConsumedCapacity":"TOTAL"}' >out
	[ "$(jq -c '.ConsumedCapacity[] | [.TableName, .CapacityUnits, .Table]' out)" = '["users",0.5,null]' ] || { cat out; false; }
	serve_stop
}

@test "writers at once share commits: each condition decides alone, every answer after its commit" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	serve_start
	# 8 clients at once, each putting the same 40 keys only if absent
	# (one of them wins each key), adding 1 to one counter and failing a
	# condition on purpose, between its other writes.
	run -0 python3 - "$PORT" <<'PY'
import http.client, json, sys, threading
port = int(sys.argv[1])
won, added, errors = {}, [0] * 8, []
def call(conn, op, body):
    conn.request("POST", "/", json.dumps(body), {
        "X-Amz-Target": "DynamoDB_20120810." + op,
        "Content-Type": "application/x-amz-json-1.0"})
    r = conn.getresponse()
    return r.status, json.loads(r.read())
def client(i):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for k in range(40):
        s, b = call(conn, "PutItem", {"TableName": "users",
            "Item": {"id": {"S": "k%d" % k}, "who": {"N": str(i)}},
            "ConditionExpression": "attribute_not_exists(id)"})
        if s == 200:
            won.setdefault(k, []).append(i)
        elif not b["__type"].endswith("ConditionalCheckFailedException"):
            errors.append(b)
        s, b = call(conn, "UpdateItem", {"TableName": "users",
            "Key": {"id": {"S": "counter"}}, "UpdateExpression": "ADD n :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}}})
        added[i] += s == 200
        s, b = call(conn, "DeleteItem", {"TableName": "users",
            "Key": {"id": {"S": "k%d" % k}},
            "ConditionExpression": "who = :nobody",
            "ExpressionAttributeValues": {":nobody": {"N": "-1"}}})
        if s != 400:
            errors.append(b)
threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
for t in threads: t.start()
for t in threads: t.join()
assert not errors, errors
assert sorted(won) == list(range(40)) and all(len(v) == 1 for v in won.values()), won
for k, (i,) in sorted(won.items()):
    print("k%d %d" % (k, i))
print("counter", sum(added))
PY
	serve_stop
	# What each client was told is what the file holds.
	assert_equal "$(pdb-scan users | jq -r 'select(.who) | "\(.id.S) \(.who.N)"' | sort)" \
	    "$(grep '^k' <<<"$output" | sort)"
	[ "$(grep counter <<<"$output")" = "counter 320" ]
	[ "$(pdb-get users <<<'{"id":{"S":"counter"}}' | jq -r .n.N)" = 320 ]
	# One record per change that was kept, none for the refused ones.
	[ "$(pdb-stream-tail users | jq -r .eventName | sort | uniq -c | awk '{print $2 $1}' | paste -sd' ')" = "INSERT41 MODIFY319" ]
}

# in_open_shards: the records written to the open shards of the file's
# streams.
in_open_shards() {
	sqlite3 "$PDB_DB" "SELECT count(*) FROM records r JOIN shards s ON s.id = r.shard WHERE s.end_seq IS NULL"
}

# puts FROM TO: PutItem of things' items k-FROM .. k-TO over the wire, each
# on a new connection, so that every worker of the server has read the table.
puts() {
	local i
	for ((i = $1; i <= $2; i++)); do
		call PutItem "{\"TableName\":\"things\",\"Item\":{\"id\":{\"S\":\"k-$i\"},\"name\":{\"S\":\"n$i\"}}}"
		[ "$(status)" = 200 ] || return 1
	done
}

@test "what the command line changes of a table, the running server's next request sees" {
	serve_start
	pdb-table create things id --stream KEYS_ONLY
	puts 1 4 >/dev/null
	[ "$(in_open_shards)" = 4 ]
	# A split: the server's writes go to the children, none to the parent.
	pdb-stream-shard things split >/dev/null
	[ "$(in_open_shards)" = 0 ]
	puts 5 8 >/dev/null
	[ "$(in_open_shards)" = 4 ]
	# A stream turned off: no record.
	pdb-table stream things off >/dev/null
	before=$(sqlite3 "$PDB_DB" 'SELECT count(*) FROM records')
	puts 9 10 >/dev/null
	[ "$(sqlite3 "$PDB_DB" 'SELECT count(*) FROM records')" = "$before" ]
	# An index added: the server's writes and reads use it.
	pdb-table index things add "by-name name" >/dev/null
	puts 11 11 >/dev/null
	for ((i = 0; i < 4; i++)); do
		call Query '{"TableName":"things","IndexName":"by-name","KeyConditionExpression":"#n = :n","ExpressionAttributeNames":{"#n":"name"},"ExpressionAttributeValues":{":n":{"S":"n11"}}}' >out
		[ "$(jq -c '[.Items[].id.S]' out)" = '["k-11"]' ]
	done
	# The table made again with another key.
	pdb-table delete things >/dev/null
	pdb-table create things k:N >/dev/null
	call PutItem '{"TableName":"things","Item":{"id":{"S":"k-1"}}}' >out
	[ "$(status)" = 400 ]
	jq -e '.message | test("Missing the key k")' out
	call PutItem '{"TableName":"things","Item":{"k":{"N":"1"}}}' >/dev/null
	[ "$(status)" = 200 ]
	[ "$(pdb-scan things)" = '{"k":{"N":"1"}}' ]
}

@test "ExclusiveStartKey is checked first, in AWS's words" {
	serve_start
	call CreateTable '{"TableName":"orders","KeySchema":[{"AttributeName":"c","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"c","AttributeType":"S"},{"AttributeName":"n","AttributeType":"N"}],"BillingMode":"PAY_PER_REQUEST"}' >/dev/null
	# Before the key condition's own faults (dynalite's query.js).
	says Query '{"TableName":"orders","KeyConditionExpression":"z = :a","ExpressionAttributeValues":{":a":{"N":"1"}},"ExclusiveStartKey":{}}' "The provided starting key is invalid"
	says Query '{"TableName":"orders","KeyConditionExpression":"c = :a","ExpressionAttributeValues":{":a":{"S":"x"}},"ExclusiveStartKey":{"c":{"S":"x"},"n":{"S":"1"}}}' "The provided key element does not match the schema"
	says Scan '{"TableName":"orders","ExclusiveStartKey":{"c":{"S":"x"},"z":{"N":"1"}}}' "The provided starting key is invalid"
	says Scan '{"TableName":"orders","ExclusiveStartKey":{"c":{"S":"x"},"n":{"NULL":false}}}' "The provided starting key is invalid: One or more parameter values were invalid: Null attribute value types must have the value of true"
	says Scan '{"TableName":"orders","ExclusiveStartKey":{"c":{"S":"x"},"n":{"N":"1e126"}}}' "Number overflow. Attempting to store a number with magnitude larger than supported range"
}

@test "an item's or key's values are checked before its expressions and its table, as AWS does" {
	serve_start
	call CreateTable "$users" >/dev/null
	empty='One or more parameter values were invalid: An string set  may not be empty'
	# Before a faulty expression (DynamoDB Local agrees) ...
	says PutItem '{"TableName":"users","Item":{"id":{"S":"a"},"t":{"SS":[]}},"ConditionExpression":"t = "}' "$empty"
	says UpdateItem '{"TableName":"users","Key":{"id":{"SS":[]}},"UpdateExpression":"SET a = "}' "$empty"
	says DeleteItem '{"TableName":"users","Key":{"id":{"SS":[]}},"Expected":{"a":{}}}' "$empty"
	says GetItem '{"TableName":"users","Key":{"id":{"SS":[]}},"AttributesToGet":["a","a"]}' "$empty"
	says Scan '{"TableName":"users","ExclusiveStartKey":{"id":{"SS":[]}},"FilterExpression":"a = "}' "The provided starting key is invalid: $empty"
	# ... and before looking for the table (dynalite's tests, recorded
	# against AWS; DynamoDB Local looks for the table first, D29).
	says PutItem '{"TableName":"nope","Item":{"id":{"S":"a"},"t":{"SS":[]}}}' "$empty"
	says UpdateItem '{"TableName":"nope","Key":{"id":{"NULL":false}}}' "One or more parameter values were invalid: Null attribute value types must have the value of true"
	# But after the mix of expression and legacy members, and a start key
	# after the legacy members (dynalite's getItem.js, scan.js).
	says GetItem '{"TableName":"users","Key":{"id":{"SS":[]}},"AttributesToGet":["a"],"ProjectionExpression":"a"}' "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"
	says GetItem '{"TableName":"users","Key":{"id":{"SS":[]}},"ExpressionAttributeNames":{"#a":"a"}}' "ExpressionAttributeNames can only be specified when using expressions"
	says Scan '{"TableName":"users","ExclusiveStartKey":{"id":{"SS":[]}},"ScanFilter":{"a":{"ComparisonOperator":"EQ","AttributeValueList":[]}}}' "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"
	# A valid request to a missing table is still that.
	says PutItem '{"TableName":"nope","Item":{"id":{"S":"a"}}}' "Requested resource not found"
	[ "$(pdb-scan users | wc -l)" = 0 ]
}

@test "tagging checks its request in AWS's order and words, ResourcArn and all" {
	serve_start
	call CreateTable "$users" >/dev/null
	arn=arn:aws:dynamodb:us-east-1:000000000000:table
	# dynalite's test/tagResource.js and untagResource.js, recorded
	# against AWS: a missing list before the ARN, the ARN (its table
	# name too) before an empty list, and that before the table.
	says TagResource '{"ResourceArn":"a:b:c:d:e:f/g"}' "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null"
	says UntagResource '{"ResourceArn":"a:b:c:d:e:f/g"}' "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"
	says TagResource "{\"ResourceArn\":\"$arn/ab\",\"Tags\":[]}" "Invalid TableArn: Invalid ResourceArn provided as input $arn/ab"
	says TagResource "{\"ResourceArn\":\"$arn/nope\",\"Tags\":[]}" "Atleast one Tag needs to be provided as Input."
	says UntagResource "{\"ResourceArn\":\"$arn/nope\",\"TagKeys\":[]}" "Atleast one Tag Key needs to be provided as Input."
	# AWS's spelling, typo included; UntagResource names nothing.
	says TagResource "{\"ResourceArn\":\"$arn/nope\",\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}]}" "Requested resource not found: ResourcArn: $arn/nope not found"
	says ListTagsOfResource "{\"ResourceArn\":\"$arn/nope\"}" "Requested resource not found: ResourcArn: $arn/nope not found"
	says UntagResource "{\"ResourceArn\":\"$arn/nope\",\"TagKeys\":[\"k\"]}" "Requested resource not found"
	[ "$(call TagResource "{\"ResourceArn\":\"$arn/users\",\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}]}")" = '{}' ]
	[ "$(call UntagResource "{\"ResourceArn\":\"$arn/users\",\"TagKeys\":[\"z\"]}")" = '{}' ]
	[ "$(call ListTagsOfResource "{\"ResourceArn\":\"$arn/users\"}")" = '{"Tags":[{"Key":"k","Value":"v"}]}' ]
}

@test "ListTables refuses an ExclusiveStartTableName no table could have, as AWS does" {
	serve_start
	call CreateTable "$users" >/dev/null
	# dynalite's test/listTables.js, recorded against AWS: the start name
	# has a table name's constraints (AWS gives '' both of its faults).
	call ListTables '{"ExclusiveStartTableName":""}' >out
	[ "$(status)" = 400 ]
	[ "$(jq -r .message out)" = "1 validation error detected: Value '' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3" ]
	long=$(printf 'a%.0s' {1..256})
	call ListTables "{\"ExclusiveStartTableName\":\"$long\"}" >out
	[ "$(jq -r .message out)" = "1 validation error detected: Value '$long' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length less than or equal to 255" ]
	call ListTables '{"ExclusiveStartTableName":"abc;"}' >out
	[ "$(jq -r .message out)" = "1 validation error detected: Value 'abc;' at 'exclusiveStartTableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+" ]
	# A name no table has is still a place to start.
	[ "$(call ListTables '{"ExclusiveStartTableName":"aaa"}')" = '{"TableNames":["users"]}' ]
}

@test "an empty RequestItems is refused in AWS's words" {
	serve_start
	says BatchWriteItem '{"RequestItems":{}}' "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"
	says BatchGetItem '{"RequestItems":{}}' "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"
	[ "$(status)" = 400 ]
}

@test "DeleteTable describes the table as AWS does: DELETING, without its schema" {
	serve_start
	call CreateTable '{"TableName":"gone","KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"c","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},{"AttributeName":"c","AttributeType":"S"},{"AttributeName":"x","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[{"IndexName":"hello","KeySchema":[{"AttributeName":"x","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}],"LocalSecondaryIndexes":[{"IndexName":"hithere","KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"x","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}' >/dev/null
	[ "$(call DescribeTable '{"TableName":"gone"}' | jq -c '.Table | [has("KeySchema"), has("GlobalSecondaryIndexes"), has("CreationDateTime")]')" = '[true,true,true]' ]
	call DeleteTable '{"TableName":"gone"}' >out
	# Alternator's test_delete_table_description*, run against AWS.
	[ "$(jq -c '.TableDescription | [.TableName, .TableStatus, (.TableArn | startswith("arn:")), .BillingModeSummary.BillingMode, .ItemCount]' out)" = '["gone","DELETING",true,"PAY_PER_REQUEST",0]' ]
	[ "$(jq -c '.TableDescription | [has("KeySchema"), has("AttributeDefinitions"), has("GlobalSecondaryIndexes"), has("LocalSecondaryIndexes"), has("CreationDateTime")]' out)" = '[false,false,false,false,false]' ]
	run -1 pdb-table describe gone
}

@test "CreateTable without its required members is refused in AWS's words" {
	serve_start
	ks='"KeySchema":[{"AttributeName":"a","KeyType":"HASH"}]'
	defs='"AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}]'
	null="1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null"
	# dynalite's createTable.js, recorded against AWS.
	says CreateTable "{$ks,$defs,\"BillingMode\":\"PAY_PER_REQUEST\"}" "$(printf "$null" tableName)"
	says CreateTable "{\"TableName\":\"abc\",$defs}" "$(printf "$null" keySchema)"
	says CreateTable "{\"TableName\":\"abc\",$ks}" "$(printf "$null" attributeDefinitions)"
	says CreateTable "{\"TableName\":\"abc\",\"KeySchema\":[],$defs}" "1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1"
	says CreateTable "{\"TableName\":\"abc\",$ks,\"AttributeDefinitions\":[],\"BillingMode\":\"PAY_PER_REQUEST\"}" "Invalid KeySchema: Some index key attribute have no definition"
	says CreateTable "{\"TableName\":\"abc\",$ks,\"AttributeDefinitions\":[{\"AttributeName\":\"b\",\"AttributeType\":\"S\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}" "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]"
	[ "$(call ListTables '{}')" = '{"TableNames":[]}' ]
}

