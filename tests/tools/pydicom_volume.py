#!/usr/bin/python3
"""Load a folder or gateway zip of one CT series the way a pydicom + numpy user would, as a reference for our loader.

pydicom_volume.py PATH OUT.raw  → writes the HU volume as float32 (x fastest, slices sorted along the normal) and
prints a JSON line {"size","spacing","origin","direction"}. Decompression uses whatever handlers pydicom has.
"""
import io
import json
import os
import sys
import zipfile

import numpy as np
import pydicom


def datasets(path):
    if os.path.isdir(path):
        for root, _, names in os.walk(path):
            for name in names:
                yield pydicom.dcmread(os.path.join(root, name))
    else:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if not name.endswith("/"):
                    yield pydicom.dcmread(io.BytesIO(z.read(name)))


def main():
    slices = list(datasets(sys.argv[1]))
    iop = np.array(slices[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(iop[:3], iop[3:])
    slices.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, dtype=float), normal)))
    volume = np.stack([d.pixel_array.astype(np.float32) * float(getattr(d, "RescaleSlope", 1))
                       + float(getattr(d, "RescaleIntercept", 0)) for d in slices])
    volume.astype(np.float32).tofile(sys.argv[2])
    positions = [np.dot(np.array(d.ImagePositionPatient, dtype=float), normal) for d in slices]
    gap = float(np.median(np.diff(positions))) if len(slices) > 1 else float(getattr(slices[0], "SliceThickness", 1))
    print(json.dumps({"size": [int(slices[0].Columns), int(slices[0].Rows), len(slices)],
                      "spacing": [float(slices[0].PixelSpacing[1]), float(slices[0].PixelSpacing[0]), gap],
                      "origin": [float(v) for v in slices[0].ImagePositionPatient],
                      "direction": [*map(float, iop), *map(float, normal)]}))


if __name__ == "__main__":
    main()
