/* fuzz-wire — arbitrary request bodies for every operation of the wire
 * protocol: each answer is a JSON object with a DynamoDB status, and an
 * error answer names its __type and message. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdb/op_table.h"
#include "pdb/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const targets[] = {
	"DynamoDB_20120810.PutItem", "DynamoDB_20120810.GetItem",
	"DynamoDB_20120810.UpdateItem", "DynamoDB_20120810.DeleteItem",
	"DynamoDB_20120810.Query", "DynamoDB_20120810.Scan",
	"DynamoDB_20120810.BatchWriteItem", "DynamoDB_20120810.BatchGetItem",
	"DynamoDB_20120810.CreateTable", "DynamoDB_20120810.DescribeTable",
	"DynamoDB_20120810.UpdateTable", "DynamoDB_20120810.ListTables",
	"DynamoDB_20120810.TagResource", "DynamoDB_20120810.ListTagsOfResource",
	"DynamoDBStreams_20120810.ListStreams",
	"DynamoDBStreams_20120810.DescribeStream",
	"DynamoDBStreams_20120810.GetShardIterator",
	"DynamoDBStreams_20120810.GetRecords", "DynamoDB_20120810.Nope",
	"DynamoDB_20120810.TransactWriteItems",
	"DynamoDB_20120810.TransactGetItems",
	"DynamoDB_20120810.UpdateTimeToLive",
	"DynamoDB_20120810.DescribeTimeToLive",
};

static struct pdb_db *db;
static struct pdb_tx tx;
static struct pdb_buf out;

static void
setup(void)
{
	static const char create[] = "{\"TableName\":\"users\",\"KeySchema\":"
	    "[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"},{\"AttributeName\":"
	    "\"n\",\"KeyType\":\"RANGE\"}],\"AttributeDefinitions\":[{"
	    "\"AttributeName\":\"id\",\"AttributeType\":\"S\"},{"
	    "\"AttributeName\":\"n\",\"AttributeType\":\"N\"}],\"StreamSpecification\":"
	    "{\"StreamEnabled\":true,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"
	    "\"BillingMode\":\"PAY_PER_REQUEST\"}";
	static const char put[] = "{\"TableName\":\"users\",\"Item\":{\"id\":"
	    "{\"S\":\"a\"},\"n\":{\"N\":\"1\"},\"l\":{\"L\":[{\"S\":\"x\"}]}}}";
	struct pdb_call c = { 0 };
	struct pdb_config cfg;
	struct pdb_err e;
	char path[64];

	snprintf(path, sizeof(path), "/tmp/pdb-fuzz-wire-%ld.db",
	    (long)getpid());
	unlink(path);
	pdb_config_defaults(&cfg);
	if (pdb_db_open(&db, path, PDB_DB_CREATE, &cfg, &e) != PDB_OK)
		abort();
	pdb_tx_init(&tx, db);
	c.db = db;
	c.tx = &tx;
	if (pdb_wire_call(&c, targets[8], create, strlen(create), &out) != 200 ||
	    pdb_wire_call(&c, targets[0], put, strlen(put), &out) != 200)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdb_call c = { 0 };
	json_t *body;
	int status;

	if (db == NULL)
		setup();
	if (size < 1)
		return 0;
	c.db = db;
	c.tx = &tx;
	status = pdb_wire_call(&c, targets[data[0] % (sizeof(targets) /
	    sizeof(targets[0]))], (const char *)data + 1, size - 1, &out);
	if (status != 200 && status != 400 && status != 413 && status != 500)
		abort();
	if ((body = json_loadb(out.data, out.len, 0, NULL)) == NULL ||
	    !json_is_object(body))
		abort();
	/* TransactionCanceledException's is "Message", as AWS sends it. */
	if (status != 200 && (!json_is_string(json_object_get(body, "__type")) ||
	    (!json_is_string(json_object_get(body, "message")) &&
	    !json_is_string(json_object_get(body, "Message")))))
		abort();
	/* Every transaction ends with the call that began it. */
	if (tx.open)
		abort();
	json_decref(body);
	return 0;
}
