#!/usr/bin/python3
"""Write each encapsulated frame of a DICOM file as OUTDIR/frame_N.bin plus OUTDIR/info.json.

Usage: extract_frames.py FILE OUTDIR
info.json: rows, columns, samples, bits_allocated, bits_stored, signed, planar, frames, transfer_syntax.
"""
import json
import os
import sys

import pydicom
from pydicom.encaps import generate_pixel_data_frame


def main() -> int:
    src, outdir = sys.argv[1], sys.argv[2]
    ds = pydicom.dcmread(src)
    if not ds.file_meta.TransferSyntaxUID.is_compressed:
        print(f"{src}: not encapsulated", file=sys.stderr)
        return 2
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    os.makedirs(outdir, exist_ok=True)
    count = 0
    for i, frame in enumerate(generate_pixel_data_frame(ds.PixelData, frames)):
        with open(os.path.join(outdir, f"frame_{i}.bin"), "wb") as f:
            f.write(frame)
        count += 1
    info = {
        "rows": int(ds.Rows),
        "columns": int(ds.Columns),
        "samples": int(ds.SamplesPerPixel),
        "bits_allocated": int(ds.BitsAllocated),
        "bits_stored": int(ds.BitsStored),
        "signed": int(ds.PixelRepresentation) == 1,
        "planar": int(getattr(ds, "PlanarConfiguration", 0) or 0),
        "frames": count,
        "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
    }
    with open(os.path.join(outdir, "info.json"), "w") as f:
        json.dump(info, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
