// legacy.cjs: a day's work in the API before expressions, as code written
// for the AWS SDK for JavaScript v2 and its DocumentClient does it
// (Expected, AttributeUpdates, KeyConditions, QueryFilter, ScanFilter,
// ConditionalOperator, AttributesToGet), against pdb-serve at $ENDPOINT.
// Prints one JSON object of what it saw; the SDK checks every answer's
// x-amz-crc32.
"use strict";
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";
const AWS = require("aws-sdk");

const cfg = { endpoint: process.env.ENDPOINT, region: "us-east-1",
  accessKeyId: "x", secretAccessKey: "x", maxRetries: 0 };
const ddb = new AWS.DynamoDB(cfg);
const doc = new AWS.DynamoDB.DocumentClient({ service: ddb });
const streams = new AWS.DynamoDBStreams(cfg);

async function main() {
  const out = {};
  await ddb.createTable({ TableName: "visits",
    KeySchema: [{ AttributeName: "user", KeyType: "HASH" }, { AttributeName: "day", KeyType: "RANGE" }],
    AttributeDefinitions: [{ AttributeName: "user", AttributeType: "S" }, { AttributeName: "day", AttributeType: "N" }],
    BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" } }).promise();
  for (let day = 1; day <= 9; day++)
    await doc.put({ TableName: "visits", Item: { user: "ann", day, pages: day * 2 },
      Expected: { user: { Exists: false } } }).promise();
  out.again = await doc.put({ TableName: "visits", Item: { user: "ann", day: 1 },
    Expected: { user: { Exists: false } } }).promise().then(() => "written", (e) => e.code);
  const up = await doc.update({ TableName: "visits", Key: { user: "ann", day: 2 },
    AttributeUpdates: { pages: { Action: "ADD", Value: 10 }, tags: { Action: "ADD", Value: doc.createSet(["new"]) },
      note: { Action: "PUT", Value: "hi" } },
    Expected: { pages: { ComparisonOperator: "LT", AttributeValueList: [5] } },
    ReturnValues: "UPDATED_NEW" }).promise();
  out.updated = [up.Attributes.pages, up.Attributes.tags.values, up.Attributes.note];
  const days = [];
  await new Promise((resolve, reject) => doc.query({ TableName: "visits", Limit: 2,
    KeyConditions: { user: { ComparisonOperator: "EQ", AttributeValueList: ["ann"] },
      day: { ComparisonOperator: "BETWEEN", AttributeValueList: [2, 8] } },
    QueryFilter: { pages: { ComparisonOperator: "GE", AttributeValueList: [8] } },
    AttributesToGet: ["day"] }).eachPage((err, page) => {
    if (err) return reject(err);
    if (!page) return resolve();
    page.Items.forEach((it) => days.push(it.day));
    return true;
  }));
  out.queried = days;
  const sc = await doc.scan({ TableName: "visits", ConditionalOperator: "OR",
    ScanFilter: { day: { ComparisonOperator: "IN", AttributeValueList: [1, 9] },
      note: { ComparisonOperator: "NOT_NULL" } } }).promise();
  out.scanned = sc.Items.map((it) => it.day).sort((a, b) => a - b);
  const bg = await doc.batchGet({ RequestItems: { visits: { Keys: [{ user: "ann", day: 2 }],
    AttributesToGet: ["note"] } } }).promise();
  out.batch = bg.Responses.visits;
  await doc.update({ TableName: "visits", Key: { user: "ann", day: 9 },
    AttributeUpdates: { pages: { Action: "DELETE" } } }).promise();
  await doc.delete({ TableName: "visits", Key: { user: "ann", day: 1 },
    Expected: { pages: { Value: 2 } } }).promise();
  const arn = (await streams.listStreams({ TableName: "visits" }).promise()).Streams[0].StreamArn;
  const shard = (await streams.describeStream({ StreamArn: arn }).promise()).StreamDescription.Shards[0];
  const it = (await streams.getShardIterator({ StreamArn: arn, ShardId: shard.ShardId,
    ShardIteratorType: "TRIM_HORIZON" }).promise()).ShardIterator;
  const recs = (await streams.getRecords({ ShardIterator: it }).promise()).Records;
  out.events = recs.map((r) => r.eventName).join(" ");
  out.invalid = await doc.update({ TableName: "visits", Key: { user: "ann", day: 3 },
    AttributeUpdates: { pages: { Action: "ADD", Value: "x" } } }).promise().then(() => "written", (e) => e.message);
  console.log(JSON.stringify(out));
}

main().catch((e) => { console.error(e); process.exit(1); });
