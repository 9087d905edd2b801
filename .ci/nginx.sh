#!/usr/bin/env bash
# Serves a small SPA with a catch-all (try_files $uri /index.html) from a real nginx on a free
# 127.0.0.1 port, for the probe's soft-404 and header tests (src/probe/nginx.test.ts).
#
#   eval "$(.ci/nginx.sh start)"   # prints `export SHIPREADY_TEST_NGINX_URL=http://127.0.0.1:PORT/`
#   npx vitest run src/probe/nginx.test.ts
#   .ci/nginx.sh stop
#
# Installs Debian's nginx with apt-get when it is missing. On GitHub Actions the URL is also appended
# to $GITHUB_ENV so later steps see it.
set -euo pipefail

DIR="${SHIPREADY_NGINX_DIR:-${TMPDIR:-/tmp}/shipready-nginx}"

log() { echo "nginx.sh: $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

nginx_bin() {
  command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true
}

free_port() {
  node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  if [ -z "$(nginx_bin)" ]; then
    log "installing nginx (apt-get)"
    as_root apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends nginx >&2
  fi
  local bin port
  bin="$(nginx_bin)"
  [ -n "$bin" ] || { log "nginx is not installed and could not be installed"; exit 2; }
  stop_quiet
  rm -rf "$DIR"
  mkdir -p "$DIR/html/assets" "$DIR/logs" "$DIR/tmp"
  cat > "$DIR/html/index.html" <<'HTML'
<!doctype html>
<html><head><title>SPA</title><script type="module" src="/assets/index-4f2a9c1b.js"></script></head>
<body><div id="root"></div></body></html>
HTML
  printf 'const api = "/api";\nfetch(api + "/me").then((r) => r.json());\n' > "$DIR/html/assets/index-4f2a9c1b.js"
  port="$(free_port)"
  cat > "$DIR/nginx.conf" <<CONF
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/logs/error.log;
events { worker_connections 64; }
http {
  types { text/html html; application/javascript js; text/css css; application/json json; }
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path $DIR/tmp/body;
  proxy_temp_path $DIR/tmp/proxy;
  fastcgi_temp_path $DIR/tmp/fastcgi;
  uwsgi_temp_path $DIR/tmp/uwsgi;
  scgi_temp_path $DIR/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $DIR/html;
    add_header X-Content-Type-Options nosniff always;
    add_header Referrer-Policy strict-origin-when-cross-origin always;
    location /assets/ { add_header Cache-Control "public, max-age=31536000, immutable"; }
    location / { try_files \$uri /index.html; }
  }
}
CONF
  # Runs as the current user; "user" in the config would need root and is not needed on a high port.
  "$bin" -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/logs/error.log" 2>/dev/null || "$bin" -p "$DIR" -c "$DIR/nginx.conf"
  local url="http://127.0.0.1:$port/"
  for _ in $(seq 1 50); do
    if node -e "fetch(process.argv[1]).then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))" "$url"; then break; fi
    sleep 0.1
  done
  echo "$url" > "$DIR/url"
  if [ -n "${GITHUB_ENV:-}" ]; then echo "SHIPREADY_TEST_NGINX_URL=$url" >> "$GITHUB_ENV"; fi
  log "serving $DIR/html at $url"
  echo "export SHIPREADY_TEST_NGINX_URL=$url"
}

stop_quiet() {
  if [ -f "$DIR/nginx.pid" ]; then
    kill "$(cat "$DIR/nginx.pid")" 2>/dev/null || true
    rm -f "$DIR/nginx.pid"
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
