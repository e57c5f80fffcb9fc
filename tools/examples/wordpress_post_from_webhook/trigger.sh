#!/usr/bin/env bash
# Sends one signed webhook to the "WordPress post from a webhook" scenario and prints the answer.
#   trigger.sh WEBHOOK_URL SECRET TITLE [CONTENT]
# WEBHOOK_URL is the scenario's webhook address (http://HOST:PORT/webhooks/<id>, from the
# publish response's webhooks[].url appended to scenariod's address); SECRET is that endpoint's
# signing secret. The signature is HMAC-SHA256(secret, "<X-Timestamp>.<raw body>") in hex,
# sent as "X-Signature: sha256=<hex>"; scenariod refuses a timestamp more than 5 minutes off.
# Needs curl, openssl and (for JSON escaping) python3.
set -euo pipefail

if [ $# -lt 3 ] || [ $# -gt 4 ]; then
  echo "usage: $0 WEBHOOK_URL SECRET TITLE [CONTENT]" >&2
  exit 2
fi
url=$1
secret=$2
title=$3
content=${4:-"<p>Sent by trigger.sh at $(date -u +%Y-%m-%dT%H:%M:%SZ).</p>"}

# The body is signed byte for byte as sent: build it once and send exactly that.
body=$(python3 -c 'import json, sys; print(json.dumps({"title": sys.argv[1], "content": sys.argv[2]}), end="")' \
  "$title" "$content")
timestamp=$(date +%s)
signature=$(printf '%s.%s' "$timestamp" "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)

# A sync endpoint answers with the respond node's output once the run ends:
# 200 {"post_id": ..., "link": ..., "status": "publish"} or 422 {"error": "a title is required"}.
# 202 {"run_id", "status_url"} means the run outlived the endpoint's response timeout.
curl --silent --show-error --max-time 90 \
  -H 'Content-Type: application/json' \
  -H "X-Timestamp: $timestamp" \
  -H "X-Signature: sha256=$signature" \
  --data-binary "$body" \
  --write-out '\nHTTP %{http_code}\n' \
  "$url"
