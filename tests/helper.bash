# Shared by every bats file: pdb's bin/ first in PATH, the C locale, a fresh
# database per test, and helpers that say what a user would check.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

TOP="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
export PATH="$TOP/bin:$PATH"
export LC_ALL=C
VALIDATE="$TOP/../shared/validate"

setup() {
	export PDB_DB="$BATS_TEST_TMPDIR/test.db"
	unset PDB_NOW PDB_RETENTION AWS_REGION AWS_DEFAULT_REGION PDB_ACCOUNT_ID
	cd "$BATS_TEST_TMPDIR"
}

# Under VALGRIND=1 every pdb program runs under memcheck.
if [ "${VALIDATE_WRAP:-}" = "" ] && [ "${VALGRIND:-0}" = 1 ]; then
	for p in "$TOP"/bin/pdb-*; do
		n=$(basename "$p")
		eval "$n() { valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \"$p\" \"\$@\"; }"
	done
fi

# The number of rows in a table of the database.
rows() {
	sqlite3 "$PDB_DB" "SELECT count(*) FROM $1"
}

# A SHA of everything stored, to show that a failed command changed nothing.
db_state() {
	sqlite3 "$PDB_DB" "SELECT key, item FROM items ORDER BY tbl, key;
	    SELECT seq, stream, keys, new_image, old_image FROM records ORDER BY seq;
	    SELECT * FROM streams ORDER BY id; SELECT * FROM tables ORDER BY id" | sha1sum
}

# The stream records stored so far, one compact line each: event and Keys,
# NewImage, OldImage as stored.
stored_records() {
	sqlite3 -separator ' ' "$PDB_DB" "SELECT CASE event WHEN 1 THEN 'INSERT' WHEN 2 THEN 'MODIFY' ELSE 'REMOVE' END, keys, coalesce(new_image, '-'), coalesce(old_image, '-'), size FROM records ORDER BY seq"
}

# Run a validator of ../shared/validate when it is installed; skip otherwise.
have_validator() {
	[ -x "$VALIDATE/validate-shape" ] && [ -d "$VALIDATE/.deps" ] ||
		skip "../shared/validate is not set up (run make deps)"
}
