"""Our run vs nnU-Net's own predictor on the same series: times, their ratio, voxel agreement and per-class Dice.

usage: nnunet_compare.py REFERENCE_OUT OURS_OUT SETTING
REFERENCE_OUT is reference/run.sh's folder (run.json, seg.npy); OURS_OUT holds labels.nii.gz and bench.txt.
"""
import json
import re
import sys

import nibabel
import numpy as np

ref_dir, ours_dir, setting = sys.argv[1:4]
ref = np.load(f'{ref_dir}/seg.npy')
ours = np.ascontiguousarray(np.asarray(nibabel.load(f'{ours_dir}/labels.nii.gz').dataobj).transpose(2, 1, 0))
reference_seconds = json.load(open(f'{ref_dir}/run.json'))['seconds']
bench = open(f'{ours_dir}/bench.txt').read()
ours_seconds = float(re.search(r'end to end\s+([0-9.]+) s', bench).group(1))
agreement = float((ref == ours).mean())
dice = {}
for k in range(1, 6):
    a, b = ref == k, ours == k
    n = int(a.sum() + b.sum())
    if n:
        dice[k] = round(2.0 * int((a & b).sum()) / n, 5)
print(f'  nnU-Net predictor {reference_seconds:8.2f} s   ours {ours_seconds:8.2f} s   speed-up {reference_seconds / ours_seconds:5.2f}x'
      f'   voxel agreement {agreement:.6f}   Dice {dice}')
