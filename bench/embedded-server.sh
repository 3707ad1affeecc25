# Sourced by the benchmarks that drive the real embedded server (Release) on loopback: builds it and the CLI, makes
# the two phantom zips, and defines start_server / stop_server (stopped on exit too). Set before sourcing: name (the
# server's data folder and log under bench/out), port, silo_port, gateway_port, and optionally server_env (an array of
# NAME=VALUE settings every start gets).
out=bench/out
mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
dotnet build -c Release Cli -v q -nologo >/dev/null
dotnet build -c Release Gateway.Api -v q -nologo >/dev/null
cli=Cli/bin/Release/net10.0/innereye.dll
[ -f "$out/api-512/scan.zip" ] || dotnet $cli phantom --seed 4242 --rows 512 --cols 512 --slices 200 --spacing 0.8,0.8,1.5 --zip \
  --out "$out/api-512" >/dev/null
[ -f "$out/api-256/scan.zip" ] || dotnet $cli phantom --seed 4243 --rows 256 --cols 256 --slices 60 --zip --out "$out/api-256" >/dev/null

secret=bench-secret
server_pid=
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; server_pid=; }
trap stop_server EXIT
start_server() { # extra environment as NAME=VALUE arguments
  rm -rf "$out/$name-data"
  env ASPNETCORE_ENVIRONMENT=Production Api__AuthSecret=$secret Storage__Path="$out/$name-data" Cluster__SiloPort="$silo_port" \
    Cluster__GatewayPort="$gateway_port" Inference__Device=Cpu ${server_env[@]+"${server_env[@]}"} "$@" \
    dotnet Gateway.Api/bin/Release/net10.0/InnerEye.Gateway.Api.dll --urls "http://127.0.0.1:$port" >"$out/$name-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && return; sleep 0.5; done
  echo "server did not start; see $out/$name-server.log" >&2; exit 1
}
