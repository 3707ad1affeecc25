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
name=telemetry port=5310 silo_port=11321 gateway_port=30310
metrics_port=9474
server_env=(Metrics__Port=$metrics_port)
source bench/embedded-server.sh
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
