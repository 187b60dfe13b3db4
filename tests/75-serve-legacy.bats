#!/usr/bin/env bats
# pdb-serve: DynamoDB's legacy parameters (Expected, ConditionalOperator,
# AttributeUpdates, KeyConditions, QueryFilter, ScanFilter,
# AttributesToGet), as DynamoDBMapper and older SDKs send them.

load helper

users='{"TableName":"users","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}}'
orders='{"TableName":"orders","KeySchema":[{"AttributeName":"c","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"c","AttributeType":"S"},{"AttributeName":"n","AttributeType":"N"}],"BillingMode":"PAY_PER_REQUEST"}'

# error: the __type's name and the message of the last answer, kept in out.
error() { jq -r '(.__type | sub(".*#"; "")) + ": " + (.message // .Message)' out; }

# refused OP BODY WANT: the call is answered with the error WANT.
refused() {
	call "$1" "$2" >out
	[ "$(error)" = "$3" ] || { echo "$1 $2: $(cat out)"; return 1; }
}

@test "Expected: Exists, Value and ComparisonOperator guard a put; a failed one writes nothing" {
	serve_start
	call CreateTable "$users" >/dev/null
	call PutItem '{"TableName":"users","Item":{"id":{"S":"a"},"n":{"N":"1"},"tags":{"SS":["x","y"]}},"Expected":{"id":{"Exists":false}}}' >out
	[ "$(status)" = 200 ]
	call PutItem '{"TableName":"users","Item":{"id":{"S":"a"},"n":{"N":"9"}},"Expected":{"id":{"Exists":false}}}' >out
	[ "$(error)" = "ConditionalCheckFailedException: The conditional request failed" ]
	call PutItem '{"TableName":"users","Item":{"id":{"S":"a"},"n":{"N":"9"}},"Expected":{"n":{"Value":{"N":"2"}}}}' >out
	[ "$(status)" = 400 ]
	[ "$(echo '{"id":{"S":"a"}}' | pdb-get users | jq -c .n)" = '{"N":"1"}' ]
	[ "$(pdb-stream-tail users | wc -l)" = 1 ]
	# Each operator, against n = 1 and tags = {x, y}; NE holds on a
	# missing attribute, NOT_CONTAINS does not (AWS's rules).
	for cond in '"n":{"Value":{"N":"1.0"}}' '"n":{"ComparisonOperator":"GE","AttributeValueList":[{"N":"1"}]}' \
	    '"n":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"0"},{"N":"1"}]}' \
	    '"n":{"ComparisonOperator":"IN","AttributeValueList":[{"N":"7"},{"N":"1"}]}' \
	    '"tags":{"ComparisonOperator":"CONTAINS","AttributeValueList":[{"S":"y"}]}' \
	    '"tags":{"ComparisonOperator":"NOT_CONTAINS","AttributeValueList":[{"S":"z"}]}' \
	    '"nope":{"ComparisonOperator":"NE","AttributeValueList":[{"S":"z"}]}' \
	    '"nope":{"ComparisonOperator":"NULL"}' '"id":{"ComparisonOperator":"BEGINS_WITH","Value":{"S":"a"}}'; do
		call DeleteItem "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"a\"}},\"Expected\":{$cond},\"ReturnValues\":\"ALL_OLD\"}" >out
		[ "$(jq -c .Attributes.n out)" = '{"N":"1"}' ] || { echo "$cond: $(cat out)"; return 1; }
		call PutItem '{"TableName":"users","Item":{"id":{"S":"a"},"n":{"N":"1"},"tags":{"SS":["x","y"]}}}' >/dev/null
	done
	for cond in '"n":{"ComparisonOperator":"LT","AttributeValueList":[{"N":"1"}]}' \
	    '"n":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"1"}]}' \
	    '"nope":{"ComparisonOperator":"NOT_CONTAINS","AttributeValueList":[{"S":"z"}]}' \
	    '"n":{"ComparisonOperator":"NOT_NULL"},"nope":{"ComparisonOperator":"NOT_NULL"}'; do
		call DeleteItem "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"a\"}},\"Expected\":{$cond}}" >out
		[ "$(jq -r .__type out)" = "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" ] || { echo "$cond: $(cat out)"; return 1; }
	done
	# ConditionalOperator OR: one of two suffices.
	call DeleteItem '{"TableName":"users","Key":{"id":{"S":"a"}},"Expected":{"n":{"ComparisonOperator":"NOT_NULL"},"nope":{"ComparisonOperator":"NOT_NULL"}},"ConditionalOperator":"OR"}' >out
	[ "$(status)" = 200 ]
	run -1 pdb-get users <<<'{"id":{"S":"a"}}'
}

