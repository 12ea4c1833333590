#!/usr/bin/env bash
# CPU spent by plsim and by HAProxy for the same fixed-rate work through each, in the same run: CPU
# seconds per 10,000 new connections (plsim load --mode churn at CHURN_RATE/s) and per 100,000
# keep-alive requests (--mode rr at RATE/s over 32 connections), read from /proc/PID/stat around
# each load. A ratio of costs, where compare.sh's saturated rows mix in the load generator and the
# backend competing for the same cores.
#
#   bench/cpu.sh [ROUNDS] [SECONDS]      (defaults: 2 rounds of 5 s)
#
# Needs: nginx-light, haproxy, a JDK and Maven. All traffic stays on 127.0.0.0/8.
set -euo pipefail
ROUNDS=${1:-2}
SECS=${2:-5}
RATE=${RATE:-20000}
CHURN_RATE=${CHURN_RATE:-4000}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/plsim-cpu.XXXXXX)"
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for c in nginx haproxy java; do command -v "$c" >/dev/null 2>&1 || { echo "cpu: $c is missing" >&2; exit 2; }; done
"$here/plsim" --version >/dev/null

cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:18981 proxy_protocol backlog=4096; location = / { return 200 "ok\\n"; } }
}
CONF
nginx -p "$work" -c "$work/nginx.conf" -g "daemon on;"

cat > "$work/haproxy.cfg" <<CONF
global
  maxconn 8000
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend fe
  bind 127.0.0.1:18990
  default_backend be
backend be
  server nginx 127.0.0.1:18981 send-proxy-v2
CONF
haproxy -f "$work/haproxy.cfg" -db > "$work/haproxy.log" 2>&1 &
haproxy_pid=$!
pids+=("$haproxy_pid")

cat > "$work/plsim.yaml" <<'YAML'
region: us-east-1
accounts:
  - {id: "111122223333", zones: {us-east-1a: use1-az1}}
  - {id: "444455556666", zones: {us-east-1a: use1-az1}}
vpcs:
  - id: vpc-0c0c0c0c0c0c00001
    account: "111122223333"
    cidr: 127.64.0.0/16
    subnets: [{id: subnet-0c0c0c0c0c0c00011, zone: us-east-1a, cidr: 127.64.1.0/24}]
  - id: vpc-0d0d0d0d0d0d00002
    account: "444455556666"
    cidr: 127.65.0.0/16
    subnets: [{id: subnet-0d0d0d0d0d0d00021, zone: us-east-1a, cidr: 127.65.1.0/24}]
loadBalancers:
  - name: cpu-nlb
    account: "111122223333"
    nodes: [{zone: us-east-1a, ip: 127.64.1.10}]
    listeners: [18992]
    targets: [{zone: us-east-1a, address: "127.0.0.1:18981"}]
    proxyProtocol: {v2: true}
    healthCheck: {intervalSeconds: 1, timeoutSeconds: 1, healthyThreshold: 2, unhealthyThreshold: 2}
services:
  - {name: cpu, account: "111122223333", loadBalancers: [cpu-nlb], acceptanceRequired: false,
     allowedPrincipals: ["*"]}
endpoints:
  - {name: cpu-endpoint, principal: "arn:aws:iam::444455556666:root", service: cpu,
     vpc: vpc-0d0d0d0d0d0d00002, subnets: [subnet-0d0d0d0d0d0d00021]}
YAML
java ${PLSIM_JAVA_OPTS:-} -jar "$here/app/target/plsim.jar" run "$work/plsim.yaml" --api-port 0 --dns-port 0 \
    ${PLSIM_RUN_OPTS:-} > "$work/plsim.log" 2>&1 &
plsim_pid=$!
pids+=("$plsim_pid")
for _ in $(seq 1 100); do grep -q '^endpoint ' "$work/plsim.log" 2>/dev/null && break; sleep 0.1; done
plsim_addr=$(awk '/^endpoint /{print $4; exit}' "$work/plsim.log")
[ -n "$plsim_addr" ] || { echo "cpu: plsim did not start:" >&2; cat "$work/plsim.log" >&2; exit 1; }
sleep 3

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
load() { java -jar "$here/app/target/plsim.jar" load "$@" --http --duration "${SECS}s" --max-error-ratio 1 -q >/dev/null 2>&1 || true; }
# CPU seconds a process spent while the given load ran.
spent() {
  local pid=$1; shift
  local t0; t0=$(ticks "$pid"); load "$@"; local t1; t1=$(ticks "$pid")
  awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN { print (b - a) / hz }'
}

# Warm both up (plsim's JIT), unmeasured.
for a in "127.0.0.1:18990" "$plsim_addr"; do
  load "$a" --mode churn --rate "$CHURN_RATE" -c 256
  load "$a" --mode rr --rate "$RATE" -c 32
done
for round in $(seq 1 "$ROUNDS"); do
  for p in haproxy plsim; do
    if [ "$p" = haproxy ]; then pid=$haproxy_pid addr=127.0.0.1:18990; else pid=$plsim_pid addr=$plsim_addr; fi
    c=$(spent "$pid" "$addr" --mode churn --rate "$CHURN_RATE" -c 256)
    k=$(spent "$pid" "$addr" --mode rr --rate "$RATE" -c 32)
    awk -v p="$p" -v r="$round" -v c="$c" -v k="$k" -v cr="$CHURN_RATE" -v kr="$RATE" -v s="$SECS" 'BEGIN {
      printf "round %d %-7s %.3f CPU s per 10,000 new connections, %.3f CPU s per 100,000 keep-alive requests\n",
        r, p, c / (cr * s) * 10000, k / (kr * s) * 100000 }'
  done
done
