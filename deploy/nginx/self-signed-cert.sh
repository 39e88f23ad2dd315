#!/bin/sh
# Run by the nginx image's entrypoint (mounted into /docker-entrypoint.d/) before nginx starts:
# makes a self-signed certificate when none is there, so that the compose set-up serves HTTPS out
# of the box. For a public site put a real certificate and key at $CERT_DIR/tls.crt and tls.key
# (or mount them there); this script then leaves them alone.
set -eu

CERT_DIR="${CERT_DIR:-/etc/nginx/certs}"
CERT_NAME="${CERT_NAME:-localhost}"

if [ -s "$CERT_DIR/tls.crt" ] && [ -s "$CERT_DIR/tls.key" ]; then
  echo "self-signed-cert: using the certificate in $CERT_DIR"
  exit 0
fi

if ! command -v openssl >/dev/null 2>&1; then
  if command -v apk >/dev/null 2>&1; then
    apk add --no-cache openssl >/dev/null
  else
    echo "self-signed-cert: openssl is needed to make a certificate" >&2
    exit 1
  fi
fi

mkdir -p "$CERT_DIR"
openssl req -x509 -newkey rsa:2048 -nodes -days 825 \
  -subj "/CN=$CERT_NAME" \
  -addext "subjectAltName=DNS:$CERT_NAME,DNS:localhost,IP:127.0.0.1" \
  -keyout "$CERT_DIR/tls.key" -out "$CERT_DIR/tls.crt" 2>/dev/null
chmod 600 "$CERT_DIR/tls.key"
echo "self-signed-cert: made a self-signed certificate for $CERT_NAME in $CERT_DIR"
