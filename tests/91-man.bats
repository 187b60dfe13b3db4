#!/usr/bin/env bats
# Every man page is clean mdoc, and its EXAMPLES run as written.

load helper

# The literal blocks of a page's EXAMPLES section, as shell text.
examples() {
	awk '/^\.Sh /{ ex = ($2 == "EXAMPLES") } ex && /^\.Bd -literal/ { on = 1; next }
	    ex && /^\.Ed/ { on = 0; print ""; next } ex && on' "$1" |
	    sed -e 's/\\e/\\/g' -e 's/\\(aq/'"'"'/g' -e 's/\\&//g' -e 's/\\-/-/g'
}

@test "every program has a page, and every page is clean mdoc" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	for p in "$TOP"/bin/pdb-*; do
		[ -f "$TOP/man/man1/$(basename "$p").1" ] || { echo "no page for $p"; return 1; }
	done
	run mandoc -Tlint -Wwarning "$TOP"/man/man1/*.1 "$TOP"/man/man7/pdb.7
	assert_success
}

@test "the EXAMPLES of every page run as written" {
	# A follower runs until interrupted: give it a moment, then stop it.
	cat >prelude.sh <<'SH'
# A server an example started and did not stop is stopped.
trap 's=$?; j=$(jobs -p); [ -z "$j" ] || kill $j 2>/dev/null; exit $s' EXIT
pdb-stream-tail() {
	case " $* " in
	*" -f "*|*" --follow "*) timeout --preserve-status -s INT 1 "$(type -P pdb-stream-tail)" "$@" ;;
	*) command pdb-stream-tail "$@" ;;
	esac
}
SH
	for page in "$TOP"/man/man1/*.1 "$TOP"/man/man7/pdb.7; do
		name=$(basename "$page")
		mkdir -p "$name" && cd "$name"
		export PDB_DB="$PWD/pdb.db"
		examples "$page" >examples.sh
		# Pages that do not make their own tables start from a users table.
		if ! grep -q 'pdb-table create users' examples.sh; then
			pdb-table create users id --stream NEW_AND_OLD_IMAGES
			echo '{"id":{"S":"u1"},"name":{"S":"Ada"}}' | pdb-put users
		fi
		run --separate-stderr bash -o pipefail -c '. ../prelude.sh; set -e; . ./examples.sh'
		[ "$status" -eq 0 ] || {
			echo "$name: exit $status"; cat examples.sh; echo "$stderr"; return 1; }
		cd ..
	done
}

@test "every option a program's --help lists is on its page" {
	for p in "$TOP"/bin/pdb-*; do
		n=$(basename "$p")
		for o in $("$p" --help | sed -n 's/^ *\(-[A-Za-z0-9], \)\{0,1\}--\([a-z][a-z-]*\).*/\2/p'); do
			sed 's/\\-/-/g' "$TOP/man/man1/$n.1" | grep -q -- "Fl -$o\b" ||
			    { echo "$n: --$o is not on its page"; return 1; }
		done
	done
}
