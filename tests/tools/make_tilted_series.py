#!/usr/bin/python3
"""Rewrite a straight CT series (e.g. a phantom's ct/ folder) as one acquired with a tilted gantry.

make_tilted_series.py SOURCE_DIR OUT_DIR --tilt DEGREES [--bend MM]

The slices keep their pixels, orientation and pixel spacing. Sorted along the slice normal, slice k is moved to
origin + k * step * t, where origin is the first slice's position, step the source's distance between neighbouring
positions, and t the slice normal rotated by DEGREES about the row direction (the patient's left-right axis for an
axial series) toward the column direction: the positions shift along the column direction as the slices advance.
GantryDetectorTilt (0018,1120) is set to DEGREES. --bend adds MM * 4k(n-1-k)/(n-1)^2 along the column direction (a
parabola, MM at the middle slice), so that the positions no longer lie on one straight line.

Prints the geometry the series should load with, as JSON: origin, spacing (column, row, step), direction (row,
column, unit step) and tiltDegrees.
"""
import argparse
import json
import math
import os

import numpy as np
import pydicom


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("--tilt", type=float, required=True)
    parser.add_argument("--bend", type=float, default=0.0)
    args = parser.parse_args()

    files = [os.path.join(args.source, f) for f in sorted(os.listdir(args.source))]
    slices = [(f, pydicom.dcmread(f)) for f in files if os.path.isfile(f)]
    o = np.array([float(v) for v in slices[0][1].ImageOrientationPatient])
    row, col = o[:3], o[3:]
    normal = np.cross(row, col)
    slices.sort(key=lambda s: float(np.dot(np.array([float(v) for v in s[1].ImagePositionPatient]), normal)))
    positions = [np.array([float(v) for v in ds.ImagePositionPatient]) for _, ds in slices]
    n = len(slices)
    origin = positions[0]
    step = float(np.linalg.norm(positions[1] - positions[0])) if n > 1 else float(slices[0][1].SliceThickness)
    a = math.radians(args.tilt)
    t = math.cos(a) * normal + math.sin(a) * col

    os.makedirs(args.out, exist_ok=True)
    for k, (path, ds) in enumerate(slices):
        p = origin + k * step * t
        if args.bend and n > 2:
            p = p + args.bend * 4 * k * (n - 1 - k) / (n - 1) ** 2 * col
        ds.ImagePositionPatient = [f"{v:.6f}" for v in p]
        ds.GantryDetectorTilt = f"{args.tilt:.6g}"
        ds.save_as(os.path.join(args.out, os.path.basename(path)))

    print(json.dumps({
        "origin": [float(v) for v in origin],
        "spacing": [float(slices[0][1].PixelSpacing[1]), float(slices[0][1].PixelSpacing[0]), step],
        "direction": [float(v) for v in np.concatenate([row, col, t])],
        "tiltDegrees": abs(args.tilt),
    }))


if __name__ == "__main__":
    main()
