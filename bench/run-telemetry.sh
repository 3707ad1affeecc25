#!/usr/bin/env bash
# Telemetry benchmark against the real embedded server (Release) on loopback:
#  1. status polls per second (wrk) on a completed job's status route, with metrics and tracing on and with both off
#     (Metrics__Enabled=false, Tracing__Enabled=false), alternating, in the same run;
#  2. the server's CPU seconds (from /proc) for one 512x512x200 PassThroughModel job while /metrics is scraped every
#     5 s, against the same job with no scrapes; and the CPU of one scrape (100 back to back, less idle), from which
#     the cost of a scrape every 5 s over the job follows without the jobs' own noise.
# usage: bench/run-telemetry.sh [SECONDS_PER_WRK_RUN] [POLL_ROUNDS] [JOB_ROUNDS]       (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
rounds=${2:-5}
job_rounds=${3:-2}
out=bench/out
mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
dotnet build -c Release Cli -v q -nologo >/dev/null
dotnet build -c Release Gateway.Api -v q -nologo >/dev/null
cli=Cli/bin/Release/net10.0/innereye.dll
[ -f "$out/api-512/scan.zip" ] || dotnet $cli phantom --seed 4242 --rows 512 --cols 512 --slices 200 --spacing 0.8,0.8,1.5 --zip \
  --out "$out/api-512" >/dev/null
[ -f "$out/api-256/scan.zip" ] || dotnet $cli phantom --seed 4243 --rows 256 --cols 256 --slices 60 --zip --out "$out/api-256" >/dev/null

port=5310
metrics_port=9474
secret=bench-secret
server_pid=
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; server_pid=; }
trap stop_server EXIT
start_server() { # extra environment as NAME=VALUE arguments
  rm -rf "$out/telemetry-data"
  env ASPNETCORE_ENVIRONMENT=Production Api__AuthSecret=$secret Storage__Path="$out/telemetry-data" Cluster__SiloPort=11321 \
    Cluster__GatewayPort=30310 Inference__Device=Cpu Metrics__Port=$metrics_port "$@" \
    dotnet Gateway.Api/bin/Release/net10.0/InnerEye.Gateway.Api.dll --urls "http://127.0.0.1:$port" >"$out/telemetry-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && return; sleep 0.5; done
  echo "server did not start; see $out/telemetry-server.log" >&2; exit 1
}
bench() { /usr/bin/python3 bench/telemetry_bench.py "$@" --url "http://127.0.0.1:$port" --secret $secret; }

echo "cores: $(nproc); wrk: 2 threads, 32 connections, ${duration} s a run, $rounds rounds"
on=(); off=()
for _ in $(seq 1 "$rounds"); do
  start_server
  on+=("$(bench polls --zip "$out/api-256/scan.zip" --duration "$duration")")
  stop_server
  start_server Metrics__Enabled=false Tracing__Enabled=false
  off+=("$(bench polls --zip "$out/api-256/scan.zip" --duration "$duration")")
  stop_server
done
echo "status polls/s, telemetry on:  ${on[*]}"
echo "status polls/s, telemetry off: ${off[*]}"

scraped=(); quiet=()
start_server
bench scrapes --zip "$out/api-256/scan.zip" --pid "$server_pid" >/dev/null   # warm-up
for _ in $(seq 1 "$job_rounds"); do
  scraped+=("$(bench scrapes --zip "$out/api-512/scan.zip" --pid "$server_pid" --metrics-url "http://127.0.0.1:$metrics_port/metrics")")
  quiet+=("$(bench scrapes --zip "$out/api-512/scan.zip" --pid "$server_pid")")
done
cost=$(bench scrape-cost --zip "$out/api-256/scan.zip" --pid "$server_pid" --metrics-url "http://127.0.0.1:$metrics_port/metrics")
stop_server
echo "CPU s per scrape, bytes: $cost"
echo "job CPU s / wall s / scrapes, scraped every 5 s: ${scraped[*]}"
echo "job CPU s / wall s / scrapes, no scrapes:        ${quiet[*]}"
/usr/bin/python3 - "${on[*]}" "${off[*]}" "${scraped[*]}" "${quiet[*]}" "$cost" <<'PY'
import statistics, sys
on, off = [float(x) for x in sys.argv[1].split()], [float(x) for x in sys.argv[2].split()]
scraped = [float(x) for x in sys.argv[3].split()[0::3]]
quiet = [float(x) for x in sys.argv[4].split()[0::3]]
quiet_wall = [float(x) for x in sys.argv[4].split()[1::3]]
per_scrape = float(sys.argv[5].split()[0])
pairs = [a / b for a, b in zip(on, off)]
print(f"on/off by round: {' '.join(f'{p:.0%}' for p in pairs)}")
print(f"| status polls/s, telemetry on | {statistics.median(on):,.0f} | **{statistics.median(on) / statistics.median(off):.0%} of off** |")
print(f"| status polls/s, telemetry off (baseline) | {statistics.median(off):,.0f} | 100% |")
print(f"| job CPU s, /metrics scraped every 5 s | {statistics.median(scraped):.2f} | **{statistics.median(scraped) / statistics.median(quiet):.3f}x no scrapes** |")
print(f"| job CPU s, no scrapes (baseline) | {statistics.median(quiet):.2f} | 1x |")
every5 = per_scrape * statistics.median(quiet_wall) / 5
print(f"| CPU of one scrape | {per_scrape * 1000:.1f} ms | a scrape every 5 s over the job: **{every5 / statistics.median(quiet):.2%} of its CPU** |")
PY
