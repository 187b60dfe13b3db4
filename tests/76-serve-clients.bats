#!/usr/bin/env bats
# Real clients against pdb-serve: the AWS CLI and boto3 from Debian, the
# AWS SDK for JavaScript v3 (and v2, in the legacy API) from npm.  Each
# does a table's life, items with conditions and ReturnValues, pages,
# batches and a Streams walk.

load helper


@test "the AWS CLI: tables, items, a paginated scan, batches, a Streams walk" {
	[ -x /usr/bin/aws ] || skip "Debian's awscli is not installed (make deps)"
	serve_start
	awscli dynamodb create-table --table-name cli \
	    --attribute-definitions AttributeName=id,AttributeType=S \
	    --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST \
	    --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES >/dev/null
	[ "$(awscli dynamodb list-tables | jq -c .TableNames)" = '["cli"]' ]
	for i in 1 2 3 4 5; do
		awscli dynamodb put-item --table-name cli --item "{\"id\":{\"S\":\"u$i\"},\"n\":{\"N\":\"$i\"}}"
	done
	run -0 awscli dynamodb get-item --table-name cli --key '{"id":{"S":"u2"}}'
	[ "$(jq -r .Item.n.N <<<"$output")" = 2 ]
	run -0 awscli dynamodb update-item --table-name cli --key '{"id":{"S":"u2"}}' \
	    --update-expression 'SET n = n + :d' --expression-attribute-values '{":d":{"N":"10"}}' \
	    --return-values UPDATED_NEW
	[ "$(jq -r .Attributes.n.N <<<"$output")" = 12 ]
	run awscli dynamodb put-item --table-name cli --item '{"id":{"S":"u2"}}' \
	    --condition-expression 'attribute_not_exists(id)'
	[ "$status" -ne 0 ]
	[[ "$output" == *"ConditionalCheckFailedException"* ]]
	# The CLI pages a scan itself: 5 items in pages of 2.
	[ "$(awscli dynamodb scan --table-name cli --page-size 2 | jq '.Items | length')" = 5 ]
	awscli dynamodb batch-write-item --request-items \
	    '{"cli":[{"DeleteRequest":{"Key":{"id":{"S":"u1"}}}},{"PutRequest":{"Item":{"id":{"S":"u9"}}}}]}' >/dev/null
	[ "$(pdb-scan cli | jq -r .id.S | paste -sd' ')" = "u2 u3 u4 u5 u9" ]
	arn=$(awscli dynamodbstreams list-streams --table-name cli | jq -r '.Streams[0].StreamArn')
	shard=$(awscli dynamodbstreams describe-stream --stream-arn "$arn" | jq -r '.StreamDescription.Shards[0].ShardId')
	it=$(awscli dynamodbstreams get-shard-iterator --stream-arn "$arn" --shard-id "$shard" \
	    --shard-iterator-type TRIM_HORIZON | jq -r .ShardIterator)
	run -0 awscli dynamodbstreams get-records --shard-iterator "$it"
	[ "$(jq -r '[.Records[].eventName] | join(" ")' <<<"$output")" = "INSERT INSERT INSERT INSERT INSERT MODIFY REMOVE INSERT" ]
	awscli dynamodb delete-table --table-name cli >/dev/null
	[ "$(awscli dynamodb list-tables | jq -c .TableNames)" = '[]' ]
}

