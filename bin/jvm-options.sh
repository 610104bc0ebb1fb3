# Sourced by the bin/ scripts: JVM options for running the roles. Override with JAVA_OPTS.
# The class archive is used only when it matches the jar (build.sh records it after each build).
offgrid_jvm_options() {
  local heap=$1
  local opts="-Xms32m -Xmx$heap -XX:+UseSerialGC"
  if [ -f target/sheratan-offgrid.jsa ] && [ target/sheratan-offgrid.jsa -nt target/sheratan-offgrid.jar ]; then
    opts="$opts -XX:SharedArchiveFile=target/sheratan-offgrid.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
  fi
  echo "${JAVA_OPTS:-$opts}"
}
