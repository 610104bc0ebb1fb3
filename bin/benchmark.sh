#!/usr/bin/env bash
# The shipped benchmark: starts the mesh (a child process on free loopback ports), drives it over real
# HTTP and prints a table. Full run ≈ 5 minutes; --quick is the few-second version CI runs.
# Options: --quick | --runs N | --seconds S | --inbox-files N | --mesh-jvm "JVM options"
set -euo pipefail
cd "$(dirname "$0")/.."
bin/build.sh
exec java -Xmx512m -cp target/sheratan-offgrid.jar com.sheratan.offgrid.bench.Benchmark "$@"