@test "Expected and ConditionalOperator are checked by DynamoDB's rules, with its words" {
	serve_start
	call CreateTable "$users" >/dev/null
	check() { refused PutItem "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"a\"}},$1}" "$2"; }
	v='ValidationException: One or more parameter values were invalid:'
	check '"Expected":{"x":{"Exists":true}}' "$v Value must be provided when Exists is true for Attribute: x"
	check '"Expected":{"x":{}}' "$v Value must be provided when Exists is null for Attribute: x"
	check '"Expected":{"x":{"Exists":false,"Value":{"S":"a"}}}' "$v Value cannot be used when Exists is false for Attribute: x"
	check '"Expected":{"x":{"ComparisonOperator":"LT"}}' "$v Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: x"
	check '"Expected":{"x":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"1"}]}}' "$v Invalid number of argument(s) for the BETWEEN ComparisonOperator"
	check '"Expected":{"x":{"ComparisonOperator":"IN","AttributeValueList":[{"N":"1"},{"S":"1"}]}}' "$v AttributeValues inside AttributeValueList must be of same type"
	check '"Expected":{"x":{"ComparisonOperator":"GT","AttributeValueList":[{"SS":["1"]}]}}' "$v ComparisonOperator GT is not valid for SS AttributeValue type"
	check '"Expected":{"x":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"2"},{"N":"1"}]}}' "ValidationException: The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"
	check '"Expected":{"x":{"ComparisonOperator":"EQ","AttributeValueList":[{"SS":[]}]}}' "$v An string set  may not be empty"
	check '"Expected":{"x":{"ComparisonOperator":"SAME","AttributeValueList":[{"N":"1"}]}}' "ValidationException: 1 validation error detected: Value 'SAME' at 'expected.x.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"
	check '"Expected":{"x":{"Exists":"no"}}' "SerializationException: VALUE_STRING cannot be converted to Boolean"
	check '"Expected":{"x":{"Exists":false}},"ConditionalOperator":"OR"' "ValidationException: ConditionalOperator can only be used when Filter or Expected has two or more elements"
	check '"ConditionalOperator":"OR"' "ValidationException: ConditionalOperator cannot be used without Filter or Expected"
	check '"Expected":{"x":{"Exists":false}},"ConditionExpression":"attribute_not_exists(id)"' "ValidationException: Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"
	# Expected before ConditionalOperator, as DynamoDB Local names them.
	check '"Expected":{"x":{"Exists":false},"y":{"Exists":false}},"ConditionalOperator":"OR","ConditionExpression":"attribute_not_exists(id)"' "ValidationException: Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected, ConditionalOperator} Expression parameters: {ConditionExpression}"
	# A list is not a type CONTAINS takes (though BOOL and NULL are).
	check '"Expected":{"x":{"ComparisonOperator":"CONTAINS","AttributeValueList":[{"L":[{"S":"a"}]}]}}' "$v ComparisonOperator CONTAINS is not valid for L AttributeValue type"
	check '"Expected":{"x":{"ComparisonOperator":"NOT_CONTAINS","Value":{"L":[]}}}' "$v ComparisonOperator NOT_CONTAINS is not valid for L AttributeValue type"
	check '"Expected":{"x":{"Exists":false}},"ExpressionAttributeNames":{"#x":"x"}' "ValidationException: ExpressionAttributeNames can only be specified when using expressions"
	check '"Expected":{"x":{"Exists":false}},"ExpressionAttributeValues":{":x":{"S":"x"}}' "ValidationException: ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"
	[ "$(pdb-scan users | wc -l)" = 0 ]
}

