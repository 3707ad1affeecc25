#!/usr/bin/python3
"""Writes the resampling conformance cases: small deterministic arrays and what scipy (1.10) makes of them.

  tests/Inference.Tests/Nnunet/Data/resampling_cases.npz   the arrays (float64, float32, float16)
  tests/Inference.Tests/Nnunet/Data/resampling_cases.json  the cases: parameters and the names of their arrays

"zoom" cases: scipy.ndimage.zoom(x, out/in, order, mode='nearest', grid_mode=True) of float64 arrays, called as
scikit-image 0.19's resize(x, shape, order, mode='edge', anti_aliasing=False) calls it (before it clips).
"resample" cases: nnU-Net 2.8.1's resample_data_or_seg_to_shape(is_seg=False) of one channel, written again here with
numpy and scipy only (resize = that zoom clipped to the input's range), so that no nnU-Net, torch or scikit-image is
needed; the decision and the new shape as nnU-Net's determine_do_sep_z_and_axis and compute_new_shape make them.

Run with the numpy/scipy nnU-Net's reference used: /usr/bin/python3 tests/tools/make_resampling_cases.py
"""
import io
import json
import os
import sys
import zipfile

import numpy as np
import scipy
from scipy import ndimage

ANISO_THRESHOLD = 3
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, '..', 'Inference.Tests', 'Nnunet', 'Data')


def resize(image, shape, order):
    """scikit-image 0.19 resize(image, shape, order, mode='edge', anti_aliasing=False, clip=True) of a float64 array."""
    factors = np.divide(image.shape, shape)
    zoom_factors = [1 / f for f in factors]
    out = ndimage.zoom(image, zoom_factors, order=order, mode='nearest', grid_mode=True)
    assert out.shape == tuple(shape), (out.shape, shape)
    return np.clip(out, image.min(), image.max())


def compute_new_shape(shape, spacing, target):
    return [int(round(i / j * k)) for i, j, k in zip(spacing, target, shape)]


def lowres_axes(spacing):
    return np.where(max(spacing) / np.array(spacing) == 1)[0]


def separate_z(force, current, new, threshold=ANISO_THRESHOLD):
    def anisotropic(s):
        return (np.max(s) / np.min(s)) > threshold
    if force is not None:
        do, axis = force, (lowres_axes(current) if force else None)
    elif anisotropic(current):
        do, axis = True, lowres_axes(current)
    elif anisotropic(new):
        do, axis = True, lowres_axes(new)
    else:
        do, axis = False, None
    if axis is not None:
        if len(axis) in (2, 3):
            return False, None
        return do, int(axis[0])
    return do, axis


def resample(channel, new_shape, do_separate, axis, order, order_z):
    """One channel of nnU-Net's resample_data_or_seg(is_seg=False)."""
    shape = np.array(channel.shape)
    new_shape = np.array(new_shape)
    if np.all(shape == new_shape):
        return channel
    data = channel.astype(float)
    if not do_separate:
        return resize(data, new_shape, order).astype(channel.dtype)
    in_plane = [a for a in range(3) if a != axis]
    tmp = new_shape.copy()
    tmp[axis] = shape[axis]
    here = np.zeros(tmp)
    for s in range(shape[axis]):
        index = [slice(None)] * 3
        index[axis] = s
        here[tuple(index)] = resize(data[tuple(index)], new_shape[in_plane], order)
    if shape[axis] == new_shape[axis]:
        return here.astype(channel.dtype)
    scales = [float(o) / n for o, n in zip(here.shape, new_shape)]
    grid = np.mgrid[:new_shape[0], :new_shape[1], :new_shape[2]]
    coords = np.array([scales[a] * (grid[a] + 0.5) - 0.5 for a in range(3)])
    return ndimage.map_coordinates(here, coords, order=order_z, mode='nearest').astype(channel.dtype)


def write_npz(path, arrays):
    """np.savez_compressed, with fixed time stamps so that the file is the same every time."""
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(name + '.npy', date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, buffer.getvalue())


def to_json(manifest):
    """The manifest with one case per line."""
    lines = []
    for key, value in manifest.items():
        if isinstance(value, list):
            cases = ',\n'.join('  ' + json.dumps(c) for c in value)
            lines.append(' %s: [\n%s\n ]' % (json.dumps(key), cases))
        else:
            lines.append(' %s: %s' % (json.dumps(key), json.dumps(value)))
    return '{\n' + ',\n'.join(lines) + '\n}'


