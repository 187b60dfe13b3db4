#!/usr/bin/env bats
# Differential conformance: the same generated requests go to pdb-serve and
# to DynamoDB Local (AWS's own emulator), and tests/conformance/diff.py
# compares the answers, allowing only the differences that
# tests/conformance/deviations.md documents and the pdb bugs listed in
# tests/conformance/FINDINGS.md (KNOWN_PDB_BUGS in diff.py).

load helper

DDBL="$TOP/tests/conformance/ddb-local.sh"

teardown() {
	serve_stop
	if [ -n "${DDBL_PID:-}" ]; then
		"$DDBL" stop "$DDBL_PID"
		DDBL_PID=
	fi
}

# ddb_local_start: DynamoDB Local on a free port; sets DDBL_PID, DDBL_PORT.
# Skips, naming what is missing, when java, npm or the package is not there.
ddb_local_start() {
	command -v python3 >/dev/null || skip "python3 is not installed (make deps)"
	run --separate-stderr "$DDBL" start
	if [ "$status" -eq 3 ]; then
		skip "DynamoDB Local is unavailable: ${stderr#ddb-local.sh: } (make deps)"
	fi
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	read -r DDBL_PID DDBL_PORT <<<"$output"
	[ -n "$DDBL_PORT" ]
}

@test "pdb-serve answers as DynamoDB Local does, where AWS does not differ: items, expressions, legacy parameters, queries, batches, transactions, TTL, streams" {
	ddb_local_start
	# --expire-every: the ttl family compares the sweeps' REMOVE records.
	serve_start --expire-every 100ms
	# CONF_SEED and CONF_N pass through; the defaults are fixed (1 and 68: over 3 000 cases).
	run python3 "$TOP/tests/conformance/diff.py" "$ENDPOINT" "http://127.0.0.1:$DDBL_PORT"
	# The counts, in the TAP output: cases compared, known pdb bugs, result.
	grep -E '^# seed |^[0-9]+ passed, [0-9]+ failed$' <<<"$output" | sed 's/^\([0-9]\)/# conformance: \1/' >&3
	assert_success
	assert_line --regexp '^[0-9]+ passed, 0 failed$'
	refute_line --partial 'FAIL '
	# And it stops what it started.
	"$DDBL" stop "$DDBL_PID"
	! kill -0 "$DDBL_PID" 2>/dev/null
	DDBL_PID=
}

@test "ddb-local.sh names what is missing, and refuses what it does not know" {
	run -3 --separate-stderr env PATH=/nonexistent /bin/sh "$DDBL" start
	[[ $stderr == *"java is not installed (apt-get install openjdk-17-jre-headless)"* ]]
	run -2 --separate-stderr "$DDBL" frobnicate
	[[ $stderr == *"ddb-local.sh start"* ]]
}
