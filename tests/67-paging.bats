#!/usr/bin/env bats
# pdb-scan and pdb-query page by page, as DynamoDB pages Scan and Query:
# --page, --limit, --exclusive-start-key, --select COUNT, parallel scan
# segments, and S3 export lines.

load helper

# Two tables of 23 items: "sorted" has a sort key (15 items in partition
# a, 5 in b, 3 in c); "flat" a number partition key alone.  Every third
# item has odd = true, to filter on.
seed() {
	pdb-table create sorted pk sk:N
	pdb-table create flat id:N
	for i in $(seq 1 23); do
		p=a
		[ "$i" -gt 15 ] && p=b
		[ "$i" -gt 20 ] && p=c
		printf '{"pk":"%s","sk":%d,"odd":%s}\n' "$p" "$i" \
		    "$([ $((i % 3)) -eq 0 ] && echo true || echo false)"
	done | pdb-put -p sorted
	seq 1 23 | awk '{ printf "{\"id\":%d,\"v\":\"%s\",\"odd\":%s}\n", $1 * 7 - 80, $1, $1 % 3 ? "false" : "true" }' |
	    pdb-put -p flat
}

# walk N CMD...: CMD --page --limit N, then again after each
# LastEvaluatedKey until a page has none.  Prints every page's items in
# order, one a line; fails when a page read more than N items, counted
# more than it read, or its Count is not its number of Items.  The sums
# of Count and ScannedCount go to ./counted.
walk() {
	local n=$1 key="" pages=0 bad
	shift
	: >pages.jsonl
	while :; do
		"$@" --page --limit "$n" ${key:+--exclusive-start-key "$key"} >>pages.jsonl || return
		# LastEvaluatedKey, when there is one, ends the response.
		key=$(tail -n 1 pages.jsonl | sed -n 's/.*,"LastEvaluatedKey":\({.*}\)}$/\1/p')
		[ -n "$key" ] || break
		pages=$((pages + 1))
		[ "$pages" -le 100 ] || { echo "--limit $n: more than 100 pages" >&2; return 1; }
	done
	jq -c '(.Items // [])[]' pages.jsonl
	jq -rs --argjson n "$n" '"\(map(.Count) | add) \(map(.ScannedCount) | add)",
	    (.[] | select(.ScannedCount > $n or .Count > .ScannedCount or
	    (has("Items") and (.Items | length) != .Count)) | "bad page \(.)")' pages.jsonl >counted
	bad=$(sed 1d counted)
	[ -z "$bad" ] || { echo "--limit $n: $bad" >&2; return 1; }
}

# same_pages FIRST LAST SCANNED CMD...: for every --limit from FIRST to
# LAST, the pages of CMD together are CMD's whole output, item for item
# in order, and each item was read once: SCANNED in all.
same_pages() {
	local first=$1 last=$2 want=$3 n
	shift 3
	"$@" >all
	[ -s all ] || { echo "nothing to page through" >&2; return 1; }
	for n in $(seq "$first" "$last"); do
		walk "$n" "$@" >got || return
		cmp -s all got || { echo "--limit $n: the pages differ from the whole"; diff all got; return 1; }
		[ "$(head -n 1 counted | cut -d' ' -f2)" -eq "$want" ] || { echo "--limit $n: read $(cat counted)"; return 1; }
	done
}

@test "Scan: the pages for every --limit hold every item once, in key order" {
	seed
	same_pages 1 24 23 pdb-scan sorted
	[ "$(wc -l <all)" -eq 23 ]
}

@test "Scan of a table without a sort key, keys and items plain (-p)" {
	seed
	same_pages 1 24 23 pdb-scan -p flat
	# Numbers in key order, negative ones first: the plain key went back.
	[ "$(jq -r .id all | head -n 3 | paste -sd' ')" = "-73 -66 -59" ]
}

@test "Scan with a filter: pages may hold fewer items, but every item is read" {
	seed
	same_pages 1 24 23 pdb-scan -F 'odd = :t' -V '{":t":{"BOOL":true}}' sorted
	[ "$(wc -l <all)" -eq 7 ]
	same_pages 1 24 23 pdb-scan -p -F 'odd = :t' -V '{":t":true}' flat
}

