#!/usr/bin/env bats
# Secondary indexes: declared at creation (pdb-table -g/-L, CreateTable),
# added with a backfill and deleted later, kept in each write's
# transaction, and read through Query and Scan with DynamoDB's rules.

load helper


# The orders table of the README: GSIs by status (KEYS_ONLY) and email,
# an LSI by total that projects note.
orders() {
	pdb-table create orders customer id -s NEW_IMAGE \
	    -g "byStatus status created:N KEYS_ONLY" -g "byEmail email" \
	    -L "byTotal total:N INCLUDE:note"
	for i in 1 2 3 4 5 6; do
		echo '{"customer":{"S":"c'$((i % 2))'"},"id":{"S":"o'$i'"},"status":{"S":"'$([ $i -le 4 ] && echo open || echo shipped)'"},"created":{"N":"'$((10 - i))'"},"total":{"N":"'$((i * 10))'"},"note":{"S":"n'$i'"},"extra":{"S":"x"}}'
	done | pdb-put orders
}

# Each index equals the set recomputed from its table.
check_indexes() {
	run -0 python3 "$TOP/tests/index/check.py" "$PDB_DB"
}

query() {
	call Query "$1" | jq -c "${2:-.}"
}

@test "index: pdb-table -g and -L create indexes that DescribeTable shows" {
	orders
	run -0 pdb-table describe orders
	d=$output
	jq -e '[.GlobalSecondaryIndexes[] | [.IndexName, .IndexStatus, (.KeySchema | map(.AttributeName) | join(",")), .Projection.ProjectionType, .ItemCount]] == [["byStatus","ACTIVE","status,created","KEYS_ONLY",6],["byEmail","ACTIVE","email","ALL",0]]' <<<"$d"
	jq -e '.LocalSecondaryIndexes == [{"IndexName":"byTotal","KeySchema":[{"AttributeName":"customer","KeyType":"HASH"},{"AttributeName":"total","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["note"]},"IndexSizeBytes":.LocalSecondaryIndexes[0].IndexSizeBytes,"ItemCount":6,"IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/orders/index/byTotal"}]' <<<"$d"
	# Every index key attribute is defined, once.
	jq -e '[.AttributeDefinitions[] | "\(.AttributeName):\(.AttributeType)"] | sort == ["created:N","customer:S","email:S","id:S","status:S","total:N"]' <<<"$d"
	# Setting up again: the indexes asked for are there, or it is refused.
	pdb-table create --if-not-exists orders customer id -s NEW_IMAGE -g "byEmail email"
	run -1 pdb-table create --if-not-exists orders customer id -s NEW_IMAGE -g "byName name"
	assert_output 'pdb-table: ResourceInUseException: Table already exists without index byName: orders'
	# A KEYS_ONLY index is smaller than the table; ALL would be the same.
	jq -e '.GlobalSecondaryIndexes[0].IndexSizeBytes < .TableSizeBytes' <<<"$d"
	have_validator
	# Debian's botocore model (2022) predates DeletionProtectionEnabled.
	jq -c 'del(.DeletionProtectionEnabled)' <<<"$d" >d.jsonl
	run -0 "$VALIDATE/validate-shape" -q --service dynamodb --shape TableDescription --strict d.jsonl
}

