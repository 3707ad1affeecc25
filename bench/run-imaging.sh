#!/usr/bin/env bash
# Imaging benchmark: load a 512x512x200 16-bit CT series into a HU volume from a folder, from the gateway's deflated
# zip, from RLE / JPEG Lossless / JPEG-LS transcodes and from one legacy-converted enhanced multi-frame file of the same
# pixels, next to same-run baselines (pydicom + numpy; bare .NET inflate).
# usage: bench/run-imaging.sh [repeats]     (needs python3-pydicom, python3-numpy, dcmtk, pixelmed-apps)
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
if [ ! -d "$out/enhanced" ]; then
  mkdir -p "$out/enhanced/ct"
  java -Djava.awt.headless=true -cp /usr/share/java/pixelmed.jar:/usr/share/java/commons-codec.jar \
    com.pixelmed.dicom.MultiFrameImageFactory "$out/series/ct" "$out/enhanced/ct" >/dev/null 2>&1
fi
transcode rle dcmcrle
transcode jpeg-lossless dcmcjpeg --encode-lossless-sv1
transcode jpeg-ls dcmcjpls --encode-lossless

dotnet build -c Release bench/Imaging.Bench -v q -nologo >/dev/null
bench=bench/Imaging.Bench/bin/Release/net10.0/imaging-bench
sync
cat "$out"/series/ct/* "$out/series.zip" "$out"/enhanced/ct/* >/dev/null  # page cache warm for every contender

run() { printf '%-28s ' "$1"; shift; "$@"; }
echo "cores: $(nproc)"
run "pydicom folder"            /usr/bin/python3 bench/pydicom_load.py "$out/series" "$repeats"
run "innereye folder"           "$bench" load "$out/series" "$repeats"
run "innereye enhanced (1 file)" "$bench" load "$out/enhanced" "$repeats"
run "folder vs enhanced, interleaved" "$bench" interleave "$out/series" "$out/enhanced" $((repeats * 6))
run "pydicom zip"               /usr/bin/python3 bench/pydicom_load.py "$out/series.zip" "$repeats"
run ".NET inflate-only zip"     "$bench" inflate "$out/series.zip" "$repeats"
run "innereye zip"              "$bench" load "$out/series.zip" "$repeats"
for codec in rle jpeg-lossless jpeg-ls; do
  run "innereye $codec folder"  "$bench" load "$out/$codec" "$repeats"
done