@test "AttributeUpdates: PUT, ADD to numbers, sets and lists, DELETE attributes and set elements" {
	serve_start
	call CreateTable "$users" >/dev/null
	call UpdateItem '{"TableName":"users","Key":{"id":{"S":"a"}},"AttributeUpdates":{"name":{"Value":{"S":"Ann"}},"visits":{"Action":"ADD","Value":{"N":"1"}},"tags":{"Action":"ADD","Value":{"SS":["x"]}},"log":{"Action":"ADD","Value":{"L":[{"S":"one"}]}}},"ReturnValues":"ALL_NEW"}' >out
	[ "$(jq -c '.Attributes | [.name.S, .visits.N, .tags.SS, .log.L]' out)" = '["Ann","1",["x"],[{"S":"one"}]]' ]
	call UpdateItem '{"TableName":"users","Key":{"id":{"S":"a"}},"AttributeUpdates":{"visits":{"Action":"ADD","Value":{"N":"2"}},"tags":{"Action":"ADD","Value":{"SS":["y"]}},"log":{"Action":"ADD","Value":{"L":[{"S":"two"}]}}},"ReturnValues":"UPDATED_NEW"}' >out
	[ "$(jq -c '.Attributes' out)" = '{"log":{"L":[{"S":"one"},{"S":"two"}]},"tags":{"SS":["x","y"]},"visits":{"N":"3"}}' ]
	call UpdateItem '{"TableName":"users","Key":{"id":{"S":"a"}},"AttributeUpdates":{"name":{"Action":"DELETE"},"tags":{"Action":"DELETE","Value":{"SS":["x"]}}},"Expected":{"visits":{"Value":{"N":"3"}}},"ReturnValues":"UPDATED_OLD"}' >out
	[ "$(jq -c '.Attributes' out)" = '{"name":{"S":"Ann"},"tags":{"SS":["x","y"]}}' ]
	[ "$(echo '{"id":{"S":"a"}}' | pdb-get users | jq -c 'del(.log)')" = '{"id":{"S":"a"},"tags":{"SS":["y"]},"visits":{"N":"3"}}' ]
	# The stream saw each change with both images.
	[ "$(pdb-stream-tail users | jq -r .eventName | tr '\n' ' ')" = "INSERT MODIFY MODIFY " ]
	# Wrong types and the key are refused; nothing changes.
	check() { refused UpdateItem "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"a\"}},\"AttributeUpdates\":{$1}}" "$2"; }
	v='ValidationException: One or more parameter values were invalid:'
	check '"x":{"Action":"PUT"}' "$v Only DELETE action is allowed when no attribute value is specified"
	check '"x":{"Action":"ADD","Value":{"S":"s"}}' "$v ADD action is not supported for the type S"
	check '"x":{"Action":"DELETE","Value":{"N":"1"}}' "$v DELETE action with value is not supported for the type N"
	check '"visits":{"Action":"ADD","Value":{"SS":["s"]}}' "ValidationException: Type mismatch for attribute to update"
	check '"id":{"Value":{"S":"b"}}' "$v Cannot update attribute id. This attribute is part of the key"
	check '"x":{"Action":"TOUCH","Value":{"S":"s"}}' "ValidationException: 1 validation error detected: Value 'TOUCH' at 'attributeUpdates.x.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]"
	[ "$(pdb-stream-tail users | wc -l)" = 3 ]
}

@test "AttributeUpdates on a missing item: {} makes it, only DELETEs make nothing (as AWS)" {
	serve_start
	call CreateTable "$users" >/dev/null
	call UpdateItem '{"TableName":"users","Key":{"id":{"S":"a"}},"AttributeUpdates":{"x":{"Action":"DELETE"}},"ReturnValues":"ALL_NEW"}' >out
	[ "$(cat out)" = '{}' ]
	call UpdateItem '{"TableName":"users","Key":{"id":{"S":"b"}},"AttributeUpdates":{},"ReturnValues":"ALL_NEW"}' >out
	[ "$(cat out)" = '{"Attributes":{"id":{"S":"b"}}}' ]
	[ "$(pdb-scan users | jq -r .id.S)" = b ]
	[ "$(pdb-stream-tail users | jq -c '[.eventName, .dynamodb.Keys.id.S]')" = '["INSERT","b"]' ]
}

