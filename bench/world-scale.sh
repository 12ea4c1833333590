#!/usr/bin/env bash
# bench/world-scale.sh N [RUNS]: a world of N endpoint services and N interface endpoints over two
# zones (2N interface listeners; N up to 2,000 fits a hard limit of 20,000 open files), started RUNS
# times (default 3). Each run prints: start (launch until every listener is up and plsim says it
# runs), resident memory after start and at its peak, DescribeVpcEndpoints and
# DescribeVpcEndpointConnections p50/p99 (every page of a full listing, 1,000 a page, ten times),
# CreateVpcEndpoint p50/p99 at N endpoints (50 creates), DNS query p50/p99 (2,000 A queries for
# random endpoints' names), and the time and size of a /metrics scrape and of the console's live
# view (/console/api/live). The last line is the median of the runs. All traffic stays on 127.0.0.0/8.
set -euo pipefail
N=${1:?usage: bench/world-scale.sh N [RUNS]}
RUNS=${2:-3}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/plsim-scale.XXXXXX)"
PLSIM_PID=
ECHO_PID=
cleanup() {
  for p in $PLSIM_PID $ECHO_PID; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true; rm -rf "$work"
}
trap cleanup EXIT

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# One listening socket per interface and event loop (SO_REUSEPORT), two loops on two cores.
need=$((2 * N * 2 + 1000))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  echo "world-scale: $N endpoints need about $need open files; this machine allows $(ulimit -n)" >&2
  exit 2
fi
JAR="$here/app/target/plsim.jar"
[ -f "$JAR" ] || (cd "$here" && mvn -B -q -pl core,dataplane,app package -DskipTests)
python3 "$here/bench/world_scale.py" echo "$work/echo.port" &
ECHO_PID=$!
for _ in $(seq 1 100); do [ -s "$work/echo.port" ] && break; sleep 0.05; done
[ -s "$work/echo.port" ] || { echo "world-scale: the echo server did not start" >&2; exit 1; }
python3 "$here/bench/world_scale.py" world "$N" "127.0.0.1:$(cat "$work/echo.port")" > "$work/world.yaml"

kib() { awk -v k="$2" '$1 == k":" {print int($2 / 1024)}' "/proc/$1/status"; }
for run in $(seq 1 "$RUNS"); do
  log="$work/run-$run.log"
  t0=$(date +%s%N)
  java ${PLSIM_JAVA_OPTS:-} -jar "$JAR" run "$work/world.yaml" --api-port 0 --dns-port 0 > "$log" 2>&1 &
  PLSIM_PID=$!
  for _ in $(seq 1 1200); do
    grep -q '^plsim: running' "$log" && break
    kill -0 "$PLSIM_PID" 2>/dev/null || { echo "world-scale: plsim stopped:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s%N)
  # The listeners up at start: those printed before plsim says it runs.
  listeners=$(awk '/^plsim: running/{exit} /^endpoint /{c++} END{print c + 0}' "$log")
  [ "$listeners" -eq $((2 * N)) ] || { echo "world-scale: $listeners of $((2 * N)) listeners up" >&2; tail "$log" >&2; exit 1; }
  # Every listener printed is bound: connect to a few of them to make sure they answer.
  for addr in $(awk '/^endpoint /{print $4}' "$log" | shuf -n 5 --random-source=<(yes)); do
    timeout 2 bash -c "exec 3<>/dev/tcp/${addr%:*}/${addr#*:}" || { echo "world-scale: $addr refuses" >&2; exit 1; }
  done
  rss_start=$(kib "$PLSIM_PID" VmRSS)
  api=$(awk '/^api /{sub("http://", "", $2); print $2; exit}' "$log")
  dns=$(awk '/^dns 127/{print $2; exit}' "$log")
  figures=$(python3 "$here/bench/world_scale.py" measure "$api" "$dns" "$log" "$N")
  rss_peak=$(kib "$PLSIM_PID" VmHWM)
  kill "$PLSIM_PID"; wait "$PLSIM_PID" 2>/dev/null || true; PLSIM_PID=
  echo "run=$run n=$N start_ms=$(( (t1 - t0) / 1000000 )) rss_start_mib=$rss_start rss_peak_mib=$rss_peak $figures" \
    | tee -a "$work/runs"
done
python3 - "$work/runs" <<'PY'
import statistics, sys
runs = [dict(kv.split("=") for kv in line.split()) for line in open(sys.argv[1])]
keys = [k for k in runs[0] if k != "run"]
print("median " + " ".join("%s=%s" % (k, statistics.median(float(r[k]) for r in runs)) for k in keys))
PY
