#!/usr/bin/env bash
# CPU spent by plsim and by HAProxy for the same fixed-rate work through each, in the same run: CPU
# seconds per 10,000 new connections (plsim load --mode churn at CHURN_RATE/s) and per 100,000
# keep-alive requests (--mode rr at RATE/s over 32 connections), read from /proc/PID/stat around
# each load. A ratio of costs, where compare.sh's saturated rows mix in the load generator and the
# backend competing for the same cores. One plsim per transport in TRANSPORTS (default: io_uring
# and epoll, each where this machine has it), all beside one HAProxy, in interleaved rounds; each
# figure is the median of the rounds with the lowest and highest in brackets, each ratio the median
# of the rounds' ratios to HAProxy.
#
#   bench/cpu.sh [ROUNDS] [SECONDS]      (defaults: 5 rounds of 5 s)
#
# Needs: nginx-light, haproxy, a JDK and Maven. All traffic stays on 127.0.0.0/8.
set -euo pipefail
ROUNDS=${1:-5}
SECS=${2:-5}
RATE=${RATE:-20000}
CHURN_RATE=${CHURN_RATE:-4000}
TRANSPORTS=${TRANSPORTS:-io_uring epoll}
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

declare -A PID ADDR
PID[haproxy]=$haproxy_pid
ADDR[haproxy]=127.0.0.1:18990
PEERS=(haproxy)
n=0
for t in $TRANSPORTS; do
  net=$((64 + 2 * n))
  plsim_world "$work/plsim-$t.yaml" "cpu$n" "$net" "$((net + 1))" "$((18992 + n))" 18981
  # shellcheck disable=SC2086
  start_plsim "$here/app/target/plsim.jar" "$work/plsim-$t.yaml" "$work/plsim-$t.log" --transport "$t" ${PLSIM_RUN_OPTS:-}
  pids+=("$PLSIM_PID")
  PID[plsim-$t]=$PLSIM_PID
  ADDR[plsim-$t]=$PLSIM_ADDR
  PEERS+=("plsim-$t")
  n=$((n + 1))
done
sleep 3

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
load() { "$here/plsim" load "$@" --http --duration "${SECS}s" --max-error-ratio 1 -q >/dev/null 2>&1 || true; }
# CPU seconds a process spent while the given load ran.
spent() {
  local pid=$1; shift
  local t0; t0=$(ticks "$pid"); load "$@"; local t1; t1=$(ticks "$pid")
  awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN { print (b - a) / hz }'
}

# Warm every peer up (plsim's JIT), unmeasured.
for p in "${PEERS[@]}"; do
  load "${ADDR[$p]}" --mode churn --rate "$CHURN_RATE" -c 256
  load "${ADDR[$p]}" --mode rr --rate "$RATE" -c 32
done
declare -A R
for round in $(seq 1 "$ROUNDS"); do
  for p in "${PEERS[@]}"; do
    c=$(spent "${PID[$p]}" "${ADDR[$p]}" --mode churn --rate "$CHURN_RATE" -c 256)
    k=$(spent "${PID[$p]}" "${ADDR[$p]}" --mode rr --rate "$RATE" -c 32)
    R[$p,churn,$round]=$(awk -v c="$c" -v r="$CHURN_RATE" -v s="$SECS" 'BEGIN { printf "%.4f", c / (r * s) * 10000 }')
    R[$p,rr,$round]=$(awk -v k="$k" -v r="$RATE" -v s="$SECS" 'BEGIN { printf "%.4f", k / (r * s) * 100000 }')
    echo "round $round $p: ${R[$p,churn,$round]} CPU s per 10,000 new connections, ${R[$p,rr,$round]} CPU s per 100,000 keep-alive requests" >&2
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
spread() { printf '%s\n' "$@" | sort -g | awk 'NR==1{lo=$1} {hi=$1} END {print "[" lo "-" hi "]"}'; }
cell() {  # cell PEER KEY: the median [spread], and for plsim its ratio to HAProxy's, round by round
  local vals=() ratios=()
  for r in $(seq 1 "$ROUNDS"); do
    vals+=("${R[$1,$2,$r]}")
    ratios+=("$(awk -v a="${R[$1,$2,$r]}" -v b="${R[haproxy,$2,$r]}" 'BEGIN { if (b + 0 == 0) print "nan"; else printf "%.2f", a / b }')")
  done
  printf '%s %s' "$(median "${vals[@]}")" "$(spread "${vals[@]}")"
  [ "$1" = haproxy ] || printf ', %sx %s' "$(median "${ratios[@]}")" "$(spread "${ratios[@]}")"
}
echo
echo "CPU seconds per unit of work at a fixed rate: median [lowest-highest] of $ROUNDS interleaved rounds of ${SECS} s; plsim's ratio to HAProxy is the median of the rounds' ratios ($(nproc) cores, $(uname -r))"
echo
echo "| peer | per 10,000 new connections ($CHURN_RATE/s) | per 100,000 keep-alive requests ($RATE/s, 32 connections) |"
echo "|---|---|---|"
for p in "${PEERS[@]}"; do
  echo "| $p | $(cell "$p" churn) | $(cell "$p" rr) |"
done
