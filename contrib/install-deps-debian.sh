#!/bin/sh
# Install what bouncefilter needs to build and test on Debian 12 / Ubuntu 22.04+.
# Usage: contrib/install-deps-debian.sh [--with-test-servers]
#   --with-test-servers  also PostgreSQL and Postfix, for the store and MTA tests
# Run as root, or as a user with sudo (the script asks for it only when a
# package is missing).
set -e
packages="build-essential autoconf automake libtool pkg-config
	libgmime-3.0-dev libglib2.0-dev libjson-glib-dev libsqlite3-dev libpq-dev libmimalloc-dev
	check sqlite3 python3 bc"
if [ "${1:-}" = --with-test-servers ]; then
	packages="$packages postgresql postfix valgrind clang"
fi
missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	command -v sudo > /dev/null || { echo "install-deps: run as root (missing:$missing)" >&2; exit 1; }
	exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