@test "index: a CreateTable request's indexes are honoured, its mistakes refused with DynamoDB's words" {
	req='{"TableName":"things","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"N"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}],"TimeToLiveSpecification":{"AttributeName":"exp","Enabled":true}}'
	pdb-table create -i - <<<"$req"
	run -0 pdb-table describe things
	jq -e '.GlobalSecondaryIndexes[0].KeySchema == [{"AttributeName":"g","KeyType":"HASH"}]' <<<"$output"
	run -0 pdb-table ttl things
	assert_output '{"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"exp"}}'
	refused() {
		before=$(db_state)
		run -3 pdb-table create -i - <<<"$(jq -c "$1 | .TableName = \"other\"" <<<"$req")"
		assert_output "pdb-table: ValidationException: $2"
		[ "$(db_state)" = "$before" ]
	}
	refused '.GlobalSecondaryIndexes[0].KeySchema[0].AttributeName = "zz"' \
	    'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [zz], AttributeDefinitions: [pk, sk, g]'
	refused 'del(.GlobalSecondaryIndexes)' \
	    'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions'
	refused '.AttributeDefinitions += [{"AttributeName":"q","AttributeType":"S"}]' \
	    'One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [pk, sk, g, q], keys used: [pk, sk, g]'
	refused '.GlobalSecondaryIndexes += .GlobalSecondaryIndexes' \
	    'One or more parameter values were invalid: Duplicate index name: byG'
	refused '.GlobalSecondaryIndexes = []' \
	    'One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty'
	refused '.GlobalSecondaryIndexes[0].Projection = {"ProjectionType":"ALL","NonKeyAttributes":["a"]}' \
	    'One or more parameter values were invalid: ProjectionType is ALL, but NonKeyAttributes is specified'
	refused '.GlobalSecondaryIndexes[0].Projection = {"ProjectionType":"INCLUDE"}' \
	    'If Projection type INCLUDE is specified, some non-key attributes to include in the projection must be specified as well'
	refused '.GlobalSecondaryIndexes[0].IndexName = "by g"' \
	    "1 validation error detected: Value 'by g' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
	refused '.LocalSecondaryIndexes = [{"IndexName":"byL","KeySchema":[{"AttributeName":"g","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]' \
	    'One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: byL. index hash key: g, table hash key: pk'
	refused '.LocalSecondaryIndexes = [range(6) | {"IndexName":"lsi\(.)","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"g","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]' \
	    'One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5'
	refused '.GlobalSecondaryIndexes = [range(21) | {"IndexName":"gsi\(.)","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]' \
	    'One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20'
	run -3 pdb-table create flat pk -L "byL l:N"
	assert_output 'pdb-table: ValidationException: One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex'
	run -3 pdb-table create flat pk -g "byX pk:N"
	assert_output 'pdb-table: ValidationException: One or more parameter values were invalid: attribute pk is declared with two types'
}

@test "index: an index key of the wrong type or empty refuses the whole write, and the batch rolls back" {
	orders
	before=$(db_state)
	run -3 pdb-put orders <<'EOF'
{"customer":{"S":"c9"},"id":{"S":"fine"},"status":{"S":"open"},"created":{"N":"1"}}
{"customer":{"S":"c9"},"id":{"S":"bad"},"status":{"N":"1"}}
EOF
	assert_output 'pdb-put: stdin:2: ValidationException: One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: byStatus'
	[ "$(db_state)" = "$before" ]
	run -3 pdb-put orders <<<'{"customer":{"S":"c9"},"id":{"S":"e"},"email":{"S":""}}'
	assert_output 'pdb-put: stdin:1: ValidationException: One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byEmail, IndexKey: email'
	# An update whose result has the wrong type is refused the same way.
	run -3 pdb-update -u 'SET #t = :t' -N '{"#t":"total"}' -V '{":t":{"S":"ten"}}' orders <<<'{"customer":{"S":"c1"},"id":{"S":"o1"}}'
	assert_output --partial 'Type mismatch for Index Key total Expected: N Actual: S IndexName: byTotal'
	[ "$(db_state)" = "$before" ]
	check_indexes
}

@test "index: thousands of random writes through the CLI leave every index equal to its table" {
	pdb-table create tbl pk sk:N -s NEW_AND_OLD_IMAGES \
	    -g "byG g gs:N" -g "byH h KEYS_ONLY" -L "byL l:N INCLUDE:v"
	run -0 python3 "$TOP/tests/index/churn.py" cli 7 60
	[ "$output" -gt 2000 ]
	check_indexes
	# Every write was also captured: the stream has a record per change.
	[ "$(rows records)" -gt 500 ]
}

@test "index: thousands of random writes through pdb-serve (items, transactions, batches) leave every index equal" {
	pdb-table create tbl pk sk:N -g "byG g gs:N" -g "byH h KEYS_ONLY" \
	    -L "byL l:N INCLUDE:v"
	serve_start
	ENDPOINT=$ENDPOINT run -0 /usr/bin/python3 "$TOP/tests/index/churn.py" serve 3 100
	[ "$output" -eq 2000 ]
	serve_stop
	check_indexes
}

