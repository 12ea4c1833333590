#!/usr/bin/env bash
# plsim side by side with HAProxy and nginx: the same load against the same nginx backend, in
# alternation, through four paths:
#   direct      wrk -> nginx
#   plsim       wrk -> plsim endpoint interface -> NLB node (Proxy Protocol v2) -> nginx
#   haproxy     wrk -> HAProxy (mode tcp, send-proxy-v2, default threads) -> nginx
#   nginx       wrk -> nginx stream (proxy_protocol on) -> nginx
# Rows: keep-alive requests/s at saturation, requests/s with a new connection per request, MB/s with
# 1 MiB responses, and p50, p99 and errors (timeouts, resets) at two fixed rates below saturation,
# measured with plsim load (open loop, corrected for coordinated omission): RATE keep-alive
# requests/s over CONNS connections, and CHURN_RATE new connections/s (one request each). The
# TIME_WAIT sockets on loopback after each round are printed too: churn piles them up, and a proxy
# that binds its source address meets them. Every path is warmed up first, unmeasured (WARMUP
# seconds, default 5). Several rounds; each figure is the median; ratios are to HAProxy.
#
#   bench/compare.sh [ROUNDS] [SECONDS]          (defaults: 3 rounds of 5 s per measurement)
#   KEEP=1 bench/compare.sh ...                  keeps the work folder (configs, logs) for a look
#
# Needs: nginx with the stream module (Debian: nginx-light libnginx-mod-stream), haproxy, wrk, a JDK
# and Maven (the script builds plsim). All traffic stays on 127.0.0.0/8. .ci/run does not run it.
set -euo pipefail

ROUNDS=${1:-3}
SECS=${2:-5}
RATE=${RATE:-15000}         # fixed keep-alive rate for the latency rows, requests/s (below saturation)
CHURN_RATE=${CHURN_RATE:-2000}  # fixed rate of new connections for the churn latency rows, per second
CONNS=${CONNS:-32}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/plsim-compare.XXXXXX)"
chmod 755 "$work"   # nginx workers run unprivileged
pids=()

cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null 2>&1 || { echo "compare: $1 is missing ($2)" >&2; exit 2; }; }
need nginx "apt-get install nginx-light libnginx-mod-stream"
need haproxy "apt-get install haproxy"
need wrk "apt-get install wrk"
need java "a JDK 17+"
stream_module=$(ls /usr/lib/nginx/modules/ngx_stream_module.so 2>/dev/null || true)
[ -n "$stream_module" ] || { echo "compare: nginx's stream module is missing (apt-get install libnginx-mod-stream)" >&2; exit 2; }

# Build plsim once.
"$here/plsim" --version >/dev/null
. "$here/bench/peers.sh"

# --- the backend, and nginx's stream proxy --------------------------------------------------------
head -c 1048576 /dev/urandom > "$work/1m"
cat > "$work/nginx.conf" <<EOF
load_module $stream_module;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {                                   # direct
    listen 127.0.0.1:18080 backlog=4096;
    location = / { default_type text/plain; return 200 "ok\n"; }
    location = /1m { alias $work/1m; default_type application/octet-stream; }
  }
  server {                                   # behind a proxy that sends a PROXY header
    listen 127.0.0.1:18081 proxy_protocol backlog=4096;
    location = / { default_type text/plain; return 200 "ok\n"; }
    location = /1m { alias $work/1m; default_type application/octet-stream; }
  }
}
stream {
  server {
    listen 127.0.0.1:18091 backlog=4096;
    proxy_pass 127.0.0.1:18081;
    proxy_protocol on;
  }
}
EOF
nginx -p "$work" -c "$work/nginx.conf" -g "daemon on;"

# --- HAProxy ------------------------------------------------------------------------------------
haproxy_cfg "$work/haproxy.cfg" 18090 18081
haproxy -f "$work/haproxy.cfg" -db > "$work/haproxy.log" 2>&1 &
pids+=($!)

# --- plsim --------------------------------------------------------------------------------------
plsim_world "$work/plsim.yaml" bench 61 62 18092 18081
# shellcheck disable=SC2086
start_plsim "$here/app/target/plsim.jar" "$work/plsim.yaml" "$work/plsim.log" ${PLSIM_RUN_OPTS:-}
pids+=("$PLSIM_PID")
sleep 3   # two health checks, so the target is healthy

declare -A URL=(
  [direct]="http://127.0.0.1:18080"
  [plsim]="http://$PLSIM_ADDR"
  [haproxy]="http://127.0.0.1:18090"
  [nginx]="http://127.0.0.1:18091"
)
PATHS=(direct plsim haproxy nginx)
for p in "${PATHS[@]}"; do
  curl -sf "${URL[$p]}/" >/dev/null || { echo "compare: $p does not answer at ${URL[$p]}" >&2; exit 1; }
done