@test "Query, forwards and reversed, with and without a filter" {
	seed
	q=(pdb-query -k 'pk = :p' -V '{":p":{"S":"a"}}' sorted)
	same_pages 1 16 15 "${q[@]}"
	[ "$(jq -r .sk.N all | paste -sd' ')" = "$(seq 1 15 | paste -sd' ')" ]
	same_pages 1 16 15 "${q[@]}" -r
	[ "$(jq -r .sk.N all | paste -sd' ')" = "$(seq 15 -1 1 | paste -sd' ')" ]
	f=(pdb-query -k 'pk = :p AND sk > :s' -F 'odd = :t' -V '{":p":{"S":"a"},":s":{"N":"4"},":t":{"BOOL":true}}' sorted)
	same_pages 1 12 11 "${f[@]}"
	[ "$(jq -r .sk.N all | paste -sd' ')" = "6 9 12 15" ]
	same_pages 1 12 11 "${f[@]}" -r
	[ "$(jq -r .sk.N all | paste -sd' ')" = "15 12 9 6" ]
}

@test "--page prints one response; LastEvaluatedKey is the last item read's key" {
	seed
	run --separate-stderr pdb-scan --page --limit 2 sorted
	assert_success
	assert_output '{"Items":[{"odd":{"BOOL":false},"pk":{"S":"a"},"sk":{"N":"1"}},{"odd":{"BOOL":false},"pk":{"S":"a"},"sk":{"N":"2"}}],"Count":2,"ScannedCount":2,"LastEvaluatedKey":{"pk":{"S":"a"},"sk":{"N":"2"}}}'
	run --separate-stderr pdb-query -p -k 'pk = :p' -V '{":p":"c"}' -F 'odd = :t' --page --limit 2 -r sorted -V '{":p":"c",":t":true}'
	assert_success
	assert_output '{"Items":[],"Count":0,"ScannedCount":2,"LastEvaluatedKey":{"pk":"c","sk":22}}'
	# A page that reaches the end has no LastEvaluatedKey.
	[ "$(pdb-query -k 'pk = :p' -V '{":p":{"S":"c"}}' --page sorted | jq -c '[.Count, .ScannedCount, has("LastEvaluatedKey")]')" = '[3,3,false]' ]
	# One that Limit ends has one, even at the end (as DynamoDB).
	[ "$(pdb-query -k 'pk = :p' -V '{":p":{"S":"c"}}' --page -l 3 sorted | jq -c .LastEvaluatedKey)" = '{"pk":{"S":"c"},"sk":{"N":"23"}}' ]
	[ "$(pdb-query -k 'pk = :p' -V '{":p":{"S":"c"}}' --page -l 3 -s '{"pk":{"S":"c"},"sk":{"N":"23"}}' sorted)" = '{"Items":[],"Count":0,"ScannedCount":0}' ]
}

@test "without --page, --exclusive-start-key prints the rest of the items" {
	seed
	run --separate-stderr pdb-scan -s '{"pk":{"S":"b"},"sk":{"N":"20"}}' sorted
	assert_success
	[ "$(jq -r .sk.N <<<"$output" | paste -sd' ')" = "21 22 23" ]
	run --separate-stderr pdb-query -r -k 'pk = :p' -V '{":p":"a"}' -p -s '{"pk":"a","sk":4}' sorted
	assert_success
	[ "$(jq -r .sk <<<"$output" | paste -sd' ')" = "3 2 1" ]
}

@test "a page also ends near 1 MB; without --page every item is printed" {
	pdb-table create big id:N
	pad=$(head -c 100000 /dev/zero | tr '\0' x)
	for i in $(seq 1 25); do printf '{"id":%d,"pad":"%s"}\n' "$i" "$pad"; done | pdb-put -p big
	run -0 pdb-scan -S COUNT --page big
	# About 1 MB of 100 KB items: ten or eleven, and a key to go on.
	[[ "$(jq -r '"\(.ScannedCount) \(.LastEvaluatedKey.id.N)"' <<<"$output")" =~ ^(10|11)\ (10|11)$ ]]
	[ "$(pdb-scan big | wc -l)" -eq 25 ]
	run -0 pdb-scan -S COUNT big
	assert_output '{"Count":25,"ScannedCount":25}'
}

@test "--select COUNT prints the counts, summed over pages or of one page" {
	seed
	run -0 --separate-stderr pdb-scan --select COUNT sorted
	assert_output '{"Count":23,"ScannedCount":23}'
	run -0 --separate-stderr pdb-scan -S COUNT -F 'odd = :t' -V '{":t":{"BOOL":true}}' flat
	assert_output '{"Count":7,"ScannedCount":23}'
	run -0 --separate-stderr pdb-query -S COUNT -k 'pk = :p' -V '{":p":{"S":"b"}}' sorted
	assert_output '{"Count":5,"ScannedCount":5}'
	# --limit: at most that many read, over the pages.
	run -0 --separate-stderr pdb-scan -S COUNT -l 5 sorted
	assert_output '{"Count":5,"ScannedCount":5}'
	run -0 --separate-stderr pdb-scan -S COUNT -l 5 --page -F 'odd = :t' -V '{":t":{"BOOL":true}}' sorted
	assert_output '{"Count":1,"ScannedCount":5,"LastEvaluatedKey":{"pk":{"S":"a"},"sk":{"N":"5"}}}'
	# Page by page, the counts add up to the table's.
	for n in 1 4 22 23 24; do
		walk "$n" pdb-scan -S COUNT -F 'odd = :t' -V '{":t":{"BOOL":true}}' sorted >got
		[ ! -s got ]
		[ "$(cat counted)" = "7 23" ]
	done
	# ALL_ATTRIBUTES is the default; SPECIFIC_ATTRIBUTES goes with -P.
	[ "$(pdb-scan -S ALL_ATTRIBUTES flat)" = "$(pdb-scan flat)" ]
	[ "$(pdb-scan -S SPECIFIC_ATTRIBUTES -P v -l 1 flat)" = '{"v":{"S":"1"}}' ]
}

