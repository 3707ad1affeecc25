#!/usr/bin/python3
"""Check models/PassThroughModel.onnx against the nested-squares definition.

Usage: /usr/bin/python3 tools/check_passthrough_model.py [models/PassThroughModel.onnx]

ONNX 1.12 has no reference evaluator and ONNX Runtime is not a dependency of the tools, so this script evaluates the
graph with a small numpy interpreter of exactly the operators the graph uses (following the ONNX operator
specification for opset 13), and compares the result with a direct, loop-based reading of the definition:
pixel (x, y) has the smallest class c in 1..5 with X//2 - 3c <= x <= X//2 + 3c - 1 and
Y//2 - 3c <= y <= Y//2 + 3c - 1, else 0. It also runs ONNX shape inference and the checker, and confirms that the
graph has no fixed spatial size. Exits 1 on the first mismatch.
"""
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

CLASSES = 6


def reference(shape):
    n, _, z, y, x = shape
    cx, cy = x // 2, y // 2
    label = np.zeros((y, x), dtype=np.int64)
    for yy in range(y):
        for xx in range(x):
            for c in range(1, CLASSES):
                h = 3 * c
                if cx - h <= xx <= cx + h - 1 and cy - h <= yy <= cy + h - 1:
                    label[yy, xx] = c
                    break
    out = np.zeros((n, CLASSES, z, y, x), dtype=np.float32)
    for c in range(CLASSES):
        out[:, c, :, :, :] = (label == c)[None, None, :, :]
    return out


def _int_div(a, b):
    # ONNX Div on integers truncates toward zero.
    q = np.abs(a) // np.abs(b)
    return np.where((a < 0) != (b < 0), -q, q).astype(np.result_type(a, b))


def _unsqueeze(data, axes):
    out = data
    rank = data.ndim + len(axes)
    for a in sorted(int(a) % rank for a in axes):
        out = np.expand_dims(out, a)
    return out


def _slice(data, starts, ends, axes=None, steps=None):
    axes = list(range(len(starts))) if axes is None else [int(a) for a in axes]
    steps = [1] * len(starts) if steps is None else [int(s) for s in steps]
    index = [slice(None)] * data.ndim
    for s, e, a, st in zip(starts, ends, axes, steps):
        index[a] = slice(int(s), int(e), st)
    return data[tuple(index)]


CAST = {onnx.TensorProto.FLOAT: np.float32, onnx.TensorProto.INT64: np.int64}

OPS = {
    "Shape": lambda node, x: [np.array(x.shape, dtype=np.int64)],
    "Gather": lambda node, d, i: [np.take(d, i, axis=_attr(node, "axis", 0))],
    "Div": lambda node, a, b: [_int_div(a, b) if np.issubdtype(a.dtype, np.integer) else a / b],
    "Range": lambda node, s, l, d: [np.arange(s, l, d, dtype=np.result_type(s, l, d))],
    "Sub": lambda node, a, b: [a - b],
    "Add": lambda node, a, b: [a + b],
    "Neg": lambda node, a: [-a],
    "Max": lambda node, *xs: [np.maximum.reduce(np.broadcast_arrays(*xs))],
    "Unsqueeze": lambda node, d, axes: [_unsqueeze(d, axes)],
    "Less": lambda node, a, b: [a < b],
    "Where": lambda node, c, a, b: [np.where(c, a, b)],
    "Equal": lambda node, a, b: [a == b],
    "Cast": lambda node, a: [a.astype(CAST[_attr(node, "to", None)])],
    "Slice": lambda node, *xs: [_slice(*xs)],
    "Concat": lambda node, *xs: [np.concatenate(xs, axis=_attr(node, "axis", None))],
    "Expand": lambda node, d, shape: [d * np.ones(tuple(int(s) for s in shape), dtype=d.dtype)],
}


def _attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def evaluate(model, feeds):
    values = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    values.update(feeds)
    for node in model.graph.node:
        if node.domain not in ("", "ai.onnx"):
            raise SystemExit(f"unexpected domain {node.domain}")
        if node.op_type not in OPS:
            raise SystemExit(f"the checker has no evaluator for {node.op_type}")
        outs = OPS[node.op_type](node, *[values[i] for i in node.input])
        for name, value in zip(node.output, outs):
            values[name] = value
    return [values[o.name] for o in model.graph.output]


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "models", "PassThroughModel.onnx")
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    opset = {o.domain: o.version for o in model.opset_import}[""]
    assert 13 <= opset <= 17, opset
    dims = [d.dim_param or d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    assert dims[2:] == ["Z", "Y", "X"], f"spatial axes must be dynamic, got {dims}"
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    out_dims = [d.dim_param or d.dim_value for d in inferred.graph.output[0].type.tensor_type.shape.dim]
    print(f"input {model.graph.input[0].name} {dims} -> output {model.graph.output[0].name} {out_dims}")
    print("ops:", " ".join(sorted({n.op_type for n in model.graph.node})))

    rng = np.random.default_rng(1729)
    sizes = [(1, 1, 1, 1, 1), (1, 1, 1, 2, 3), (1, 1, 3, 7, 5), (1, 1, 16, 32, 32), (1, 1, 16, 31, 33),
             (1, 1, 5, 40, 41), (1, 1, 2, 41, 40), (1, 1, 16, 64, 48), (2, 1, 4, 29, 30), (1, 1, 7, 512, 512),
             (1, 1, 3, 100, 1), (1, 1, 1, 13, 200)]
    for shape in sizes:
        x = rng.normal(0, 1, size=shape).astype(np.float32)
        (got,) = evaluate(model, {"input": x})
        want = reference(shape)
        if got.dtype != np.float32 or got.shape != want.shape or not np.array_equal(got, want):
            print(f"MISMATCH for input {shape}: got {got.dtype} {got.shape}")
            sys.exit(1)
        # The pixel values must not matter.
        (again,) = evaluate(model, {"input": np.zeros(shape, np.float32)})
        assert np.array_equal(again, got)
        counts = [int(got[0, c, 0].sum()) for c in range(CLASSES)]
        print(f"ok {shape}: voxels per class in slice 0 {counts}")
    # Full-size slices: ring areas are exact (6x6, then (6c)^2 - (6c-6)^2).
    (big,) = evaluate(model, {"input": np.zeros((1, 1, 1, 64, 64), np.float32)})
    assert [int(big[0, c, 0].sum()) for c in range(1, CLASSES)] == [36, 108, 180, 252, 324]
    print("all sizes match the nested-squares definition")


if __name__ == "__main__":
    main()
