#!/usr/bin/python3
"""Dump the pixel data of a DICOM file as little-endian samples, interleaved by pixel, all frames concatenated.

Usage: native_pixels.py FILE OUT.raw
A compressed FILE is first decompressed to a temporary native file with dcmtk (dcmdrle, dcmdjpeg, dcmdjpls)
or, failing that, with gdcmconv --raw. Colour data is left in the photometric interpretation it is stored in
(no YBR->RGB conversion), so the output matches what a frame decoder yields.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import pydicom

DCMTK = {
    "1.2.840.10008.1.2.5": ["dcmdrle"],
    "1.2.840.10008.1.2.4.50": ["dcmdjpeg", "+cn"],
    "1.2.840.10008.1.2.4.51": ["dcmdjpeg", "+cn"],
    "1.2.840.10008.1.2.4.57": ["dcmdjpeg", "+cn"],
    "1.2.840.10008.1.2.4.70": ["dcmdjpeg", "+cn"],
    "1.2.840.10008.1.2.4.80": ["dcmdjpls"],
    "1.2.840.10008.1.2.4.81": ["dcmdjpls"],
}


def decompress(src: str, dst: str) -> None:
    ts = str(pydicom.dcmread(src, stop_before_pixels=True).file_meta.TransferSyntaxUID)
    tool = DCMTK.get(ts)
    if tool is not None:
        r = subprocess.run(tool + [src, dst], capture_output=True, text=True)
        if r.returncode == 0:
            return
        print(f"{tool[0]} failed: {r.stderr.strip()}", file=sys.stderr)
    r = subprocess.run(["gdcmconv", "--raw", src, dst], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"gdcmconv --raw failed: {r.stderr.strip()}")


def main() -> int:
    src, out = sys.argv[1], sys.argv[2]
    ds = pydicom.dcmread(src)
    with tempfile.TemporaryDirectory() as tmp:
        if ds.file_meta.TransferSyntaxUID.is_compressed:
            native = os.path.join(tmp, "native.dcm")
            decompress(src, native)
            ds = pydicom.dcmread(native)
        raw = ds.PixelData
        bits = int(ds.BitsAllocated)
        spp = int(ds.SamplesPerPixel)
        rows, cols = int(ds.Rows), int(ds.Columns)
        frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
        planar = int(getattr(ds, "PlanarConfiguration", 0) or 0)
        dtype = {8: "u1", 16: "u2", 32: "u4"}[bits]
        order = ">" if ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.2" else "<"
        count = rows * cols * spp * frames
        arr = np.frombuffer(raw, dtype=np.dtype(order + dtype), count=count)
        if spp > 1 and planar == 1:
            arr = arr.reshape(frames, spp, rows * cols).transpose(0, 2, 1)
        arr.astype("<" + dtype).tofile(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
