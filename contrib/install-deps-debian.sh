#!/bin/sh
# Install what bouncefilter needs to build and test on Debian 12 / Ubuntu 22.04+.
# Usage: contrib/install-deps-debian.sh [--with-test-servers]
#   --with-test-servers  also PostgreSQL and Postfix, for the store and MTA tests
# Run as root, or as a user with sudo (the script asks for it only when a
# package is missing).
set -e
packages="build-essential autoconf automake libtool pkg-config
	libgmime-3.0-dev libglib2.0-dev libjson-glib-dev libsqlite3-dev libpq-dev
	check sqlite3 python3 bc"
# faster allocation when the archive has it (Ubuntu: universe); built without otherwise
optional="libmimalloc-dev"
if [ "${1:-}" = --with-test-servers ]; then
	packages="$packages postgresql postfix valgrind clang"
fi
installed () { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
missing= missing_optional=
for p in $packages; do installed "$p" || missing="$missing $p"; done
for p in $optional; do installed "$p" || missing_optional="$missing_optional $p"; done
[ -z "$missing$missing_optional" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	command -v sudo > /dev/null || { echo "install-deps: run as root (missing:$missing$missing_optional)" >&2; exit 1; }
	exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
[ -z "$missing" ] || apt-get install -y -qq --no-install-recommends $missing
for p in $missing_optional; do
	apt-get install -y -qq --no-install-recommends "$p" ||
		echo "install-deps: $p is not available here; building without it" >&2
done
