#!/usr/bin/python3
"""Write models/PassThroughModel.onnx and models/PassThroughModel.json.

Usage: /usr/bin/python3 tools/make_passthrough_model.py [OUT_DIR]   (default: models/ next to tools/)

PassThroughModel is a test model for the inference pipeline. Its graph ignores the pixel values and uses only the
input's shape [N, C, Z, Y, X]: on every z slice it draws nested squares centred at (cx, cy) = (X // 2, Y // 2).
Pixel (x, y) belongs to the smallest class c in 1..5 with cx - 3c <= x <= cx + 3c - 1 and
cy - 3c <= y <= cy + 3c - 1, and to class 0 (background) when there is none. Class 1 is a filled 6x6 square and
classes 2..5 are 3-pixel-thick square rings. The output is one-hot float32 [N, 6, Z, Y, X].

How the graph computes it (all integer arithmetic in int64):
  dx = x - cx, ax = max(dx, -dx - 1)          (distance from the centre line, symmetric for the half-open square)
  dy = y - cy, ay = max(dy, -dy - 1)
  r  = max(ax, ay) / 3 + 1                    (the smallest c with ax <= 3c - 1 and ay <= 3c - 1)
  class = r if r < 6 else 0
  output[n, k, z, y, x] = float(class[y, x] == k)

The bytes written are deterministic: no timestamps, fixed producer fields, fixed node order.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
STRUCTURES = [
    ("SpinalCord", [255, 0, 0]),
    ("Lung_R", [0, 128, 255]),
    ("Lung_L", [0, 200, 80]),
    ("Heart", [255, 0, 255]),
    ("Esophagus", [255, 200, 0]),
]
HALF_SIDE_STEP = 3  # half-side of square c is 3c


def const(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def build_model() -> onnx.ModelProto:
    classes = len(STRUCTURES) + 1
    initializers = [
        const("c_idx_n", [0]),
        const("c_idx_y", 3),
        const("c_idx_x", 4),
        const("c_zero", 0),
        const("c_one", 1),
        const("c_two", 2),
        const("c_step", HALF_SIDE_STEP),
        const("c_classes", classes),
        const("c_classes_1d", [classes]),
        const("c_axis0", [0]),
        const("c_axis1", [1]),
        const("c_axes_12", [1, 2]),
        const("c_axes_02", [0, 2]),
        const("c_slice_zyx_start", [2]),
        const("c_slice_zyx_end", [5]),
        const("c_slice_n_end", [1]),
    ]
    n = helper.make_node
    nodes = [
        # Spatial sizes from the input's shape.
        n("Shape", ["input"], ["shape"], name="shape"),
        n("Gather", ["shape", "c_idx_y"], ["size_y"], name="size_y", axis=0),
        n("Gather", ["shape", "c_idx_x"], ["size_x"], name="size_x", axis=0),
        n("Div", ["size_y", "c_two"], ["centre_y"], name="centre_y"),
        n("Div", ["size_x", "c_two"], ["centre_x"], name="centre_x"),
        # Per-column distance from the centre: ax = max(x - cx, cx - x - 1).
        n("Range", ["c_zero", "size_x", "c_one"], ["xs"], name="xs"),
        n("Sub", ["xs", "centre_x"], ["dx"], name="dx"),
        n("Neg", ["dx"], ["neg_dx"], name="neg_dx"),
        n("Sub", ["neg_dx", "c_one"], ["neg_dx_1"], name="neg_dx_1"),
        n("Max", ["dx", "neg_dx_1"], ["ax"], name="ax"),
        # Per-row distance from the centre: ay = max(y - cy, cy - y - 1).
        n("Range", ["c_zero", "size_y", "c_one"], ["ys"], name="ys"),
        n("Sub", ["ys", "centre_y"], ["dy"], name="dy"),
        n("Neg", ["dy"], ["neg_dy"], name="neg_dy"),
        n("Sub", ["neg_dy", "c_one"], ["neg_dy_1"], name="neg_dy_1"),
        n("Max", ["dy", "neg_dy_1"], ["ay"], name="ay"),
        # Chebyshev distance on the [Y, X] slice, then the ring index.
        n("Unsqueeze", ["ay", "c_axis1"], ["ay_col"], name="ay_col"),  # [Y, 1]
        n("Unsqueeze", ["ax", "c_axis0"], ["ax_row"], name="ax_row"),  # [1, X]
        n("Max", ["ay_col", "ax_row"], ["dist"], name="dist"),  # [Y, X]
        n("Div", ["dist", "c_step"], ["ring0"], name="ring0"),
        n("Add", ["ring0", "c_one"], ["ring"], name="ring"),
        n("Less", ["ring", "c_classes"], ["inside"], name="inside"),
        n("Where", ["inside", "ring", "c_zero"], ["label"], name="label"),  # [Y, X] int64 in 0..5
        # One-hot against 0..K: [K+1, 1, 1] == [Y, X] -> [K+1, Y, X].
        n("Range", ["c_zero", "c_classes", "c_one"], ["class_ids"], name="class_ids"),
        n("Unsqueeze", ["class_ids", "c_axes_12"], ["class_ids_3d"], name="class_ids_3d"),
        n("Equal", ["class_ids_3d", "label"], ["onehot_bool"], name="onehot_bool"),
        n("Cast", ["onehot_bool"], ["onehot"], name="onehot", to=TensorProto.FLOAT),
        n("Unsqueeze", ["onehot", "c_axes_02"], ["onehot_5d"], name="onehot_5d"),  # [1, K+1, 1, Y, X]
        # Broadcast over batch and every z slice: target shape [N, K+1, Z, Y, X].
        n("Slice", ["shape", "c_idx_n", "c_slice_n_end"], ["size_n"], name="size_n"),
        n("Slice", ["shape", "c_slice_zyx_start", "c_slice_zyx_end"], ["size_zyx"], name="size_zyx"),
        n("Concat", ["size_n", "c_classes_1d", "size_zyx"], ["out_shape"], name="out_shape", axis=0),
        n("Expand", ["onehot_5d", "out_shape"], ["posteriors"], name="posteriors"),
    ]
    graph = helper.make_graph(
        nodes,
        "PassThroughModel",
        inputs=[helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 1, "Z", "Y", "X"])],
        outputs=[helper.make_tensor_value_info("posteriors", TensorProto.FLOAT, ["N", classes, "Z", "Y", "X"])],
        initializer=initializers,
        doc_string="Nested squares centred in every slice; pixel values are ignored.",
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="innereye-orleans-tools",
        producer_version="1",
        doc_string="PassThroughModel: a shape-only test model for the segmentation pipeline.",
    )
    model.ir_version = 7  # the IR version of opset 13; read by every ONNX Runtime since 1.6
    model.model_version = 1729
    return model


def config() -> dict:
    return {
        "id": "PassThroughModel",
        "version": "1729",
        "displayName": "Pass-through test model (nested squares in every slice)",
        "onnxFile": "PassThroughModel.onnx",
        "onnxInput": "input",
        "onnxOutput": "posteriors",
        "inputChannels": [{"id": "ct", "modality": "CT"}],
        "preprocessing": {
            "window": {"level": 50, "width": 600, "outputMin": -1, "outputMax": 1},
            "targetSpacing": None,
            "patchSize": [16, 0, 0],
            "patchOverlap": [0, 0, 0],
        },
        "structures": [
            {"name": name, "color": color, "interpretedType": "ORGAN", "fillHoles": False}
            for name, color in STRUCTURES
        ],
        "postprocessing": {"largestComponent": False, "minimumSizeVoxels": 0},
        "rt": {"manufacturer": "Default_Manufacturer", "interpreter": "Default_Interpreter"},
    }


def main() -> None:
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models")
    os.makedirs(out_dir, exist_ok=True)
    model = build_model()
    onnx.checker.check_model(model, full_check=True)
    with open(os.path.join(out_dir, "PassThroughModel.onnx"), "wb") as f:
        f.write(model.SerializeToString(deterministic=True))
    with open(os.path.join(out_dir, "PassThroughModel.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(config(), f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
