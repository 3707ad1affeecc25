#!/usr/bin/python3
"""Read a single-file NIfTI-1 image (.nii or .nii.gz) with gzip, struct and numpy only, as an independent reference.

read_nifti.py PATH OUT.raw  → writes the voxels (in file order, x fastest) to OUT.raw and prints one JSON line:
{"dim","datatype","bitpix","pixdim","vox_offset","qform_code","sform_code","quatern","qoffset","srow","qform","magic"}
where "qform" is the 3x4 matrix NIfTI-1 method 2 gives and "srow" the sform rows.
"""
import gzip
import json
import struct
import sys

import numpy as np


def qform_matrix(b, c, d, qoffset, pixdim):
    a2 = 1.0 - (b * b + c * c + d * d)
    if a2 < 1e-7:
        n = (b * b + c * c + d * d) ** 0.5
        b, c, d, a = b / n, c / n, d / n, 0.0
    else:
        a = a2 ** 0.5
    r = np.array([[a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
                  [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
                  [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b]])
    qfac = -1.0 if pixdim[0] < 0 else 1.0
    scale = np.array([pixdim[1], pixdim[2], pixdim[3] * qfac])
    return np.hstack([r * scale, np.array(qoffset).reshape(3, 1)])


def main():
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    (sizeof_hdr,) = struct.unpack_from("<i", raw, 0)
    assert sizeof_hdr == 348, sizeof_hdr
    dim = struct.unpack_from("<8h", raw, 40)
    datatype, bitpix = struct.unpack_from("<hh", raw, 70)
    pixdim = struct.unpack_from("<8f", raw, 76)
    (vox_offset,) = struct.unpack_from("<f", raw, 108)
    qform_code, sform_code = struct.unpack_from("<hh", raw, 252)
    quatern = struct.unpack_from("<3f", raw, 256)
    qoffset = struct.unpack_from("<3f", raw, 268)
    srow = struct.unpack_from("<12f", raw, 280)
    magic = raw[344:348]
    dtype = {2: np.uint8, 4: np.int16, 16: np.float32}[datatype]
    count = int(np.prod(dim[1:1 + dim[0]]))
    data = np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder("<"), count=count, offset=int(vox_offset))
    data.tofile(sys.argv[2])
    print(json.dumps({
        "dim": list(dim), "datatype": datatype, "bitpix": bitpix, "pixdim": [float(p) for p in pixdim],
        "vox_offset": float(vox_offset), "qform_code": qform_code, "sform_code": sform_code,
        "quatern": [float(q) for q in quatern], "qoffset": [float(q) for q in qoffset],
        "srow": [float(s) for s in srow], "qform": qform_matrix(*quatern, qoffset, pixdim).tolist(),
        "magic": magic.decode("latin-1"), "length": len(raw),
    }))


if __name__ == "__main__":
    main()
