#!/usr/bin/env bats
# Time to Live: pdb-table ttl, the expiry rules, pdb-expire's REMOVE
# records with the service's userIdentity, and the same over pdb-serve.

load helper

NOW=1795700000		# 2026-11-26T13:33:20Z

# The helper's setup, then the clock at NOW.
eval "helper_$(declare -f setup)"
setup() {
	helper_setup
	export PDB_NOW=${NOW}000
}

# put ID TTL-VALUE-JSON: an item of users with that TTL attribute
put() {
	echo "{\"id\":{\"S\":\"$1\"},\"exp\":$2}" | pdb-put users
}

ids() { pdb-scan users | jq -r .id.S | sort | paste -sd' '; }

@test "ttl: DescribeTimeToLive, enable, DynamoDB's refusals, disable" {
	pdb-table create users id
	run pdb-table ttl users
	assert_success
	assert_output '{"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}}'
	run pdb-table ttl users exp
	assert_success
	assert_output ""
	run pdb-table ttl users
	assert_output '{"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"exp"}}'
	run --separate-stderr pdb-table ttl users exp
	assert_failure 3
	assert_equal "$stderr" "pdb-table: ValidationException: TimeToLive is already enabled"
	run --separate-stderr pdb-table ttl users other
	assert_failure 3
	assert_equal "$stderr" "pdb-table: ValidationException: TimeToLive is active on a different AttributeName"
	run pdb-table ttl users off
	assert_success
	run --separate-stderr pdb-table ttl users off
	assert_failure 3
	assert_equal "$stderr" "pdb-table: ValidationException: TimeToLive is already disabled"
	run --separate-stderr pdb-table ttl nope exp
	assert_failure 1
	run --separate-stderr pdb-table ttl users "$(printf 'x%.0s' {1..256})"
	assert_failure 3
	[[ "$stderr" == *"at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255" ]]
	run pdb-table ttl users a b
	assert_failure 2
}

@test "expiry: a top-level N of epoch seconds below now, not five calendar years older" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	pdb-table ttl users exp
	put past '{"N":"'$((NOW - 1))'"}'
	put now '{"N":"'$NOW'"}'
	put future '{"N":"'$((NOW + 1))'"}'
	put frac-past '{"N":"'$((NOW - 1)).999'"}'
	put frac-future '{"N":"'$NOW'.001"}'
	put huge '{"N":"1E+125"}'
	put tiny '{"N":"1E-130"}'
	put negative '{"N":"-5"}'
	put string '{"S":"'$((NOW - 1))'"}'
	put set '{"NS":["'$((NOW - 1))'"]}'
	put null '{"NULL":true}'
	# 2021-11-26T13:33:20Z is exactly five calendar years back.
	put five-inside '{"N":"1637933601"}'
	put five-edge '{"N":"1637933600"}'
	put five-outside '{"N":"1637933599"}'
	echo '{"id":{"S":"nested"},"m":{"M":{"exp":{"N":"1"}}}}' | pdb-put users
	echo '{"id":{"S":"none"}}' | pdb-put users
	# Expired items stay readable until the sweep.
	[ "$(echo '{"id":{"S":"past"}}' | pdb-get users | jq -r .id.S)" = past ]
	run pdb-expire
	assert_success
	assert_output ""
	[ "$(ids)" = "five-outside frac-future future huge negative nested none now null set string tiny" ]
	[ "$(pdb-stream-tail users | jq -r 'select(.eventName == "REMOVE") | .dynamodb.Keys.id.S' | sort | paste -sd' ')" = "five-edge five-inside frac-past past" ]
	# A second sweep finds nothing.
	before=$(db_state)
	pdb-expire
	[ "$(db_state)" = "$before" ]
}

