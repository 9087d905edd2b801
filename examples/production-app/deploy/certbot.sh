#!/usr/bin/env bash
# Issues the TLS certificate for $DOMAIN once (run on the host, see RUNBOOK.md#tls).
# Renewal: Debian's certbot package installs a systemd timer (certbot.timer) that runs `certbot renew`
# twice a day; it reuses what this command stores in /etc/letsencrypt/renewal/$DOMAIN.conf:
#   - the webroot authenticator: nginx keeps serving, the challenge file is read from /var/www/certbot;
#   - the deploy hook: nginx reloads after each successful renewal and serves the new certificate.
set -euo pipefail

: "${DOMAIN:?set DOMAIN}"
: "${LETSENCRYPT_EMAIL:?set LETSENCRYPT_EMAIL}"

certbot certonly \
  --non-interactive --agree-tos \
  --email "$LETSENCRYPT_EMAIL" \
  --domain "$DOMAIN" \
  --authenticator webroot \
  --webroot-path /var/www/certbot \
  --deploy-hook "docker compose -f /opt/projects/docker-compose.production.yml exec -T nginx nginx -s reload"

# Proves the renewal path end to end without touching the live certificate.
certbot renew --dry-run --cert-name "$DOMAIN"
