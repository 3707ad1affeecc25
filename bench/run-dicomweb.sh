#!/usr/bin/env bash
# DICOMweb benchmark against the real embedded server (Release) and a real Orthanc on loopback:
#  (a)/(b) intake MB/s of the same 512x512x200 CT series sent as the gateway's zip to POST /v1/model/start and as one
#          STOW-RS request of 200 parts to POST /dicomweb/studies, alternately, one pair per phantom;
#  (c)     PassThroughModel result latency: from the STOW-RS answer until the RT Structure Set is in Orthanc, less the
#          series' quiet period, against the same series' pipeline through the zip route.
# usage: bench/run-dicomweb.sh [RUNS]      (RUNS phantoms, seeds 7, 8, ...; default 5; (c) uses the first 3 of them)
# needs: Orthanc and its DICOMweb plugin (apt-get install orthanc orthanc-dicomweb), /usr/bin/python3 with pydicom.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=bench/out
mkdir -p "$out"
orthanc=/usr/sbin/Orthanc
plugin=/usr/share/orthanc/plugins/libOrthancDicomWeb.so
[ -x "$orthanc" ] && [ -f "$plugin" ] || { echo "Orthanc or its DICOMweb plugin is not installed (apt-get install orthanc orthanc-dicomweb)" >&2; exit 2; }
dotnet build -c Release Cli -v q -nologo >/dev/null
dotnet build -c Release Gateway.Api -v q -nologo >/dev/null
cli=Cli/bin/Release/net10.0/innereye.dll

phantoms=()
for i in $(seq 0 $((runs - 1))); do
  seed=$((7 + i))
  dir="$out/dicomweb-512-s$seed"
  [ -f "$dir/scan.zip" ] || dotnet $cli phantom --seed $seed --rows 512 --cols 512 --slices 200 --spacing 0.8,0.8,1.5 --zip \
    --out "$dir" >/dev/null
  phantoms+=("$dir")
done
all=$(IFS=,; echo "${phantoms[*]}")
warmup="$out/dicomweb-warmup"
[ -f "$warmup/scan.zip" ] || dotnet $cli phantom --seed 99 --rows 128 --cols 128 --slices 20 --zip --out "$warmup" >/dev/null
latency_runs=$((runs < 3 ? runs : 3))
first=$(IFS=,; echo "${phantoms[*]:0:$latency_runs}")

free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
secret=bench-secret
quiet=1
server_pid=
orthanc_pid=
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; server_pid=; }
stop_orthanc() { [ -n "$orthanc_pid" ] && kill "$orthanc_pid" 2>/dev/null && wait "$orthanc_pid" 2>/dev/null || true; orthanc_pid=; }
trap 'stop_server; stop_orthanc' EXIT
start_server() { # extra environment as NAME=VALUE arguments
  rm -rf "$out/dicomweb-data"
  env ASPNETCORE_ENVIRONMENT=Production Api__AuthSecret=$secret Storage__Path="$out/dicomweb-data" Cluster__SiloPort=11312 \
    Cluster__GatewayPort=30301 Inference__Device=Cpu \
    Logging__Console__FormatterName=simple Logging__Console__FormatterOptions__TimestampFormat='yyyy-MM-ddTHH:mm:ss.fffZ ' \
    Logging__Console__FormatterOptions__UseUtcTimestamp=true "$@" \
    dotnet Gateway.Api/bin/Release/net10.0/InnerEye.Gateway.Api.dll --urls "http://127.0.0.1:$port" >"$out/dicomweb-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && return; sleep 0.5; done
  echo "server did not start; see $out/dicomweb-server.log" >&2; exit 1
}
start_orthanc() {
  local dir="$out/dicomweb-orthanc"
  rm -rf "$dir"
  mkdir -p "$dir"
  oport=$(free_port)
  cat >"$dir/orthanc.json" <<EOF
{
  "Name": "InnerEye bench Orthanc",
  "HttpServerEnabled": true,
  "HttpPort": $oport,
  "DicomServerEnabled": false,
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false,
  "OrthancExplorerEnabled": false,
  "StorageDirectory": "$PWD/$dir/storage",
  "IndexDirectory": "$PWD/$dir/index",
  "Plugins": ["$plugin"],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
}
EOF
  "$orthanc" "$dir/orthanc.json" >"$dir/orthanc.log" 2>&1 &
  orthanc_pid=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$oport/system" >/dev/null && return; sleep 0.5; done
  echo "Orthanc did not start; see $dir/orthanc.log" >&2; exit 1
}

echo "cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ); Orthanc $($orthanc --version | head -1 | awk '{print $2}')"
echo "phantoms: ${phantoms[*]} (512x512x200, 16-bit, 0.8x0.8x1.5 mm)"

# (a) and (b): intake. A long quiet period keeps the received series from being routed while uploads are timed.
echo; echo "== intake: gateway zip vs STOW-RS =="
start_server DicomWeb__SeriesQuietPeriod=01:00:00
/usr/bin/python3 bench/dicomweb_bench.py intake --url "http://127.0.0.1:$port" --secret $secret --phantoms "$all" --warmup "$warmup"
stop_server

# (c): result latency, on a fresh server routing CT series to PassThroughModel and sending the result to Orthanc.
echo; echo "== result latency: STOW-RS -> RT in Orthanc vs the zip route's pipeline (quiet period ${quiet} s) =="
start_orthanc
start_server DicomWeb__SeriesQuietPeriod=00:00:0$quiet DicomWeb__Routes__0__Match__Modality=CT DicomWeb__Routes__0__Model=PassThroughModel \
  DicomWeb__Routes__0__Destinations__0=orthanc DicomWeb__Destinations__orthanc__Url="http://127.0.0.1:$oport/dicom-web/"
/usr/bin/python3 bench/dicomweb_bench.py latency --url "http://127.0.0.1:$port" --secret $secret --phantoms "$first" \
  --orthanc "http://127.0.0.1:$oport" --quiet $quiet --log "$out/dicomweb-server.log"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
