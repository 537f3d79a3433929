#!/usr/bin/env bash
# A throw-away PostgreSQL streaming replica of a local primary, for tests/integration/test_read_replica.py.
#
#   scripts/pg_replica.sh start PORT DIR   # pg_basebackup -R of the primary into DIR, started on 127.0.0.1:PORT
#   scripts/pg_replica.sh stop  PORT DIR   # stop it (immediate) and delete DIR; harmless if it never started
#
# The primary: PRIMARY_HOST (127.0.0.1), PRIMARY_PORT (5432), PRIMARY_USER (postgres), trust authentication
# as in CI. The binaries are those of the primary's major version (/usr/lib/postgresql/<major>/bin).
# PostgreSQL refuses to run as root: as root, the cluster is made and run as the `postgres` OS user.
#
# Replication connections need a `replication` line in the primary's pg_hba.conf (`all` does not match
# them). When the primary has none for 127.0.0.1, `start` appends `host replication all 127.0.0.1/32 trust`
# to its hba_file and reloads the configuration (SELECT pg_reload_conf(): no restart, nobody disconnected).
# This grants nothing new where 127.0.0.1 is already trusted for every database, as in CI; the line stays.
set -euo pipefail

usage() { echo "usage: $0 start|stop PORT DIR" >&2; exit 2; }
[[ $# -eq 3 ]] || usage
action=$1 port=$2 dir=$3
PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
PRIMARY_USER=${PRIMARY_USER:-postgres}

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
primary() { psql -X -A -t -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" -d postgres -c "$1"; }

bindir() {
  local major
  major=$(( $(primary "SHOW server_version_num") / 10000 ))
  local dir="/usr/lib/postgresql/$major/bin"
  [[ -x $dir/pg_ctl ]] || { echo "pg_replica: no PostgreSQL $major binaries in $dir" >&2; exit 1; }
  echo "$dir"
}

allow_replication() {
  local rules
  rules=$(primary "SELECT count(*) FROM pg_hba_file_rules WHERE type = 'host' AND error IS NULL
                   AND 'replication' = ANY(database) AND auth_method = 'trust'
                   AND (address IN ('all', 'samehost', 'samenet') OR (address ~ '^[0-9.]+\$'
                        AND host('127.0.0.1'::inet & netmask::inet) = address))")
  if [[ $rules -eq 0 ]]; then
    local hba
    hba=$(primary "SHOW hba_file")
    echo "pg_replica: allowing replication from 127.0.0.1 in $hba (then pg_reload_conf())" >&2
    printf '\n# Added by CX portal scripts/pg_replica.sh: streaming replicas for the read-replica test.\n' >>"$hba"
    printf 'host replication all 127.0.0.1/32 trust\n' >>"$hba"
    primary "SELECT pg_reload_conf()" >/dev/null
  fi
}

start() {
  local bin
  bin=$(bindir)
  allow_replication
  mkdir -p "$dir"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
  chmod 700 "$dir"
  as_postgres "$bin/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" \
    -D "$dir/data" -R -X stream --checkpoint=fast --no-sync
  # Debian keeps the configuration outside the data directory: give the replica its own. A hot standby
  # needs these limits at least as high as the primary's.
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$dir'"
    echo "hot_standby = on"
    echo "fsync = off"
    for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
      max_locks_per_transaction; do
      echo "$setting = $(primary "SHOW $setting")"
    done
  } | as_postgres tee "$dir/data/postgresql.conf" >/dev/null
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_postgres tee "$dir/data/pg_hba.conf" >/dev/null
  as_postgres touch "$dir/data/pg_ident.conf"
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/replica.log" -w -t 60 start >/dev/null
  echo "pg_replica: streaming replica on 127.0.0.1:$port ($dir)" >&2
}

stop() {
  if [[ -f $dir/data/postmaster.pid ]]; then
    as_postgres "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  fi
  rm -rf "$dir"
}

case $action in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
