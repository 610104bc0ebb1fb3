#!/usr/bin/env bash
# Checks a running mesh (bin/start-mesh.sh) from the outside, with curl, as a user would:
# core status → an echo job through the mesh → a malformed job (400) → a forged broker request (401)
# → broker stopped → the next job goes to the file queue → broker restarted.
set -euo pipefail
cd "$(dirname "$0")/.."
CORE=${CORE_URL:-http://127.0.0.1:${OFFGRID_CORE_PORT:-8001}}
BROKER=${BROKER_URL:-http://127.0.0.1:${OFFGRID_BROKER_PORT:-9000}}
# a core with OFFGRID_API_TOKENS needs a bearer token on /api: the first one is sent
API_AUTH=()
if [ -n "${OFFGRID_API_TOKENS:-}" ]; then API_AUTH=(-H "Authorization: Bearer ${OFFGRID_API_TOKENS%%,*}"); fi
fail() { echo "SMOKE TEST FAILED: $*" >&2; exit 1; }
field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get(sys.argv[1]) if d.get(sys.argv[1]) is not None else "")' "$1"; }
post_job() { curl -sS ${API_AUTH[@]+"${API_AUTH[@]}"} -o /tmp/smoke.$$ -w '%{http_code}' -X POST "$CORE/api/jobs" -H 'Content-Type: application/json' -d "$1"; }

echo "== core status"
curl -fsS ${API_AUTH[@]+"${API_AUTH[@]}"} "$CORE/api/status" || fail "core does not answer $CORE/api/status"
echo

echo "== echo job through the mesh"
code=$(post_job '{"kind":"echo","payload":{"text":"hello from the smoke test"}}')
[ "$code" = 200 ] || fail "expected 200, got $code: $(cat /tmp/smoke.$$)"
echo "Dispatched via: $(field method </tmp/smoke.$$)"
echo "Status: $(field status </tmp/smoke.$$)"
echo "Host: $(field node_id </tmp/smoke.$$) ($(field host </tmp/smoke.$$))"
[ "$(field method </tmp/smoke.$$)" = offgrid ] && [ "$(field status </tmp/smoke.$$)" = completed ] \
  || fail "echo job did not complete through the mesh: $(cat /tmp/smoke.$$)"
job=$(field job_id </tmp/smoke.$$)
curl -fsS ${API_AUTH[@]+"${API_AUTH[@]}"} "$CORE/api/jobs/$job" >/dev/null || fail "GET /api/jobs/$job failed"

echo "== malformed job is refused"
code=$(post_job '{"kind": 42')
[ "$code" = 400 ] || fail "malformed JSON: expected 400, got $code"
echo "400 $(cat /tmp/smoke.$$)"

echo "== forged broker request is refused"
code=$(curl -sS -o /tmp/smoke.$$ -w '%{http_code}' -X POST "$BROKER/auction" -H 'Content-Type: application/json' \
  -H 'X-Offgrid-Key-Id: default' -H "X-Offgrid-Timestamp: $(date +%s)" -H "X-Offgrid-Nonce: smoke-$(date +%s%N)" \
  -H 'X-Offgrid-Audience: broker' -H 'X-Offgrid-Signature: v1=0000000000000000000000000000000000000000000000000000000000000000' -d '{"job_id":"forged"}')
[ "$code" = 401 ] || fail "forged request: expected 401, got $code"
echo "401 $(cat /tmp/smoke.$$)"

echo "== broker stopped: the next job goes to the file queue"
bin/stop-mesh.sh broker
code=$(post_job '{"kind":"echo","payload":{"text":"while the broker is down"}}')
[ "$code" = 202 ] || fail "expected 202 queued, got $code: $(cat /tmp/smoke.$$)"
echo "Dispatched via: $(field method </tmp/smoke.$$)"
echo "Reason: $(field reason </tmp/smoke.$$)"
file=$(field job_file </tmp/smoke.$$)
echo "Job file: $file"
[ -f "${OFFGRID_HOME:-.}/$file" ] || [ -f "$file" ] || fail "queued job file $file is missing"

echo "== broker restarted"
bin/start-mesh.sh >/dev/null
curl -fsS "$BROKER/status" >/dev/null || fail "broker did not come back"
rm -f /tmp/smoke.$$
echo "SMOKE TEST PASSED"
