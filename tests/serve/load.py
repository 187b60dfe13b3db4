#!/usr/bin/env python3
"""load.py PORT TABLE N PREFIX: put items id=PREFIX0..PREFIX(N-1) over one
keep-alive connection until done or the server goes away; prints the ids
whose response (200) was received, one a line."""
import http.client
import json
import sys

port, table, n, prefix = (int(sys.argv[1]), sys.argv[2], int(sys.argv[3]),
                          sys.argv[4])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
for i in range(n):
    body = json.dumps({"TableName": table, "Item": {"id": {"S": "%s%d" % (prefix, i)},
                       "pad": {"S": "x" * 200}}})
    try:
        conn.request("POST", "/", body, {
            "X-Amz-Target": "DynamoDB_20120810.PutItem",
            "Content-Type": "application/x-amz-json-1.0"})
        r = conn.getresponse()
        r.read()
    except (OSError, http.client.HTTPException):
        break
    if r.status == 200:
        print("%s%d" % (prefix, i), flush=True)
