#!/usr/bin/env bash
# Post-deploy smoke test: "it starts" is not "it works". Checks, against the public URL, the chain a user
# depends on: TLS + nginx + app (/healthz), database (/readyz), the web client shell, and the login path
# (API, session middleware, database) with credentials that must be rejected.
# Usage: deploy/smoke.sh https://projects.example.org
set -euo pipefail

base="${1:?usage: smoke.sh <base-url>}"
curl_opts=(--fail --silent --show-error --max-time 10 --retry 5 --retry-delay 3 --retry-all-errors)

curl "${curl_opts[@]}" "$base/healthz" > /dev/null
curl "${curl_opts[@]}" "$base/readyz" > /dev/null
curl "${curl_opts[@]}" "$base/" | grep -q '<div id="root">'

status="$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 10 \
  -H 'content-type: application/json' -H "origin: $base" \
  --data '{"email":"smoke-check@projects.invalid","password":"not-the-password"}' \
  "$base/api/auth/login")"
if [ "$status" != "401" ]; then
  echo "login endpoint answered $status, expected 401" >&2
  exit 1
fi
echo "smoke test passed for $base"