@test "index: Query reads a GSI in its key order with its projection; a sparse index holds only what has its keys" {
	orders
	echo '{"customer":{"S":"c9"},"id":{"S":"e1"},"email":{"S":"ada@x"}}' | pdb-put orders
	serve_start
	# KEYS_ONLY: the table's keys and the index's, in created order.
	run query '{"TableName":"orders","IndexName":"byStatus","KeyConditionExpression":"#s = :s","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"open"}}}' '[.Items[] | [.id.S, .created.N, (keys | join(","))]]'
	assert_output '[["o4","6","created,customer,id,status"],["o3","7","created,customer,id,status"],["o2","8","created,customer,id,status"],["o1","9","created,customer,id,status"]]'
	# A sort key condition and ScanIndexForward false.
	run query '{"TableName":"orders","IndexName":"byStatus","KeyConditionExpression":"#s = :s AND created < :c","ScanIndexForward":false,"ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"open"},":c":{"N":"8"}}}' '[.Items[].id.S]'
	assert_output '["o3","o4"]'
	# Sparse: only the item with an email is in byEmail.
	call Scan '{"TableName":"orders","IndexName":"byEmail"}' | jq -e '.Count == 1 and .Items[0].id.S == "e1"'
	# LSI INCLUDE: the projected note, and the rest fetched on ALL_ATTRIBUTES.
	run query '{"TableName":"orders","IndexName":"byTotal","KeyConditionExpression":"customer = :c AND #t >= :t","ExpressionAttributeNames":{"#t":"total"},"ExpressionAttributeValues":{":c":{"S":"c0"},":t":{"N":"40"}}}' '[.Items[] | keys | join(",")]'
	assert_output '["customer,id,note,total","customer,id,note,total"]'
	run query '{"TableName":"orders","IndexName":"byTotal","Select":"ALL_ATTRIBUTES","Limit":1,"KeyConditionExpression":"customer = :c","ExpressionAttributeValues":{":c":{"S":"c0"}}}' '[(.Items[0] | has("extra")), .LastEvaluatedKey]'
	assert_output '[true,{"customer":{"S":"c0"},"id":{"S":"o2"},"total":{"N":"20"}}]'
}

@test "index: under INDEXES a read through an index is booked to that index, not the table" {
	orders
	serve_start
	# AWS, recorded by dynalite's test/query.js: Table 0, and the units
	# under GlobalSecondaryIndexes or LocalSecondaryIndexes by name.
	run query '{"TableName":"orders","IndexName":"byStatus","KeyConditionExpression":"#s = :s","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"open"}},"ReturnConsumedCapacity":"INDEXES"}' .ConsumedCapacity
	assert_output '{"TableName":"orders","CapacityUnits":0.5,"Table":{"CapacityUnits":0},"GlobalSecondaryIndexes":{"byStatus":{"CapacityUnits":0.5}}}'
	run query '{"TableName":"orders","IndexName":"byTotal","KeyConditionExpression":"customer = :c","ExpressionAttributeValues":{":c":{"S":"c0"}},"ConsistentRead":true,"ReturnConsumedCapacity":"INDEXES"}' .ConsumedCapacity
	assert_output '{"TableName":"orders","CapacityUnits":1,"Table":{"CapacityUnits":0},"LocalSecondaryIndexes":{"byTotal":{"CapacityUnits":1}}}'
	# What an LSI fetches from the table is read from the table.
	run query '{"TableName":"orders","IndexName":"byTotal","Select":"ALL_ATTRIBUTES","KeyConditionExpression":"customer = :c","ExpressionAttributeValues":{":c":{"S":"c0"}},"ConsistentRead":true,"ReturnConsumedCapacity":"INDEXES"}' .ConsumedCapacity
	assert_output '{"TableName":"orders","CapacityUnits":2,"Table":{"CapacityUnits":1},"LocalSecondaryIndexes":{"byTotal":{"CapacityUnits":1}}}'
	[ "$(call Scan '{"TableName":"orders","IndexName":"byEmail","ReturnConsumedCapacity":"TOTAL"}' | jq -c .ConsumedCapacity)" = '{"TableName":"orders","CapacityUnits":0.5}' ]
	run query '{"TableName":"orders","KeyConditionExpression":"customer = :c","ExpressionAttributeValues":{":c":{"S":"c0"}},"ReturnConsumedCapacity":"INDEXES"}' .ConsumedCapacity
	assert_output '{"TableName":"orders","CapacityUnits":0.5,"Table":{"CapacityUnits":0.5}}'
}

