#!/usr/bin/env bash
# The whole local mesh in one process: core :8001, broker :9000, host-a :8081, host-b :8082.
# Builds the jar on first use. Extra arguments go to the launcher (e.g. --set offgrid.mode=disabled,
# or --hosts 6: host-a … host-f on 8081 … 8086, enough to try 4+2 erasure coding on one machine).
set -euo pipefail
cd "$(dirname "$0")/.."
bin/build.sh
. bin/jvm-options.sh
# shellcheck disable=SC2046
exec java $(offgrid_jvm_options 320m) -jar "$PWD/target/sheratan-offgrid.jar" mesh "$@"