@test "KeyConditions, QueryFilter and AttributesToGet query as their expressions do" {
	serve_start
	call CreateTable "$orders" >/dev/null
	for i in $(seq 1 9); do echo "{\"c\":{\"S\":\"c$((i % 2))\"},\"n\":{\"N\":\"$i\"},\"total\":{\"N\":\"$((i * 10))\"}}"; done | pdb-put orders
	hash='"c":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"c1"}]}'
	call Query "{\"TableName\":\"orders\",\"KeyConditions\":{$hash,\"n\":{\"ComparisonOperator\":\"BETWEEN\",\"AttributeValueList\":[{\"N\":\"3\"},{\"N\":\"7\"}]}},\"QueryFilter\":{\"total\":{\"ComparisonOperator\":\"GT\",\"AttributeValueList\":[{\"N\":\"30\"}]}},\"AttributesToGet\":[\"n\"]}" >out
	[ "$(jq -c '[.Count, .ScannedCount, [.Items[].n.N], (.Items[0] | keys)]' out)" = '[2,3,["5","7"],["n"]]' ]
	# The same as its expressions give (where TOTAL is a reserved word).
	call Query '{"TableName":"orders","KeyConditionExpression":"c = :c AND n BETWEEN :a AND :b","FilterExpression":"#t > :t","ProjectionExpression":"n","ExpressionAttributeNames":{"#t":"total"},"ExpressionAttributeValues":{":c":{"S":"c1"},":a":{"N":"3"},":b":{"N":"7"},":t":{"N":"30"}}}' >expr
	[ "$(jq -c . out)" = "$(jq -c . expr)" ] || { cat out expr; return 1; }
	# KeyConditions go with a FilterExpression; BEGINS_WITH, descending.
	call Query "{\"TableName\":\"orders\",\"KeyConditions\":{$hash},\"FilterExpression\":\"#t < :t\",\"ExpressionAttributeNames\":{\"#t\":\"total\"},\"ExpressionAttributeValues\":{\":t\":{\"N\":\"50\"}},\"ScanIndexForward\":false}" >out
	[ "$(jq -c '[.Items[].n.N]' out)" = '["3","1"]' ]
	check() { refused Query "{\"TableName\":\"orders\",$1}" "$2"; }
	check '"KeyConditions":{"n":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"1"}]}}' "ValidationException: Query condition missed key schema element: c"
	check "\"KeyConditions\":{$hash,\"n\":{\"ComparisonOperator\":\"NE\",\"AttributeValueList\":[{\"N\":\"1\"}]}}" "ValidationException: Attempted conditional constraint is not an indexable operation"
	check '"KeyConditions":{}' "ValidationException: Conditions can be of length 1 or 2 only"
	check "\"KeyConditions\":{$hash},\"QueryFilter\":{\"n\":{\"ComparisonOperator\":\"GT\",\"AttributeValueList\":[{\"N\":\"1\"}]}}" "ValidationException: QueryFilter can only contain non-primary key attributes: Primary key attribute: n"
	check "\"KeyConditions\":{$hash},\"AttributesToGet\":[\"n\"],\"Select\":\"COUNT\"" "ValidationException: Cannot specify the AttributesToGet when choosing to get only the Count"
	check "\"KeyConditions\":{$hash},\"AttributesToGet\":[\"n\",\"n\"]" "ValidationException: One or more parameter values were invalid: Duplicate value in attribute name: n"
	check "\"KeyConditions\":{$hash},\"AttributesToGet\":[]" "ValidationException: 1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1"
	check "\"KeyConditionExpression\":\"c = :c\",\"ExpressionAttributeValues\":{\":c\":{\"S\":\"c1\"}},\"QueryFilter\":{\"total\":{\"ComparisonOperator\":\"NOT_NULL\"}},\"AttributesToGet\":[\"n\"]" "ValidationException: Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, QueryFilter} Expression parameters: {KeyConditionExpression}"
}

