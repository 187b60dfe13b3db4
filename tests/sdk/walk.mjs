// walk.mjs: a table's life, items, pages, batches and a Streams walk
// through the AWS SDK for JavaScript v3, against pdb-serve at $ENDPOINT.
// Prints one JSON line of what it saw; throws on anything unexpected.
import {
  DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand,
  UpdateItemCommand, DeleteItemCommand, QueryCommand, ScanCommand,
  BatchWriteItemCommand, BatchGetItemCommand, DescribeTableCommand,
  DeleteTableCommand, ConditionalCheckFailedException,
} from "@aws-sdk/client-dynamodb";
import {
  DynamoDBStreamsClient, ListStreamsCommand, DescribeStreamCommand,
  GetShardIteratorCommand, GetRecordsCommand,
} from "@aws-sdk/client-dynamodb-streams";

const config = {
  endpoint: process.env.ENDPOINT, region: "us-east-1", maxAttempts: 1,
  credentials: { accessKeyId: "x", secretAccessKey: "x" },
};
const ddb = new DynamoDBClient(config);
const streams = new DynamoDBStreamsClient(config);
const seen = {};

await ddb.send(new CreateTableCommand({
  TableName: "jsusers",
  KeySchema: [{ AttributeName: "id", KeyType: "HASH" }, { AttributeName: "n", KeyType: "RANGE" }],
  AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }, { AttributeName: "n", AttributeType: "N" }],
  BillingMode: "PAY_PER_REQUEST",
  StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
}));
for (let n = 1; n <= 5; n++)
  await ddb.send(new PutItemCommand({ TableName: "jsusers", Item: { id: { S: "a" }, n: { N: String(n) }, v: { S: "x" + n } } }));
seen.get = (await ddb.send(new GetItemCommand({ TableName: "jsusers", Key: { id: { S: "a" }, n: { N: "3" } } }))).Item.v.S;
seen.updated = (await ddb.send(new UpdateItemCommand({
  TableName: "jsusers", Key: { id: { S: "a" }, n: { N: "3" } },
  UpdateExpression: "SET v = :v", ConditionExpression: "attribute_exists(id)",
  ExpressionAttributeValues: { ":v": { S: "new" } }, ReturnValues: "ALL_NEW",
}))).Attributes.v.S;
try {
  await ddb.send(new PutItemCommand({ TableName: "jsusers", Item: { id: { S: "a" }, n: { N: "3" } }, ConditionExpression: "attribute_not_exists(id)" }));
  seen.condition = "held";
} catch (e) {
  seen.condition = e instanceof ConditionalCheckFailedException ? e.name : "other " + e.name;
}
const pages = [];
let start;
do {
  const r = await ddb.send(new QueryCommand({
    TableName: "jsusers", KeyConditionExpression: "id = :id",
    ExpressionAttributeValues: { ":id": { S: "a" } }, Limit: 2, ExclusiveStartKey: start,
  }));
  pages.push(r.Items.map((i) => i.n.N).join(","));
  start = r.LastEvaluatedKey;
} while (start);
seen.pages = pages;
seen.scan = (await ddb.send(new ScanCommand({ TableName: "jsusers", Select: "COUNT" }))).Count;
await ddb.send(new BatchWriteItemCommand({ RequestItems: { jsusers: [
  { PutRequest: { Item: { id: { S: "b" }, n: { N: "1" } } } },
  { DeleteRequest: { Key: { id: { S: "a" }, n: { N: "5" } } } },
] } }));
seen.batchget = (await ddb.send(new BatchGetItemCommand({ RequestItems: { jsusers: { Keys: [
  { id: { S: "b" }, n: { N: "1" } }, { id: { S: "a" }, n: { N: "5" } },
] } } }))).Responses.jsusers.length;
await ddb.send(new DeleteItemCommand({ TableName: "jsusers", Key: { id: { S: "b" }, n: { N: "1" } } }));
const table = (await ddb.send(new DescribeTableCommand({ TableName: "jsusers" }))).Table;
seen.count = table.ItemCount;

const arn = (await streams.send(new ListStreamsCommand({ TableName: "jsusers" }))).Streams[0].StreamArn;
const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription.Shards[0].ShardId;
let it = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: "TRIM_HORIZON" }))).ShardIterator;
const events = [];
for (;;) {
  const r = await streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 3 }));
  events.push(...r.Records.map((x) => x.eventName));
  if (!r.NextShardIterator) throw new Error("no NextShardIterator on an open shard");
  it = r.NextShardIterator;
  if (r.Records.length === 0) break;
}
seen.events = events.join(" ");
await ddb.send(new DeleteTableCommand({ TableName: "jsusers" }));
console.log(JSON.stringify(seen));
