#!/usr/bin/env bash
# A first session with the auditdrain REST API, with curl and jq: who am I, an S3 log destination, a webhook
# integration and its signing secret, one event sent, the log read back, and the webhook's delivery log.
#
#   AUDITDRAIN_ENDPOINT   the service (default http://localhost:8080)
#   AUDITDRAIN_API_KEY    an admin key: the one `npm start` printed on first start
#   WEBHOOK_URL           where the webhook integration POSTs events (https, or any URL when the service runs
#                         with AUDITDRAIN_ALLOW_PRIVATE_NETWORK=true)
#   BUCKET, ROLE_ARN      the S3 bucket and the role auditdrain assumes to write it; leave BUCKET unset to skip S3
#   S3_ENDPOINT_URL       optional: an S3-compatible store instead of AWS (path-style addressing is then used)
set -euo pipefail

API=${AUDITDRAIN_ENDPOINT:-http://localhost:8080}
KEY=${AUDITDRAIN_API_KEY:?set AUDITDRAIN_API_KEY to the admin key that npm start printed}
: "${WEBHOOK_URL:?set WEBHOOK_URL to the URL the webhook integration should POST to}"

# One API call: the key as a bearer token, JSON in and out; an error answer (4xx, 5xx) stops the script, printed.
api() {
  local method=$1 path=$2
  shift 2
  curl --silent --show-error --fail-with-body -X "$method" "$API$path" \
    -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "$@"
}

echo '== Who am I: the tenant, and what an IAM trust policy needs (external id, the service principal)'
identity=$(api GET /v1/identity)
echo "$identity" | jq .
tenant_id=$(echo "$identity" | jq -r .tenant_id)

if [ -n "${BUCKET:-}" ]; then
  echo '== An S3 log destination: gzip-compressed JSON Lines, Hive-style keys under the tenant, written by the role'
  destination=$(jq -n --arg bucket "$BUCKET" --arg role "${ROLE_ARN:?set ROLE_ARN with BUCKET}" \
    --arg prefix "auditdrain/$tenant_id" --arg endpoint "${S3_ENDPOINT_URL:-}" '{
      name: "security archive",
      bucket_name: $bucket,
      role_arn: $role,
      key_prefix: $prefix,
      compression: "gzip",
      key_template: "year={{ .Year }}/month={{ .Month }}/day={{ .Day }}/{{ .Timestamp }}_{{ .ID }}",
      batch_duration_in_minutes: 5
    } + (if $endpoint == "" then {} else { endpoint_url: $endpoint, force_path_style: true } end)')
  # The service assumes the role and writes a test object under <prefix>/test/ before it saves the destination.
  api POST /v1/s3-log-destinations -d "$destination" | jq '{ id, bucket_name, key_prefix, external_id, health }'
fi

echo '== A webhook integration for grant events; each event is POSTed signed (Standard Webhooks)'
hook=$(api POST /v1/webhook-integrations -d "$(jq -n --arg url "$WEBHOOK_URL" '{
  name: "security alerts",
  url: $url,
  filter_for_actions: ["grant.*"]
}')")
hook_id=$(echo "$hook" | jq -r .id)
echo "$hook" | jq '{ id, url, filter_for_actions }'

echo '== Its signing secret (admins only): the receiver verifies webhook-signature with it'
api GET "/v1/webhook-integrations/$hook_id/signing-secret" | jq .

echo '== An event; sending the same id again adds nothing'
ingested=$(api POST /v1/events -d '{
  "id": "evt_getting_started_0001",
  "action": "grant.approved",
  "occurred_at": "2026-11-21T10:00:00Z",
  "actor": { "type": "user", "id": "usr_alice", "email": "alice@example.com" },
  "targets": [{ "type": "grant", "id": "gra_123" }],
  "message": "Alice approved access to prod-db"
}')
echo "$ingested" | jq .

echo '== The log, read back: grant events only'
api GET '/v1/events?action=grant.*&kind=audit&limit=10' | jq '[.data[] | { id, sequence, action: .event.action }]'

if [ "$(echo "$ingested" | jq .accepted)" = 0 ]; then
  echo '== No webhook delivery: the event was already in the log, so nothing new was handed to the integration'
  exit 0
fi
echo '== The webhook delivery of that event (pending until the receiver answers 2xx)'
for _ in $(seq 1 50); do
  deliveries=$(api GET "/v1/webhook-integrations/$hook_id/deliveries")
  [ "$(echo "$deliveries" | jq -r '.data[0].status // empty')" = succeeded ] && break
  sleep 0.2
done
echo "$deliveries" | jq '[.data[] | { id, event_id, status, attempts }]'
