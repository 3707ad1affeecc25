#!/usr/bin/env python3
"""Reads a YAML stream (a file, or stdin when no file is given) and writes its documents as one JSON list.

Empty documents (a stray '---') are dropped. Used by the deployment tests to check rendered Kubernetes manifests.
"""
import json
import sys

import yaml


def main() -> int:
    if len(sys.argv) > 2:
        print("usage: yaml_to_json.py [FILE]", file=sys.stderr)
        return 2
    if len(sys.argv) == 2:
        with open(sys.argv[1], encoding="utf-8") as f:
            text = f.read()
    else:
        text = sys.stdin.read()
    documents = [d for d in yaml.safe_load_all(text) if d is not None]
    json.dump(documents, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
