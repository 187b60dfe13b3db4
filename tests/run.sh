#!/bin/sh
# Run the C unit tests and the bats tests; end with "N passed, N failed".
# VALGRIND=1 runs the programs under valgrind (see tests/helper.bash).
out=$(mktemp)
status=0
one=$(mktemp)
trap 'rm -f "$out" "$one"' EXIT
for t in "$@"; do
	# A unit program that fails without saying which check counts as a
	# failure of its own (a crash, say).
	./"$t" >"$one" 2>&1 || {
		rc=$?
		status=1
		grep -q '^not ok' "$one" ||
			echo "not ok $t exited with status $rc" >>"$one"
	}
	cat "$one" >>"$out"
done
bats --tap tests/*.bats >>"$out" 2>&1 || status=1
grep -E '^(not ok|# )' "$out" | head -n 200
passed=$(grep -c '^ok ' "$out")
failed=$(grep -c '^not ok ' "$out")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
