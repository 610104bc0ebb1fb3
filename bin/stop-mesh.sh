#!/usr/bin/env bash
# Stops exactly the processes bin/start-mesh.sh started (run/<name>.pid), core first.
# Usage: bin/stop-mesh.sh [name ...]   (default: core broker host-b host-a)
set -uo pipefail
cd "$(dirname "$0")/.."
names=("$@"); [ ${#names[@]} -gt 0 ] || names=(core broker host-b host-a)
for name in "${names[@]}"; do
  pidfile="run/$name.pid"
  [ -f "$pidfile" ] || { echo "  $name: not started by start-mesh.sh"; continue; }
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q sheratan-offgrid; then
    kill -TERM "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "  $name (pid $pid) did not stop in 15 s; killing"; kill -KILL "$pid"; fi
    echo "  $name stopped (pid $pid)"
  else
    echo "  $name: pid $pid is not running (stale pid file removed)"
  fi
  rm -f "$pidfile"
done
