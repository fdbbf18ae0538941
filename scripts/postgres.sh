#!/usr/bin/env bash
# A PostgreSQL cluster private to this checkout, under var/, reused between runs.
# PostgreSQL refuses to run as root, so as root the server runs as the Debian
# `postgres` user. It listens on 127.0.0.1 only and on a socket in var/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PGDATA="$ROOT/var/pgdata"
PGRUN="$ROOT/var/pgrun"
# As root the server runs as `postgres`, which must be able to traverse every directory above var/.
# A checkout under a mode-700 home (root's /root, say) is not: the cluster then lives in a directory
# of its own under /var/tmp, named after the checkout, and var/pgdata is a link to it.
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$(dirname "$ROOT")" 2>/dev/null; then
  OUTSIDE="/var/tmp/iprof-pg-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
  PGDATA="$OUTSIDE/pgdata"
  PGRUN="$OUTSIDE/pgrun"
fi
PGPORT="${IPROF_PGPORT:-54329}"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
[ -x "$PGBIN/pg_ctl" ] || { echo "PostgreSQL server binaries not found (set PGBIN)" >&2; exit 1; }

as_owner() {
  # from /, so that the server user never needs to enter the checkout
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

start() {
  mkdir -p "$ROOT/var"
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" "$PGRUN"
    chown postgres: "$PGDATA" "$PGRUN"
    if [ "${OUTSIDE:-}" ]; then
      chmod 711 "$OUTSIDE"
    else
      # the server user must be able to reach var/ through the checkout's path
      chmod o+x "$ROOT" "$ROOT/var"
    fi
  else
    mkdir -p "$PGDATA" "$PGRUN"
  fi
  chmod 700 "$PGDATA"
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    as_owner "$PGBIN/initdb" -D "$PGDATA" -U iprof --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_owner "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    return 0
  fi
  as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGRUN/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGRUN -c max_connections=200 -c fsync=${IPROF_PG_FSYNC:-on}" start >/dev/null
  for db in iprof; do
    as_owner "$PGBIN/psql" -h "$PGRUN" -p "$PGPORT" -U iprof -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 \
      || as_owner "$PGBIN/createdb" -h "$PGRUN" -p "$PGPORT" -U iprof "$db"
  done
}

stop() {
  if [ -f "$PGDATA/PG_VERSION" ] && as_owner "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  fi
}

case "${1:-}" in
  start) start; echo "postgres://iprof@127.0.0.1:$PGPORT/iprof" ;;
  stop) stop ;;
  restart) stop; start ;;
  url) echo "postgres://iprof@127.0.0.1:$PGPORT/iprof" ;;
  datadir) echo "$PGDATA" ;;
  *) echo "usage: $0 start|stop|restart|url" >&2; exit 2 ;;
esac
