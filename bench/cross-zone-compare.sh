#!/usr/bin/env bash
# Cross-zone load balancing off against on, through an endpoint's regional DNS name, with one slow
# target in the zone that has only one (bench/cross-zone.yaml): for each setting, a fresh
#   ./plsim run (API on 127.0.0.1:4566, DNS on 127.0.0.1:8053)
# a 5 ms latency fault on that target, and plsim load in churn mode (a new connection per request,
# resolved round robin over the answers) for DURATION (default 10s) at RATE (default 400) requests
# a second; then plsim load compare of the two runs, and its page in OUT (default bench/target). Beside the
# latency, the compare has the bytes plsim counted between interfaces and targets in other zones (plsim load
# asks the run's API for them) and what they would cost an hour at the sim-config's price per GB (AWS's
# inter-AZ rate, USD 0.01 each way, unless simulation.crossZonePricePerGb says otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
RATE=${RATE:-400}
OUT=${OUT:-bench/target}
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'pkill -TERM -f "plsim.jar run $work" 2>/dev/null || true; rm -rf "$work"' EXIT
if pgrep -f "plsim.jar run" >/dev/null; then
    echo "a plsim run is already running (it holds 127.0.0.1:4566); stop it first" >&2
    exit 2
fi
./plsim validate bench/cross-zone.yaml >/dev/null
for cz in off on; do
    flag=false; [ $cz = on ] && flag=true
    sed "s/crossZone: false/crossZone: $flag/" bench/cross-zone.yaml > "$work/cross-zone-$cz.yaml"
    java -jar app/target/plsim.jar run "$work/cross-zone-$cz.yaml" > "$work/run-$cz.log" 2>&1 &
    for _ in $(seq 1 100); do
        grep -q "Ctrl-C stops" "$work/run-$cz.log" 2>/dev/null && break
        sleep 0.1
    done
    name=$(awk '$1 == "dns" && $2 ~ /^vpce-/ && NF == 3 {print $3; exit}' "$work/run-$cz.log")
    java -jar app/target/plsim.jar fault add latency latency=5 stream=downstream target=127.51.1.100:7100 >/dev/null
    ./plsim load "$name:7000" --dns 127.0.0.1:8053 --mode churn --rate "$RATE" \
        --connections 64 --warmup 3s --duration "$DURATION" --json "$OUT/cross-zone-$cz.json" --quiet --allow-late >/dev/null
    pkill -TERM -f "plsim.jar run $work/cross-zone-$cz.yaml"
    wait || true
done
java -jar app/target/plsim.jar load compare "$OUT/cross-zone-off.json" "$OUT/cross-zone-on.json" \
    --html "$OUT/cross-zone.html"
