#!/bin/sh
# make demo: a real run of the main job on the default database (./pdb.db):
# a table with a stream, fixtures loaded, the items and the captured changes.
set -e
PATH="$(pwd)/bin:$PATH"
db=${PDB_DB:-./pdb.db}
say() { printf '\n$ %s\n' "$*"; }

if pdb-table describe users >/dev/null 2>&1; then
	say pdb-table delete users
	pdb-table delete users
fi
say pdb-table create users id --stream NEW_AND_OLD_IMAGES
pdb-table create users id --stream NEW_AND_OLD_IMAGES

say "pdb-put users <<EOF (three fixtures)"
pdb-put users <<'JSON'
{"id":{"S":"u1"},"name":{"S":"Ada"},"age":{"N":"36"},"tags":{"SS":["admin","dev"]}}
{"id":{"S":"u2"},"name":{"S":"Grace"},"age":{"N":"45"}}
{"id":{"S":"u3"},"name":{"S":"Linus"},"age":{"N":"0021.50"}}
JSON

say "pdb-put --plain users <<< '{\"id\":\"u2\",\"name\":\"Grace Hopper\",\"age\":45}'"
echo '{"id":"u2","name":"Grace Hopper","age":45}' | pdb-put --plain users

say "echo '{\"id\":{\"S\":\"u1\"}}' | pdb-update users -u 'ADD age :one' -V '{\":one\":{\"N\":\"1\"}}'"
echo '{"id":{"S":"u1"}}' | pdb-update users -u 'ADD age :one' -V '{":one":{"N":"1"}}'

say "echo '{\"id\":{\"S\":\"u3\"}}' | pdb-delete users"
echo '{"id":{"S":"u3"}}' | pdb-delete users

say pdb-scan users
pdb-scan users

say pdb-scan --plain users
pdb-scan --plain users

say "pdb-table describe users | jq '{TableName, ItemCount, LatestStreamArn}'"
pdb-table describe users | jq -c '{TableName, ItemCount, LatestStreamArn}'

say "pdb-stream-tail users | jq -c '{eventName, Keys: .dynamodb.Keys, old: .dynamodb.OldImage.age.N, new: .dynamodb.NewImage.age.N}'"
pdb-stream-tail users | jq -c '{eventName, Keys: .dynamodb.Keys, old: .dynamodb.OldImage.age.N, new: .dynamodb.NewImage.age.N}'
printf '\nThe database is %s; try the commands above yourself.\n' "$db"
