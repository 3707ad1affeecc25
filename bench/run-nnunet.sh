#!/usr/bin/env bash
# nnU-Net benchmark: the fixture's model (../shared/nnunet) imported with `innereye models import-nnunet`, run by this
# service and by nnU-Net's own predictor (the fixture's reference/run.sh) on the same CPU, with the same threads and
# settings, in the same run: on a fixture case and on a 512x512x200 CT phantom (resampled to the model's spacing by both).
# Prints per setting: both end-to-end times and their ratio, our per-stage split, network time vs the bare ONNX
# session on the same patches, voxel agreement with nnU-Net's segmentation, batchSize 1 vs 4, peak memory.
# usage: bench/run-nnunet.sh [--threads N] [--settings a,b,c] [--case hfs_std] [--skip-large]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=$(nproc); settings=a,b,c; case_name=hfs_std; large=1
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --settings) settings=$2; shift 2 ;;
    --case) case_name=$2; shift 2 ;;
    --skip-large) large=0; shift ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
fixture=$(cd .. && pwd)/shared/nnunet
[ -d "$fixture" ] || { echo "the nnU-Net fixture is not at $fixture" >&2; exit 2; }
model_dir="$fixture/Dataset501_ThoraxPhantom/nnUNetTrainer__nnUNetPlans__3d_fullres"
out=bench/out/nnunet
mkdir -p "$out"
dotnet build -c Release Cli -v q -nologo >/dev/null
dotnet build -c Release bench/Inference.Bench -v q -nologo >/dev/null
innereye="dotnet Cli/bin/Release/net10.0/innereye.dll"
bench=bench/Inference.Bench/bin/Release/net10.0/inference-bench

import() { # setting → models folder
  local s=$1 dir="$out/models-$1" opts
  case "$s" in a) opts="--folds 0,1" ;; b) opts="--folds 0,1 --no-mirroring" ;; c) opts="--folds 0 --no-mirroring" ;; esac
  [ -f "$dir/Thorax501.json" ] || $innereye models import-nnunet "$model_dir" --id Thorax501 $opts --out "$dir" >/dev/null
  echo "$dir"
}

series=("$fixture/cases/$case_name/ct")
names=("$case_name")
if [ "$large" = 1 ]; then
  if [ ! -d bench/out/phantom-512x512x200/ct ]; then
    $innereye phantom --seed 4242 --rows 512 --cols 512 --slices 200 --spacing 0.8,0.8,1.5 --out bench/out/phantom-512x512x200 >/dev/null
  fi
  series+=("$PWD/bench/out/phantom-512x512x200/ct"); names+=("ct-512x512x200")
fi

echo "cores: $(nproc), threads: $threads (ONNX Runtime intra-op here, torch.set_num_threads there)"
for i in "${!series[@]}"; do
  ct=${series[$i]}; name=${names[$i]}
  for s in ${settings//,/ }; do
    models=$(import "$s")
    case "$s" in a) ref_opts="--folds 0,1" ;; b) ref_opts="--folds 0,1 --no-mirroring" ;; c) ref_opts="--folds 0 --no-mirroring" ;; esac
    ref_out="$out/reference-$name-$s"
    [ -f "$ref_out/run.json" ] || "$fixture/reference/run.sh" "$ct" "$ref_out" $ref_opts --threads "$threads" >/dev/null 2>&1
    ours="$out/ours-$name-$s"; mkdir -p "$ours"
    $innereye segment "$ct" --model Thorax501 --models "$models" --out "$ours/rt.dcm" --labels "$ours/labels.nii.gz" --device cpu >/dev/null
    echo "== $name, setting $s"
    "$bench" "$models" Thorax501 "$ct" cpu "$threads" | tee "$ours/bench.txt"
    /usr/bin/python3 bench/nnunet_compare.py "$ref_out" "$ours" "$s"
  done
done

# Patches per network run: the dynamic-batch export, 1 vs 4 patches per run (setting a: 4 mirrored copies per tile).
dyn="$out/models-dynbatch"
if [ ! -f "$dyn/Thorax501.json" ]; then
  $innereye models import-nnunet "$model_dir" --id Thorax501 --folds 0,1 --onnx-name model_dynbatch.onnx --batch-size 4 --out "$dyn" >/dev/null
fi
dyn1="$out/models-dynbatch-1"; mkdir -p "$dyn1"
cp "$dyn"/*.onnx "$dyn1"/
sed 's/"batchSize": 4/"batchSize": 1/' "$dyn/Thorax501.json" > "$dyn1/Thorax501.json"
for d in "$dyn1" "$dyn"; do
  echo "== ${series[0]##*/cases/} setting a, $(grep -o '"batchSize": [0-9]*' "$d/Thorax501.json")"
  "$bench" "$d" Thorax501 "${series[0]}" cpu "$threads" | grep -E "end to end|network"
done