# wrk's "Requests/sec:" and "Transfer/sec:" lines, as numbers (MB/s for transfer).
wrk_rps() { awk '/^Requests\/sec:/{print $2}'; }
wrk_mbs() { awk '/^Transfer\/sec:/{v=$2; u=substr(v,length(v)-1); n=substr(v,1,length(v)-2);
  if (u=="GB") n*=1024; else if (u=="KB") n/=1024; else if (u!="MB") n/=1048576; printf "%.1f\n", n}'; }

# Warm every path up first, unmeasured: plsim's JIT compiles its hot paths in the first seconds of
# load, and a native proxy has nothing to warm. Without this, round 1 measures the compiler.
for p in "${PATHS[@]}"; do
  wrk -t1 -c"$CONNS" -d"${WARMUP:-5}s" "${URL[$p]}/" >/dev/null
  wrk -t1 -c"$CONNS" -d"${WARMUP:-5}s" -H 'Connection: close' "${URL[$p]}/" >/dev/null
done

# fixed PATH ROUND KEY MODE ARGS...: one plsim load run at a fixed rate; its p50, p99 (us) and errors.
fixed() {
  local p=$1 round=$2 key=$3 mode=$4; shift 4
  local json="$work/lat-$p-$key-$round.json"
  "$here/plsim" load "${URL[$p]#http://}" --mode "$mode" --http "$@" --duration "${SECS}s" --warmup 1s \
      --json "$json" --max-error-ratio 1 > "$work/load-$p-$key-$round.log" 2>&1 || true
  read -r R[$p,${key}_p50,$round] R[$p,${key}_p99,$round] R[$p,${key}_err,$round] < <(python3 -c "
import json
try:
    d = json.load(open('$json'))
    print(d['latency_us']['p50'], d['latency_us']['p99'], d['requests']['errors'])
except Exception:
    print('nan nan nan')")
}

declare -A R
for round in $(seq 1 "$ROUNDS"); do
  for p in "${PATHS[@]}"; do
    u="${URL[$p]}"
    R[$p,keepalive,$round]=$(wrk -t1 -c"$CONNS" -d"${SECS}s" "$u/" | wrk_rps)
    R[$p,newconn,$round]=$(wrk -t1 -c"$CONNS" -d"${SECS}s" -H 'Connection: close' "$u/" | wrk_rps)
    R[$p,bulk,$round]=$(wrk -t1 -c8 -d"${SECS}s" "$u/1m" | wrk_mbs)
    hostport=${u#http://}
    fixed "$p" "$round" rr rr --rate "$RATE" --connections "$CONNS"
    fixed "$p" "$round" churn churn --rate "$CHURN_RATE" --connections 256
    tw=$(ss -Htan state time-wait 2>/dev/null | wc -l || echo "?")
    echo "round $round $p: keep-alive ${R[$p,keepalive,$round]} req/s, new connection ${R[$p,newconn,$round]} req/s, 1 MiB ${R[$p,bulk,$round]} MB/s; at $RATE req/s p50 ${R[$p,rr_p50,$round]} us p99 ${R[$p,rr_p99,$round]} us errors ${R[$p,rr_err,$round]}; at $CHURN_RATE conn/s p50 ${R[$p,churn_p50,$round]} us p99 ${R[$p,churn_p99,$round]} us errors ${R[$p,churn_err,$round]}; TIME_WAIT $tw" >&2
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
row() {  # row NAME KEY UNIT HIGHER_IS_BETTER
  local name=$1 key=$2 unit=$3
  printf '| %s |' "$name"
  local base; base=$(median $(for r in $(seq 1 "$ROUNDS"); do echo "${R[haproxy,$key,$r]}"; done))
  for p in "${PATHS[@]}"; do
    local m; m=$(median $(for r in $(seq 1 "$ROUNDS"); do echo "${R[$p,$key,$r]}"; done))
    local ratio; ratio=$(awk -v a="$m" -v b="$base" 'BEGIN{ if (b+0==0) print "-"; else printf "%.2f", a/b }')
    printf ' %s %s (%sx) |' "$m" "$unit" "$ratio"
  done
  echo
}
echo
echo "plsim side by side ($ROUNDS rounds of ${SECS}s, median; ratio to HAProxy; $(nproc) cores; wrk -t1 -c$CONNS)"
echo
echo "| row | direct | plsim | haproxy | nginx stream |"
echo "|---|---|---|---|---|"
row "keep-alive req/s" keepalive "req/s"
row "new connection per request, req/s" newconn "req/s"
row "1 MiB responses" bulk "MB/s"
row "p50 at $RATE keep-alive req/s" rr_p50 "us"
row "p99 at $RATE keep-alive req/s" rr_p99 "us"
row "errors at $RATE keep-alive req/s" rr_err ""
row "p50 at $CHURN_RATE new connections/s" churn_p50 "us"
row "p99 at $CHURN_RATE new connections/s" churn_p99 "us"
row "errors at $CHURN_RATE new connections/s" churn_err ""