@test "pdb-expire's REMOVE records carry the service's userIdentity, as AWS writes them" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	pdb-table ttl users exp
	put a '{"N":"'$((NOW - 60))'"}'
	echo '{"id":{"S":"b"}}' | pdb-delete users
	put b '{"N":"'$((NOW + 60))'"}'
	echo '{"id":{"S":"b"}}' | pdb-delete users
	pdb-expire users
	pdb-stream-tail users | jq -c 'select(.eventName == "REMOVE") | [.dynamodb.Keys.id.S, .userIdentity]' >got
	[ "$(cat got)" = '["b",null]
["a",{"Type":"Service","PrincipalId":"dynamodb.amazonaws.com"}]' ]
	rec=$(pdb-stream-tail users | tail -n 1)
	[ "$(jq -c .dynamodb.OldImage <<<"$rec")" = '{"exp":{"N":"'$((NOW - 60))'"},"id":{"S":"a"}}' ]
	[ "$(jq -c '.dynamodb | has("NewImage")' <<<"$rec")" = false ]
	# Lambda's spelling in events.
	[ "$(pdb-stream-tail -L users | jq -c '.Records[] | select(.eventName == "REMOVE") | .userIdentity' | tail -n 1)" = '{"type":"Service","principalId":"dynamodb.amazonaws.com"}' ]
}

@test "TTL records pass the botocore model and the Powertools schema" {
	have_validator
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	pdb-table ttl users exp
	put a '{"N":"'$((NOW - 60))'"}'
	pdb-expire
	pdb-stream-tail users >rec.jsonl
	run -0 "$VALIDATE/validate-shape" -q --service dynamodbstreams --shape Record --strict rec.jsonl
	pdb-stream-tail -L users >lambda.jsonl
	run -0 node "$VALIDATE/validate-lambda.mjs" -q --mode event --strict lambda.jsonl
}

@test "enabling TTL counts the items already stored; disabling stops the sweep" {
	pdb-table create users id --stream KEYS_ONLY
	put old '{"N":"'$((NOW - 10))'"}'
	pdb-expire
	[ "$(ids)" = old ]
	pdb-table ttl users exp
	put newer '{"N":"'$((NOW - 5))'"}'
	pdb-table ttl users off
	pdb-expire
	[ "$(ids)" = "newer old" ]
	pdb-table ttl users exp
	pdb-expire users
	[ -z "$(ids)" ]
}

@test "an update that extends an item's TTL before the sweep wins: no REMOVE" {
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	pdb-table ttl users exp
	put a '{"N":"'$((NOW - 10))'"}'
	echo '{"id":{"S":"a"}}' | pdb-update users -u 'SET exp = :e' -V '{":e":{"N":"'$((NOW + 3600))'"}}'
	pdb-expire
	[ "$(ids)" = a ]
	# And an update that makes it expire is swept.
	echo '{"id":{"S":"a"}}' | pdb-update users -u 'SET exp = :e' -V '{":e":{"N":"1700000000"}}'
	pdb-expire
	[ -z "$(ids)" ]
}

@test "sweeps racing updates that extend TTLs: only expired items go, every REMOVE saw an expired TTL" {
	unset PDB_NOW
	now=$(date +%s)
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	pdb-table ttl users exp
	for i in $(seq 1 200); do
		printf '{"id":{"S":"u%03d"},"exp":{"N":"%d"}}\n' $i $((now - 100))
	done | pdb-put users
	# Extend half of them while sweeps run.
	( for i in $(seq 2 2 200); do
		printf '{"id":{"S":"u%03d"}}\n' $i
	done | pdb-update -b 1 users -u 'SET exp = :e' -V '{":e":{"N":"'$((now + 3600))'"}}' ) &
	w=$!
	for k in 1 2 3 4 5; do pdb-expire; done
	wait $w
	pdb-expire
	# What is left has a future TTL; what went had a past one when it went.
	[ "$(pdb-scan users | jq -r ".exp.N | tonumber > $now" | sort -u)" = true ]
	pdb-stream-tail users | jq -r "select(.eventName == \"REMOVE\") | .dynamodb.OldImage.exp.N | tonumber < $now" | sort -u >gone
	[ "$(cat gone)" = true ]
	# The odd ones all went; the even ones stay (an update that came
	# after its item's sweep made it again, as UpdateItem does).
	[ "$(pdb-scan users | jq -r .id.S | paste -sd' ')" = "$(seq 2 2 200 | xargs printf 'u%03d ' | sed 's/ $//')" ]
}

