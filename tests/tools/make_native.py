#!/usr/bin/python3
"""Write a small synthetic native (Explicit VR Little Endian) DICOM image for codec round trips.

Usage: make_native.py OUT KIND
KIND: u16full  - 16-bit unsigned, whole 0..65535 range with hard jumps (difference 32768 in JPEG lossless)
      s16      - 16-bit signed (bits stored 16) smooth ramp with noise
      u12      - 12 bits stored in 16 allocated, unsigned
      s12      - 12 bits stored in 16 allocated, signed, sign-extended in the container (as CT often is)
      u8       - 8-bit monochrome
      rgb8     - 8-bit RGB, interleaved
Deterministic: the same KIND always gives the same pixels.
"""
import sys

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

ROWS, COLS = 67, 45  # odd sizes on purpose


def pixels(kind: str) -> tuple[np.ndarray, int, int, int, int]:
    """Returns (array, samples, bits_allocated, bits_stored, signed)."""
    rng = np.random.default_rng(1234)
    y, x = np.mgrid[0:ROWS, 0:COLS]
    if kind == "u16full":
        a = (x * 1400 + y * 900 + rng.integers(0, 64, (ROWS, COLS))) % 65536
        a[::7, ::5] = 65535
        a[3::11, 2::3] = 0
        return a.astype("<u2"), 1, 16, 16, 0
    if kind == "s16":
        a = (x - 20) * 700 + (y - 30) * 300 + rng.integers(-50, 50, (ROWS, COLS))
        a[5, 5], a[6, 6] = -32768, 32767
        return a.astype("<i2"), 1, 16, 16, 1
    if kind == "u12":
        a = (x * 60 + y * 30 + rng.integers(0, 20, (ROWS, COLS))) % 4096
        return a.astype("<u2"), 1, 16, 12, 0
    if kind == "s12":
        a = (x - 22) * 40 + (y - 33) * 30 + rng.integers(-9, 9, (ROWS, COLS))
        a[2, 2], a[3, 3] = -2048, 2047
        return a.astype("<i2"), 1, 16, 12, 1
    if kind == "u8":
        a = (x * 5 + y * 3 + rng.integers(0, 9, (ROWS, COLS))) % 256
        return a.astype("u1"), 1, 8, 8, 0
    if kind == "rgb8":
        a = np.stack([(x * 5) % 256, (y * 3) % 256, rng.integers(0, 256, (ROWS, COLS))], axis=-1)
        return a.astype("u1"), 3, 8, 8, 0
    raise SystemExit(f"unknown kind {kind}")


def main() -> int:
    out, kind = sys.argv[1], sys.argv[2]
    arr, spp, bits, stored, signed = pixels(kind)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.PatientName = "Synthetic^Codec"
    ds.PatientID = "CODEC"
    ds.Modality = "OT"
    ds.Rows, ds.Columns = ROWS, COLS
    ds.SamplesPerPixel = spp
    ds.PhotometricInterpretation = "RGB" if spp == 3 else "MONOCHROME2"
    if spp == 3:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = bits
    ds.BitsStored = stored
    ds.HighBit = stored - 1
    ds.PixelRepresentation = signed
    ds.PixelData = arr.tobytes()
    ds.save_as(out, write_like_original=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
