#!/usr/bin/env bash
# Inference benchmark: a 512x512x200 thorax phantom through the whole pipeline on CPU, per stage, next to the same
# number of patches run straight through the model's ONNX Runtime session.
# usage: bench/run-inference.sh [MODEL...] [--device cpu|cuda]     (default: PassThroughModel ThoraxCT on cpu)
set -euo pipefail
cd "$(dirname "$0")/.."
device=cpu
models=()
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device=$2; shift 2 ;;
    *) models+=("$1"); shift ;;
  esac
done
[ ${#models[@]} -gt 0 ] || models=(PassThroughModel ThoraxCT)
out=bench/out
mkdir -p "$out"
dotnet build -c Release Cli -v q -nologo >/dev/null
dotnet build -c Release bench/Inference.Bench -v q -nologo >/dev/null
if [ ! -d "$out/phantom-512x512x200/ct" ]; then
  dotnet Cli/bin/Release/net10.0/innereye.dll phantom --seed 4242 --rows 512 --cols 512 --slices 200 --spacing 0.8,0.8,1.5 \
    --out "$out/phantom-512x512x200" >/dev/null
fi
echo "cores: $(nproc)"
for model in "${models[@]}"; do
  bench/Inference.Bench/bin/Release/net10.0/inference-bench models "$model" "$out/phantom-512x512x200/ct" "$device"
done
