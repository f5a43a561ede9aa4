#!/bin/sh
# tests/deps.sh - install what the tests need, when it is missing.
#   tests/deps/*.debian  Debian packages, one per line (# comments)
#   tests/deps/*.npm     npm packages, installed into build/npm
# 'deps.sh build' installs only what building needs (tests/deps/build.debian).
# Packages listed after a line "# recommended" are wanted but not needed:
# when they cannot be installed, deps.sh says so and goes on.
# Uses apt-get when running as root (or with sudo).  Nothing is installed
# when everything is present.
top=$(cd "$(dirname "$0")/.." && pwd)
lists="$top/tests/deps/*.debian"
[ "$1" = build ] && lists="$top/tests/deps/build.debian"
missing=""; optional=""
for f in $lists; do
	[ -f "$f" ] || continue
	for p in $(sed -e '/^# *recommended/,$d' -e 's/#.*//' "$f"); do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	for p in $(sed -n '/^# *recommended/,$p' "$f" | sed 's/#.*//'); do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			optional="$optional $p"
	done
done
if [ -n "$missing$optional" ]; then
	if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
	lock=""; command -v flock >/dev/null && lock="flock /tmp/cvbib-apt.lock"
	$lock $sudo apt-get update -qq >/dev/null 2>&1
fi
if [ -n "$missing" ]; then
	echo "tests/deps.sh: installing Debian packages:$missing"
	DEBIAN_FRONTEND=noninteractive $lock $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		{ echo "tests/deps.sh: apt-get install failed" >&2; exit 1; }
fi
if [ -n "$optional" ]; then
	echo "tests/deps.sh: installing recommended Debian packages:$optional"
	DEBIAN_FRONTEND=noninteractive $lock $sudo apt-get install -y -qq --no-install-recommends $optional >/dev/null ||
		echo "tests/deps.sh: could not install$optional; cvbib works without them" >&2
fi
[ "$1" = build ] && exit 0
npm_missing=""
for f in "$top"/tests/deps/*.npm; do
	[ -f "$f" ] || continue
	for p in $(sed 's/#.*//' "$f"); do
		name=${p%@*}; [ -n "$name" ] || name=$p
		[ -d "$top/build/npm/node_modules/$name" ] || npm_missing="$npm_missing $p"
	done
done
if [ -n "$npm_missing" ] && ! command -v npm >/dev/null; then
	# a fresh Debian has no Node.js: take Debian's
	echo "tests/deps.sh: installing Debian packages: nodejs npm"
	if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
	lock=""; command -v flock >/dev/null && lock="flock /tmp/cvbib-apt.lock"
	$lock $sudo apt-get update -qq >/dev/null 2>&1
	DEBIAN_FRONTEND=noninteractive $lock $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null ||
		{ echo "tests/deps.sh: apt-get install nodejs npm failed" >&2; exit 1; }
fi
if [ -n "$npm_missing" ]; then
	echo "tests/deps.sh: installing npm packages:$npm_missing"
	mkdir -p "$top/build/npm"
	(cd "$top/build/npm" && [ -f package.json ] || echo '{"private":true}' >package.json) 
	(cd "$top/build/npm" && npm install --no-audit --no-fund --silent $npm_missing >/dev/null) ||
		{ echo "tests/deps.sh: npm install failed" >&2; exit 1; }
fi
exit 0
