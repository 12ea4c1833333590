#!/usr/bin/env bash
# What --state costs an API change: N CreateTags calls over one keep-alive connection (curl -K),
# against ./plsim run sim-configs/quickstart.yaml without and then with --state, side by side in one
# run (this machine is shared: read the ratio, not the times).
#   bench/state-cost.sh [N]   (default 500; the API on 127.0.0.1:4566, so no other plsim may run)
set -u
N=${1:-500}
cd "$(dirname "$0")/.."
AUTH='Authorization: AWS4-HMAC-SHA256 Credential=AKIACONSUMERROOT0001/20240501/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0'
STATE=$(mktemp -d)
CFG=$(mktemp)
for i in $(seq 1 "$N"); do
    printf 'url = "http://127.0.0.1:4566/"\nheader = "%s"\ndata = "Action=CreateTags&Version=2016-11-15&ResourceId.1=vpce-269022ba49026e817&Tag.1.Key=k%d&Tag.1.Value=v%d"\noutput = "/dev/null"\nnext\n' \
        "$AUTH" $((i % 40)) "$i" >> "$CFG"
done
sed -i '$ d' "$CFG" # no "next" after the last request
run() {
    local log; log=$(mktemp)
    ./plsim run sim-configs/quickstart.yaml "$@" > "$log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 120); do grep -q "Ctrl-C" "$log" && break; sleep 0.5; done
    curl -s -K "$CFG" # warm-up round, not timed
    local start end
    start=$(date +%s%N)
    curl -s -K "$CFG"
    end=$(date +%s%N)
    kill "$pid"; wait "$pid" 2>/dev/null
    echo $(( (end - start) / 1000 ))
    rm -f "$log"
}
plain=$(run)
kept=$(run --state "$STATE")
lines=$(wc -l < "$STATE/state.jsonl")
printf '%-22s %10s %14s\n' "plsim run" "total ms" "us per change"
printf '%-22s %10d %14d\n' "without --state" $((plain / 1000)) $((plain / N))
printf '%-22s %10d %14d\n' "with --state" $((kept / 1000)) $((kept / N))
echo "state file: $lines lines, $(du -k "$STATE/state.jsonl" | cut -f1) KiB after $((2 * N)) changes"
rm -rf "$STATE" "$CFG"
