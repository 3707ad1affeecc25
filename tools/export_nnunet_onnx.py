#!/usr/bin/env python3
"""Exports one fold of a trained nnU-Net v2 model to the ONNX file `innereye models import-nnunet` reads.

Usage:
  python3 tools/export_nnunet_onnx.py MODEL_FOLDER --fold 0 [--checkpoint checkpoint_final.pth]
      [--out MODEL_FOLDER/fold_0/model.onnx] [--dynamic-batch] [--opset 17] [--check]

MODEL_FOLDER is nnU-Net's trained model folder (Dataset.../Trainer__Plans__configuration, with plans.json,
dataset.json and fold_N/). Needs torch, dynamic_network_architectures and nnunetv2 importable (pip install nnunetv2;
onnxruntime too for --check). Not run by the tests: torch is not installed there.

The network is rebuilt as nnUNetPredictor.initialize_from_trained_model_folder rebuilds it: the checkpoint's trainer
class (trainer_name) builds it from the plans configuration the checkpoint was trained with
(init_args.configuration) with build_network_architecture(..., enable_deep_supervision=False), the input channels
from dataset.json (determine_num_input_channels) and the outputs from the label manager (num_segmentation_heads);
then network_weights are loaded. The export takes float32 "input" [1, C, *patch_size] and returns the raw network
output "logits" [1, K, *patch_size] (no softmax or sigmoid: nnU-Net applies those after resampling). With
--dynamic-batch the batch axis is symbolic ("batch"), so the service can run several patches per call.
--check runs the ONNX file in ONNX Runtime (CPU) on a random patch and prints the largest difference from torch.
"""
import argparse
import inspect
import os
import sys


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model_folder", help="trained model folder: Dataset.../Trainer__Plans__configuration")
    parser.add_argument("--fold", required=True, help="fold number (the folder fold_N), or 'all' for fold_all")
    parser.add_argument("--checkpoint", default="checkpoint_final.pth", help="checkpoint file in the fold folder")
    parser.add_argument("--out", help="ONNX file to write (default: the fold folder's model.onnx)")
    parser.add_argument("--dynamic-batch", action="store_true", help="make the batch axis symbolic")
    parser.add_argument("--opset", type=int, default=17, help="ONNX opset (default 17)")
    parser.add_argument("--check", action="store_true", help="compare ONNX Runtime with torch on a random patch")
    return parser.parse_args(argv)


def build_network(model_folder, checkpoint):
    """The network nnU-Net's predictor builds for this checkpoint, with its weights, in eval mode."""
    from batchgenerators.utilities.file_and_folder_operations import load_json
    from nnunetv2.utilities.find_objects import recursive_find_trainer_class_by_name
    from nnunetv2.utilities.label_handling.label_handling import determine_num_input_channels
    from nnunetv2.utilities.plans_handling.plans_handler import PlansManager

    plans_manager = PlansManager(load_json(os.path.join(model_folder, "plans.json")))
    dataset_json = load_json(os.path.join(model_folder, "dataset.json"))
    configuration_manager = plans_manager.get_configuration(checkpoint["init_args"]["configuration"])
    num_input_channels = determine_num_input_channels(plans_manager, configuration_manager, dataset_json)
    num_output_channels = plans_manager.get_label_manager(dataset_json).num_segmentation_heads
    trainer_class = recursive_find_trainer_class_by_name(checkpoint["trainer_name"])
    if trainer_class is None:
        raise SystemExit(f"trainer class {checkpoint['trainer_name']} is not in the installed nnunetv2")
    if "plans_manager" in inspect.signature(trainer_class.build_network_architecture).parameters:
        network = trainer_class.build_network_architecture(
            plans_manager, configuration_manager, num_input_channels, num_output_channels, enable_deep_supervision=False)
    else:  # the signature of nnU-Net before 2.6
        network = trainer_class.build_network_architecture(
            configuration_manager.network_arch_class_name, configuration_manager.network_arch_init_kwargs,
            configuration_manager.network_arch_init_kwargs_req_import, num_input_channels, num_output_channels,
            enable_deep_supervision=False)
    network.load_state_dict(checkpoint["network_weights"])
    network.eval()
    return network, num_input_channels, list(configuration_manager.patch_size)


def export(network, patch_shape, path, dynamic_batch, opset):
    import torch

    dummy = torch.zeros(patch_shape, dtype=torch.float32)
    kwargs = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # the TorchScript exporter: dynamic_axes and opset as given
    with torch.no_grad():
        torch.onnx.export(
            network, dummy, path, input_names=["input"], output_names=["logits"], opset_version=opset,
            dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}} if dynamic_batch else None,
            do_constant_folding=True, **kwargs)


def check(network, patch_shape, path):
    import numpy as np
    import onnxruntime
    import torch

    x = torch.randn(patch_shape, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        expected = network(x).numpy()
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    actual = session.run(["logits"], {"input": x.numpy()})[0]
    difference = float(np.abs(actual - expected).max())
    agreement = float((actual.argmax(1) == expected.argmax(1)).mean())
    print(f"check: output {list(actual.shape)}, max |onnx - torch| {difference:.3g}, argmax agreement {agreement:.6f}")


def main(argv):
    args = parse_arguments(argv)
    import torch

    fold_folder = os.path.join(args.model_folder, f"fold_{args.fold}")
    checkpoint_path = os.path.join(fold_folder, args.checkpoint)
    checkpoint = torch.load(checkpoint_path, map_location=torch.device("cpu"), weights_only=False)
    network, channels, patch_size = build_network(args.model_folder, checkpoint)
    out = args.out or os.path.join(fold_folder, "model.onnx")
    patch_shape = (1, channels, *patch_size)
    export(network, patch_shape, out, args.dynamic_batch, args.opset)
    print(f"wrote {out}: input [{'batch' if args.dynamic_batch else 1}, {channels}, {', '.join(map(str, patch_size))}], "
          f"opset {args.opset}, from {checkpoint_path} ({checkpoint['trainer_name']}, {checkpoint['init_args']['configuration']})")
    if args.check:
        check(network, patch_shape, out)


if __name__ == "__main__":
    main(sys.argv[1:])
