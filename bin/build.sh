#!/usr/bin/env bash
# Builds target/sheratan-offgrid.jar (and target/lib/) when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/sheratan-offgrid.jar
if [ -f "$jar" ] && [ -d target/lib ] && [ -z "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  exit 0
fi
command -v mvn >/dev/null || { echo "Maven (mvn) is needed to build; install it (apt-get install -y maven)" >&2; exit 1; }
echo "building $jar ..." >&2
mvn -B -q -DskipTests package >&2
