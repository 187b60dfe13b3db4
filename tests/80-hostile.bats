#!/usr/bin/env bats
# Hostile input: cases made by tests/hostile/gen.py (deterministic; set
# HOSTILE_SEED and HOSTILE_N for other and more random cases), one test per
# family.  Every case must
#   (a) fail with a message 'PROGRAM: ...' on stderr that names the problem
#       (stdin:LINE: for a bad input line), and never crash: status < 128, no
#       "Segmentation fault", no sanitizer report;
#   (b) exit with the documented status: 1 negative answer, 2 wrong usage,
#       3 bad input data, 4 database or system error;
#   (c) leave the database as it was: sqlite3 .dump the same before and after
#       (the content of every table, sqlite_sequence included), or, for files
#       that are not pdb's, every byte the same and no file added.
# A few controls per family (status 0) show that the fixtures work.

load helper

GEN="$BATS_TEST_DIRNAME/hostile/gen.py"
: "${HOSTILE_TIMEOUT:=30}"

# ---------------------------------------------------------------------------
# Fixtures, the names gen.py relies on (its FIXTURE)

# items_fixture DIR: test.db with tables users and comp, some items.
items_fixture() {
	mkdir -p "$1"
	local db="$1/test.db" i
	pdb-table -d "$db" create users id --stream NEW_AND_OLD_IMAGES
	pdb-table -d "$db" create comp pk:N sk:B --stream KEYS_ONLY
	for i in 0 1 2 3 4; do
		echo "{\"id\":{\"S\":\"u$i\"},\"n\":{\"N\":\"$i\"},\"s\":{\"S\":\"text$i\"},\"l\":{\"L\":[{\"N\":\"1\"}]},\"m\":{\"M\":{\"x\":{\"S\":\"y\"}}},\"ss\":{\"SS\":[\"a\",\"b\"]}}"
	done | pdb-put -d "$db" users
	echo '{"id":{"S":"ustr"},"n":{"S":"str"},"l":{"S":"notalist"},"ss":{"NS":["1"]}}' | pdb-put -d "$db" users
	printf '%s\n' '{"pk":{"N":"1"},"sk":{"B":"AA=="}}' '{"pk":{"N":"2"},"sk":{"B":"AQ=="}}' | pdb-put -d "$db" comp
	sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
}

# ---------------------------------------------------------------------------
# The runner

dump_state() { sqlite3 "$1" .dump | sha256sum; }

