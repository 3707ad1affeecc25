#!/usr/bin/env bash
# Imaging benchmark: load a 512x512x200 16-bit CT series into a HU volume from a folder, from the gateway's deflated
# zip, and from RLE / JPEG Lossless / JPEG-LS transcodes, next to same-run baselines (pydicom + numpy; bare .NET inflate).
# usage: bench/run-imaging.sh [repeats]     (needs python3-pydicom, python3-numpy, dcmtk)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-3}"
out=bench/out
mkdir -p "$out"
if [ ! -d "$out/series" ]; then
  /usr/bin/python3 tests/tools/make_ct_series.py "$out/series" --rows 512 --cols 512 --slices 200 --spacing 0.8,0.8,2 >/dev/null
  /usr/bin/python3 tests/tools/make_ct_series.py "$out/series.zip" --zip --rows 512 --cols 512 --slices 200 --spacing 0.8,0.8,2 >/dev/null
fi
transcode() { # name, dcmtk command with options
  local name=$1; shift
  if [ ! -d "$out/$name" ]; then
    mkdir -p "$out/$name/ct"
    for f in "$out"/series/ct/*; do "$@" "$f" "$out/$name/ct/$(basename "$f")"; done
  fi
}
transcode rle dcmcrle
transcode jpeg-lossless dcmcjpeg --encode-lossless-sv1
transcode jpeg-ls dcmcjpls --encode-lossless

dotnet build -c Release bench/Imaging.Bench -v q -nologo >/dev/null
bench=bench/Imaging.Bench/bin/Release/net10.0/imaging-bench
sync
cat "$out"/series/ct/* "$out/series.zip" >/dev/null  # page cache warm for every contender

run() { printf '%-28s ' "$1"; shift; "$@"; }
echo "cores: $(nproc)"
run "pydicom folder"            /usr/bin/python3 bench/pydicom_load.py "$out/series" "$repeats"
run "innereye folder"           "$bench" load "$out/series" "$repeats"
run "pydicom zip"               /usr/bin/python3 bench/pydicom_load.py "$out/series.zip" "$repeats"
run ".NET inflate-only zip"     "$bench" inflate "$out/series.zip" "$repeats"
run "innereye zip"              "$bench" load "$out/series.zip" "$repeats"
for codec in rle jpeg-lossless jpeg-ls; do
  run "innereye $codec folder"  "$bench" load "$out/$codec" "$repeats"
done
