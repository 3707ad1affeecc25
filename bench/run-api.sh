#!/usr/bin/env bash
# API benchmark against the real embedded server (Release) on loopback:
#  1. status polls per second (wrk) on the two status routes, next to the bare /ping endpoint in the same run;
#  2. end-to-end latency of one PassThroughModel job on a 512x512x200 phantom, split into upload, queueing, pipeline
#     and download;
#  3. 20 concurrent jobs: all complete exactly once and download, with the server's peak memory.
# usage: bench/run-api.sh [SECONDS_PER_WRK_RUN]       (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
out=bench/out
mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
dotnet build -c Release Cli -v q -nologo >/dev/null
dotnet build -c Release Gateway.Api -v q -nologo >/dev/null
cli=Cli/bin/Release/net10.0/innereye.dll
[ -f "$out/api-512/scan.zip" ] || dotnet $cli phantom --seed 4242 --rows 512 --cols 512 --slices 200 --spacing 0.8,0.8,1.5 --zip \
  --out "$out/api-512" >/dev/null
[ -f "$out/api-256/scan.zip" ] || dotnet $cli phantom --seed 4243 --rows 256 --cols 256 --slices 60 --zip --out "$out/api-256" >/dev/null

port=5300
secret=bench-secret
server_pid=
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; server_pid=; }
trap stop_server EXIT
start_server() { # extra environment as NAME=VALUE arguments
  rm -rf "$out/api-data"
  env ASPNETCORE_ENVIRONMENT=Production Api__AuthSecret=$secret Storage__Path="$out/api-data" Cluster__SiloPort=11311 \
    Cluster__GatewayPort=30300 Inference__Device=Cpu "$@" \
    dotnet Gateway.Api/bin/Release/net10.0/InnerEye.Gateway.Api.dll --urls "http://127.0.0.1:$port" >"$out/api-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && return; sleep 0.5; done
  echo "server did not start; see $out/api-server.log" >&2; exit 1
}

echo "cores: $(nproc); wrk: 2 threads, 32 connections, ${duration} s per route"
# 1. A job held in its first stage keeps its status 'running' while the routes are polled.
start_server ModelGrain__StagePause=00:30:00
/usr/bin/python3 bench/api_bench.py polls --url "http://127.0.0.1:$port" --secret $secret --zip "$out/api-256/scan.zip" \
  --duration "$duration"
stop_server
# 2 and 3. Latency and concurrency on a fresh server.
start_server
/usr/bin/python3 bench/api_bench.py jobs --url "http://127.0.0.1:$port" --secret $secret --pid "$server_pid" \
  --big-zip "$out/api-512/scan.zip" --small-zip "$out/api-256/scan.zip" --concurrent 20