# files_state DIR: every name under DIR, its type and the bytes of each file.
files_state() {
	(cd "$1" && find . -mindepth 1 -printf '%y %p\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum) | sha256sum
}

# clip TEXT: TEXT shortened for a report, control characters made visible.
clip() {
	local s=$1
	[ ${#s} -le 400 ] || s="${s:0:400}... (${#1} characters)"
	printf '%s' "$s" | cat -v | tr '\n' '|'
}

# run_family FAMILY FIXTURE [KEY=VALUE...]: generate FAMILY's cases, run each
# in a fresh copy of the directory FIXTURE and check its properties.
run_family() {
	local family=$1 fixture=$2
	shift 2
	local dir="$BATS_TEST_TMPDIR/cases-$family" w="$BATS_TEST_TMPDIR/w"
	local fails="$BATS_TEST_TMPDIR/failures" total=0 failed=0
	local id want line check quiet pattern desc prog why a
	local -a argv envv
	python3 "$GEN" "$family" "$dir" "$@" >/dev/null
	local pristine_files pristine_dump="" fresh=0
	pristine_files=$(files_state "$fixture")
	[ ! -f "$fixture/test.db" ] || pristine_dump=$(dump_state "$fixture/test.db")
	: >"$fails"
	while IFS=$'\t' read -r id want line check quiet pattern desc; do
		total=$((total + 1))
		# A fresh copy of the fixture, unless the last case left it as it was.
		if [ "$fresh" = 0 ] || [ "$check" = files ]; then
			cd "$BATS_TEST_TMPDIR"
			rm -rf "$w"
			cp -a "$fixture" "$w"
		fi
		cd "$w"
		fresh=0
		mapfile -d '' -t argv <"$dir/$id.argv"
		mapfile -d '' -t envv <"$dir/$id.env"
		prog=${argv[0]}
		run --separate-stderr timeout -k 5 "$HOSTILE_TIMEOUT" \
			env PDB_DB="$w/test.db" "${envv[@]}" "${argv[@]}" <"$dir/$id.in"
		why=()
		case $stderr in
		*"Segmentation fault"* | *Sanitizer* | *"runtime error:"* | *"core dumped"* | *Aborted*)
			why+=("a crash or sanitizer report on stderr") ;;
		esac
		[ "$status" -lt 128 ] || why+=("killed by signal $((status - 128))")
		[ "$status" != 124 ] || why+=("no answer in ${HOSTILE_TIMEOUT}s")
		[ "$status" = "$want" ] || why+=("status $status, expected $want")
		if [ "$want" != 0 ]; then
			[[ $stderr == "$prog: "?* ]] || why+=("stderr is not '$prog: ' and a message")
			[ "$line" = - ] || [[ $stderr == *"$prog: stdin:$line: "* ]] ||
				why+=("stderr does not name stdin:$line")
			# shellcheck disable=SC2053
			[[ $stderr == $pattern ]] || why+=("stderr does not match $pattern")
		fi
		[ "$quiet" = 0 ] || [ -z "$output" ] || why+=("output on stdout")
		case $check in
		db)
			if [ "$(dump_state "$w/test.db")" = "$pristine_dump" ]; then
				fresh=1
			else
				why+=("the database changed")
			fi ;;
		files)
			[ "$(files_state "$w")" = "$pristine_files" ] || why+=("files changed, or were added or removed") ;;
		esac
		[ ${#why[@]} = 0 ] && continue
		failed=$((failed + 1))
		{
			echo "--- $family case $id: $desc"
			printf '  command: '
			for a in "${envv[@]}"; do printf '%s ' "$(clip "$(printf '%q' "$a")")"; done
			for a in "${argv[@]}"; do printf '%s ' "$(clip "$(printf '%q' "$a")")"; done
			echo "< $id.in"
			echo "  stdin:   $(wc -l <"$dir/$id.in") lines, $(wc -c <"$dir/$id.in") bytes: $(head -c 300 "$dir/$id.in" | cat -v | tr '\n' '|')"
			echo "  wanted:  status $want$([ "$line" = - ] || echo ", naming stdin:$line"), stderr matching $pattern"
			echo "  got:     status $status, ${#output} characters on stdout"
			echo "  stderr:  $(clip "$stderr")"
			printf '  wrong:   %s\n' "$(IFS=';'; echo "${why[*]}")"
		} >>"$fails"
	done <"$dir/cases.tsv"
	cd "$BATS_TEST_TMPDIR"
	echo "# $family: $total cases, $failed failed (HOSTILE_SEED=${HOSTILE_SEED:-1} HOSTILE_N=${HOSTILE_N:-30})" >&3
	if [ "$failed" != 0 ]; then
		cat "$fails"
		echo "$failed of $total $family cases failed (the case files stay in $dir with bats --no-tempdir-cleanup)"
		return 1
	fi
}

# ---------------------------------------------------------------------------

@test "hostile JSON lines for pdb-put, pdb-delete, pdb-update and pdb-get: line N named, all rolled back" {
	items_fixture "$BATS_TEST_TMPDIR/fixture"
	run_family input "$BATS_TEST_TMPDIR/fixture"
}

@test "hostile options: unknown, missing arguments, bad numbers and words are wrong usage" {
	items_fixture "$BATS_TEST_TMPDIR/fixture"
	run_family options "$BATS_TEST_TMPDIR/fixture"
}

@test "hostile environment: garbage in PDB_NOW, PDB_RETENTION, PDB_BUSY_TIMEOUT_MS, PDB_SYNC, region, account" {
	items_fixture "$BATS_TEST_TMPDIR/fixture"
	run_family env "$BATS_TEST_TMPDIR/fixture"
}

@test "hostile database files: missing, directories, truncated, garbage, empty, devices, other programs' files" {
	local fx="$BATS_TEST_TMPDIR/fixture"
	mkdir -p "$fx"
	pdb-table -d "$fx/good.db" create users id --stream NEW_AND_OLD_IMAGES
	for i in $(seq 1 120); do
		echo "{\"id\":{\"S\":\"u$i\"},\"pad\":{\"S\":\"$(printf '%0200d' "$i")\"}}"
	done | pdb-put -d "$fx/good.db" users
	sqlite3 "$fx/good.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	# gen.py makes the hostile files beside good.db, in the fixture.
	run_family dbfiles "$fx" fixture="$fx" good=good.db
}

@test "hostile shard iterators: tampered, truncated, another database's, garbage, too long, expired" {
	local fx="$BATS_TEST_TMPDIR/fixture" it other deleted
	# One clock for the fixture and the cases, so that expiry is exact.
	export PDB_NOW=1900000000000
	mkdir -p "$fx"
	export PDB_DB="$fx/test.db"
	pdb-table create users id --stream NEW_AND_OLD_IMAGES
	printf '%s\n' '{"id":{"S":"a"}}' '{"id":{"S":"b"}}' '{"id":{"S":"c"}}' | pdb-put users
	pdb-table create gone id --stream NEW_IMAGE
	printf '%s\n' '{"id":{"S":"x"}}' '{"id":{"S":"y"}}' | pdb-put gone
	deleted=$(pdb-stream-iter -t TRIM_HORIZON gone)
	pdb-table delete gone
	it=$(pdb-stream-iter -t TRIM_HORIZON users)
	# Another database whose stream has the very same ARN.
	PDB_DB="$BATS_TEST_TMPDIR/other.db" pdb-table create users id --stream NEW_AND_OLD_IMAGES
	other=$(PDB_DB="$BATS_TEST_TMPDIR/other.db" pdb-stream-iter -t TRIM_HORIZON users)
	[ "${other%%|*}" = "${it%%|*}" ]
	sqlite3 "$PDB_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	# gen.py writes hostile checkpoint files into the fixture.
	run_family iterators "$fx" it="$it" other="$other" deleted="$deleted" now="$PDB_NOW" db="$PDB_DB" fixture="$fx"
}

@test "hostile expressions: syntax, placeholders, reserved words, over 4 KB, deep nesting, errors on line N" {
	items_fixture "$BATS_TEST_TMPDIR/fixture"
	run_family expressions "$BATS_TEST_TMPDIR/fixture"
}
