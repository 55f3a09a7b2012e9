#!/bin/sh
# tests/pg_cluster.sh - a throwaway PostgreSQL server for the store tests
#
# SYNOPSIS	tests/pg_cluster.sh start DIR	prints a conninfo on stdout
#		tests/pg_cluster.sh stop DIR	stops the server, removes DIR
#		. tests/pg_cluster.sh; pg_cluster_start DIR; pg_cluster_stop DIR
# DESCRIPTION	Creates a cluster in DIR (made if missing) with the newest
#		/usr/lib/postgresql/*/bin/initdb, listening on 127.0.0.1 only,
#		on a random free port, trust authentication, fsync off, and
#		a Unix socket inside DIR.  PostgreSQL refuses to run as
#		root, so as root the server runs as user postgres (or nobody).
#		Typical use:
#		  dir=$(mktemp -d)
#		  BOUNCE_TEST_PG=$(tests/pg_cluster.sh start "$dir") || exit 1
#		  export BOUNCE_TEST_PG
#		  make check; tests/pg_cluster.sh stop "$dir"
# EXIT		0 started/stopped; 1 no PostgreSQL server installed or it
#		did not start (the log goes to stderr).

pg_cluster_bindir () {
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

# Run a command as the cluster owner.
pg_cluster_as () {
	if [ "$(id -u)" -ne 0 ]; then
		"$@"
	elif command -v runuser >/dev/null 2>&1; then
		runuser -u "$PG_CLUSTER_USER" -- "$@"
	else
		su -s /bin/sh "$PG_CLUSTER_USER" -c "$(printf "'%s' " "$@")"
	fi
}

pg_cluster_port_free () {
	# Nothing answers on 127.0.0.1:$1.
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pg_cluster_start () {
	dir=${1:?pg_cluster_start: DIR missing}
	bindir=$(pg_cluster_bindir) || {
		echo "pg_cluster: no PostgreSQL server (apt-get install postgresql)" >&2
		return 1
	}
	PG_CLUSTER_USER=$(id -un)
	if [ "$(id -u)" -eq 0 ]; then
		if id postgres >/dev/null 2>&1; then PG_CLUSTER_USER=postgres; else PG_CLUSTER_USER=nobody; fi
	fi
	mkdir -p "$dir" || return 1
	chmod 0711 "$dir"
	mkdir -p "$dir/data" "$dir/run" || return 1
	if [ "$(id -u)" -eq 0 ]; then
		chown "$PG_CLUSTER_USER" "$dir/data" "$dir/run" || return 1
	fi
	chmod 0700 "$dir/data"
	touch "$dir/postgres.log" && chmod 0666 "$dir/postgres.log"

	if ! pg_cluster_as "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
			--locale=C --no-sync >"$dir/initdb.log" 2>&1; then
		cat "$dir/initdb.log" >&2
		return 1
	fi
	tries=0
	while [ $tries -lt 10 ]; do
		tries=$((tries + 1))
		port=$(( ($(od -An -N2 -tu2 /dev/urandom) % 30000) + 20000 ))
		pg_cluster_port_free "$port" 2>/dev/null || continue
		if pg_cluster_as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -p $port -k $dir/run -c fsync=off -c max_connections=300" \
			start >/dev/null 2>&1; then
			echo "$port" >"$dir/port"
			echo "host=127.0.0.1 port=$port user=postgres dbname=postgres"
			return 0
		fi
	done
	cat "$dir/postgres.log" >&2
	return 1
}

pg_cluster_stop () {
	dir=${1:?pg_cluster_stop: DIR missing}
	[ -d "$dir/data" ] || return 0
	bindir=$(pg_cluster_bindir) || return 1
	PG_CLUSTER_USER=$(stat -c %U "$dir/data")
	pg_cluster_as "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
	rm -rf "$dir"
}

# Run as a command (not sourced): start or stop.
case "${0##*/}" in
pg_cluster.sh)
	case "$1" in
	start) pg_cluster_start "$2" ;;
	stop) pg_cluster_stop "$2" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 64 ;;
	esac
	;;
esac
