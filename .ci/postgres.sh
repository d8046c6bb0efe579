#!/usr/bin/env bash
# A throwaway PostgreSQL server for team mode and its tests, from the distribution's
# packages (apt-get install postgresql): initdb in DIR, listening on 127.0.0.1 only,
# its socket in DIR too, password authentication with the password in DIR/pgpass (libpq
# reads it through PGPASSFILE: it is never in a URL).
#
#   .ci/postgres.sh start DIR [PORT]   prints the lines to eval: NEWSMARK_DB, PGPASSFILE
#   .ci/postgres.sh stop DIR
#
# Run as root (CI), the server runs as `nobody`: PostgreSQL refuses to run as root.
# PG_SERVER_OPTIONS adds server options (CI: "-c fsync=off", for a throwaway server only).
set -euo pipefail

action=${1:-} dir=${2:-}
if [ -z "$action" ] || [ -z "$dir" ]; then
  echo "usage: $0 start DIR [PORT] | stop DIR" >&2
  exit 2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "no PostgreSQL server found: apt-get install postgresql" >&2
  exit 1
fi
as_owner() {
  # From /: `nobody` may not enter the caller's folder (psql and pg_ctl chdir back to it).
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u nobody -- "$@"); else "$@"; fi
}

case "$action" in
start)
  port=${3:-54329}
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" -eq 0 ]; then chown nobody "$dir"; fi
  if [ ! -f "$dir/pgpass" ]; then
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    (umask 077 && printf '%s\n' "$password" >"$dir/pw" &&
      printf '127.0.0.1:%s:*:newsmark:%s\n' "$port" "$password" >"$dir/pgpass")
    if [ "$(id -u)" -eq 0 ]; then chown nobody "$dir/pw"; fi
    as_owner "$bin/initdb" -D "$dir/data" -U newsmark --pwfile="$dir/pw" \
      --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    rm -f "$dir/pw"
  fi
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -h 127.0.0.1 ${PG_SERVER_OPTIONS:-}" start >/dev/null
  fi
  PGPASSFILE="$dir/pgpass" "$bin/psql" -h 127.0.0.1 -p "$port" -U newsmark -d postgres \
    -qAt -c "SELECT 1 FROM pg_database WHERE datname = 'newsmark'" | grep -q 1 ||
    PGPASSFILE="$dir/pgpass" "$bin/createdb" -h 127.0.0.1 -p "$port" -U newsmark newsmark
  echo "export PGPASSFILE=$dir/pgpass"
  echo "export NEWSMARK_DB=postgresql+psycopg://newsmark@127.0.0.1:$port/newsmark"
  ;;
stop)
  if [ -d "$dir" ]; then dir=$(cd "$dir" && pwd); fi
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  fi
  ;;
*)
  echo "usage: $0 start DIR [PORT] | stop DIR" >&2
  exit 2
  ;;
esac
