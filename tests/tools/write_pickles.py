#!/usr/bin/python3
"""Writes the pickles the pickle reader's tests read (standard library only).

Usage: write_pickles.py OUTPUT_DIR

  protocol2.pkl   protocol 2 (as torch.save writes data.pkl): the dict below
  protocol4.pkl   the same dict with protocol 4 (FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL)
  reduced.pkl     a reduced global (datetime.date), an OrderedDict and a set, protocol 2
  none_axes.pkl   a checkpoint-like dict whose inference_allowed_mirroring_axes is None, protocol 2
  no_axes.pkl     a checkpoint-like dict without inference_allowed_mirroring_axes, protocol 2
  axes_012.pkl    a checkpoint-like dict whose inference_allowed_mirroring_axes is (0, 1, 2), protocol 2
  truncated.pkl   protocol2.pkl without its last 7 bytes
  huge_string.pkl protocol 2 BINUNICODE that claims 4,294,967,295 bytes and holds 3
  huge_bytes8.pkl protocol 4 BINBYTES8 that claims 2**62 bytes and holds 3
"""
import collections
import datetime
import pickle
import struct
import sys

SHARED = [1, 2, 3]

VALUES = {
    "inference_allowed_mirroring_axes": (0, 2),
    "trainer_name": "nnUNetTrainer",
    "init_args": {"configuration": "3d_fullres", "fold": 0},
    "nested": {"list": [1, 2.5, None, True, False, "text"], "empty": (), "one": (7,), "three": (1, 2, 3), "four": (1, 2, 3, 4)},
    "small": 200,
    "medium": 40000,
    "negative": -5,
    "int32": -2_000_000_000,
    "big": 2 ** 70,
    "float": -1.25,
    "bytes": b"\x00\x01\xff",
    "unicode": "h\u00e9llo \u2192",
    "shared": (SHARED, SHARED),
}


def main():
    out = sys.argv[1]

    def write(name, data):
        with open(f"{out}/{name}", "wb") as f:
            f.write(data)

    protocol2 = pickle.dumps(VALUES, protocol=2)
    write("protocol2.pkl", protocol2)
    write("protocol4.pkl", pickle.dumps(VALUES, protocol=4))
    reduced = {"date": datetime.date(2024, 1, 2), "ordered": collections.OrderedDict([("a", 1), ("b", 2)]), "set": {5}}
    write("reduced.pkl", pickle.dumps(reduced, protocol=2))
    checkpoint = {"trainer_name": "nnUNetTrainer", "init_args": {"configuration": "3d_fullres", "fold": 0}}
    write("none_axes.pkl", pickle.dumps({**checkpoint, "inference_allowed_mirroring_axes": None}, protocol=2))
    write("no_axes.pkl", pickle.dumps(checkpoint, protocol=2))
    write("axes_012.pkl", pickle.dumps({**checkpoint, "inference_allowed_mirroring_axes": (0, 1, 2)}, protocol=2))
    write("truncated.pkl", protocol2[:-7])
    write("huge_string.pkl", b"\x80\x02X" + struct.pack("<I", 0xFFFFFFFF) + b"abc.")
    write("huge_bytes8.pkl", b"\x80\x04\x8e" + struct.pack("<Q", 2 ** 62) + b"abc.")


if __name__ == "__main__":
    main()
