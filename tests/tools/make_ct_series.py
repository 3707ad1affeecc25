#!/usr/bin/python3
"""Write a synthetic CT series with pydicom (a toolkit other than ours), for tests and benchmarks.

make_ct_series.py OUT [--rows R --cols C --slices Z --spacing sx,sy,sz] [--oblique] [--feet-first] [--hashed-uids]
                      [--implicit] [--bits-stored N] [--seed N] [--zip]
OUT is a folder of files named ct/<i> in shuffled order (gateway layout), or with --zip a deflated zip with the same
entry names. Pixel values: an elliptical body of water-like HU with a denser disc and noise, stored unsigned with
RescaleIntercept -1024. Prints a JSON line with the geometry written.
"""
import argparse
import hashlib
import io
import json
import math
import os
import random
import zipfile

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"


def hashed(value):
    """The gateway's anonymised UID: SHA512 digits, 64 characters, no dots."""
    digest = hashlib.sha512(value.encode()).digest()
    return ("1" + "".join(str(b) for b in digest))[:64]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--rows", type=int, default=64)
    p.add_argument("--cols", type=int, default=64)
    p.add_argument("--slices", type=int, default=8)
    p.add_argument("--spacing", default="0.8,0.8,2.5")
    p.add_argument("--oblique", action="store_true")
    p.add_argument("--feet-first", action="store_true")
    p.add_argument("--hashed-uids", action="store_true")
    p.add_argument("--implicit", action="store_true")
    p.add_argument("--bits-stored", type=int, default=16)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--zip", action="store_true")
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    sx, sy, sz = (float(v) for v in a.spacing.split(","))
    if a.oblique:
        t = math.radians(20)
        row = [math.cos(t), math.sin(t), 0.0]
        col = [0.0, math.cos(math.radians(10)), -math.sin(math.radians(10))]
        col = list(np.cross(np.cross(row, col), row))
        col = [c / np.linalg.norm(col) for c in col]
    else:
        row, col = [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]
    normal = np.cross(row, col)
    if a.feet_first:
        normal = -normal  # positions run the other way; IOP stays as scanners write it
    origin = np.array([-0.5 * a.cols * sx, -0.5 * a.rows * sy, 100.0])

    study, series, frame = (generate_uid() for _ in range(3))
    if a.hashed_uids:
        study, series, frame = hashed(study), hashed(series), hashed(frame)
    yy, xx = np.mgrid[0:a.rows, 0:a.cols]
    cy, cx = a.rows / 2, a.cols / 2
    body = ((xx - cx) / (0.42 * a.cols)) ** 2 + ((yy - cy) / (0.35 * a.rows)) ** 2 <= 1
    files = []
    for k in range(a.slices):
        hu = np.full((a.rows, a.cols), -1000.0)
        hu[body] = 40.0
        disc = (xx - cx - 0.1 * a.cols * math.sin(k / 3)) ** 2 + (yy - cy) ** 2 <= (0.1 * min(a.rows, a.cols)) ** 2
        hu[disc] = 700.0
        hu += rng.normal(0, 20, hu.shape)
        stored = np.clip(np.round(hu + 1024), 0, 2 ** a.bits_stored - 1).astype(np.uint16)
        position = origin + k * sz * normal
        sop = generate_uid()
        if a.hashed_uids:
            sop = hashed(sop)
        ds = Dataset()
        ds.SOPClassUID = CT_IMAGE_STORAGE
        ds.SOPInstanceUID = sop
        ds.Modality = "CT"
        ds.StudyInstanceUID = study
        ds.SeriesInstanceUID = series
        ds.FrameOfReferenceUID = frame
        ds.PatientName = "Phantom^Series"
        ds.PatientID = "PH%d" % a.seed
        ds.ImagePositionPatient = [float("%.6f" % v) for v in position]
        ds.ImageOrientationPatient = [float("%.6f" % v) for v in (*row, *col)]
        ds.PixelSpacing = [sy, sx]
        ds.SliceThickness = sz
        ds.Rows, ds.Columns = a.rows, a.cols
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated = 16
        ds.BitsStored = a.bits_stored
        ds.HighBit = a.bits_stored - 1
        ds.PixelRepresentation = 0
        ds.RescaleIntercept = -1024
        ds.RescaleSlope = 1
        ds.PixelData = stored.tobytes()
        if a.hashed_uids:
            # The gateway stores hashed UIDs as LO; written explicitly so the VR is visible in the file.
            for keyword in ("SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID"):
                ds[keyword].VR = "LO"
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CT_IMAGE_STORAGE
        meta.MediaStorageSOPInstanceUID = sop
        meta.TransferSyntaxUID = ImplicitVRLittleEndian if a.implicit else ExplicitVRLittleEndian
        ds.file_meta = meta
        ds.is_little_endian = True
        ds.is_implicit_VR = a.implicit
        buf = io.BytesIO()
        ds.save_as(buf, write_like_original=False)
        files.append(buf.getvalue())
    order = list(range(a.slices))
    random.Random(a.seed).shuffle(order)
    if a.zip:
        with zipfile.ZipFile(a.out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            for i, k in enumerate(order):
                z.writestr(f"ct/{i}", files[k])
    else:
        os.makedirs(os.path.join(a.out, "ct"), exist_ok=True)
        for i, k in enumerate(order):
            with open(os.path.join(a.out, "ct", str(i)), "wb") as f:
                f.write(files[k])
    first = origin if not a.feet_first else origin + (a.slices - 1) * sz * normal
    print(json.dumps({"study": study, "series": series, "frame": frame, "origin": [float(v) for v in first],
                      "direction": [*row, *col, *np.cross(row, col)], "spacing": [sx, sy, sz]}))


if __name__ == "__main__":
    main()
