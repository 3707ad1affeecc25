#!/usr/bin/env bash
# Cluster benchmark: jobs per minute with one and with two model (GPU-role) silos, each pinned to its own CPU core
# (taskset) with one ONNX Runtime thread, beside a Redis, a CPU silo for the job grains and the front end as an
# Orleans client, all on this machine. PassThroughModel and ThoraxCT, N jobs submitted at once.
# usage: bench/run-cluster.sh [JOBS]      (default 8; needs redis-server and taskset)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-8}
out=bench/out
mkdir -p "$out"
dotnet build -c Release Cli -v q -nologo >/dev/null
dotnet build -c Release Gateway.Api -v q -nologo >/dev/null
dotnet build -c Release Silo -v q -nologo >/dev/null
[ -f "$out/api-256/scan.zip" ] || dotnet Cli/bin/Release/net10.0/innereye.dll phantom --seed 4243 --rows 256 --cols 256 --slices 60 --zip \
  --out "$out/api-256" >/dev/null
zip="$out/api-256/scan.zip"
secret=bench-secret
pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }
trap stop_all EXIT
cpu_seconds() { # user + system CPU seconds of each process (dotnet is the child of taskset's exec, so the same pid)
  for p in "$@"; do awk -v t="$(getconf CLK_TCK)" '{ printf "%.0f ", ($14 + $15) / t }' "/proc/$p/stat"; done
}
wait_ready() { for _ in $(seq 1 120); do curl -sf "$1/health/ready" >/dev/null && return; sleep 0.5; done; echo "not ready: $1" >&2; exit 1; }

run_cluster() { # $1 = number of model silos
  local n=$1 data="$out/cluster-data" port=6390
  rm -rf "$data" && mkdir -p "$data/redis"
  redis-server --port $port --bind 127.0.0.1 --dir "$data/redis" --save "" --appendonly yes >"$data/redis.log" 2>&1 &
  pids+=($!)
  sleep 0.5
  export ASPNETCORE_ENVIRONMENT=Production Cluster__Mode=Redis Cluster__Redis=127.0.0.1:$port Cluster__AdvertisedIP=127.0.0.1 \
    ORLEANS_SERVICE_ID=bench ORLEANS_CLUSTER_ID=bench Storage__Path="$data/shared" Inference__Device=Cpu \
    Inference__IntraOpThreads=1 Segmentation__Replicas=$n Api__AuthSecret=$secret Logging__LogLevel__Default=Warning
  Silo__Role=cpu Cluster__SiloPort=11500 Cluster__GatewayPort=30500 \
    dotnet Silo/bin/Release/net10.0/InnerEye.Silo.dll --urls http://127.0.0.1:5500 >"$data/silo-cpu.log" 2>&1 &
  pids+=($!)
  wait_ready http://127.0.0.1:5500
  gpu_pids=()
  for i in $(seq 0 $((n - 1))); do
    Silo__Role=gpu Cluster__SiloPort=$((11510 + i)) Cluster__GatewayPort=$((30510 + i)) \
      taskset -c "$i" dotnet Silo/bin/Release/net10.0/InnerEye.Silo.dll --urls "http://127.0.0.1:$((5510 + i))" >"$data/silo-gpu-$i.log" 2>&1 &
    pids+=($!)
    gpu_pids+=($!)
    wait_ready "http://127.0.0.1:$((5510 + i))"
  done
  dotnet Gateway.Api/bin/Release/net10.0/InnerEye.Gateway.Api.dll --urls http://127.0.0.1:5520 >"$data/gateway.log" 2>&1 &
  pids+=($!)
  wait_ready http://127.0.0.1:5520
  echo "== $n model silo(s), one core each (taskset), 1 ONNX Runtime thread each; $(nproc) cores in all"
  for model in PassThroughModel ThoraxCT; do
    # One job first, so that sessions are warm and the replicas are placed.
    /usr/bin/python3 bench/api_bench.py throughput --url http://127.0.0.1:5520 --secret $secret --model $model --zip "$zip" --count "$n" >/dev/null
    before=$(cpu_seconds "${gpu_pids[@]}")
    /usr/bin/python3 bench/api_bench.py throughput --url http://127.0.0.1:5520 --secret $secret --model $model --zip "$zip" --count "$jobs"
    echo "  CPU seconds used by each model silo: $(cpu_seconds "${gpu_pids[@]}") (before: $before)"
  done
  stop_all
}

run_cluster 1
run_cluster 2