@test "boto3: items, conditions, pages, batches, errors and a Streams walk" {
	/usr/bin/python3 -c 'import boto3' 2>/dev/null || skip "Debian's python3-boto3 is not installed (make deps)"
	serve_start
	run -0 boto3 '
d = ddb()
d.create_table(TableName="pyt", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
    {"AttributeName": "sk", "KeyType": "RANGE"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
    {"AttributeName": "sk", "AttributeType": "N"}], BillingMode="PAY_PER_REQUEST",
    StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
for i in range(7):
    d.put_item(TableName="pyt", Item={"pk": {"S": "p"}, "sk": {"N": str(i)}, "big": {"N": "12345678901234567890123456789012345678"}})
got = d.get_item(TableName="pyt", Key={"pk": {"S": "p"}, "sk": {"N": "3"}}, ProjectionExpression="big")["Item"]
out = {"exact": got["big"]["N"]}
try:
    d.put_item(TableName="pyt", Item={"pk": {"S": "p"}, "sk": {"N": "3"}}, ConditionExpression="attribute_not_exists(pk)")
except d.exceptions.ConditionalCheckFailedException as e:
    out["condition"] = e.response["Error"]["Code"]
try:
    d.get_item(TableName="nope", Key={"pk": {"S": "p"}})
except d.exceptions.ResourceNotFoundException as e:
    out["missing"] = e.response["Error"]["Code"]
pages = d.get_paginator("query").paginate(TableName="pyt", KeyConditionExpression="pk = :p",
    ExpressionAttributeValues={":p": {"S": "p"}}, PaginationConfig={"PageSize": 3})
out["pages"] = [[i["sk"]["N"] for i in page["Items"]] for page in pages]
d.batch_write_item(RequestItems={"pyt": [{"DeleteRequest": {"Key": {"pk": {"S": "p"}, "sk": {"N": str(i)}}}} for i in range(3)]})
out["left"] = d.scan(TableName="pyt", Select="COUNT")["Count"]
s = streams()
arn = s.list_streams(TableName="pyt")["Streams"][0]["StreamArn"]
shard = s.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
it = s.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
events = []
while True:
    r = s.get_records(ShardIterator=it, Limit=4)
    events += [x["eventName"] for x in r["Records"]]
    it = r["NextShardIterator"]
    if not r["Records"]:
        break
out["events"] = " ".join(events)
print(json.dumps(out))'
	[ "$(jq -r .exact <<<"$output")" = 12345678901234567890123456789012345678 ]
	[ "$(jq -r .condition <<<"$output")" = ConditionalCheckFailedException ]
	[ "$(jq -r .missing <<<"$output")" = ResourceNotFoundException ]
	[ "$(jq -c .pages <<<"$output")" = '[["0","1","2"],["3","4","5"],["6"]]' ]
	[ "$(jq -r .left <<<"$output")" = 4 ]
	[ "$(jq -r .events <<<"$output")" = "INSERT INSERT INSERT INSERT INSERT INSERT INSERT REMOVE REMOVE REMOVE" ]
}

@test "the AWS SDK for JavaScript v3: the same day's work" {
	[ -d "$TOP/tests/sdk/node_modules/@aws-sdk/client-dynamodb" ] || skip "the JavaScript SDK is not installed (make deps)"
	serve_start
	run -0 --separate-stderr env ENDPOINT="$ENDPOINT" node "$TOP/tests/sdk/walk.mjs"
	[ "$(jq -r .get <<<"$output")" = x3 ]
	[ "$(jq -r .updated <<<"$output")" = new ]
	[ "$(jq -r .condition <<<"$output")" = ConditionalCheckFailedException ]
	[ "$(jq -c .pages <<<"$output")" = '["1,2","3,4","5"]' ]
	[ "$(jq -r .scan <<<"$output")" = 5 ]
	[ "$(jq -r .batchget <<<"$output")" = 1 ]
	[ "$(jq -r .count <<<"$output")" = 4 ]
	[ "$(jq -r .events <<<"$output")" = "INSERT INSERT INSERT INSERT INSERT MODIFY INSERT REMOVE REMOVE" ]
}

@test "the AWS SDK for JavaScript v2: DocumentClient code in the legacy API works unchanged" {
	[ -d "$TOP/tests/sdk/node_modules/aws-sdk" ] || skip "the JavaScript SDK v2 is not installed (make deps)"
	serve_start
	run -0 --separate-stderr env ENDPOINT="$ENDPOINT" node "$TOP/tests/sdk/legacy.cjs"
	[ "$(jq -r .again <<<"$output")" = ConditionalCheckFailedException ]
	[ "$(jq -c .updated <<<"$output")" = '[14,["new"],"hi"]' ]
	[ "$(jq -c .queried <<<"$output")" = '[2,4,5,6,7,8]' ]
	[ "$(jq -c .scanned <<<"$output")" = '[1,2,9]' ]
	[ "$(jq -c .batch <<<"$output")" = '[{"note":"hi"}]' ]
	[ "$(jq -r .events <<<"$output")" = "$(printf 'INSERT %.0s' 1 2 3 4 5 6 7 8 9)MODIFY MODIFY REMOVE" ]
	[ "$(jq -r .invalid <<<"$output")" = "One or more parameter values were invalid: ADD action is not supported for the type S" ]
	# What the stream saw, the command line sees.
	[ "$(pdb-scan visits | wc -l)" = 8 ]
	[ "$(echo '{"user":{"S":"ann"},"day":{"N":"9"}}' | pdb-get visits)" = '{"day":{"N":"9"},"user":{"S":"ann"}}' ]
}