@test "--select: DynamoDB's refusals, and an unknown value is a usage error" {
	seed
	check() {
		run -3 --separate-stderr pdb-scan "$@" flat
		[ -z "$output" ]
	}
	check -S COUNT -P v
	assert_equal "$stderr" "pdb-scan: ValidationException: Cannot specify the ProjectionExpression when choosing to get only the Count"
	check -S ALL_ATTRIBUTES -P v
	assert_equal "$stderr" "pdb-scan: ValidationException: Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES"
	check -S SPECIFIC_ATTRIBUTES
	assert_equal "$stderr" "pdb-scan: ValidationException: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"
	check -S ALL_PROJECTED_ATTRIBUTES
	assert_equal "$stderr" "pdb-scan: ValidationException: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"
	run -2 --separate-stderr pdb-query -S count -k 'pk = :p' -V '{":p":{"S":"a"}}' sorted
	[[ "$stderr" == "pdb-query: invalid --select 'count': expected ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, SPECIFIC_ATTRIBUTES or COUNT"* ]]
}

@test "parallel scan: the segments hold every item exactly once" {
	seed
	for table in sorted flat; do
		pdb-scan "$table" | sort >all
		for n in 1 2 3 7; do
			: >union
			for ((i = 0; i < n; i++)); do
				pdb-scan --segment "$i" --total-segments "$n" "$table" >seg
				cat seg >>union
				# Each segment pages too, resuming inside it.
				walk 2 pdb-scan -e "$i" -t "$n" "$table" >got
				cmp seg got
			done
			sort union | cmp - all || { echo "$table, $n segments"; return 1; }
			[ -z "$(sort union | uniq -d)" ]
		done
	done
	# With 3 segments none of 23 partitions is empty: the split splits.
	for i in 0 1 2; do [ -n "$(pdb-scan -e "$i" -t 3 flat)" ]; done
	# Counts per segment add up.
	total=0
	for i in 0 1 2; do
		total=$((total + $(pdb-scan -S COUNT -e "$i" -t 3 flat | jq .Count)))
	done
	[ "$total" -eq 23 ]
}

@test "parallel scan: segments are checked as DynamoDB checks them" {
	seed
	run -3 --separate-stderr pdb-scan -e 3 -t 3 flat
	assert_equal "$stderr" "pdb-scan: ValidationException: The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 3"
	run -2 --separate-stderr pdb-scan -e 0 flat
	[[ "$stderr" == "pdb-scan: --segment and --total-segments go together"* ]]
	run -2 --separate-stderr pdb-scan -e 0 -t 0 flat
	[[ "$stderr" == "pdb-scan: invalid --total-segments '0': expected a whole number from 1 to 1000000"* ]]
	# A key of another segment is refused.
	key=$(pdb-scan -e 1 -t 2 -l 1 -g flat | jq -c .LastEvaluatedKey)
	run -3 --separate-stderr pdb-scan -e 0 -t 2 -s "$key" flat
	assert_equal "$stderr" "pdb-scan: ValidationException: Exclusive start key must lie within the segment"
	[ -z "$output" ]
}

