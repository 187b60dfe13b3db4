-- The load of bench/serve.sh for wrk, the same for pdb-serve and DynamoDB
-- Local:  wrk -s bench/serve.lua URL -- put|get TABLE PREFIX [KEYS]
--   put: PutItem of ~300-byte items (bench/wire.c's), distinct keys
--        PREFIX-THREAD-COUNTER, a counter per wrk thread;
--   get: GetItem of keys PREFIX-0-0 .. PREFIX-0-(KEYS-1), as "wire fill"
--        wrote them, each thread from its own place in the ring.
-- done() prints "statuses: GOOD BAD": every response is checked: 200, and
-- for GetItem an Item in the body.
local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("tid", #threads)
end

local ITEM = '{"pk":{"S":"%s-%d-%d"},' ..
    '"name":{"S":"customer %d of the serve bench"},' ..
    '"count":{"N":"%d"},"price":{"N":"19.99"},' ..
    '"active":{"BOOL":true},"tags":{"SS":["red","green","blue"]},' ..
    '"note":{"S":"a plain note of some length to bring the item to ' ..
    'about three hundred bytes, as a small record of an application"}}'
local PUT = '{"TableName":"%s","Item":' .. ITEM .. '}'
local GET = '{"TableName":"%s","Key":{"pk":{"S":"%s-0-%d"}}}'

counter, ok, bad = 0, 0, 0	-- globals: done() reads ok and bad
local op, tbl, prefix, keys

function init(args)
	op, tbl, prefix, keys = args[1], args[2], args[3], tonumber(args[4] or "1")
	wrk.method = "POST"
	wrk.path = "/"
	wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
	wrk.headers["X-Amz-Target"] = op == "put" and
	    "DynamoDB_20120810.PutItem" or "DynamoDB_20120810.GetItem"
	wrk.headers["X-Amz-Date"] = "20240101T000000Z"
	wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=x/20240101/" ..
	    "us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;" ..
	    "x-amz-target, Signature=" .. string.rep("0", 64)
end

function request()
	local body
	counter = counter + 1
	if op == "put" then
		body = string.format(PUT, tbl, prefix, tid, counter, counter, counter)
	else
		body = string.format(GET, tbl, prefix,
		    (counter + tid * 7919) % keys)
	end
	return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
	if status == 200 and (op == "put" or body:find('"Item"', 1, true)) then
		ok = ok + 1
	else
		bad = bad + 1
	end
end

function done(summary, latency, requests)
	local n200, other = 0, 0
	for _, t in ipairs(threads) do
		n200 = n200 + t:get("ok")
		other = other + t:get("bad")
	end
	io.write(string.format("statuses: %d %d\n", n200, other))
end
