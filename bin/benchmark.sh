#!/usr/bin/env bash
# The shipped benchmark: starts the mesh (a child process on free loopback ports), drives it over real
# HTTP and prints a table. Full run (a warm-up until the JIT settles, at most 300 s; 3 runs × 10 s per
# figure; 10,000 inbox files) ≈ 12–17 minutes (docs/benchmarks.md); --quick is the few-second version CI runs.
# Options: bin/benchmark.sh --help
set -euo pipefail
cd "$(dirname "$0")/.."
bin/build.sh
exec java -Xmx512m -cp target/sheratan-offgrid.jar com.sheratan.offgrid.bench.Benchmark "$@"
