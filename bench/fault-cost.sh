#!/usr/bin/env bash
# What connection faults in force cost a new connection (FaultCostBench): one request on a new
# connection with 0, 1, 10, 100 and 1,000 faults that apply (latency only, and five kinds mixed)
# or that are scoped elsewhere. ROUNDS runs of the whole benchmark one after the other, so the cases
# interleave; the table gives each case's median over the rounds and their spread (lowest to
# highest), and the ratio to one fault (to none, for faults elsewhere). This machine may be shared:
# read the ratios.
#
#   bench/fault-cost.sh [ROUNDS]      (default 5; about 2 minutes a round)
set -eu
ROUNDS=${1:-5}
cd "$(dirname "$0")/.."
mvn -B -q -pl bench -am package -DskipTests
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for r in $(seq 1 "$ROUNDS"); do
    echo "round $r of $ROUNDS" >&2
    java -jar bench/target/benchmarks.jar FaultCostBench -rf json -rff "$work/round-$r.json" > "$work/round-$r.log" 2>&1 \
        || { cat "$work/round-$r.log" >&2; exit 1; }
done
python3 - "$work" <<'PY'
import glob, json, statistics, sys
runs = {}
for f in sorted(glob.glob(sys.argv[1] + "/round-*.json")):
    for b in json.load(open(f)):
        key = (b["params"]["kinds"], int(b["params"]["faults"]))
        runs.setdefault(key, []).append(b["primaryMetric"]["score"])
print(f"{'faults':<10} {'in force':>8} {'us per connection (median)':>27} {'spread':>15} {'ratio':>7}")
for kinds in ("latency", "mixed", "elsewhere"):
    base = statistics.median(runs[(kinds, 0 if kinds == "elsewhere" else 1)])
    for n in (0, 1, 10, 100, 1000):
        v = runs.get((kinds, n))
        if not v:
            continue
        m = statistics.median(v)
        print(f"{kinds:<10} {n:>8} {m:>27.1f} {min(v):>7.1f}-{max(v):<7.1f} {m / base:>6.2f}x")
print(f"({len(runs[('latency', 1)])} rounds; ratio to 1 fault, or to none for faults elsewhere)")
PY
