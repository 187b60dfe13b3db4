#!/usr/bin/env bats
# pdb-serve killed with SIGKILL during a write load: every write whose
# answer was received is in the file, and the file is sound.

load helper


@test "kill -9 during writes: every acknowledged write is there, integrity_check ok" {
	pdb-table create users id --stream NEW_IMAGE
	for round in 1 2 3; do
		serve_start
		for c in 1 2 3 4; do
			python3 "$TOP/tests/serve/load.py" "$PORT" users 100000 \
			    "r$round.c$c." >"acked.$round.$c" &
		done
		# Kill while writes are answered, however slow the machine is
		# to start the clients.
		for ((i = 0; i < 500; i++)); do
			[ "$(cat acked.$round.* | wc -l)" -ge 50 ] && break
			sleep 0.02
		done
		sleep "0.$((RANDOM % 3))"
		kill -KILL "$SERVE_PID"
		SERVE_PID=
		wait
		[ "$(sqlite3 "$PDB_DB" 'PRAGMA integrity_check')" = ok ]
	done
	cat acked.* | sort -u >acked
	pdb-scan users | jq -r .id.S | sort -u >stored
	[ "$(wc -l <acked)" -gt 100 ]
	# Every write answered is stored; and each stored item has its record.
	[ -z "$(comm -23 acked stored)" ] || { comm -23 acked stored | head; false; }
	[ "$(pdb-stream-tail users | wc -l)" = "$(wc -l <stored)" ]
}
