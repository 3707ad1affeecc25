#!/usr/bin/env bash
# Load benchmark against the real embedded server (Release) on loopback, for one or more builds in turn:
#  1. 500 concurrent pollers of the two status routes (GET /v1/model/results/{id} -> 202 and
#     GET /api/v1/models/{m}/segmentation/{id} -> JSON, on a job held running by ModelGrain__StagePause), first alone,
#     then beside 10 concurrent uploads of a 512x512x200 phantom zip (~78 MB) to POST /v1/model/start/PassThroughModel:
#     polls per second, p50 and p99 latency, errors, upload durations and the server's peak RSS;
#  2. memory per job: the growth of the server's peak RSS while 1, 2 and 4 PassThroughModel jobs on the same zip run to
#     completion, each count on a fresh server.
# Every server starts on a fresh storage folder. Without --server, this tree is built in Release and measured.
# usage: bench/run-load.sh [--server DIR_WITH_DLL [--label NAME]]... [--pollers N] [--uploads N] [--alone SECONDS]
#        [--jobs "1 2 4"]        (needs wrk: apt-get install wrk)
# e.g.   bench/run-load.sh --server ../before/gateway --label before --server Gateway.Api/bin/Release/net10.0 --label after
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."
servers=() labels=() pollers=500 uploads=10 alone=10 jobs="1 2 4"
while [ $# -gt 0 ]; do
  case "$1" in
    --server) servers+=("$2"); shift 2 ;;
    --label) labels+=("$2"); shift 2 ;;
    --pollers) pollers=$2; shift 2 ;;
    --uploads) uploads=$2; shift 2 ;;
    --alone) alone=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    *) sed -n '2,13s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk); it drives the pollers" >&2; exit 2; }
out=bench/out
mkdir -p "$out"
if [ ${#servers[@]} -eq 0 ]; then
  dotnet build -c Release Gateway.Api -v q -nologo >/dev/null
  servers=("$PWD/Gateway.Api/bin/Release/net10.0")
  [ ${#labels[@]} -gt 0 ] || labels=("this tree")
fi
for i in "${!servers[@]}"; do
  servers[$i]=$(cd "$caller" && cd "${servers[$i]}" && pwd) || { echo "no folder ${servers[$i]}" >&2; exit 2; }
  [ -f "${servers[$i]}/InnerEye.Gateway.Api.dll" ] || { echo "no InnerEye.Gateway.Api.dll in ${servers[$i]}" >&2; exit 2; }
  [ -n "${labels[$i]:-}" ] || labels[$i]=$(basename "${servers[$i]}")
done

cli=Cli/bin/Release/net10.0/innereye.dll
if [ ! -f "$out/api-512/scan.zip" ] || [ ! -f "$out/api-256/scan.zip" ]; then
  [ -f "$cli" ] || dotnet build -c Release Cli -v q -nologo >/dev/null
  [ -f "$out/api-512/scan.zip" ] || dotnet $cli phantom --seed 4242 --rows 512 --cols 512 --slices 200 --spacing 0.8,0.8,1.5 \
    --zip --out "$out/api-512" >/dev/null
  [ -f "$out/api-256/scan.zip" ] || dotnet $cli phantom --seed 4243 --rows 256 --cols 256 --slices 60 --zip --out "$out/api-256" >/dev/null
fi

# 500 client sockets and as many server sockets, beside the server's own files.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
port=5340
url=http://127.0.0.1:$port
secret=bench-secret
models="$PWD/models"
data="$PWD/$out/load-data"
server_pid=
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; server_pid=; }
trap 'stop_server; rm -rf "$data"' EXIT
start_server() { # $1 = build folder, $2 = log name; extra environment as NAME=VALUE arguments
  local dir=$1 log="$PWD/$out/load-server-$2.log"
  shift 2
  if curl -s -o /dev/null "$url/ping"; then echo "port $port is already in use" >&2; exit 1; fi
  rm -rf "$data"
  # Run from the build folder, as the container image does, so that its appsettings.json (log levels) applies.
  (cd "$dir" && exec env ASPNETCORE_ENVIRONMENT=Production Api__AuthSecret=$secret Storage__Path="$data" \
    Models__Path="$models" Cluster__SiloPort=11341 Cluster__GatewayPort=30341 Inference__Device=Cpu "$@" \
    dotnet InnerEye.Gateway.Api.dll --urls "$url") >>"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 240); do
    curl -sf "$url/health/ready" >/dev/null && return
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "server did not start; see $log" >&2; exit 1
}

echo "cores: $(nproc); $pollers pollers (wrk, ${alone} s alone, then beside $uploads uploads until they end); memory with $jobs job(s)"
results=()
for i in "${!servers[@]}"; do
  dir=${servers[$i]} label=${labels[$i]}
  slug=$(printf '%s' "$label" | tr -c 'A-Za-z0-9._-' '-')
  echo "== $label ($dir)"
  rm -f "$out/load-server-$slug.log" "$out/load-$slug-memory.json"
  # 1. Pollers on a job held in its first stage, alone and beside the uploads (which queue behind it).
  start_server "$dir" "$slug" ModelGrain__StagePause=00:30:00
  /usr/bin/python3 bench/load_bench.py load --url "$url" --secret $secret --pid "$server_pid" --label "$label" \
    --json "$out/load-$slug-load.json" --park-zip "$out/api-256/scan.zip" --big-zip "$out/api-512/scan.zip" \
    --pollers "$pollers" --uploads "$uploads" --alone "$alone"
  stop_server
  # 2. Memory per job, a fresh server for each count.
  for n in $jobs; do
    start_server "$dir" "$slug"
    /usr/bin/python3 bench/load_bench.py memory --url "$url" --secret $secret --pid "$server_pid" --label "$label" \
      --json "$out/load-$slug-memory.json" --zip "$out/api-512/scan.zip" --jobs "$n"
    stop_server
  done
  results+=("$out/load-$slug-load.json" "$out/load-$slug-memory.json")
done
echo
echo "== all builds ($(nproc) cores, $(date +%F))"
/usr/bin/python3 bench/load_bench.py report "${results[@]}"
