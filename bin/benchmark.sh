#!/usr/bin/env bash
# The shipped benchmark: starts the mesh (a child process on free loopback ports), drives it over real
# HTTP and prints a table. Full run (a warm-up until the JIT settles, at most 300 s; 3 runs × 10 s per
# figure; 10,000 inbox files) ≈ 12–17 minutes (docs/benchmarks.md); --quick is the few-second version CI runs.
# Options: bin/benchmark.sh --help
#
# The load generator is not part of the product: it lives in the test sources (package bench) and runs
# from target/test-classes; the mesh it drives runs from the product jar alone, as bin/mesh.sh runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
bin/build.sh
classpath=target/bench.classpath
if [ ! -f "$classpath" ] || [ -n "$(find src/test pom.xml -newer "$classpath" -print -quit)" ]; then
  echo "compiling the benchmark (test sources) ..." >&2
  mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath" >&2
fi
exec java -Xmx1536m -Doffgrid.product-classpath="$PWD/target/sheratan-offgrid.jar" \
    -cp "target/test-classes:target/sheratan-offgrid.jar:$(cat "$classpath")" com.sheratan.offgrid.bench.Benchmark "$@"