@test "a sweep reads what is due, not the table: 200 000 unexpired items add almost no reads" {
	command -v strace >/dev/null || skip "strace is not installed"
	pdb-table create users id --stream KEYS_ONLY
	pdb-table ttl users exp
	due() { for i in $(seq 10); do put "d$i-$1" '{"N":"'$((NOW - 60))'"}'; done; }
	# The reads (pread calls, SQLite pages) of a sweep that deletes 10.
	reads() {
		strace -f -c -e trace=pread64 -o trace.txt pdb-expire users
		awk '$NF == "pread64" { print $4 }' trace.txt
	}
	due small
	small=$(reads)
	awk -v t=$((NOW + 86400)) 'BEGIN { for (i = 0; i < 200000; i++)
	    printf "{\"id\":{\"S\":\"f%d\"},\"exp\":{\"N\":\"%d\"}}\n", i, t }' |
	    pdb-put users
	due big
	big=$(reads)
	pages=$(sqlite3 "$PDB_DB" "PRAGMA page_count")
	echo "reads: $small with 10 items, $big with 200 010 ($pages pages)"
	[ "$(rows items)" = 200000 ]
	[ "$big" -le $((small + 50)) ]
	[ "$big" -lt $((pages / 100)) ]
}

@test "pdb-expire: a named table that does not exist is exit 1; tables without TTL are untouched" {
	pdb-table create users id
	put a '{"N":"1"}'
	run --separate-stderr pdb-expire nope
	assert_failure 1
	run pdb-expire users
	assert_success
	[ "$(ids)" = a ]
}

@test "pdb-serve: UpdateTimeToLive and DescribeTimeToLive, and --expire-every sweeps" {
	serve_start --expire-every 100ms
	call CreateTable '{"TableName":"users","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"OLD_IMAGE"}}' >/dev/null
	[ "$(call DescribeTimeToLive '{"TableName":"users"}')" = '{"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}}' ]
	# AWS names the table here, as DescribeTable does (dynalite's
	# test/describeTimeToLive.js).
	call DescribeTimeToLive '{"TableName":"nope"}' >out
	[ "$(status)" = 400 ] && [ "$(jq -r .message out)" = "Requested resource not found: Table: nope not found" ]
	[ "$(call UpdateTimeToLive '{"TableName":"users","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}')" = '{"TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}' ]
	[ "$(call DescribeTimeToLive '{"TableName":"users"}')" = '{"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"exp"}}' ]
	call UpdateTimeToLive '{"TableName":"users","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}' >out
	[ "$(status)" = 400 ] && [ "$(jq -r .message out)" = "TimeToLive is already enabled" ]
	call UpdateTimeToLive '{"TableName":"users"}' >out
	[ "$(jq -r .message out)" = "TimeToLiveSpecification cannot be null" ]
	call PutItem '{"TableName":"users","Item":{"id":{"S":"a"},"exp":{"N":"'$((NOW - 1))'"}}}' >/dev/null
	call PutItem '{"TableName":"users","Item":{"id":{"S":"b"},"exp":{"N":"'$((NOW + 1))'"}}}' >/dev/null
	for i in $(seq 1 100); do
		[ "$(call Scan '{"TableName":"users","Select":"COUNT"}' | jq .Count)" = 1 ] && break
		sleep 0.05
	done
	[ "$(call Scan '{"TableName":"users"}' | jq -r '.Items[].id.S')" = b ]
	serve_stop
	[ "$(pdb-stream-tail users | jq -c 'select(.eventName == "REMOVE") | [.dynamodb.Keys.id.S, .userIdentity.Type]')" = '["a","Service"]' ]
}

@test "a dump carries TTL as an UpdateTimeToLive line; a load sets it" {
	pdb-table create users id
	pdb-table ttl users exp
	put a '{"N":"'$((NOW + 60))'"}'
	pdb-dump >d
	[ "$(sed -n 2p d)" = '{"TableName":"users","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}' ]
	pdb-load -d copy.db d
	[ "$(pdb-table -d copy.db ttl users)" = '{"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"exp"}}' ]
	[ "$(pdb-dump -d copy.db)" = "$(cat d)" ]
	run pdb-load -d copy.db d
	assert_success
}