@test "KeyConditions: values and their count are checked before an operator an index cannot find; CONTAINS takes no list" {
	serve_start
	call CreateTable "$orders" >/dev/null
	check() { refused "$1" "{\"TableName\":\"orders\",$2}" "$3"; }
	v='ValidationException: One or more parameter values were invalid:'
	# AWS's order, as dynalite's tests record it.
	check Query '"KeyConditions":{"c":{"ComparisonOperator":"NE"}}' "$v Invalid number of argument(s) for the NE ComparisonOperator"
	check Query '"KeyConditions":{"a":{"ComparisonOperator":"NULL"},"b":{"ComparisonOperator":"NULL"},"c":{"ComparisonOperator":"NULL"}}' "ValidationException: Conditions can be of length 1 or 2 only"
	check Query '"KeyConditions":{"c":{"ComparisonOperator":"IN","AttributeValueList":[{"BOOL":true}]}}' "$v ComparisonOperator IN is not valid for BOOL AttributeValue type"
	check Query '"KeyConditions":{"c":{"ComparisonOperator":"IN","AttributeValueList":[{"S":"b"},{"N":"1"}]}}' "$v AttributeValues inside AttributeValueList must be of same type"
	check Query '"KeyConditions":{"c":{"ComparisonOperator":"NOT_CONTAINS","AttributeValueList":[{"NS":["1"]}]}}' "$v ComparisonOperator NOT_CONTAINS is not valid for NS AttributeValue type"
	check Query '"KeyConditions":{"c":{"ComparisonOperator":"NOT_NULL"}}' "ValidationException: Attempted conditional constraint is not an indexable operation"
	# A list is no operand of CONTAINS or NOT_CONTAINS (L is not NULL or
	# BOOL), in a filter or in Expected.
	check Query '"QueryFilter":{"a":{"ComparisonOperator":"CONTAINS","AttributeValueList":[{"L":[]}]}}' "$v ComparisonOperator CONTAINS is not valid for L AttributeValue type"
	check Scan '"ScanFilter":{"a":{"ComparisonOperator":"NOT_CONTAINS","AttributeValueList":[{"L":[{"N":"1"}]}]}}' "$v ComparisonOperator NOT_CONTAINS is not valid for L AttributeValue type"
	check PutItem '"Item":{"c":{"S":"x"},"n":{"N":"1"}},"Expected":{"a":{"ComparisonOperator":"CONTAINS","AttributeValueList":[{"L":[{"N":"1"}]}]}}' "$v ComparisonOperator CONTAINS is not valid for L AttributeValue type"
	# NULL and BOOL it does take.
	call Scan '{"TableName":"orders","ScanFilter":{"a":{"ComparisonOperator":"CONTAINS","AttributeValueList":[{"NULL":true}]}},"Select":"COUNT"}' >out
	[ "$(status)" = 200 ]
}

