#!/bin/sh
# Run the C unit tests and the bats tests; end with "N passed, N failed".
# VALGRIND=1 runs the programs under valgrind (see tests/helper.bash).
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
for t in "$@"; do
	./"$t" >>"$out" 2>&1 || status=1
done
bats --tap tests/*.bats >>"$out" 2>&1 || status=1
grep -E '^(not ok|# )' "$out" | head -n 200
passed=$(grep -c '^ok ' "$out")
failed=$(grep -c '^not ok ' "$out")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
