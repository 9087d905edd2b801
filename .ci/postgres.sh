#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on a free 127.0.0.1 port for the rehearsal's server path
# (src/migrations/rehearse/server.test.ts), so that path is proven in CI, not assumed.
#
#   eval "$(.ci/postgres.sh start)"   # prints `export SHIPREADY_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres`
#   npx vitest run src/migrations/rehearse/server.test.ts
#   .ci/postgres.sh stop
#
# Installs Debian's postgresql with apt-get when no server binaries are found. Debian's server refuses
# to run as root, so when run as root the cluster is created and run as the `postgres` user. The
# cluster trusts loopback connections only (except the role doctor_password, which must give its password)
# and lives in a temporary directory removed by `stop`.
# On GitHub Actions the URL is also appended to $GITHUB_ENV so later steps see it.
set -euo pipefail

DIR="${SHIPREADY_POSTGRES_DIR:-${TMPDIR:-/tmp}/shipready-postgres}"

log() { echo "postgres.sh: $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Runs a server binary as the cluster owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bin_dir() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$found" ] && [ -x "$found/initdb" ]; then echo "$found"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; fi
}

free_port() {
  node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  if [ -z "$(bin_dir)" ]; then
    log "installing postgresql (apt-get)"
    as_root apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends postgresql >&2
  fi
  local bin port url
  bin="$(bin_dir)"
  [ -n "$bin" ] || { log "PostgreSQL is not installed and could not be installed"; exit 2; }
  stop_quiet
  rm -rf "$DIR"
  mkdir -p "$DIR"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || as_root useradd --system --home-dir "$DIR" postgres
    chown postgres "$DIR"
  fi
  as_owner "$bin/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --no-instructions >/dev/null
  # One role must give a password, so doctor's tests can see a wrong one rejected (28P01); the first matching line wins.
  as_owner sh -c "{ echo 'host all doctor_password 127.0.0.1/32 scram-sha-256'; cat '$DIR/data/pg_hba.conf'; } > '$DIR/data/pg_hba.new' && mv '$DIR/data/pg_hba.new' '$DIR/data/pg_hba.conf'"
  port="$(free_port)"
  as_owner "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$DIR -c fsync=off -c full_page_writes=off" start >/dev/null
  echo "$bin" > "$DIR/bin"
  url="postgres://postgres@127.0.0.1:$port/postgres"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port (data in $DIR/data)"
  if [ -n "${GITHUB_ENV:-}" ]; then echo "SHIPREADY_TEST_DATABASE_URL=$url" >> "$GITHUB_ENV"; fi
  echo "export SHIPREADY_TEST_DATABASE_URL=$url"
}

stop_quiet() {
  if [ -f "$DIR/bin" ] && [ -d "$DIR/data" ]; then
    as_owner "$(cat "$DIR/bin")/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

stop() {
  stop_quiet
  rm -rf "$DIR"
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
