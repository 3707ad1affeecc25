#!/usr/bin/python3
"""The ThoraxCT network: a small anisotropic U-Net for thoracic organs at risk on CT.

Input  float32 [N, 1, Z, Y, X]: CT windowed to [-1, 1] on the model grid (1.5 x 1.5 x 3.0 mm, x y z).
The graph derives a second, soft-tissue channel from it (level 40, width 400 HU, clipped to [-1, 1]): heart,
oesophagus, cord and muscle differ by a few tens of HU, which the wide input window squeezes into a few hundredths.
Output float32 [N, 6, Z, Y, X]: softmax probabilities; 0 background, 1 SpinalCord, 2 Lung_R, 3 Lung_L, 4 Heart,
5 Esophagus.

Layout: convolutions are mostly in-plane (1, 3, 3); three (3, 3, 3) convolutions give through-plane context where
they are cheap (quarter and eighth in-plane resolution). Down-sampling is in-plane only: strided (1, 2, 2)
convolutions; up-sampling is a (1, 1, 1) channel reduction, nearest-neighbour (1, 2, 2) up-sampling, concatenation
with the skip and one (1, 3, 3) convolution. Three levels below full
resolution, channels 16-32-64-64. Batch normalisation is folded into the convolutions when exported in eval mode,
so the ONNX graph holds only Mul, Add, Clip, Conv, Relu, Resize, Concat and Softmax.

Y and X of each input must be multiples of 8 (three halvings); Z is free. The inference pipeline pads every patch to
the configured patch size (16 x 160 x 160), which satisfies this.

Usage: /usr/bin/python3 tools/thorax_model.py [--export OUT.onnx]   prints the parameter count and a CPU timing;
with --export writes an untrained network (for pipeline tests only) and compares it with the torch module.
       /usr/bin/python3 tools/thorax_model.py --config models/ThoraxCT.json   writes the inference configuration.
"""
import argparse
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# Same names, order and colours as PassThroughModel (tools/make_passthrough_model.py).
STRUCTURES = [
    ("SpinalCord", [255, 0, 0]),
    ("Lung_R", [0, 128, 255]),
    ("Lung_L", [0, 200, 80]),
    ("Heart", [255, 0, 255]),
    ("Esophagus", [255, 200, 0]),
]
NUM_CLASSES = len(STRUCTURES) + 1
# Preprocessing shared by training and the inference configuration (models/ThoraxCT.json).
# Window level -300 / width 1800 maps [-1200, 600] HU to [-1, 1]: lung (-800) and soft tissue (0..60) stay apart
# and fat, muscle and bone are still ordered; only dense bone clips.
WINDOW = {"level": -300, "width": 1800, "outputMin": -1, "outputMax": 1}
TARGET_SPACING = [1.5, 1.5, 3.0]  # x, y, z in mm
PATCH_SIZE = [16, 160, 160]  # z, y, x voxels on the model grid; Y and X multiples of 8
PATCH_OVERLAP = [4, 32, 32]  # z, y, x
# The derived channel, as an affine map of the windowed input: HU = lo + (x - outputMin) * width / 2.
SOFT_TISSUE = {"level": 40, "width": 400}
CHANNELS = (16, 32, 64, 64)
INPLANE = (1, 3, 3)
FULL = (3, 3, 3)


def soft_tissue_affine(w=WINDOW, soft=SOFT_TISSUE):
    """(scale, offset) with soft = clip(scale * x + offset, -1, 1) for x the input windowed by `w`."""
    hu_per_unit = w["width"] / (w["outputMax"] - w["outputMin"])
    hu_at_zero = w["level"] - w["width"] / 2 - w["outputMin"] * hu_per_unit
    scale = hu_per_unit * 2 / soft["width"]
    offset = (hu_at_zero - soft["level"]) * 2 / soft["width"]
    return scale, offset