@test "index: a write's units include each index entry it adds, moves, changes or removes" {
	orders
	serve_start
	# As DynamoDB Local answers each (and AWS documents: an entry put or
	# deleted costs its size's units, a moved key both, an entry the
	# write leaves alone nothing).
	local item='{"customer":{"S":"c1"},"id":{"S":"z1"},"status":{"S":"open"},"created":{"N":"1"},"email":{"S":"a@x"},"total":{"N":"10"},"note":{"S":"n"}}'
	local key='"Key":{"customer":{"S":"c1"},"id":{"S":"z1"}}'
	cap() { call "$1" "$2" | jq -c '.ConsumedCapacity | [.CapacityUnits, .Table.CapacityUnits, .GlobalSecondaryIndexes.byStatus.CapacityUnits, .GlobalSecondaryIndexes.byEmail.CapacityUnits, .LocalSecondaryIndexes.byTotal.CapacityUnits]'; }
	[ "$(cap PutItem '{"TableName":"orders","Item":'"$item"',"ReturnConsumedCapacity":"INDEXES"}')" = '[4,1,1,1,1]' ]
	# The same item again changes nothing: the table's unit only.
	[ "$(cap PutItem '{"TableName":"orders","Item":'"$item"',"ReturnConsumedCapacity":"INDEXES"}')" = '[1,1,null,null,null]' ]
	# An attribute only byEmail (ALL) holds.
	[ "$(cap UpdateItem '{"TableName":"orders",'"$key"',"UpdateExpression":"SET extra = :x","ExpressionAttributeValues":{":x":{"S":"x"}},"ReturnConsumedCapacity":"INDEXES"}')" = '[2,1,null,1,null]' ]
	# byStatus's key moves: its old entry out, its new one in.
	[ "$(cap UpdateItem '{"TableName":"orders",'"$key"',"UpdateExpression":"SET #s = :s","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"shipped"}},"ReturnConsumedCapacity":"INDEXES"}')" = '[4,1,2,1,null]' ]
	# TOTAL counts the indexes too: note is in byEmail and byTotal.
	[ "$(call UpdateItem '{"TableName":"orders",'"$key"',"UpdateExpression":"SET note = :n","ExpressionAttributeValues":{":n":{"S":"m"}},"ReturnConsumedCapacity":"TOTAL"}' | jq -c .ConsumedCapacity)" = '{"TableName":"orders","CapacityUnits":3}' ]
	[ "$(cap DeleteItem '{"TableName":"orders",'"$key"',"ReturnConsumedCapacity":"INDEXES"}')" = '[4,1,1,1,1]' ]
	# A transaction's writes cost two units each, in the indexes too (AWS's
	# rule; DynamoDB Local's shape, D18).
	[ "$(call TransactWriteItems '{"TransactItems":[{"Put":{"TableName":"orders","Item":{"customer":{"S":"c1"},"id":{"S":"z3"},"status":{"S":"open"},"created":{"N":"2"},"email":{"S":"c@x"}}}}],"ReturnConsumedCapacity":"INDEXES"}' | jq -c '.ConsumedCapacity[] | [.WriteCapacityUnits, .Table.WriteCapacityUnits, .GlobalSecondaryIndexes.byStatus.WriteCapacityUnits, .GlobalSecondaryIndexes.byEmail.CapacityUnits, .LocalSecondaryIndexes]')" = '[6,2,2,2,null]' ]
	# A batch sums them by index.
	[ "$(call BatchWriteItem '{"RequestItems":{"orders":[{"PutRequest":{"Item":'"$item"'}},{"PutRequest":{"Item":{"customer":{"S":"c1"},"id":{"S":"z2"},"email":{"S":"b@x"}}}}]},"ReturnConsumedCapacity":"INDEXES"}' | jq -c '.ConsumedCapacity[] | [.CapacityUnits, .Table.CapacityUnits, .GlobalSecondaryIndexes.byStatus.CapacityUnits, .GlobalSecondaryIndexes.byEmail.CapacityUnits, .LocalSecondaryIndexes.byTotal.CapacityUnits]')" = '[6,2,1,2,1]' ]
}

@test "index: no expression may look inside a key of the table or of an index" {
	orders
	serve_start
	# DynamoDB Local's answers; AWS's as dynalite's tests record them.
	local key='"Key":{"customer":{"S":"c1"},"id":{"S":"o1"}}' why
	why() { call "$1" "$2" | jq -r .message; }
	local scalars="Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed"
	[ "$(why GetItem '{"TableName":"orders",'"$key"',"ProjectionExpression":"customer.a"}')" = "$scalars: Key: customer" ]
	[ "$(why GetItem '{"TableName":"orders",'"$key"',"ProjectionExpression":"email[0]"}')" = "$scalars: IndexKey: email" ]
	[ "$(why Scan '{"TableName":"orders","FilterExpression":"#t.x = :v","ExpressionAttributeNames":{"#t":"total"},"ExpressionAttributeValues":{":v":{"N":"1"}}}')" = "$scalars: IndexKey: total" ]
	[ "$(why PutItem '{"TableName":"orders","Item":{"customer":{"S":"c1"},"id":{"S":"o1"}},"ConditionExpression":"attribute_exists(id.x)"}')" = "$scalars: Key: id" ]
	[ "$(why UpdateItem '{"TableName":"orders",'"$key"',"UpdateExpression":"SET z = #s.x","ExpressionAttributeNames":{"#s":"status"}}')" = "$scalars: IndexKey: status" ]
	[ "$(why UpdateItem '{"TableName":"orders",'"$key"',"UpdateExpression":"SET email.x = :v","ExpressionAttributeValues":{":v":{"S":"x"}}}')" = "$scalars: IndexKey: email" ]
	# Writing into the table's key is refused as any write of it is.
	[ "$(why UpdateItem '{"TableName":"orders",'"$key"',"UpdateExpression":"SET id.x = :v","ExpressionAttributeValues":{":v":{"S":"x"}}}')" = "One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key" ]
	[ "$(why TransactGetItems '{"TransactItems":[{"Get":{"TableName":"orders",'"$key"',"ProjectionExpression":"email.x"}}]}')" = "$scalars: IndexKey: email" ]
	# A ConditionCheck's are evaluated, as DynamoDB Local does: a missing
	# attribute.
	call TransactWriteItems '{"TransactItems":[{"ConditionCheck":{"TableName":"orders",'"$key"',"ConditionExpression":"attribute_exists(email.x)"}}]}' >out
	jq -e '.CancellationReasons[0].Code == "ConditionalCheckFailed"' out
	# The command line says the same.
	run -3 pdb-query orders -k 'customer = :c' -V '{":c":{"S":"c1"}}' -P 'customer.a'
	[[ "$output" == *"$scalars: Key: customer"* ]]
}

@test "index: DynamoDB's refusals for reads through an index" {
	orders
	serve_start
	refused() {
		run -0 call "$1" "$2"
		[ "$(status)" = 400 ]
		assert_output --partial "$3"
	}
	refused Query '{"TableName":"orders","IndexName":"nope","KeyConditionExpression":"a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}}' \
	    '"message":"The table does not have the specified index: nope"'
	refused Query '{"TableName":"orders","IndexName":"byEmail","ConsistentRead":true,"KeyConditionExpression":"email = :a","ExpressionAttributeValues":{":a":{"S":"x"}}}' \
	    'Consistent reads are not supported on global secondary indexes'
	refused Query '{"TableName":"orders","IndexName":"byStatus","Select":"ALL_ATTRIBUTES","KeyConditionExpression":"#s = :a","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":a":{"S":"x"}}}' \
	    'Select type ALL_ATTRIBUTES is not supported for global secondary index byStatus because its projection type is not ALL'
	refused Query '{"TableName":"orders","IndexName":"byStatus","ProjectionExpression":"note","KeyConditionExpression":"#s = :a","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":a":{"S":"x"}}}' \
	    'Global secondary index byStatus does not project [note]'
	refused Scan '{"TableName":"orders","Select":"ALL_PROJECTED_ATTRIBUTES"}' \
	    'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName'
	refused Query '{"TableName":"orders","IndexName":"byStatus","ExclusiveStartKey":{"customer":{"S":"c1"},"id":{"S":"o1"}},"KeyConditionExpression":"#s = :a","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":a":{"S":"open"}}}' \
	    'The provided starting key is invalid'
	# A consistent read of an LSI is allowed.
	run -0 call Query '{"TableName":"orders","IndexName":"byTotal","ConsistentRead":true,"KeyConditionExpression":"customer = :c","ExpressionAttributeValues":{":c":{"S":"c1"}}}'
	[ "$(status)" = 200 ]
}

@test "index: LastEvaluatedKey pages through an index visit every item once, for every Limit, both ways" {
	pdb-table create pages pk sk:N -g "byG g gs:N"
	for i in $(seq 1 23); do
		echo '{"pk":{"S":"p'$((i % 3))'"},"sk":{"N":"'$i'"},"g":{"S":"G"},"gs":{"N":"'$((i % 5))'"}}'
	done | pdb-put pages
	serve_start
	run -0 /usr/bin/python3 - "$ENDPOINT" <<'EOF'
import json, sys, urllib.request
def call(op, body):
    req = urllib.request.Request(sys.argv[1] + "/", data=json.dumps(body).encode(),
        headers={"X-Amz-Target": "DynamoDB_20120810." + op,
                 "Content-Type": "application/x-amz-json-1.0"})
    return json.load(urllib.request.urlopen(req))
base = {"TableName": "pages", "IndexName": "byG"}
q = dict(base, KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": {"S": "G"}})
for op, req in (("Query", q), ("Query", dict(q, ScanIndexForward=False)),
                ("Scan", base),
                ("Query", dict(q, FilterExpression="sk > :n", ExpressionAttributeValues={":g": {"S": "G"}, ":n": {"N": "11"}}))):
    whole = [(i["gs"]["N"], i["pk"]["S"], i["sk"]["N"]) for i in call(op, req)["Items"]]
    for limit in range(1, 26):
        seen, start = [], None
        while True:
            r = dict(req, Limit=limit)
            if start:
                r["ExclusiveStartKey"] = start
            page = call(op, r)
            seen += [(i["gs"]["N"], i["pk"]["S"], i["sk"]["N"]) for i in page["Items"]]
            start = page.get("LastEvaluatedKey")
            if not start:
                break
            assert set(start) == {"pk", "sk", "g", "gs"}, start
        assert seen == whole, (op, req, limit, seen, whole)
    print(op, len(whole))
EOF
	assert_output $'Query 23\nQuery 23\nScan 23\nQuery 12'
}

@test "index: a GSI added later is filled from the table; deleting it drops its rows" {
	orders
	run -0 pdb-table index orders add "byNote note KEYS_ONLY"
	run -0 pdb-table describe orders
	jq -e '[.GlobalSecondaryIndexes[] | select(.IndexName == "byNote") | .ItemCount] == [6]' <<<"$output"
	check_indexes
	pdb-table index orders delete byNote
	run -0 pdb-table describe orders
	jq -e '[.GlobalSecondaryIndexes[].IndexName] == ["byStatus","byEmail"]' <<<"$output"
	[ "$(sqlite3 "$PDB_DB" 'SELECT count(*) FROM index_rows r LEFT JOIN indexes i ON i.id = r.idx WHERE i.id IS NULL')" = 0 ]
	run -1 pdb-table index orders delete byNote
	assert_output 'pdb-table: ResourceNotFoundException: Requested resource not found: Index: byNote not found'
	run -3 pdb-table index orders add "byEmail email"
	assert_output 'pdb-table: ValidationException: One or more parameter values were invalid: Index with name byEmail already exists'
	# UpdateTable does the same over the wire, with its AttributeDefinitions.
	serve_start
	call UpdateTable '{"TableName":"orders","AttributeDefinitions":[{"AttributeName":"note","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"byNote2","KeySchema":[{"AttributeName":"note","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]}' |
	    jq -e '.TableDescription.GlobalSecondaryIndexes[] | select(.IndexName == "byNote2") | .ItemCount == 6'
	call Query '{"TableName":"orders","IndexName":"byNote2","KeyConditionExpression":"note = :n","ExpressionAttributeValues":{":n":{"S":"n3"}}}' | jq -e '.Items[0].id.S == "o3"'
	call UpdateTable '{"TableName":"orders","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"byNote2"}}]}' |
	    jq -e '[.TableDescription.GlobalSecondaryIndexes[].IndexName] == ["byStatus","byEmail"]'
}

@test "index: a GSI added later holds only the items with its key, of its type (Alternator test_gsi_backfill)" {
	orders
	# o1 and o2 get a 'tag', o3 one of another type, the rest none.
	printf '%s\n' '{"customer":{"S":"c1"},"id":{"S":"o1"},"tag":{"S":"a"}}' \
	    '{"customer":{"S":"c0"},"id":{"S":"o2"},"tag":{"S":"b"}}' \
	    '{"customer":{"S":"c1"},"id":{"S":"o3"},"tag":{"N":"3"}}' | pdb-put orders
	serve_start
	call UpdateTable '{"TableName":"orders","AttributeDefinitions":[{"AttributeName":"tag","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"byTag","KeySchema":[{"AttributeName":"tag","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]}' >/dev/null
	[ "$(call Scan '{"TableName":"orders","IndexName":"byTag"}' | jq -c '[.Items[].id.S] | sort')" = '["o1","o2"]' ]
	check_indexes
}

@test "index: a dump carries the indexes, and a load rebuilds them" {
	orders
	pdb-dump orders >dump.jsonl
	export PDB_DB="$BATS_TEST_TMPDIR/copy.db"
	run -0 pdb-load <dump.jsonl
	run -0 pdb-table describe orders
	jq -e '[.GlobalSecondaryIndexes[], .LocalSecondaryIndexes[] | [.IndexName, .ItemCount]] == [["byStatus",6],["byEmail",0],["byTotal",6]]' <<<"$output"
	check_indexes
}

@test "index: boto3 creates a table with indexes and queries through them" {
	serve_start
	run -0 boto3 '
d = ddb()
d.create_table(TableName="users", BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                          {"AttributeName": "email", "AttributeType": "S"}],
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    GlobalSecondaryIndexes=[{"IndexName": "byEmail",
        "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"}}])
d.put_item(TableName="users", Item={"id": {"S": "u1"}, "email": {"S": "ada@x"}})
r = d.query(TableName="users", IndexName="byEmail",
    KeyConditionExpression="email = :e", ExpressionAttributeValues={":e": {"S": "ada@x"}})
print(r["Items"][0]["id"]["S"], d.describe_table(TableName="users")["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"])
'
	assert_output "u1 1"
}

@test "index: pdb-query and pdb-scan --index page by page, and refuse what DynamoDB refuses" {
	orders
	# One page at a time through the LSI, resumed from its LastEvaluatedKey.
	run -0 pdb-query --index byTotal --page --limit 2 -k 'customer = :c' -V '{":c":{"S":"c0"}}' orders
	jq -e '[.Items[].id.S] == ["o2","o4"] and .LastEvaluatedKey == {"customer":{"S":"c0"},"id":{"S":"o4"},"total":{"N":"40"}}' <<<"$output"
	run -0 pdb-query --index byTotal --page --limit 2 -k 'customer = :c' -V '{":c":{"S":"c0"}}' \
	    --exclusive-start-key "$(jq -c .LastEvaluatedKey <<<"$output")" orders
	jq -e '[.Items[].id.S] == ["o6"]' <<<"$output"
	# Without --page: every item, in the index's order, projected.
	run -0 pdb-query --index byStatus -r -k '#s = :s' -N '{"#s":"status"}' -V '{":s":{"S":"open"}}' orders
	[ "$(jq -r .id.S <<<"$output" | paste -sd' ')" = "o1 o2 o3 o4" ]
	[ "$(jq -c 'keys' <<<"$output" | sort -u)" = '["created","customer","id","status"]' ]
	# Parallel segments through a GSI: each item once.
	for s in 0 1 2; do pdb-scan --index byStatus --segment $s --total-segments 3 orders; done >segs
	[ "$(jq -r .id.S segs | sort | paste -sd' ')" = "o1 o2 o3 o4 o5 o6" ]
	run -3 pdb-query --index nope -k 'a = :a' -V '{":a":{"S":"x"}}' orders
	assert_output 'pdb-query: ValidationException: The table does not have the specified index: nope'
	run -3 pdb-scan --index byStatus --select ALL_ATTRIBUTES orders
	assert_output 'pdb-scan: ValidationException: One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byStatus because its projection type is not ALL'
}