@test "--exclusive-start-key: a key that does not fit is refused, exit 3" {
	seed
	before=$(db_state)
	# AWS's words (dynalite's recorded tests): other attributes than the
	# key's, or one of another type.
	invalid="ValidationException: The provided starting key is invalid"
	schema="ValidationException: The provided key element does not match the schema"
	for key in '{"pk":{"S":"a"}}=invalid' '{"pk":{"S":"a"},"sk":{"S":"1"}}=schema' \
	    '{"pk":{"S":"a"},"sk":{"N":"1"},"odd":{"BOOL":true}}=invalid' \
	    '{"id":{"S":"a"},"sk":{"N":"1"}}=invalid' '{}=invalid'; do
		want=${key##*=} key=${key%=*}
		run -3 --separate-stderr pdb-scan -s "$key" sorted
		assert_equal "$stderr" "pdb-scan: ${!want}"
		[ -z "$output" ]
		run -3 --separate-stderr pdb-scan --page -s "$key" sorted
		assert_equal "$stderr" "pdb-scan: ${!want}"
		[ -z "$output" ]
	done
	run -3 --separate-stderr pdb-scan -p -s '{"id":"7"}' flat
	assert_equal "$stderr" "pdb-scan: $schema"
	# A value no item may hold, in AWS's words too.
	run -3 --separate-stderr pdb-scan -s '{"pk":{"S":"a"},"sk":{"SS":[]}}' sorted
	assert_equal "$stderr" "pdb-scan: $invalid: One or more parameter values were invalid: An string set  may not be empty (attribute 'sk')"
	run -3 --separate-stderr pdb-scan -s '{"pk":{"S":"a"},"sk":{"N":"1e126"}}' sorted
	assert_equal "$stderr" "pdb-scan: ValidationException: Number overflow. Attempting to store a number with magnitude larger than supported range (attribute 'sk')"
	# A Query resumes only inside its key condition.
	run -3 --separate-stderr pdb-query -k 'pk = :p' -V '{":p":{"S":"a"}}' -s '{"pk":{"S":"b"},"sk":{"N":"16"}}' sorted
	assert_equal "$stderr" "pdb-query: ValidationException: The provided starting key does not match the range key predicate"
	run -3 --separate-stderr pdb-query -k 'pk = :p AND sk > :s' -V '{":p":{"S":"a"},":s":{"N":"4"}}' -s '{"pk":{"S":"a"},"sk":{"N":"4"}}' sorted
	assert_equal "$stderr" "pdb-query: ValidationException: The provided starting key does not match the range key predicate"
	# Not JSON, or not an object.
	run -3 --separate-stderr pdb-scan -s '{"pk":' sorted
	[[ "$stderr" == "pdb-scan: SerializationException: --exclusive-start-key: malformed JSON"* ]]
	run -3 --separate-stderr pdb-scan -s '[]' sorted
	assert_equal "$stderr" "pdb-scan: SerializationException: --exclusive-start-key: expected a JSON object"
	[ "$(db_state)" = "$before" ]
}

@test "--page output validates as ScanOutput and QueryOutput" {
	have_validator
	seed
	{
		pdb-scan --page -l 3 sorted
		pdb-scan --page -F 'odd = :t' -V '{":t":{"BOOL":true}}' flat
		pdb-scan --page -S COUNT -l 4 sorted
		pdb-scan --page -e 1 -t 3 -P 'id, v' flat
	} >scan.jsonl
	{
		pdb-query --page -l 2 -k 'pk = :p' -V '{":p":{"S":"a"}}' sorted
		pdb-query --page -r -k 'pk = :p' -V '{":p":{"S":"c"}}' sorted
		pdb-query --page -S COUNT -k 'pk = :p' -V '{":p":{"S":"b"}}' sorted
	} >query.jsonl
	[ "$(wc -l <scan.jsonl)" -eq 4 ]
	[ "$(wc -l <query.jsonl)" -eq 3 ]
	run -0 "$VALIDATE/validate-shape" -q --service dynamodb --shape ScanOutput --strict scan.jsonl
	run -0 "$VALIDATE/validate-shape" -q --service dynamodb --shape QueryOutput --strict query.jsonl
}

@test "--export: S3 export lines, one per item, that load back" {
	seed
	run -0 --separate-stderr pdb-scan --export sorted
	[ "${#lines[@]}" -eq 23 ]
	# Each line is {"Item":ITEM}, ITEM exactly as pdb-scan prints it.
	[ "$(jq -c 'keys' <<<"$output" | sort -u)" = '["Item"]' ]
	[ "$(jq -c .Item <<<"$output")" = "$(pdb-scan sorted)" ]
	printf '%s\n' "$output" >export.jsonl
	pdb-table -d copy.db create sorted pk sk:N
	jq -c .Item export.jsonl | pdb-put -d copy.db sorted
	[ "$(pdb-scan -d copy.db sorted)" = "$(pdb-scan sorted)" ]
	# Filters and segments apply as to any scan.
	[ "$(pdb-scan -x -F 'odd = :t' -V '{":t":{"BOOL":true}}' sorted | jq -r .Item.sk.N | paste -sd' ')" = "3 6 9 12 15 18 21" ]
	for opts in -g -p '-S COUNT'; do
		run -2 --separate-stderr pdb-scan -x $opts sorted
		[[ "$stderr" == "pdb-scan: --export prints items as DynamoDB JSON lines: not with -g, -p or -S COUNT"* ]]
	done
}
