#!/usr/bin/env bash
# A throw-away PostgreSQL (Debian's `postgresql` package, any version under /usr/lib/postgresql) on a local port, for
# the indexer on PostgreSQL (DATABASE_URL) in tests, benchmarks and by hand:
#   tools/pg-local.sh start [dir] [port]   initdb (trust auth, user strata) if needed, start; prints the DATABASE_URL
#   tools/pg-local.sh stop  [dir]          stop it (the directory stays; rm -rf it to forget the data)
#   tools/pg-local.sh url   [dir] [port]   print the DATABASE_URL only
# As root (CI) the cluster runs as the `postgres` user (PostgreSQL refuses to run as root); otherwise as you.
# Defaults: dir ${TMPDIR:-/tmp}/strata-pg, port 54329. Install: apt-get install -y postgresql (.ci/run does).
set -euo pipefail
cmd=${1:-start}
dir=${2:-${TMPDIR:-/tmp}/strata-pg}
port=${3:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg-local: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb). Fix: apt-get install -y postgresql" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
url="postgresql://strata@127.0.0.1:${port}/postgres"
case "$cmd" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; chmod 700 "$dir"; fi
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir" -A trust -U strata --no-sync -E UTF8 >"$dir.initdb.log" 2>&1 || { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
      || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    echo "$url"
    ;;
  stop)
    if [ -f "$dir/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; fi
    ;;
  url)
    echo "$url"
    ;;
  *)
    echo "usage: tools/pg-local.sh start|stop|url [dir] [port]" >&2
    exit 2
    ;;
esac
