#!/usr/bin/env bats
# Bash completion knows each program's options, commands, views and tables.

load helper

# complete WORDS...: the completions for the last word of the line.
complete_line() {
	source "$TOP/completions/bash/pdb"
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_pdb
	printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd' '
}

@test "bash completion: commands, views, tables and options" {
	pdb-table create users id
	pdb-table -d other.db create zebra id
	[ "$(complete_line pdb-table '')" = "create delete describe index list stream ttl" ]
	[ "$(complete_line pdb-table create t id --stream NEW)" = "NEW_AND_OLD_IMAGES NEW_IMAGE" ]
	[ "$(complete_line pdb-table stream users '')" = "KEYS_ONLY NEW_AND_OLD_IMAGES NEW_IMAGE OLD_IMAGE off" ]
	[ "$(complete_line pdb-table describe u)" = "users" ]
	[ "$(complete_line pdb-scan -d other.db '')" = "zebra" ]
	[ "$(complete_line pdb-put '')" = "users" ]
	[[ " $(complete_line pdb-update --u) " == *" --update-expression "* ]]
	[[ " $(complete_line pdb-put --) " != *" --update-expression "* ]]
	[[ " $(complete_line pdb-query -) " == *" -k "* ]]
	[ "$(complete_line pdb-stream-iter -t A)" = "AFTER_SEQUENCE_NUMBER AT_SEQUENCE_NUMBER" ]
	[ "$(complete_line pdb-stream-tail --events RE)" = "REMOVE" ]
	[ "$(complete_line pdb-update -R UPDATED)" = "UPDATED_NEW UPDATED_OLD" ]
	[ "$(complete_line pdb-query --select ALL)" = "ALL_ATTRIBUTES ALL_PROJECTED_ATTRIBUTES" ]
	[ "$(complete_line pdb-scan -S C)" = "COUNT" ]
	[ "$(complete_line pdb-stream-run -s L)" = "LATEST" ]
	[ "$(complete_line pdb-stream-run -b 10 u)" = "users" ]
	[[ " $(complete_line pdb-stream-run --r) " == *" --report-batch-item-failures "* ]]
	[[ " $(complete_line pdb-stream-run users -- pdb-stream-ru) " == *" pdb-stream-run "* ]]
	for p in "$TOP"/bin/pdb-*; do
		grep -q "$(basename "$p")" "$TOP/completions/bash/pdb"
		grep -q "$(basename "$p")" "$TOP/completions/zsh/_pdb"
	done
}

@test "zsh completion parses" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	run zsh -n "$TOP/completions/zsh/_pdb"
	assert_success
}

@test "bash completion: pdb-serve's options and their values" {
	[ "$(complete_line pdb-serve --auth '')" = "none strict" ]
	[[ " $(complete_line pdb-serve --) " == *" --listen "* ]]
	[ -z "$(complete_line pdb-serve '')" ]
}

@test "bash completion: pdb-dump's tables, pdb-load's and pdb-batch-write's options and files" {
	pdb-table create users id
	pdb-table create orders id
	[ "$(complete_line pdb-dump '')" = "orders users" ]
	[ "$(complete_line pdb-dump users o)" = "orders" ]
	[[ " $(complete_line pdb-load --) " == *" --replace "* ]]
	[[ " $(complete_line pdb-load --) " == *" --no-records "* ]]
	[[ " $(complete_line pdb-table --if) " == " --if-exists --if-not-exists " ]]
	touch fixtures.jsonl
	[ "$(complete_line pdb-load fix)" = "fixtures.jsonl" ]
	# pdb-batch-write: request files, as many as wanted.
	touch batch.json
	[ "$(complete_line pdb-batch-write fixtures.jsonl b)" = "batch.json" ]
	[[ " $(complete_line pdb-batch-write --) " == *" --batch-size "* ]]
}

@test "both completions offer every option a program's --help lists" {
	for p in "$TOP"/bin/pdb-*; do
		n=$(basename "$p")
		offered=" $(complete_line "$n" --) "
		for o in $("$p" --help | sed -n 's/^ *\(-[A-Za-z0-9], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p'); do
			[[ $offered == *" $o "* ]] || { echo "bash: $n $o"; return 1; }
			grep -q -- "$o\b" "$TOP/completions/zsh/_pdb" || { echo "zsh: $n $o"; return 1; }
		done
	done
}
