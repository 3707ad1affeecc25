#!/usr/bin/python3
"""Check a preview PNG against the label volume it was rendered from, independently of the service's renderer.

check_preview.py PREVIEW.png LABELS.nii.gz COLOURS_JSON MAX_PANEL_PIXELS  → prints one JSON line:
{"width","height","expectedWidth","expectedHeight","colourPixels","onLabel","onAnyLabel","perColour","greyPixels"}

The PNG is decoded with zlib and struct alone (CRCs checked, every filter type undone). The layout is the one
docs/ui.md gives: the volume's bounding box in LPS (voxel edges), display pixel = max(smallest spacing, longest side /
MAX_PANEL_PIXELS), panels axial | coronal | sagittal 4 px apart, top-aligned, cut through the centroid of the labelled
voxels. Each pixel drawn in a structure's colour is mapped to the patient and to the nearest voxel of LABELS;
"onLabel" counts those whose voxel carries that structure's label, "onAnyLabel" those whose voxel is labelled at all.
"""
import json
import math
import struct
import sys
import zlib

import nibabel as nib
import numpy as np

GAP = 4


def read_png(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise SystemExit('not a PNG')
    pos, idat, header = 8, b'', None
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc, = struct.unpack('>I', data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) & 0xffffffff != crc:
            raise SystemExit(f'bad CRC in {kind}')
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        elif kind == b'IEND':
            break
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if (depth, colour, interlace) != (8, 2, 0):
        raise SystemExit(f'unexpected PNG format {header}')
    raw = zlib.decompress(idat)
    stride, bpp = width * 3, 3
    out = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=y * (stride + 1) + 1).astype(np.int32)
        cur = line.copy() if f == 0 else np.zeros(stride, dtype=np.int32)
        for x in range(stride if f else 0):
            a = cur[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 0:
                p = 0
            elif f == 1:
                p = a
            elif f == 2:
                p = b
            elif f == 3:
                p = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[x] = (line[x] + p) & 0xff
        out[y] = cur
        prev = cur
    return out.reshape(height, width, 3)


def main():
    png, labels_path, colours, max_pixels = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4])
    image = read_png(png)
    img = nib.load(labels_path)
    labels = np.asanyarray(img.dataobj).astype(np.int32)
    m = np.diag([-1.0, -1.0, 1.0, 1.0]) @ img.affine  # RAS → LPS
    size = labels.shape[:3]
    corners = np.array([[i, j, k, 1.0] for i in (-0.5, size[0] - 0.5) for j in (-0.5, size[1] - 0.5) for k in (-0.5, size[2] - 0.5)])
    points = (m @ corners.T).T[:, :3]
    lo, hi = points.min(axis=0), points.max(axis=0)
    spacing = np.linalg.norm(m[:3, :3], axis=0)
    pixel = max(spacing.min(), (hi - lo).max() / max_pixels)
    n = [max(1, math.ceil((hi[a] - lo[a]) / pixel - 1e-9)) for a in range(3)]
    labelled = np.argwhere(labels > 0)
    centre = (m @ np.append(labelled.mean(axis=0), 1.0))[:3]
    panels = [('axial', 0, n[0], n[1]), ('coronal', n[0] + GAP, n[0], n[2]), ('sagittal', 2 * n[0] + 2 * GAP, n[1], n[2])]
    expected_width = panels[2][1] + panels[2][2]
    expected_height = max(p[3] for p in panels)
    inverse = np.linalg.inv(m)

    def label_at(col, row):
        for plane, left, w, h in panels:
            if left <= col < left + w and row < h:
                u, v = (col - left + 0.5) * pixel, (row + 0.5) * pixel
                p = {'axial': (lo[0] + u, lo[1] + v, centre[2]), 'coronal': (lo[0] + u, centre[1], hi[2] - v),
                     'sagittal': (centre[0], lo[1] + u, hi[2] - v)}[plane]
                ijk = np.floor((inverse @ np.array([*p, 1.0]))[:3] + 0.5).astype(int)
                if all(0 <= ijk[a] < size[a] for a in range(3)):
                    return int(labels[ijk[0], ijk[1], ijk[2]])
                return 0
        return None

    result = {'width': int(image.shape[1]), 'height': int(image.shape[0]), 'expectedWidth': expected_width,
              'expectedHeight': expected_height, 'colourPixels': 0, 'onLabel': 0, 'onAnyLabel': 0, 'perColour': {}}
    if (result['width'], result['height']) == (expected_width, expected_height):
        for index, colour in enumerate(colours):
            hits = np.argwhere(np.all(image == np.array(colour, dtype=np.uint8), axis=2))
            on = 0
            for row, col in hits:
                found = label_at(int(col), int(row))
                result['colourPixels'] += 1
                if found == index + 1:
                    on += 1
                if found:
                    result['onAnyLabel'] += 1
            result['onLabel'] += on
            result['perColour'][str(index + 1)] = [int(len(hits)), on]
    grey = (image[:, :, 0] == image[:, :, 1]) & (image[:, :, 1] == image[:, :, 2]) & (image[:, :, 0] > 0)
    result['greyPixels'] = int(grey.sum())
    print(json.dumps(result))


main()