def main():
    assert scipy.__version__ == '1.10.1' and np.__version__.startswith('1.24'), (scipy.__version__, np.__version__)
    rng = np.random.default_rng(20240501)
    arrays = {}
    zoom_cases = []
    resample_cases = []

    def zoom_case(in_shape, out_shape, order):
        name = 'zoom%dd_%s_to_%s_o%d' % (len(in_shape), 'x'.join(map(str, in_shape)), 'x'.join(map(str, out_shape)), order)
        x = rng.normal(0, 100, in_shape)
        factors = np.divide(in_shape, out_shape)
        y = ndimage.zoom(x, [1 / f for f in factors], order=order, mode='nearest', grid_mode=True)
        assert y.shape == tuple(out_shape)
        arrays[name + '.in'] = x
        arrays[name + '.out'] = y
        zoom_cases.append({'name': name, 'order': order, 'in_shape': list(in_shape), 'out_shape': list(out_shape),
                           'input': name + '.in', 'expected': name + '.out'})

    for order in (0, 1, 3):
        for i, o in ((7, 11), (13, 5), (1, 4), (6, 6), (10, 20), (8, 4), (9, 4), (4, 1)):
            zoom_case((i,), (o,), order)
        for i, o in (((9, 13), (14, 6)), ((5, 7), (11, 12)), ((8, 8), (8, 12)), ((1, 7), (3, 5))):
            zoom_case(i, o, order)
        for i, o in (((5, 7, 6), (8, 4, 9)), ((4, 6, 5), (4, 9, 3)), ((1, 3, 4), (2, 5, 4))):
            zoom_case(i, o, order)

    def resample_case(name, shape, current, new, order, order_z, force=None, dtype=np.float32, scale=100.0, new_shape=None):
        x = (rng.normal(0, scale, shape)).astype(dtype)
        from_spacing = new_shape is None
        if from_spacing:
            new_shape = compute_new_shape(shape, current, new)
        do, axis = separate_z(force, current, new)
        y = resample(x, new_shape, do, axis, order, order_z)
        assert y.dtype == x.dtype
        arrays[name + '.in'] = x
        arrays[name + '.out'] = y
        resample_cases.append({
            'name': name, 'dtype': np.dtype(dtype).name, 'shape': list(shape), 'new_shape': [int(n) for n in new_shape],
            'current_spacing': list(current), 'new_spacing': list(new), 'order': order, 'order_z': order_z,
            'new_shape_from_spacing': from_spacing,
            'force_separate_z': force, 'separate_z': bool(do), 'axis': -1 if axis is None else axis,
            'input': name + '.in', 'expected': name + '.out'})

    # Separate z along each axis, z shrinking, growing and unchanged; orders 3/0 (images) and 1/0, 1/1.
    resample_case('sepz_axis0_image', (9, 11, 13), [2.5, 0.8, 0.8], [5.0, 1.2, 1.1], 3, 0)
    resample_case('sepz_axis0_zsame', (5, 12, 10), [5.0, 1.2, 1.2], [5.0, 0.9, 0.95], 3, 0)
    resample_case('sepz_axis0_ties', (8, 7, 9), [2.5, 1.6, 1.6], [5.0, 1.59, 1.59], 3, 0)
    resample_case('sepz_axis0_zup_linear', (4, 9, 8), [4.0, 1.0, 1.0], [1.5, 0.9, 1.3], 1, 1)
    resample_case('sepz_axis1_image', (10, 6, 12), [1.0, 3.5, 0.9], [1.3, 2.0, 1.2], 3, 0)
    resample_case('sepz_axis2_linear', (11, 9, 5), [0.9, 1.0, 4.0], [1.2, 0.7, 2.5], 1, 1)
    resample_case('sepz_forced', (7, 8, 9), [1.2, 1.0, 0.9], [0.8, 1.3, 1.1], 3, 0, force=True)
    # No separate z: neither spacing anisotropic, forced off, or the largest spacing shared by two axes.
    resample_case('nosep_image', (7, 8, 9), [1.2, 1.0, 0.9], [1.5, 0.8, 1.1], 3, 0)
    resample_case('nosep_linear', (6, 7, 5), [1.0, 1.1, 1.2], [0.7, 1.6, 0.9], 1, 0)
    resample_case('nosep_forced_off', (9, 11, 13), [2.5, 0.8, 0.8], [5.0, 1.2, 1.1], 3, 0, force=False)
    resample_case('nosep_tied_axes', (6, 7, 5), [0.24, 1.25, 1.25], [0.5, 1.0, 1.1], 3, 0)
    # Logits back to the image grid: float16 in, float64 arithmetic, float16 out.
    target = [5.0, 1.590000033378601, 1.590000033378601]
    resample_case('f16_back_zup', (4, 12, 10), target, [2.2, 1.1, 1.2], 1, 0, dtype=np.float16, scale=3.0, new_shape=[9, 17, 13])
    resample_case('f16_back_zsame', (5, 12, 10), target, [5.0, 1.3, 1.2], 1, 0, dtype=np.float16, scale=3.0, new_shape=[5, 15, 13])
    resample_case('f16_back_zdown', (9, 10, 8), target, [6.0, 1.7, 1.5], 1, 0, dtype=np.float16, scale=3.0, new_shape=[7, 9, 9])
    resample_case('unchanged', (3, 4, 5), [5.0, 1.0, 1.0], [5.0, 1.0, 1.0], 3, 0)

    os.makedirs(OUT_DIR, exist_ok=True)
    write_npz(os.path.join(OUT_DIR, 'resampling_cases.npz'), arrays)
    manifest = {
        'generator': 'tests/tools/make_resampling_cases.py',
        'numpy': np.__version__, 'scipy': scipy.__version__,
        'zoom': zoom_cases, 'resample': resample_cases,
    }
    with open(os.path.join(OUT_DIR, 'resampling_cases.json'), 'w') as f:
        f.write(to_json(manifest) + '\n')
    print('%d zoom cases, %d resample cases, %d arrays' % (len(zoom_cases), len(resample_cases), len(arrays)), file=sys.stderr)


if __name__ == '__main__':
    main()
