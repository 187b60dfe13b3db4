"""Random writes of every kind to table "tbl" (pk S, sk N; GSIs on g S / gs N
and on h S, an LSI on l N), through the CLI programs ("cli") or pdb-serve
with boto3 ("serve", ENDPOINT set): new items, overwrites that change,
drop or keep index keys, updates that SET and REMOVE them, deletes,
conditional writes that fail, transactions and batches (serve), and bad
lines that roll a whole batch back (cli).  Usage: churn.py MODE SEED
ROUNDS.  Prints the number of writes attempted."""
import json
import os
import random
import subprocess
import sys

mode, rng, rounds = sys.argv[1], random.Random(int(sys.argv[2])), int(sys.argv[3])
KEYS = [(f"p{i % 7}", i) for i in range(60)]


def key(k):
    return {"pk": {"S": k[0]}, "sk": {"N": str(k[1])}}


def item(k):
    it = key(k)
    if rng.random() < 0.7:
        it["g"] = {"S": rng.choice("abcde")}
    if rng.random() < 0.6:
        it["gs"] = {"N": str(rng.randint(-3, 3))}
    if rng.random() < 0.5:
        it["h"] = {"S": rng.choice(["x", "y"])}
    if rng.random() < 0.5:
        it["l"] = {"N": str(rng.randint(0, 9))}
    it["v"] = {"S": "v" * rng.randint(0, 40)}
    return it


def update_expr():
    return rng.choice([
        ("SET g = :s", {":s": {"S": rng.choice("abcde")}}),
        ("SET gs = :n, l = :n", {":n": {"N": str(rng.randint(-3, 3))}}),
        ("REMOVE g", None), ("REMOVE gs, h", None),
        ("SET h = :s REMOVE l", {":s": {"S": "y"}})])


def cli(prog, args, lines):
    subprocess.run([prog, *args, "tbl"], input="".join(
        json.dumps(l) + "\n" for l in lines), text=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cli_round():
    n = 0
    puts = [item(rng.choice(KEYS)) for _ in range(rng.randint(1, 40))]
    if rng.random() < 0.2:     # a wrong index-key type: the batch rolls back
        bad = item(rng.choice(KEYS))
        bad["g"] = {"N": "1"}
        puts.insert(rng.randrange(len(puts) + 1), bad)
    cli("pdb-put", [], puts)
    expr, values = update_expr()
    args = ["-u", expr] + (["-V", json.dumps(values)] if values else [])
    keys = [key(rng.choice(KEYS)) for _ in range(rng.randint(1, 15))]
    cli("pdb-update", args + ["-b", "1"], keys)
    cli("pdb-delete", ["-b", "1"], [key(rng.choice(KEYS))
                                    for _ in range(rng.randint(0, 6))])
    cli("pdb-put", ["-b", "1", "-c", "attribute_not_exists(pk)"],
        [item(rng.choice(KEYS)) for _ in range(5)])
    return len(puts) + len(keys) + 11


def serve_round(ddb):
    from botocore.exceptions import ClientError
    n = 0
    for _ in range(20):
        op = rng.random()
        k = rng.choice(KEYS)
        try:
            if op < 0.4:
                ddb.put_item(TableName="tbl", Item=item(k))
            elif op < 0.6:
                expr, values = update_expr()
                kw = {"ExpressionAttributeValues": values} if values else {}
                ddb.update_item(TableName="tbl", Key=key(k),
                                UpdateExpression=expr, **kw)
            elif op < 0.7:
                ddb.delete_item(TableName="tbl", Key=key(k))
            elif op < 0.8:
                ddb.put_item(TableName="tbl", Item=item(k),
                             ConditionExpression="attribute_not_exists(pk)")
            elif op < 0.9:
                ks = rng.sample(KEYS, 3)
                ddb.transact_write_items(TransactItems=[
                    {"Put": {"TableName": "tbl", "Item": item(ks[0])}},
                    {"Delete": {"TableName": "tbl", "Key": key(ks[1])}},
                    {"Put": {"TableName": "tbl", "Item": item(ks[2]),
                             "ConditionExpression": "attribute_exists(pk)"}}])
            else:
                ks = rng.sample(KEYS, 4)
                ddb.batch_write_item(RequestItems={"tbl": [
                    {"PutRequest": {"Item": item(x)}} for x in ks[:3]] +
                    [{"DeleteRequest": {"Key": key(ks[3])}}]})
        except ClientError:
            pass
        n += 1
    return n


ddb = None
if mode == "serve":
    import boto3
    from botocore.config import Config
    ddb = boto3.client("dynamodb", endpoint_url=os.environ["ENDPOINT"],
                       region_name="us-east-1", aws_access_key_id="x",
                       aws_secret_access_key="x",
                       config=Config(retries={"max_attempts": 1}))
print(sum(cli_round() if mode == "cli" else serve_round(ddb)
          for _ in range(rounds)))
