#!/usr/bin/python3
"""Writes the tiny ONNX models the inference tests run (Debian's python3-onnx).

Usage: make_test_models.py OUTPUT_DIR

Every model takes float32 [1, C, Z, Y, X] named "input" and returns float32 class probabilities [1, K+1, Z, Y, X]
named "posteriors", voxel by voxel, so that tests can predict the exact labels:

  threshold.onnx    C=1, K=1: class 1 = Sigmoid(10 x), background = 1 - class 1 (label 1 where x > 0)
  two_channel.onnx  C=2, K=1: class 1 = Sigmoid(10 min(x0, x1)) (label 1 where x0 > 0 and x1 > 0)
  three_class.onnx  C=1, K=2: softmax of logits (0, 10 x - 5, -10 x - 5) (1 where x > 0.5, 2 where x < -0.5)
  fixed_shape.onnx  threshold.onnx with the input fixed at [1, 1, 8, 8, 8]
  slow.onnx         threshold.onnx after 40 3x3x3 box-filter convolutions: slow on a large input, to cancel mid-run
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


def value(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def save(graph, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="innereye-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def threshold_head(source, nodes, inits):
    """Appends Sigmoid(10 x) and 1 - that, concatenated as [background, class 1], to "posteriors"."""
    inits += [const("ten", 10.0), const("one", 1.0)]
    nodes += [
        helper.make_node("Mul", [source, "ten"], ["scaled"]),
        helper.make_node("Sigmoid", ["scaled"], ["fg"]),
        helper.make_node("Sub", ["one", "fg"], ["bg"]),
        helper.make_node("Concat", ["bg", "fg"], ["posteriors"], axis=1),
    ]


def threshold(path, input_dims):
    nodes, inits = [], []
    threshold_head("input", nodes, inits)
    save(helper.make_graph(nodes, "threshold", [value("input", input_dims)], [value("posteriors", [1, 2, "z", "y", "x"])], inits), path)


def two_channel(path):
    nodes = [helper.make_node("ReduceMin", ["input"], ["both"], axes=[1], keepdims=1)]
    inits = []
    threshold_head("both", nodes, inits)
    save(helper.make_graph(nodes, "two_channel", [value("input", [1, 2, "z", "y", "x"])],
                           [value("posteriors", [1, 2, "z", "y", "x"])], inits), path)


def three_class(path):
    inits = [const("ten", 10.0), const("minus_ten", -10.0), const("five", 5.0), const("zero", 0.0)]
    nodes = [
        helper.make_node("Mul", ["input", "ten"], ["a"]),
        helper.make_node("Sub", ["a", "five"], ["l1"]),
        helper.make_node("Mul", ["input", "minus_ten"], ["b"]),
        helper.make_node("Sub", ["b", "five"], ["l2"]),
        helper.make_node("Mul", ["input", "zero"], ["l0"]),
        helper.make_node("Concat", ["l0", "l1", "l2"], ["logits"], axis=1),
        helper.make_node("Softmax", ["logits"], ["posteriors"], axis=1),
    ]
    save(helper.make_graph(nodes, "three_class", [value("input", [1, 1, "z", "y", "x"])],
                           [value("posteriors", [1, 3, "z", "y", "x"])], inits), path)


def slow(path, layers=40):
    nodes, inits = [], []
    inits.append(const("box", np.full((1, 1, 3, 3, 3), 1.0 / 27.0)))
    current = "input"
    for i in range(layers):
        nodes.append(helper.make_node("Conv", [current, "box"], [f"c{i}"], pads=[1, 1, 1, 1, 1, 1]))
        current = f"c{i}"
    threshold_head(current, nodes, inits)
    save(helper.make_graph(nodes, "slow", [value("input", [1, 1, "z", "y", "x"])],
                           [value("posteriors", [1, 2, "z", "y", "x"])], inits), path)


def main():
    out = sys.argv[1]
    threshold(f"{out}/threshold.onnx", [1, 1, "z", "y", "x"])
    threshold(f"{out}/fixed_shape.onnx", [1, 1, 8, 8, 8])
    two_channel(f"{out}/two_channel.onnx")
    three_class(f"{out}/three_class.onnx")
    slow(f"{out}/slow.onnx")


if __name__ == "__main__":
    main()
