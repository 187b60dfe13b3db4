#!/usr/bin/env bats
# pdb-serve under hostile traffic: malformed requests, truncated and
# oversized bodies, thousands of idle connections, a client that sends a
# byte a second.  Other clients keep being answered, memory stays bounded.

load helper


hostile() { python3 "$TOP/tests/serve/hostile.py" "$PORT" "$@"; }

@test "malformed request lines and headers: 400 (or 431) and closed; others answered" {
	serve_start
	run -0 hostile malformed
	[ "$(jq -c '.["bad-header"]' <<<"$output")" = '["400",true]' ]
	[ "$(jq -c '.["bad-version"]' <<<"$output")" = '["400",true]' ]
	[ "$(jq -c '.["huge-header"]' <<<"$output")" = '["431",true]' ]
	[ "$(jq -r '.["bad-length"][0]' <<<"$output")" = 400 ]
	[ "$(jq -r .answered <<<"$output")" = true ]
}

@test "truncated bodies and a chunked body past 16 MB: closed, nothing written, others answered" {
	pdb-table create users id
	serve_start
	run -0 hostile truncated
	[ "$(jq -r .answered <<<"$output")" = true ]
	run -0 hostile chunked-over
	[ "$(jq -c '[.closed, .answered]' <<<"$output")" = '[true,true]' ]
	# Closed soon after 16 MB, not read to the end of 26 MB.
	[ "$(jq -r .sent_mb <<<"$output")" -lt 26 ]
	[ -z "$(pdb-scan users)" ]
}

@test "3000 idle keep-alive connections: others answered, memory bounded" {
	serve_start
	run -0 hostile idle "$SERVE_PID"
	[ "$(jq -r .answered <<<"$output")" = true ]
	kib=$(jq -r .rss_kib <<<"$output")
	[ "$kib" -lt 65536 ] || { echo "resident $kib KiB"; false; }
}

@test "a header byte a second: others answered meanwhile; closed at the idle timeout" {
	serve_start --idle-timeout 3
	run -0 hostile drip 12
	[ "$(jq -r .others_answered <<<"$output")" = true ]
	[ "$(jq -r .closed <<<"$output")" = true ]
	[ "$(jq -r .closed_after <<<"$output")" -le 6 ]
}
