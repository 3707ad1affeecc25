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
name=api port=5300 silo_port=11311 gateway_port=30300
source bench/embedded-server.sh

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
