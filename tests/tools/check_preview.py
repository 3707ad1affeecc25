#!/usr/bin/python3
"""Check a preview PNG against the label volume it was rendered from, independently of the service's renderer.
Python's standard library only (zlib, gzip, struct): no numpy, no imaging package.

check_preview.py PREVIEW.png LABELS.nii.gz COLOURS_JSON MAX_PANEL_PIXELS  → prints one JSON line:
{"width","height","expectedWidth","expectedHeight","colourPixels","onLabel","onAnyLabel","perColour","greyPixels"}

The PNG is decoded here (chunk CRCs checked, every filter type undone). The layout is the one docs/ui.md gives: the
volume's bounding box in LPS (voxel edges), display pixel = max(smallest spacing, longest side / MAX_PANEL_PIXELS),
panels axial | coronal | sagittal 4 px apart, top-aligned, cut through the centroid of the labelled voxels. Each pixel
drawn in a structure's colour is mapped to the patient and to the nearest voxel of LABELS (a uint8 NIfTI-1 image; its
sform, else its qform); "onLabel" counts those whose voxel carries that structure's label, "onAnyLabel" those whose
voxel is labelled at all.
"""
import gzip
import json
import math
import struct
import sys
import zlib

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
    stride = width * 3
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        cur = bytearray(line)
        if f:
            for x in range(stride):
                a = cur[x - 3] if x >= 3 else 0
                b = prev[x]
                c = prev[x - 3] if x >= 3 else 0
                if f == 1:
                    p = a
                elif f == 2:
                    p = b
                elif f == 3:
                    p = (a + b) // 2
                else:
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[x] = (line[x] + p) & 0xff
        rows.append(cur)
        prev = cur
    return width, height, rows


def read_nifti(path):
    raw = open(path, 'rb').read()
    if raw[:2] == b'\x1f\x8b':
        raw = gzip.decompress(raw)
    dim = struct.unpack_from('<8h', raw, 40)
    datatype, = struct.unpack_from('<h', raw, 70)
    pixdim = struct.unpack_from('<8f', raw, 76)
    vox_offset, = struct.unpack_from('<f', raw, 108)
    qform_code, sform_code = struct.unpack_from('<hh', raw, 252)
    if datatype != 2:
        raise SystemExit(f'expected uint8 labels, datatype {datatype}')
    size = dim[1:4]
    if sform_code > 0:
        s = struct.unpack_from('<12f', raw, 280)
        affine = [list(s[0:4]), list(s[4:8]), list(s[8:12])]
    else:
        b, c, d = struct.unpack_from('<3f', raw, 256)
        offset = struct.unpack_from('<3f', raw, 268)
        a = math.sqrt(max(0.0, 1.0 - (b * b + c * c + d * d)))
        r = [[a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
             [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
             [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b]]
        qfac = -1.0 if pixdim[0] < 0 else 1.0
        scale = [pixdim[1], pixdim[2], pixdim[3] * qfac]
        affine = [[r[i][j] * scale[j] for j in range(3)] + [offset[i]] for i in range(3)]
    count = size[0] * size[1] * size[2]
    labels = raw[int(vox_offset):int(vox_offset) + count]
    # RAS → LPS: negate the first two rows.
    affine = [[-v for v in affine[0]], [-v for v in affine[1]], affine[2]]
    return size, labels, affine


def apply(m, p):
    return [m[i][0] * p[0] + m[i][1] * p[1] + m[i][2] * p[2] + m[i][3] for i in range(3)]


def inverse(m):
    a = [row[:3] for row in m]
    det = (a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
           + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]))
    inv = [[(a[(j + 1) % 3][(i + 1) % 3] * a[(j + 2) % 3][(i + 2) % 3] - a[(j + 1) % 3][(i + 2) % 3] * a[(j + 2) % 3][(i + 1) % 3]) / det
            for j in range(3)] for i in range(3)]
    t = [m[i][3] for i in range(3)]
    return [inv[i] + [-sum(inv[i][j] * t[j] for j in range(3))] for i in range(3)]


def main():
    png, labels_path, colours, max_pixels = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4])
    width, height, rows = read_png(png)
    size, labels, m = read_nifti(labels_path)
    nx, ny, nz = size
    corners = [apply(m, [i, j, k]) for i in (-0.5, nx - 0.5) for j in (-0.5, ny - 0.5) for k in (-0.5, nz - 0.5)]
    lo = [min(c[a] for c in corners) for a in range(3)]
    hi = [max(c[a] for c in corners) for a in range(3)]
    spacing = [math.sqrt(sum(m[r][c] ** 2 for r in range(3))) for c in range(3)]
    pixel = max(min(spacing), max(hi[a] - lo[a] for a in range(3)) / max_pixels)
    n = [max(1, math.ceil((hi[a] - lo[a]) / pixel - 1e-9)) for a in range(3)]
    si = sj = sk = count = 0
    for index, value in enumerate(labels):
        if value:
            k, rest = divmod(index, nx * ny)
            j, i = divmod(rest, nx)
            si, sj, sk, count = si + i, sj + j, sk + k, count + 1
    centre = apply(m, [si / count, sj / count, sk / count])
    panels = [('axial', 0, n[0], n[1]), ('coronal', n[0] + GAP, n[0], n[2]), ('sagittal', 2 * n[0] + 2 * GAP, n[1], n[2])]
    expected_width = panels[2][1] + panels[2][2]
    expected_height = max(p[3] for p in panels)
    to_voxel = inverse(m)

    def label_at(col, row):
        for plane, left, w, h in panels:
            if left <= col < left + w and row < h:
                u, v = (col - left + 0.5) * pixel, (row + 0.5) * pixel
                p = {'axial': (lo[0] + u, lo[1] + v, centre[2]), 'coronal': (lo[0] + u, centre[1], hi[2] - v),
                     'sagittal': (centre[0], lo[1] + u, hi[2] - v)}[plane]
                i, j, k = (math.floor(c + 0.5) for c in apply(to_voxel, p))
                if 0 <= i < nx and 0 <= j < ny and 0 <= k < nz:
                    return labels[k * nx * ny + j * nx + i]
                return 0
        return None

    result = {'width': width, 'height': height, 'expectedWidth': expected_width, 'expectedHeight': expected_height,
              'colourPixels': 0, 'onLabel': 0, 'onAnyLabel': 0, 'perColour': {}, 'greyPixels': 0}
    colour_index = {tuple(c): i + 1 for i, c in reversed(list(enumerate(colours)))}
    for row in range(height):
        line = rows[row]
        for col in range(width):
            rgb = tuple(line[3 * col:3 * col + 3])
            if rgb[0] == rgb[1] == rgb[2]:
                result['greyPixels'] += rgb[0] > 0
                continue
            structure = colour_index.get(rgb)
            if structure is None or (width, height) != (expected_width, expected_height):
                continue
            found = label_at(col, row)
            counts = result['perColour'].setdefault(str(structure), [0, 0])
            counts[0] += 1
            result['colourPixels'] += 1
            if found == structure:
                counts[1] += 1
                result['onLabel'] += 1
            if found:
                result['onAnyLabel'] += 1
    print(json.dumps(result))


main()
