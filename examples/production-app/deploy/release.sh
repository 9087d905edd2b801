#!/usr/bin/env bash
# Runs ON the production host, from /opt/projects (a checkout of this repository).
#   deploy/release.sh deploy <image-tag>   pull the image, migrate, replace the app, wait until healthy
#   deploy/release.sh rollback             put the previously deployed image back (see RUNBOOK.md#rollback)
# The GitHub deploy workflow calls it over ssh, then verifies from outside (/healthz, /readyz, smoke test)
# and calls `rollback` if verification fails.
set -euo pipefail

cd /opt/projects
compose() { docker compose -f docker-compose.production.yml "$@"; }

current_tag() { cat .deployed-tag 2>/dev/null || true; }

deploy() {
  local tag="$1"
  local previous
  previous="$(current_tag)"
  git fetch --quiet origin
  git checkout --quiet --detach "$tag"
  export IMAGE_TAG="$tag"
  compose pull app
  # Migrations run before the new code and must be backwards compatible with the running code
  # (expand/contract, docs/adr/0001): the old version keeps serving while they apply.
  compose run --rm migrate
  # --wait returns only when the new container's healthcheck (/readyz) passes, and fails otherwise.
  compose up -d --no-deps --wait --wait-timeout 120 app
  compose up -d --wait --wait-timeout 60 nginx
  [ -n "$previous" ] && echo "$previous" > .previous-tag
  echo "$tag" > .deployed-tag
  echo "deployed $tag (previous: ${previous:-none})"
}

rollback() {
  local previous
  previous="$(cat .previous-tag 2>/dev/null || true)"
  if [ -z "$previous" ]; then
    echo "no previous release recorded in .previous-tag" >&2
    exit 1
  fi
  git checkout --quiet --detach "$previous"
  export IMAGE_TAG="$previous"
  compose up -d --no-deps --wait --wait-timeout 120 app
  echo "$previous" > .deployed-tag
  echo "rolled back to $previous"
}

case "${1:-}" in
  deploy) deploy "${2:?usage: release.sh deploy <image-tag>}" ;;
  rollback) rollback ;;
  *) echo "usage: release.sh deploy <image-tag> | rollback" >&2; exit 2 ;;
esac