def conv_block(cin, cout, kernel, stride=(1, 1, 1)):
    padding = tuple(k // 2 for k in kernel)
    return nn.Sequential(
        nn.Conv3d(cin, cout, kernel, stride=stride, padding=padding, bias=False),
        nn.BatchNorm3d(cout),
        nn.ReLU(inplace=True),
    )


class Up(nn.Module):
    """A (1, 1, 1) convolution at the coarse level, nearest (1, 2, 2) up-sampling, concatenation with the skip and
    one (1, 3, 3) convolution. Reducing channels before up-sampling keeps the full-resolution cost low."""

    def __init__(self, cin, cskip, cout):
        super().__init__()
        self.reduce = conv_block(cin, cout, (1, 1, 1))
        self.fuse = conv_block(cout + cskip, cout, INPLANE)

    def forward(self, x, skip):
        x = F.interpolate(self.reduce(x), scale_factor=(1.0, 2.0, 2.0), mode="nearest")
        return self.fuse(torch.cat([x, skip], dim=1))


class ThoraxUNet(nn.Module):
    def __init__(self, in_channels=1, num_classes=NUM_CLASSES, channels=CHANNELS):
        super().__init__()
        c0, c1, c2, c3 = channels
        self.soft_scale, self.soft_offset = soft_tissue_affine()
        self.enc0 = nn.Sequential(conv_block(2 * in_channels, c0, INPLANE), conv_block(c0, c0, INPLANE))
        self.enc1 = nn.Sequential(conv_block(c0, c1, INPLANE, stride=(1, 2, 2)), conv_block(c1, c1, INPLANE))
        self.enc2 = nn.Sequential(conv_block(c1, c2, INPLANE, stride=(1, 2, 2)), conv_block(c2, c2, FULL))
        self.enc3 = nn.Sequential(conv_block(c2, c3, INPLANE, stride=(1, 2, 2)), conv_block(c3, c3, FULL),
                                  conv_block(c3, c3, FULL))
        self.up2 = Up(c3, c2, c2)
        self.up1 = Up(c2, c1, c1)
        self.up0 = Up(c1, c0, c0)
        self.head = nn.Conv3d(c0, num_classes, kernel_size=1)

    def logits(self, x):
        soft = torch.clamp(x * self.soft_scale + self.soft_offset, -1.0, 1.0)
        s0 = self.enc0(torch.cat([x, soft], dim=1))
        s1 = self.enc1(s0)
        s2 = self.enc2(s1)
        b = self.enc3(s2)
        y = self.up2(b, s2)
        y = self.up1(y, s1)
        y = self.up0(y, s0)
        return self.head(y)

    def forward(self, x):
        return torch.softmax(self.logits(x), dim=1)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def export_onnx(model, path, example_shape=(1, 1, 16, 160, 160)):
    """Export in eval mode (batch norm folded into the convolutions), opset 13, dynamic N, Z, Y, X."""
    import onnx

    import warnings

    model = model.eval()
    example = torch.zeros(example_shape)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on shape inference and constant folding
        torch.onnx.export(
            model, example, path, opset_version=13, input_names=["input"], output_names=["posteriors"],
            dynamic_axes={"input": {0: "N", 2: "Z", 3: "Y", 4: "X"}, "posteriors": {0: "N", 2: "Z", 3: "Y", 4: "X"}},
            do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL)
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    for value in (m.graph.input[0], m.graph.output[0]):
        dims = [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]
        assert dims[2:] == ["Z", "Y", "X"] and dims[1] in (1, NUM_CLASSES), f"{value.name} is not dynamic: {dims}"
    return m


def window(hu, w=WINDOW):
    """Linear window of HU to [outputMin, outputMax], clipped (the same mapping the inference pipeline applies)."""
    lo = w["level"] - w["width"] / 2
    out = w["outputMin"] + (hu - lo) * ((w["outputMax"] - w["outputMin"]) / w["width"])
    return out.clip(w["outputMin"], w["outputMax"])


def config(onnx_file="ThoraxCT.onnx", version="1"):
    return {
        "id": "ThoraxCT",
        "version": version,
        "displayName": "Thorax CT organs at risk (anisotropic U-Net, phantom-trained)",
        "onnxFile": onnx_file,
        "onnxInput": "input",
        "onnxOutput": "posteriors",
        "inputChannels": [{"id": "ct", "modality": "CT"}],
        "preprocessing": {
            "window": dict(WINDOW),
            "targetSpacing": list(TARGET_SPACING),
            "patchSize": list(PATCH_SIZE),
            "patchOverlap": list(PATCH_OVERLAP),
        },
        "structures": [
            {"name": name, "color": color, "interpretedType": "ORGAN", "fillHoles": False}
            for name, color in STRUCTURES
        ],
        "postprocessing": {"largestComponent": True, "minimumSizeVoxels": 20},
        "rt": {"manufacturer": "InnerEye-Orleans", "interpreter": "InnerEye"},
    }


def write_config(path, **kwargs):
    import json

    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(config(**kwargs), f, indent=2)
        f.write("\n")


def run_onnx_with_torch(model_proto, x):
    """Evaluate the exported graph op by op with torch.nn.functional, following the ONNX opset 13 definitions of the
    few operators it uses. ONNX Runtime is not a dependency of these tools; this checks the export (batch-norm
    folding, dynamic shapes, Resize attributes) independently of the torch module."""
    from onnx import numpy_helper

    values = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in model_proto.graph.initializer}
    values[model_proto.graph.input[0].name] = x
    for node in model_proto.graph.node:
        attrs = {a.name: onnx_attr(a) for a in node.attribute}
        ins = [values[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Conv":
            assert attrs.get("group", 1) == 1 and set(attrs.get("dilations", [1, 1, 1])) == {1}
            pads = attrs.get("pads", [0] * 6)
            assert pads[:3] == pads[3:], pads
            out = F.conv3d(ins[0], ins[1], ins[2] if len(ins) > 2 else None, stride=attrs.get("strides", 1),
                           padding=tuple(pads[:3]))
        elif op == "Mul":
            out = ins[0] * ins[1]
        elif op == "Add":
            out = ins[0] + ins[1]
        elif op == "Clip":
            out = torch.clamp(ins[0], float(ins[1]), float(ins[2]))
        elif op == "Relu":
            out = torch.relu(ins[0])
        elif op == "Identity":
            out = ins[0]
        elif op == "Constant":
            out = attrs["value"]
        elif op == "Concat":
            out = torch.cat(ins, dim=attrs["axis"])
        elif op == "Softmax":
            out = torch.softmax(ins[0], dim=attrs.get("axis", -1))
        elif op == "Resize":
            assert attrs.get("mode") == b"nearest" and attrs.get("coordinate_transformation_mode") == b"asymmetric"
            assert attrs.get("nearest_mode") == b"floor"
            scales = [float(v) for v in ins[2]]
            assert scales[:2] == [1.0, 1.0] and all(v == int(v) for v in scales)
            out = ins[0]
            for axis, s in enumerate(scales[2:], start=2):
                out = out.repeat_interleave(int(s), dim=axis)  # integer scale, floor, asymmetric
        else:
            raise ValueError(f"no torch evaluator for {op}")
        values[node.output[0]] = out
    return values[model_proto.graph.output[0].name]


def onnx_attr(a):
    import onnx
    from onnx import numpy_helper

    if a.type == onnx.AttributeProto.TENSOR:
        return torch.from_numpy(numpy_helper.to_array(a.t).copy())
    return onnx.helper.get_attribute_value(a)


def verify_export(model, model_proto, shapes=((1, 1, 16, 160, 160), (1, 1, 5, 24, 40), (2, 1, 9, 64, 48))):
    """Compare the torch module with the exported graph on random inputs of several sizes; return the max error."""
    model = model.eval()
    worst = 0.0
    g = torch.Generator().manual_seed(0)
    for shape in shapes:
        x = torch.rand(shape, generator=g) * 2 - 1
        with torch.no_grad():
            want = model(x)
            got = run_onnx_with_torch(model_proto, x)
        assert got.shape == want.shape, (got.shape, want.shape)
        worst = max(worst, float((got - want).abs().max()))
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--export", help="write an untrained ONNX network here")
    parser.add_argument("--config", help="write the inference configuration (ThoraxCT.json) here and exit")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for the timing")
    parser.add_argument("--shape", default="16,160,160", help="z,y,x of the timed patch")
    args = parser.parse_args()
    if args.config:
        write_config(args.config)
        return
    torch.manual_seed(0)
    model = ThoraxUNet().eval()
    print(f"parameters: {parameter_count(model)} ({parameter_count(model) * 4 / 1e6:.2f} MB as float32)")
    torch.set_num_threads(args.threads)
    shape = tuple(int(s) for s in args.shape.split(","))
    x = torch.randn(1, 1, *shape)
    with torch.no_grad():
        model(x)
        t = time.perf_counter()
        y = model(x)
        dt = time.perf_counter() - t
    print(f"patch {list(x.shape)} -> {list(y.shape)} in {dt:.2f} s on {args.threads} threads")
    if args.export:
        m = export_onnx(model, args.export)
        print(f"wrote {args.export}: {os.path.getsize(args.export)} bytes, ops "
              f"{' '.join(sorted({n.op_type for n in m.graph.node}))}")
        # Random batch-norm statistics so that the folding is actually exercised by the comparison.
        with torch.no_grad():
            for mod in model.modules():
                if isinstance(mod, nn.BatchNorm3d):
                    mod.running_mean.uniform_(-0.5, 0.5)
                    mod.running_var.uniform_(0.5, 2.0)
                    mod.weight.uniform_(0.5, 1.5)
                    mod.bias.uniform_(-0.2, 0.2)
        m = export_onnx(model, args.export)
        print(f"ONNX graph vs torch module, max |difference| over several sizes: {verify_export(model, m):.2e}")


if __name__ == "__main__":
    main()
