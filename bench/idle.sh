#!/usr/bin/env bash
# Many idle connections through one endpoint, held for a while: plsim's resident memory, and whether
# every connection still works at the end.
#
#   bench/idle.sh [CONNECTIONS] [SECONDS]      (defaults: 10000 connections for 60 s)
#
# Three processes: an echo target, plsim (one endpoint, one interface, Proxy Protocol off), and the
# client that holds the connections. plsim needs two open files per relayed connection; a machine
# whose hard limit (ulimit -Hn) is below that, plus a few hundred, cannot hold that many in one
# process, and the script says so and stops. All traffic stays on 127.0.0.0/8.
set -euo pipefail
N=${1:-10000}
SECS=${2:-60}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/plsim-idle.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
need=$((2 * N + 500))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  echo "idle: $N connections need about $need open files in the plsim process; this machine allows $(ulimit -n)" >&2
  echo "idle: (ulimit -Hn); run with at most $(( ($(ulimit -n) - 500) / 2 )) connections here" >&2
  exit 2
fi

(cd "$here" && mvn -B -q -pl bench -am package -DskipTests)
"$here/plsim" --version >/dev/null
BENCH_JAR="$here/bench/target/benchmarks.jar"

java -Xmx256m -cp "$BENCH_JAR" io.plsim.bench.scale.IdleConnections echo 18190 &
pids+=($!)

cat > "$work/idle.yaml" <<'YAML'
region: us-east-1
accounts:
  - {id: "111122223333", zones: {us-east-1a: use1-az1}}
vpcs:
  - id: vpc-0e0e0e0e0e0e00001
    account: "111122223333"
    cidr: 127.63.0.0/16
    subnets: [{id: subnet-0e0e0e0e0e0e00011, zone: us-east-1a, cidr: 127.63.1.0/24}]
loadBalancers:
  - name: idle-nlb
    account: "111122223333"
    nodes: [{zone: us-east-1a, ip: 127.63.1.10}]
    listeners: [18192]
    targets: [{zone: us-east-1a, address: "127.0.0.1:18190"}]
    idleTimeoutSeconds: 6000
    healthCheck: {intervalSeconds: 1, timeoutSeconds: 1, healthyThreshold: 2, unhealthyThreshold: 2}
services:
  - {name: idle, account: "111122223333", loadBalancers: [idle-nlb], acceptanceRequired: false}
endpoints:
  - {name: idle-endpoint, principal: "arn:aws:iam::111122223333:root", service: idle,
     vpc: vpc-0e0e0e0e0e0e00001, subnets: [subnet-0e0e0e0e0e0e00011]}
YAML
. "$here/bench/peers.sh"
start_plsim "$here/app/target/plsim.jar" "$work/idle.yaml" "$work/plsim.log"
pid=$PLSIM_PID addr=$PLSIM_ADDR
pids+=($pid)
sleep 3
echo "plsim (pid $pid, ${PLSIM_JAVA_OPTS:-default JVM options}) relays $addr -> 127.0.0.1:18190"
java -cp "$BENCH_JAR" io.plsim.bench.scale.IdleConnections hold "$addr" "$N" "$SECS" "$pid"
