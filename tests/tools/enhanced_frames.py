#!/usr/bin/python3
"""Read an enhanced multi-frame image the way a pydicom + numpy user would, as a reference for our loader.

enhanced_frames.py FILE[.gz] OUT.raw → writes every frame as float32 modality values (x fastest), frames ordered by
InStackPositionNumber, and prints a JSON line {"size", "positions", "orientation", "spacing"} in that order. Each
frame's functional group is its per-frame item, else the shared one.
"""
import gzip
import io
import json
import sys

import numpy as np
import pydicom


def group(ds, frame, name):
    item = ds.PerFrameFunctionalGroupsSequence[frame]
    if name in item:
        return item[name].value[0]
    return ds.SharedFunctionalGroupsSequence[0][name].value[0]


def main():
    path = sys.argv[1]
    data = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    ds = pydicom.dcmread(io.BytesIO(data))
    pixels = ds.pixel_array
    frames = int(ds.NumberOfFrames)
    order = sorted(range(frames), key=lambda f: int(group(ds, f, "FrameContentSequence").InStackPositionNumber))
    out = []
    for f in order:
        t = group(ds, f, "PixelValueTransformationSequence")
        out.append(pixels[f].astype(np.float32) * float(t.RescaleSlope) + float(t.RescaleIntercept))
    np.stack(out).astype(np.float32).tofile(sys.argv[2])
    print(json.dumps({
        "size": [int(ds.Columns), int(ds.Rows), frames],
        "positions": [[float(v) for v in group(ds, f, "PlanePositionSequence").ImagePositionPatient] for f in order],
        "orientation": [float(v) for v in group(ds, order[0], "PlaneOrientationSequence").ImageOrientationPatient],
        "spacing": [float(v) for v in group(ds, order[0], "PixelMeasuresSequence").PixelSpacing],
    }))


if __name__ == "__main__":
    main()
