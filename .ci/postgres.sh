#!/usr/bin/env bash
# Starts and stops a throwaway PostgreSQL cluster for the integration tests: its own data directory,
# 127.0.0.1 only, trust authentication, fsync off. Settings come from the environment .ci/run exports:
#
#   AGENTFLOW_IT_PG_DIR    the cluster's directory (created; data in <dir>/data, log in <dir>/log)
#   AGENTFLOW_IT_PG_PORT   its port
#
# The cluster has a superuser and a database both named agentflow. PostgreSQL refuses to run as
# root, so as root the server runs as the postgres user the Debian package creates.
#
# Usage: postgres.sh start|stop
set -euo pipefail

dir="${AGENTFLOW_IT_PG_DIR:?AGENTFLOW_IT_PG_DIR is not set}"
port="${AGENTFLOW_IT_PG_PORT:?AGENTFLOW_IT_PG_PORT is not set}"
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [[ -z "$pgbin" || ! -x "$pgbin/pg_ctl" ]]; then
  echo "no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)" >&2
  exit 1
fi

as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  mkdir -p "$dir"
  if [[ "$(id -u)" == 0 ]]; then
    chown postgres: "$dir"
  fi
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    as_owner "$pgbin/initdb" --no-sync -D "$dir/data" -U agentflow -A trust -E UTF8 >"$dir/initdb.log"
  fi
  as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" >/dev/null
  if ! as_owner "$pgbin/psql" -h 127.0.0.1 -p "$port" -U agentflow -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'agentflow'" | grep -q 1; then
    as_owner "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U agentflow agentflow
  fi
  echo "postgresql serving on 127.0.0.1:$port (data $dir/data)"
}

stop() {
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    echo "postgresql stopped"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
