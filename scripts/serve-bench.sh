#!/usr/bin/env bash
# Serve mode's throughput (`make bench`): wrk on this machine, 32 connections, 2 threads, no
# injected latency. First a bare Hummingbird server (GET /hello), then a fake's write endpoint
# (Segment's POST /v1/track, a new messageId each request) in the same run, median of 3 each.
# Targets (issue 15): the fake at least 15,000 requests/s with p99 under 5 ms, and at least half
# of the bare server's rate.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release
command -v wrk >/dev/null || { echo "serve-bench: wrk is missing (apt-get install wrk)"; exit 2; }
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
DURATION=${DURATION:-10s}

cat > "$work/track.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  local body = '{"userId":"cust-' .. (n % 2000) .. '","event":"Viewed Offer","messageId":"' .. tostring(math.random(1e9)) .. '-' .. n .. '","properties":{"offer":"20%"}}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Basic a2V5Og=="}, body)
end
LUA

measure() {  # measure URL [lua] -> "rps p99ms"
  local out
  out=$(wrk -t2 -c32 -d"$DURATION" --latency ${2:+-s "$2"} "$1")
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')
  local errors; errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$rps $p99 ${errors:-0}"
}
median_of() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

$BIN/rehearse-bench bare-http 18080 & pid=$!
for _ in $(seq 1 100); do curl -s -o /dev/null http://127.0.0.1:18080/hello && break; sleep 0.1; done
bare=(); for i in 1 2 3; do bare+=("$(measure http://127.0.0.1:18080/hello)"); done
kill $pid; wait $pid 2>/dev/null || true; pid=

$BIN/rehearse serve Scenarios/serve/hotel-stack.yaml --port 18081 --speed 60 --reports-dir "$work/reports" --quiet & pid=$!
for _ in $(seq 1 100); do [ -s "$work/reports/hotel-stack/serve.json" ] && break; sleep 0.1; done
fake=(); for i in 1 2 3; do fake+=("$(measure http://127.0.0.1:18081/segment/v1/track "$work/track.lua")"); done
kill -INT $pid; wait $pid 2>/dev/null || true; pid=

bare_m=$(printf '%s\n' "${bare[@]}" | median_of)
fake_m=$(printf '%s\n' "${fake[@]}" | median_of)
read -r bare_rps bare_p99 _ <<< "$bare_m"
read -r fake_rps fake_p99 fake_errors <<< "$fake_m"
echo "   bare Hummingbird GET /hello:          $bare_rps requests/s, p99 ${bare_p99} ms   (runs: ${bare[*]})"
echo "   segment fake POST /v1/track (write):  $fake_rps requests/s, p99 ${fake_p99} ms, non-2xx $fake_errors   (runs: ${fake[*]})"
awk -v f="$fake_rps" -v b="$bare_rps" -v p="$fake_p99" 'BEGIN {
  r = f / b
  printf "   ratio fake/bare %.2f; targets: >= 15,000/s %s, p99 < 5 ms %s, >= 0.5 of bare %s\n", r,
    (f >= 15000 ? "met" : "MISSED"), (p < 5 ? "met" : "MISSED"), (r >= 0.5 ? "met" : "MISSED") }'
