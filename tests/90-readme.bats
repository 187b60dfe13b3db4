#!/usr/bin/env bats
# The README's examples and the demo work as written.

load helper

# Each ```sh block of the README after the first (make demo/check), in order.
extract_blocks() {
	awk '/^```sh$/ { n++; on = 1; next } /^```$/ { on = 0; next }
	    on && n > 1 { print > sprintf("block%02d.sh", n) }' "$TOP/README.md"
}

@test "every README example runs as written, in order" {
	unset PDB_DB
	extract_blocks
	# A follower runs until interrupted: give it a second, then stop it.
	cat >prelude.sh <<'SH'
pdb-stream-tail() {
	case " $* " in
	*" -f "*) timeout --preserve-status -s INT 1 "$(type -P pdb-stream-tail)" "$@" ;;
	*) command pdb-stream-tail "$@" ;;
	esac
}
SH
	n=0
	for b in block*.sh; do
		n=$((n + 1))
		want=0
		grep -q '(exit 3)' "$b" && want=3
		run --separate-stderr bash -o pipefail -c "set -e; . ./prelude.sh; . ./$b"
		[ "$status" -eq "$want" ] || {
			echo "$b exited $status, expected $want"; cat "$b"; echo "$stderr"; return 1; }
		[[ "$stderr" != *"command not found"* ]]
	done
	[ "$n" -ge 6 ]
	# What the tour did, checked the way a reader would.
	[ "$(pdb-scan users | jq -r .id.S | paste -sd' ')" = "u1 u2 u7 u9" ]
	[ "$(pdb-scan users -P 'age, tags' | head -n 1)" = '{"age":{"N":"37"},"tags":{"SS":["admin","dev","ops"]}}' ]
	[ "$(pdb-scan orders -p | jq -c '[.n, .amount]' | paste -sd' ')" = "[1,20] [2,5]" ]
	[ "$(pdb-stream-tail users | tail -n 1 | jq -r .dynamodb.Keys.id.S)" = u7 ]
}

@test "the demo runs on the default database" {
	unset PDB_DB
	cd "$TOP" && mkdir -p "$BATS_TEST_TMPDIR/demo"
	run --separate-stderr env PDB_DB="$BATS_TEST_TMPDIR/demo/pdb.db" sh tests/demo.sh
	assert_success
	[[ "$output" == *'"name":"Grace Hopper"'* ]]
	[[ "$output" == *"REMOVE"* ]]
	# Written through pdb-serve by the AWS CLI, seen by pdb-stream-tail.
	[[ "$output" == *'{"eventName":"INSERT","Keys":{"id":{"S":"u4"}},"new":"Barbara"}'* ]]
	run env PDB_DB="$BATS_TEST_TMPDIR/demo/pdb.db" sh tests/demo.sh
	assert_success
}

@test "make install and uninstall honour PREFIX and DESTDIR" {
	d="$BATS_TEST_TMPDIR/root"
	run make -s -C "$TOP" install DESTDIR="$d" PREFIX=/opt/pdb ${SANITIZE:+SANITIZE=$SANITIZE}
	assert_success
	for p in "$TOP"/bin/pdb-*; do
		n=$(basename "$p")
		[ -x "$d/opt/pdb/bin/$n" ]
		[ -f "$d/opt/pdb/share/man/man1/$n.1" ]
		[ -f "$d/opt/pdb/share/bash-completion/completions/$n" ]
	done
	[ -f "$d/opt/pdb/share/man/man7/pdb.7" ]
	[ -f "$d/opt/pdb/share/zsh/site-functions/_pdb" ]
	run "$d/opt/pdb/bin/pdb-table" --version
	assert_success
	run make -s -C "$TOP" uninstall DESTDIR="$d" PREFIX=/opt/pdb ${SANITIZE:+SANITIZE=$SANITIZE}
	assert_success
	[ -z "$(find "$d" -type f)" ]
}
