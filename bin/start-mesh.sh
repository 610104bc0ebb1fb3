#!/usr/bin/env bash
# Starts the four roles as separate processes (host-a, host-b, broker, core), each logging to
# logs/<name>.log with its pid in run/<name>.pid, and waits until each answers its status endpoint.
# Stop them with bin/stop-mesh.sh. Takes no arguments.
# The ports are read by this script from environment variables only (a .env file does not change
# them), with these defaults:
#   OFFGRID_MESH_HOST_A_PORT=8081 OFFGRID_MESH_HOST_B_PORT=8082 OFFGRID_BROKER_PORT=9000 OFFGRID_CORE_PORT=8001
# Every other setting each role reads itself: environment variables over the .env file in the
# working folder over application.properties. The hosts start as `mesh-host host-a|host-b`, so they
# get the settings the one-process mesh gives them (host-b: prices × offgrid.mesh.host-b-price-factor).
# Moved ports are wired up: with another broker port the core is given that broker's URL (unless
# OFFGRID_BROKER_URL is set), and with other host ports the broker is given run/mesh_hosts.json
# naming them (unless OFFGRID_BROKER_DISCOVERY_FILE is set) instead of discovery/mesh_hosts.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bin/build.sh
mkdir -p logs run
. bin/jvm-options.sh
JVM_OPTS=$(offgrid_jvm_options 192m)
HOST_A_PORT=${OFFGRID_MESH_HOST_A_PORT:-8081}
HOST_B_PORT=${OFFGRID_MESH_HOST_B_PORT:-8082}
BROKER_PORT=${OFFGRID_BROKER_PORT:-9000}
CORE_PORT=${OFFGRID_CORE_PORT:-8001}

# a core with OFFGRID_API_TOKENS answers /api/status only with a bearer token: the first one is sent
API_AUTH=()
if [ -n "${OFFGRID_API_TOKENS:-}" ]; then API_AUTH=(-H "Authorization: Bearer ${OFFGRID_API_TOKENS%%,*}"); fi
start_role() { # name status-url args...
  local name=$1 url=$2; shift 2
  if [ -f "run/$name.pid" ] && kill -0 "$(cat "run/$name.pid")" 2>/dev/null; then
    echo "$name is already running (pid $(cat "run/$name.pid"))"; return 0
  fi
  # shellcheck disable=SC2086
  nohup java $JVM_OPTS -jar "$PWD/target/sheratan-offgrid.jar" "$@" >"logs/$name.log" 2>&1 &
  echo $! >"run/$name.pid"
  for _ in $(seq 1 300); do
    if curl -fs ${API_AUTH[@]+"${API_AUTH[@]}"} -o /dev/null --max-time 1 "$url"; then
      printf "  %-7s %s (pid %s, log logs/%s.log)\n" "$name" "$(echo "$url" | sed -E "s#(https?://[^/]+).*#\1#")" "$(cat "run/$name.pid")" "$name"
      return 0
    fi
    if ! kill -0 "$(cat "run/$name.pid")" 2>/dev/null; then
      echo "$name exited during start-up; last lines of logs/$name.log:" >&2
      tail -n 20 "logs/$name.log" >&2; rm -f "run/$name.pid"; return 1
    fi
    sleep 0.1
  done
  echo "$name did not answer $url within 30 s; see logs/$name.log" >&2
  return 1
}

CORE_SETTINGS=()
if [ "$BROKER_PORT" != 9000 ] && [ -z "${OFFGRID_BROKER_URL:-}" ]; then
  CORE_SETTINGS=(--set "offgrid.broker-url=http://127.0.0.1:$BROKER_PORT")
fi
BROKER_SETTINGS=()
if { [ "$HOST_A_PORT" != 8081 ] || [ "$HOST_B_PORT" != 8082 ]; } && [ -z "${OFFGRID_BROKER_DISCOVERY_FILE:-}" ]; then
  cat >run/mesh_hosts.json <<JSON
{
  "http://127.0.0.1:$HOST_A_PORT": { "node_id": "host-a", "via": "udp", "active": true },
  "http://127.0.0.1:$HOST_B_PORT": { "node_id": "host-b", "via": "udp", "active": true }
}
JSON
  BROKER_SETTINGS=(--set "offgrid.broker.discovery-file=$PWD/run/mesh_hosts.json")
fi

echo "starting the Sheratan Offgrid mesh as separate processes:"
start_role host-a "http://127.0.0.1:$HOST_A_PORT/status" mesh-host host-a --port "$HOST_A_PORT"
start_role host-b "http://127.0.0.1:$HOST_B_PORT/status" mesh-host host-b --port "$HOST_B_PORT"
start_role broker "http://127.0.0.1:$BROKER_PORT/status" broker --port "$BROKER_PORT" ${BROKER_SETTINGS[@]+"${BROKER_SETTINGS[@]}"}
start_role core "http://127.0.0.1:$CORE_PORT/api/status" core --port "$CORE_PORT" ${CORE_SETTINGS[@]+"${CORE_SETTINGS[@]}"}
echo "mesh is up. Submit a job:"
echo "  curl -s -X POST http://127.0.0.1:$CORE_PORT/api/jobs -H 'Content-Type: application/json' -d '{\"kind\":\"echo\",\"payload\":{\"text\":\"hello\"}}'"
echo "stop it with bin/stop-mesh.sh"
