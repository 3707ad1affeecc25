#!/usr/bin/python3
"""Baseline: load a folder or gateway zip of one series into a HU volume with pydicom + numpy, as users of the
Python tools do (read every file, sort by position along the normal, stack, apply rescale).
Prints: seconds, pixel MB, MB/s and peak RSS growth, in the same format as imaging-bench."""
import io
import os
import resource
import sys
import time
import zipfile

import numpy as np
import pydicom


def load(path):
    if os.path.isdir(path):
        files = [os.path.join(r, n) for r, _, ns in os.walk(path) for n in ns]
        slices = [pydicom.dcmread(f) for f in files]
    else:
        with zipfile.ZipFile(path) as z:
            slices = [pydicom.dcmread(io.BytesIO(z.read(n))) for n in z.namelist() if not n.endswith("/")]
    iop = np.array(slices[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(iop[:3], iop[3:])
    slices.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, dtype=float), normal)))
    volume = np.empty((len(slices), slices[0].Rows, slices[0].Columns), dtype=np.float32)
    for k, d in enumerate(slices):
        volume[k] = d.pixel_array.astype(np.float32) * float(d.RescaleSlope) + float(d.RescaleIntercept)
    return volume


def main():
    path, repeats = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    best, pixels = float("inf"), 0
    for _ in range(repeats):
        t = time.perf_counter()
        v = load(path)
        best = min(best, time.perf_counter() - t)
        pixels = v.size * 2
        del v
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - start
    print(f"pydicom seconds={best:.4f} pixelMB={pixels / 1e6:.1f} MBps={pixels / 1e6 / best:.1f} peakGrowthMB={peak / 1e6:.1f}")


if __name__ == "__main__":
    main()
