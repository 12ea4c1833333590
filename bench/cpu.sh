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
. "$here/bench/peers.sh"

nginx_ok_cfg "$work" 18981 proxy_protocol
nginx -p "$work" -c "$work/nginx.conf" -g "daemon on;"

haproxy_cfg "$work/haproxy.cfg" 18990 18981
haproxy -f "$work/haproxy.cfg" -db > "$work/haproxy.log" 2>&1 &
haproxy_pid=$!
pids+=("$haproxy_pid")

plsim_world "$work/plsim.yaml" cpu 64 65 18992 18981
# shellcheck disable=SC2086
start_plsim "$here/app/target/plsim.jar" "$work/plsim.yaml" "$work/plsim.log" ${PLSIM_RUN_OPTS:-}
plsim_pid=$PLSIM_PID
plsim_addr=$PLSIM_ADDR
pids+=("$plsim_pid")
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