@test "ScanFilter with ConditionalOperator, Select COUNT and pages" {
	serve_start
	call CreateTable "$orders" >/dev/null
	for i in $(seq 1 9); do echo "{\"c\":{\"S\":\"c$((i % 2))\"},\"n\":{\"N\":\"$i\"},\"total\":{\"N\":\"$((i * 10))\"}}"; done | pdb-put orders
	f='"ScanFilter":{"total":{"ComparisonOperator":"LE","AttributeValueList":[{"N":"20"}]},"n":{"ComparisonOperator":"IN","AttributeValueList":[{"N":"9"},{"N":"8"}]}}'
	[ "$(call Scan "{\"TableName\":\"orders\",$f,\"ConditionalOperator\":\"OR\",\"Select\":\"COUNT\"}")" = '{"Count":4,"ScannedCount":9}' ]
	[ "$(call Scan "{\"TableName\":\"orders\",$f,\"Select\":\"COUNT\"}")" = '{"Count":0,"ScannedCount":9}' ]
	call Scan "{\"TableName\":\"orders\",$f,\"ConditionalOperator\":\"OR\",\"Limit\":5}" >out
	call Scan "{\"TableName\":\"orders\",$f,\"ConditionalOperator\":\"OR\",\"ExclusiveStartKey\":$(jq -c .LastEvaluatedKey out)}" >out2
	[ "$(jq -s -c '[.[].Items[].n.N | tonumber] | sort' out out2)" = '[1,2,8,9]' ]
	call Scan '{"TableName":"orders","ScanFilter":{"n":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"1"}]}},"FilterExpression":"n > :n"}' >out
	[ "$(error)" = "ValidationException: Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}" ]
}

@test "IN of a ScanFilter or Expected takes more than the 100 operands of an expression's" {
	serve_start
	call CreateTable "$orders" >/dev/null
	echo '{"c":{"S":"c1"},"n":{"N":"1"},"total":{"N":"150"}}' | pdb-put orders
	list=$(seq 1 150 | jq -c -s 'map({N: tostring})')
	call Scan "{\"TableName\":\"orders\",\"ScanFilter\":{\"total\":{\"ComparisonOperator\":\"IN\",\"AttributeValueList\":$list}}}" >out
	[ "$(jq -c '[.Count, .ScannedCount]' out)" = '[1,1]' ] || { cat out; return 1; }
	call DeleteItem "{\"TableName\":\"orders\",\"Key\":{\"c\":{\"S\":\"c1\"},\"n\":{\"N\":\"1\"}},\"Expected\":{\"total\":{\"ComparisonOperator\":\"IN\",\"AttributeValueList\":$list}}}" >out
	[ "$(status)" = 200 ]
	run -1 pdb-get orders <<<'{"c":{"S":"c1"},"n":{"N":"1"}}'
	# An expression's IN keeps its limit.
	ops=$(seq 1 101 | sed 's/.*/:v/' | paste -sd, -)
	call Scan "{\"TableName\":\"orders\",\"FilterExpression\":\"total IN ($ops)\",\"ExpressionAttributeValues\":{\":v\":{\"N\":\"1\"}}}" >out
	[ "$(error)" = "ValidationException: Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101" ]
}

@test "placeholders without an expression are refused for that before being empty (as AWS)" {
	serve_start
	call CreateTable "$users" >/dev/null
	call PutItem '{"TableName":"users","Item":{"id":{"S":"a"}},"ExpressionAttributeNames":{}}' >out
	[ "$(error)" = "ValidationException: ExpressionAttributeNames can only be specified when using expressions" ]
	call PutItem '{"TableName":"users","Item":{"id":{"S":"a"}},"Expected":{"x":{"Exists":false}},"ExpressionAttributeValues":{}}' >out
	[ "$(error)" = "ValidationException: ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null" ]
	call PutItem '{"TableName":"users","Item":{"id":{"S":"a"}},"ConditionExpression":"attribute_not_exists(id)","ExpressionAttributeValues":{}}' >out
	[ "$(error)" = "ValidationException: ExpressionAttributeValues must not be empty" ]
	[ "$(pdb-scan users | wc -l)" = 0 ]
}

@test "a legacy parameter's attribute names are 1 to 65535 bytes, as an item's (Alternator's test_limits)" {
	serve_start
	call CreateTable "$users" >/dev/null
	long=$(printf 'a%.0s' $(seq 65536))
	refused GetItem '{"TableName":"users","Key":{"id":{"S":"a"}},"AttributesToGet":[""]}' "ValidationException: Empty attribute name"
	refused GetItem "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"a\"}},\"AttributesToGet\":[\"$long\"]}" "ValidationException: Attribute name is too large, must be less than 65536 bytes"
	refused UpdateItem "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"a\"}},\"AttributeUpdates\":{\"$long\":{\"Value\":{\"N\":\"2\"}}}}" "ValidationException: Attribute name is too large, must be less than 65536 bytes"
	refused PutItem '{"TableName":"users","Item":{"id":{"S":"a"}},"Expected":{"":{"Exists":false}}}' "ValidationException: Empty attribute name"
	# 65535 bytes is a name.
	call UpdateItem "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"a\"}},\"AttributeUpdates\":{\"${long:1}\":{\"Value\":{\"N\":\"2\"}}}}" >out
	[ "$(status)" = 200 ]
	[ "$(pdb-scan users | jq -r 'keys | map(length) | max')" = 65535 ]
}

