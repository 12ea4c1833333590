#!/usr/bin/env bash
# plsim load beside wrk, against one nginx (return 200, one worker) on loopback, in one run:
#   closed   keep-alive requests as fast as 32 connections go: wrk -t1 -c32 against plsim load --mode closed -c 32
#   churn    a new connection per request (Connection: close), 32 at once: wrk with that header against --mode churn
#   churn 1k churn at 1,000 connections a second: plsim load's latency p99 beside bench/openloop.py's, an
#            independent open-loop client (one request at a time, spinning to its send times)
#   rr 1k    plsim load --mode rr at 1,000 requests a second, 32 connections: its CPU per request and its own lateness
#   rr 5k    the same at 5,000 a second
# Every round runs each case once, the peers interleaved; the table gives the median of the rounds and
# their spread (lowest to highest). plsim load runs one event loop (--io-threads 1), as wrk -t1 runs one
# thread. Its CPU is its process's over the measured run (its JSON's cpu), after a warm-up, and apart its
# event loops' (the part that grows with the rate; the rest is the JVM's own); wrk has none to skip.
#
#   bench/loadgen.sh [ROUNDS] [SECONDS]      (defaults: 5 rounds of 5 s)
#
# Needs: wrk, nginx-light, python3, a JDK and Maven. All traffic stays on 127.0.0.0/8.
set -euo pipefail
ROUNDS=${1:-5}
SECS=${2:-5}
WARMUP=${WARMUP:-3}
PORT=${PORT:-18961}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/plsim-loadgen.XXXXXX)"
chmod 755 "$work"
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for c in wrk nginx python3 java; do command -v "$c" >/dev/null 2>&1 || { echo "loadgen: $c is missing" >&2; exit 2; }; done
"$here/plsim" --version >/dev/null
. "$here/bench/peers.sh"

nginx_ok_cfg "$work" $PORT
nginx -p "$work" -c "$work/nginx.conf" -g "daemon on;"
printf 'wrk.headers["Connection"] = "close"\n' > "$work/close.lua"
url="http://127.0.0.1:$PORT/"

# wrk's requests a second.
wrk_rps() { wrk -t1 -c32 -d"${SECS}s" "$@" "$url" 2>&1 | awk '/^Requests\/sec:/ {print $2}'; }
# plsim load with --json; prints FIELD... of its JSON, each a dotted path.
plsim_json() {
  local json="$work/run.json" fields="$1"; shift
  "$here/plsim" load "127.0.0.1:$PORT" --http -c 32 --io-threads 1 --warmup "${WARMUP}s" --duration "${SECS}s" --quiet \
      --allow-late --max-error-ratio 1 --json "$json" "$@" > "$work/run.log" 2>&1 || true
  python3 - "$json" "$fields" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
out = []
for path in sys.argv[2].split():
    v = d
    for k in path.split('.'):
        v = v.get(k, {}) if isinstance(v, dict) else {}
    out.append(str(v) if not isinstance(v, dict) else 'nan')
print(' '.join(out))
PY
}

declare -A R
for ((r = 1; r <= ROUNDS; r++)); do
  echo "round $r of $ROUNDS ..." >&2
  R[wrk_closed,$r]=$(wrk_rps)
  R[plsim_closed,$r]=$(plsim_json throughput_rps --mode closed)
  R[wrk_churn,$r]=$(wrk_rps -s "$work/close.lua")
  R[plsim_churn,$r]=$(plsim_json throughput_rps --mode churn)
  # churn at 1k/s: plsim load's p99 beside an independent open-loop client's, one after the other.
  read -r _ _ _ R[open_p99,$r] _ < <(python3 "$here/bench/openloop.py" "127.0.0.1:$PORT" 1000 "$SECS")
  R[plsim_churn_p99,$r]=$(plsim_json latency_us.p99 --mode churn --rate 1000)
  for rate in 1000 5000; do
    read -r cores us lcores lus late p99 < <(plsim_json \
        "cpu.cores cpu.per_request_us cpu.event_loop_cores cpu.event_loop_per_request_us lateness_us.p99 latency_us.p99" \
        --mode rr --rate "$rate")
    R[cores_$rate,$r]=$cores; R[us_$rate,$r]=$us; R[late_$rate,$r]=$late; R[p99_$rate,$r]=$p99
    R[lcores_$rate,$r]=$lcores; R[lus_$rate,$r]=$lus
  done
done

# median [spread] of the rounds of KEY
stat() {
  local key=$1 vals=()
  for ((r = 1; r <= ROUNDS; r++)); do vals+=("${R[$key,$r]}"); done
  python3 -c '
import statistics, sys
v = sorted(float(x) for x in sys.argv[1:] if x not in ("", "nan"))
print("-" if not v else "%.6g [%.6g-%.6g]" % (statistics.median(v), v[0], v[-1]))' "${vals[@]}"
}
ratio() {
  local a=$1 b=$2 vals=()
  for ((r = 1; r <= ROUNDS; r++)); do vals+=("${R[$a,$r]}:${R[$b,$r]}"); done
  python3 -c '
import statistics, sys
v = sorted(float(a) / float(b) for a, b in (x.split(":") for x in sys.argv[1:]) if a and b and float(b) > 0)
print("-" if not v else "%.2fx [%.2f-%.2f]" % (statistics.median(v), v[0], v[-1]))' "${vals[@]}"
}

echo "plsim load beside wrk against nginx on 127.0.0.1:$PORT: median [lowest-highest] of $ROUNDS interleaved rounds of $SECS s"
printf '%-44s %-28s %-28s %s\n' "case" "wrk 1 thread" "plsim load" "plsim / wrk"
printf '%-44s %-28s %-28s %s\n' "closed, 32 keep-alive connections (req/s)" "$(stat wrk_closed)" "$(stat plsim_closed)" "$(ratio plsim_closed wrk_closed)"
printf '%-44s %-28s %-28s %s\n' "churn, a connection per request (req/s)" "$(stat wrk_churn)" "$(stat plsim_churn)" "$(ratio plsim_churn wrk_churn)"
printf '%-44s %-28s %-28s %s\n' "churn at 1000/s: latency p99 (us)" "$(stat open_p99) (openloop.py)" "$(stat plsim_churn_p99)" "$(ratio plsim_churn_p99 open_p99)"
for rate in 1000 5000; do
  printf '%-44s %-28s %-28s\n' "rr at $rate/s: cores" "" "$(stat cores_$rate)"
  printf '%-44s %-28s %-28s\n' "rr at $rate/s: CPU per request (us)" "" "$(stat us_$rate)"
  printf '%-44s %-28s %-28s\n' "rr at $rate/s: event loops' cores" "" "$(stat lcores_$rate)"
  printf '%-44s %-28s %-28s\n' "rr at $rate/s: event loops' CPU per request (us)" "" "$(stat lus_$rate)"
  printf '%-44s %-28s %-28s\n' "rr at $rate/s: own lateness p99 (us)" "" "$(stat late_$rate)"
  printf '%-44s %-28s %-28s\n' "rr at $rate/s: latency p99 (us)" "" "$(stat p99_$rate)"
done
