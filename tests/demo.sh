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
# The application's side: DynamoDB's wire protocol on the same file.
log=$(mktemp)
say "pdb-serve -l 127.0.0.1:0 &        # DynamoDB's protocol, on the same file"
pdb-serve -l 127.0.0.1:0 2>"$log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
until grep -q listening "$log"; do sleep 0.05; done
endpoint=$(sed -n 's/^pdb-serve: listening on //p' "$log")
cat "$log"
say "aws dynamodb put-item --endpoint-url $endpoint --table-name users --item '{\"id\":{\"S\":\"u4\"},\"name\":{\"S\":\"Barbara\"}}'"
export AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1
aws dynamodb put-item --endpoint-url "$endpoint" --table-name users \
    --item '{"id":{"S":"u4"},"name":{"S":"Barbara"}}'
say "pdb-stream-tail users | tail -n 1 | jq -c '{eventName, Keys: .dynamodb.Keys, new: .dynamodb.NewImage.name.S}'"
pdb-stream-tail users | tail -n 1 | jq -c '{eventName, Keys: .dynamodb.Keys, new: .dynamodb.NewImage.name.S}'
say "aws dynamodb scan --endpoint-url $endpoint --table-name users --select COUNT"
aws dynamodb scan --endpoint-url "$endpoint" --table-name users --select COUNT
kill $server
wait $server
printf '\nThe database is %s; try the commands above yourself.\n' "$db"
