-- The load of bench/serve.sh for wrk, the same for pdb-serve and DynamoDB
-- Local:  wrk -s bench/serve.lua URL -- put|get TABLE PREFIX [KEYS]
--   put: PutItem of ~300-byte items (bench/wire.c's), distinct keys
--        PREFIX-THREAD-COUNTER, a counter per wrk thread;
--   get: GetItem of keys PREFIX-0-0 .. PREFIX-0-(KEYS-1), as "wire fill"
--        wrote them, each thread from its own place in the ring.
-- Requests are made ahead where they can be and responses are left to
-- wrk (which counts the ones other than 2xx), so that the load generator,
-- which shares the cores with the server, takes as little of them as it
-- can.
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

counter = 0
local op, tbl, prefix, keys
local heads = {}	-- put: the request before its body, by body length
local gets = {}		-- get: every request, made in init

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
	if op == "get" then
		for i = 0, keys - 1 do
			gets[i + 1] = wrk.format(nil, nil, nil,
			    string.format(GET, tbl, prefix, i))
		end
	end
end

function request()
	counter = counter + 1
	if op == "get" then
		return gets[(counter + tid * 7919) % keys + 1]
	end
	local body = string.format(PUT, tbl, prefix, tid, counter, counter,
	    counter)
	local head = heads[#body]
	if head == nil then
		head = string.sub(wrk.format(nil, nil, nil, body), 1, -#body - 1)
		heads[#body] = head
	end
	return head .. body
end
