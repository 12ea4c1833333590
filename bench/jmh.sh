#!/usr/bin/env sh
# Builds the benchmark jar (and the modules it needs) and runs the JMH suite with the GC profiler.
# Extra arguments go to JMH, e.g.  bench/jmh.sh AdmissionBench   or   bench/jmh.sh -prof perfnorm ProxyHeader
set -e
cd "$(dirname "$0")/.."
mvn -B -q -pl bench -am package -DskipTests
exec java -jar bench/target/benchmarks.jar -prof gc "$@"
