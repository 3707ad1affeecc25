#!/usr/bin/env bash
# DICOM Segmentation benchmark: write the labels of a 512x512x200 thorax phantom as SEG (BINARY and label map) and as an
# RT Structure Set, best of the repeats, with each file's size.
# usage: bench/run-seg.sh [repeats]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-3}"
mkdir -p bench/out
dotnet build -c Release bench/Imaging.Bench -v q -nologo >/dev/null
bench/Imaging.Bench/bin/Release/net10.0/imaging-bench seg bench/out/seg-phantom "$repeats"
