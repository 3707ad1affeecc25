#!/usr/bin/python3
"""Train the ThoraxCT network (tools/thorax_model.py) on synthetic thorax phantoms and export it to ONNX.

Usage (from the repository root):
  /usr/bin/python3 tools/train_thorax.py --train-seeds 1-40 --val-seeds 1001-1005 --epochs 30 \\
      --out models/ThoraxCT.onnx [--innereye "dotnet Cli/bin/Release/net10.0/innereye.dll"] [--work-dir DIR]
  /usr/bin/python3 tools/train_thorax.py --fake-data --train-seeds 1-3 --val-seeds 1001 --epochs 1 \\
      --out /tmp/ThoraxCT.onnx        (smoke test: numpy-drawn phantoms instead of the innereye CLI)

Phantoms come from `innereye phantom --seed N --out DIR [--rows R --cols C --slices Z]`, cached under
WORK_DIR/phantoms/seed-N. Each DIR holds ct/<i> (CT DICOM slices) and labels.nii.gz (uint8 NIfTI-1 on the CT grid,
x fastest, z in the order of the slices sorted by ImagePositionPatient along the slice normal; 0 background,
1 SpinalCord, 2 Lung_R, 3 Lung_L, 4 Heart, 5 Esophagus). The CT is resampled (trilinear) and the labels (nearest)
to the model grid, the CT is windowed, and both are cached as WORK_DIR/grid/seed-N.npz.

Training: random patches of the inference patch size, two thirds of them centred on a voxel of a randomly chosen
structure; random flips along z (so head-first and feet-first slice orders both work; left-right is never flipped
because it would swap the lungs), small intensity jitter; loss cross-entropy + soft Dice over the five structures;
Adam with cosine decay. Validation runs sliding-window inference with the configured patch and overlap, exactly as
the service tiles, and reports Dice per structure. Outputs: --out (ONNX, opset 13, dynamic N, Z, Y, X), the
configuration next to it (<stem>.json), <stem>.md (command, seeds, epochs, metrics) and a checkpoint in WORK_DIR.
"""
import argparse
import gzip
import json
import os
import shlex
import struct
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import thorax_model as tm  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
NAMES = [name for name, _ in tm.STRUCTURES]


# ---------------------------------------------------------------------------------------------------- inputs

def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-", 1)
            seeds.extend(range(int(a), int(b) + 1))
        elif part:
            seeds.append(int(part))
    return seeds


def read_ct(folder):
    """Read a CT series with pydicom; return HU (z, y, x) float32 sorted by position along the slice normal, and the
    spacing (x, y, z) in mm."""
    import pydicom

    slices = []
    for name in sorted(os.listdir(folder)):
        ds = pydicom.dcmread(os.path.join(folder, name))
        if "PixelData" not in ds:
            continue
        iop = np.array([float(v) for v in ds.ImageOrientationPatient])
        normal = np.cross(iop[:3], iop[3:])
        position = np.array([float(v) for v in ds.ImagePositionPatient])
        hu = ds.pixel_array.astype(np.float32) * float(getattr(ds, "RescaleSlope", 1)) \
            + float(getattr(ds, "RescaleIntercept", 0))
        slices.append((float(position @ normal), hu, [float(v) for v in ds.PixelSpacing]))
    if not slices:
        raise ValueError(f"no images in {folder}")
    slices.sort(key=lambda s: s[0])
    positions = np.array([s[0] for s in slices])
    dz = float(np.median(np.diff(positions))) if len(slices) > 1 else 1.0
    if dz <= 0:
        raise ValueError(f"duplicate slice positions in {folder}")
    row_spacing, col_spacing = slices[0][2]
    volume = np.stack([s[1] for s in slices])
    return volume, (col_spacing, row_spacing, dz)


NIFTI_TYPES = {2: np.uint8, 4: np.int16, 8: np.int32, 16: np.float32, 64: np.float64, 256: np.int8, 512: np.uint16}


def read_nifti(path):
    """Minimal NIfTI-1 reader (.nii or .nii.gz, either byte order); returns the first volume as (z, y, x)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    for endian in "<>":
        if struct.unpack(endian + "i", data[:4])[0] == 348:
            break
    else:
        raise ValueError(f"{path}: not a NIfTI-1 file")
    if data[344:348] not in (b"n+1\0", b"ni1\0"):
        raise ValueError(f"{path}: bad NIfTI magic {data[344:348]!r}")
    dim = struct.unpack(endian + "8h", data[40:56])
    datatype = struct.unpack(endian + "h", data[70:72])[0]
    vox_offset = int(struct.unpack(endian + "f", data[108:112])[0])
    slope, inter = struct.unpack(endian + "2f", data[112:120])
    if datatype not in NIFTI_TYPES:
        raise ValueError(f"{path}: unsupported NIfTI datatype {datatype}")
    nx, ny, nz = dim[1], dim[2], dim[3] if dim[0] >= 3 else 1
    dtype = np.dtype(NIFTI_TYPES[datatype]).newbyteorder(endian)
    count = nx * ny * nz
    array = np.frombuffer(data, dtype=dtype, count=count, offset=vox_offset).reshape(nz, ny, nx)
    if slope not in (0.0, 1.0) or inter != 0.0:
        array = array * slope + inter
    return array.astype(array.dtype.newbyteorder("="))


def generate_phantom(seed, folder, args):
    if os.path.exists(os.path.join(folder, "labels.nii.gz")) and os.path.isdir(os.path.join(folder, "ct")):
        return
    os.makedirs(os.path.dirname(folder), exist_ok=True)
    if args.fake_data:
        write_fake_phantom(seed, folder)
        return
    cmd = shlex.split(args.innereye) + ["phantom", "--seed", str(seed), "--out", folder]
    for flag in ("rows", "cols", "slices"):
        if getattr(args, flag):
            cmd += [f"--{flag}", str(getattr(args, flag))]
    print("  $", " ".join(shlex.quote(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=REPO)


def to_model_grid(hu, labels, spacing, target=tm.TARGET_SPACING):
    """Resample a (z, y, x) CT (trilinear) and its labels (nearest) to the target spacing. Both grids cover the same
    extent: n' = round(n * spacing / target), voxel centres aligned as in align_corners=False."""
    size = [max(1, int(round(n * s / t))) for n, s, t in zip(hu.shape, spacing[::-1], target[::-1])]
    with torch.no_grad():
        ct = F.interpolate(torch.from_numpy(hu)[None, None], size=size, mode="trilinear", align_corners=False)[0, 0]
        lab = F.interpolate(torch.from_numpy(labels.astype(np.float32))[None, None], size=size,
                            mode="nearest-exact")[0, 0]
    return ct.numpy(), lab.numpy().round().astype(np.uint8)


def load_case(seed, args):
    cache = os.path.join(args.work_dir, "grid", f"seed-{seed}.npz")
    if os.path.exists(cache):
        with np.load(cache) as z:
            return z["image"], z["labels"]
    folder = os.path.join(args.work_dir, "fake-phantoms" if args.fake_data else "phantoms", f"seed-{seed}")
    generate_phantom(seed, folder, args)
    hu, spacing = read_ct(os.path.join(folder, "ct"))
    labels = read_nifti(os.path.join(folder, "labels.nii.gz"))
    if labels.shape != hu.shape:
        raise ValueError(f"seed {seed}: labels {labels.shape} do not match the CT {hu.shape} (z, y, x)")
    if labels.max() > len(NAMES):
        raise ValueError(f"seed {seed}: label {labels.max()} out of range")
    ct, lab = to_model_grid(hu, labels, spacing)
    image = tm.window(ct).astype(np.float32)
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    np.savez_compressed(cache, image=image, labels=lab)
    print(f"  seed {seed}: CT {hu.shape[::-1]} (x, y, z) at {tuple(round(s, 3) for s in spacing)} mm -> "
          f"{image.shape[::-1]} on the model grid", flush=True)
    return image, lab


# ------------------------------------------------------------------------------- fake phantoms (smoke test)

def write_nifti_gz(path, array_zyx, spacing_xyz):
    nz, ny, nx = array_zyx.shape
    hdr = bytearray(352)
    struct.pack_into("<i", hdr, 0, 348)
    struct.pack_into("<8h", hdr, 40, 3, nx, ny, nz, 1, 1, 1, 1)
    struct.pack_into("<hh", hdr, 70, 2, 8)  # uint8, 8 bits
    struct.pack_into("<8f", hdr, 76, 1.0, *spacing_xyz, 1, 1, 1, 1)
    struct.pack_into("<f", hdr, 108, 352.0)
    struct.pack_into("<f", hdr, 112, 1.0)
    hdr[123] = 10  # xyzt_units: mm, s
    hdr[344:348] = b"n+1\0"
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(bytes(hdr) + np.ascontiguousarray(array_zyx, dtype=np.uint8).tobytes())


def fake_volume(seed, rows=128, cols=128, slices=40):
    """A crude thorax drawn with ellipses: body, two lungs, heart, vertebra around the cord, esophagus with air."""
    rng = np.random.default_rng(seed)
    z, y, x = np.meshgrid(np.arange(slices), np.arange(rows), np.arange(cols), indexing="ij")
    cx, cy = cols / 2 + rng.uniform(-4, 4), rows / 2 + rng.uniform(-4, 4)
    s = rng.uniform(0.9, 1.1)

    def ell(x0, y0, a, b):
        return ((x - x0) / (a * s)) ** 2 + ((y - y0) / (b * s)) ** 2 <= 1

    hu = np.full(x.shape, -1000.0)
    labels = np.zeros(x.shape, np.uint8)
    hu[ell(cx, cy, 58, 40)] = -80  # fat
    hu[ell(cx, cy, 54, 36)] = 40
    taper = 1 - 0.3 * np.abs(z - slices / 2) / slices
    lung_r = ell(cx - 24, cy - 2, 20 * taper, 28 * taper)
    lung_l = ell(cx + 24, cy - 2, 18 * taper, 27 * taper)
    heart = ell(cx + 6, cy - 12, 16, 13) & (z > slices * 0.3)
    vertebra = ell(cx, cy + 24, 8, 7)
    cord = ell(cx, cy + 25, 3.5, 3.5)
    eso = ell(cx - 2, cy + 12, 4, 3.5)
    eso_air = ell(cx - 2, cy + 12, 1.5, 1.2)
    for mask, value, label in ((lung_r, -820, 2), (lung_l, -820, 3), (heart, 45, 4), (vertebra, 700, 0),
                               (cord, 30, 1), (eso, 40, 5), (eso_air, -900, 5)):
        hu[mask] = value
        labels[mask] = label
    hu += rng.normal(0, 20, size=hu.shape)
    return hu, labels


def write_fake_phantom(seed, folder):
    """Write ct/<i> DICOM and labels.nii.gz like `innereye phantom` does. Odd seeds use a slice normal pointing to
    -z (rows flipped), and files are written in shuffled order, to exercise the sorting."""
    import pydicom
    from pydicom.dataset import FileDataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    rows, cols, slices, px, dz = 128, 128, 40, 0.8, 2.5
    hu, labels = fake_volume(seed, rows, cols, slices)
    os.makedirs(os.path.join(folder, "ct"), exist_ok=True)
    write_nifti_gz(os.path.join(folder, "labels.nii.gz"), labels, (px, px, dz))
    row_dir, col_dir = [1.0, 0.0, 0.0], ([0.0, -1.0, 0.0] if seed % 2 else [0.0, 1.0, 0.0])
    normal = np.cross(row_dir, col_dir)
    study, series, frame = generate_uid(), generate_uid(), generate_uid()
    order = np.random.default_rng(seed).permutation(slices)
    for i, k in enumerate(order):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        meta.MediaStorageSOPInstanceUID = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
        ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
        ds.Modality, ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = "CT", study, series, frame
        ds.PatientID, ds.PatientName = f"FAKE{seed}", f"Fake^{seed}"
        ds.InstanceNumber = int(k) + 1
        ds.ImageOrientationPatient = row_dir + col_dir
        ds.ImagePositionPatient = [float(v) for v in (np.array([-50.0, 50.0 if seed % 2 else -50.0, 0.0])
                                                      + k * dz * normal)]
        ds.PixelSpacing = [px, px]
        ds.SliceThickness = dz
        ds.Rows, ds.Columns = rows, cols
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.RescaleIntercept, ds.RescaleSlope = -1024, 1
        ds.PixelData = np.clip(np.round(hu[k]) + 1024, -32768, 32767).astype("<i2").tobytes()
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.save_as(os.path.join(folder, "ct", str(i)), write_like_original=False)
    with open(os.path.join(folder, "phantom.json"), "w") as f:
        json.dump({"seed": seed, "fake": True}, f)


# ----------------------------------------------------------------------------------------------- training

class PatchSampler:
    def __init__(self, cases, patch, rng, foreground_fraction=2 / 3, max_points=20000):
        self.cases, self.patch, self.rng, self.fg = [], np.array(patch), rng, foreground_fraction
        for image, labels in cases:
            pad = [(0, max(0, p - n)) for p, n in zip(patch, image.shape)]
            image = np.pad(image, pad, constant_values=tm.WINDOW["outputMin"])
            labels = np.pad(labels, pad, constant_values=0)
            points = {}
            for c in range(1, len(NAMES) + 1):
                idx = np.flatnonzero(labels == c)
                if idx.size:
                    idx = rng.choice(idx, size=min(max_points, idx.size), replace=False)
                    points[c] = np.stack(np.unravel_index(idx, labels.shape), axis=1)
            self.cases.append((image, labels, points))

    def sample(self):
        image, labels, points = self.cases[self.rng.integers(len(self.cases))]
        shape = np.array(image.shape)
        if points and self.rng.random() < self.fg:
            c = list(points)[self.rng.integers(len(points))]
            centre = points[c][self.rng.integers(len(points[c]))] + self.rng.integers(-self.patch // 4,
                                                                                     self.patch // 4 + 1)
            start = np.clip(centre - self.patch // 2, 0, shape - self.patch)
        else:
            start = np.array([self.rng.integers(0, n - p + 1) for n, p in zip(shape, self.patch)])
        sl = tuple(slice(s, s + p) for s, p in zip(start, self.patch))
        x, y = image[sl].copy(), labels[sl].copy()
        if self.rng.random() < 0.5:
            x, y = x[::-1].copy(), y[::-1].copy()
        # CT numbers are calibrated: a small gain and an offset of at most ~5 HU, so that the soft-tissue contrast
        # (heart vs muscle is ~25 HU) stays meaningful.
        x = x * self.rng.uniform(0.99, 1.01) + self.rng.uniform(-0.005, 0.005)
        return x, y


def widen_input(state, model):
    """Weights saved before the network had its derived soft-tissue channel take it with zero weights, so the
    widened network starts out computing exactly what the saved one did."""
    own = model.state_dict()
    for key, value in state.items():
        if key in own and value.dim() == 5 and value.shape[1] * 2 == own[key].shape[1]:
            state[key] = torch.cat([value, torch.zeros_like(value)], dim=1)
    return state


def loss_fn(logits, target):
    ce = F.cross_entropy(logits, target)
    probs = torch.softmax(logits, dim=1)[:, 1:]
    onehot = F.one_hot(target, tm.NUM_CLASSES).permute(0, 4, 1, 2, 3).float()[:, 1:]
    dims = (0, 2, 3, 4)
    inter = (probs * onehot).sum(dims)
    denom = probs.sum(dims) + onehot.sum(dims)
    dice = (2 * inter + 1.0) / (denom + 1.0)
    return ce + (1 - dice.mean())


def sliding_window(model, image, patch, overlap, device):
    """Tile (z, y, x) like the service: patches of `patch`, step patch - overlap, the last patch flush with the end,
    the volume padded with outputMin when smaller than a patch; probabilities averaged where patches overlap."""
    shape = image.shape
    padded = np.pad(image, [(0, max(0, p - n)) for p, n in zip(patch, shape)],
                    constant_values=tm.WINDOW["outputMin"])
    starts = []
    for n, p, o in zip(padded.shape, patch, overlap):
        step = max(1, p - o)
        s = list(range(0, n - p + 1, step))
        if s[-1] != n - p:
            s.append(n - p)
        starts.append(s)
    probs = np.zeros((tm.NUM_CLASSES,) + padded.shape, np.float32)
    counts = np.zeros(padded.shape, np.float32)
    with torch.no_grad():
        for z in starts[0]:
            for y in starts[1]:
                for x in starts[2]:
                    sl = (slice(z, z + patch[0]), slice(y, y + patch[1]), slice(x, x + patch[2]))
                    inp = torch.from_numpy(np.ascontiguousarray(padded[sl]))[None, None].to(device)
                    probs[(slice(None),) + sl] += model(inp)[0].cpu().numpy()
                    counts[sl] += 1
    probs /= counts
    return probs[:, :shape[0], :shape[1], :shape[2]]


def dice_scores(pred, labels):
    scores = []
    for c in range(1, len(NAMES) + 1):
        a, b = pred == c, labels == c
        total = a.sum() + b.sum()
        scores.append(float(2 * (a & b).sum() / total) if total else float("nan"))
    return scores


def validate(model, cases, device):
    model.eval()
    rows = []
    for image, labels in cases:
        probs = sliding_window(model, image, tm.PATCH_SIZE, tm.PATCH_OVERLAP, device)
        rows.append(dice_scores(probs.argmax(0), labels))
    return np.nanmean(np.array(rows, dtype=np.float64), axis=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train-seeds", default="1-40")
    parser.add_argument("--val-seeds", default="1001-1005")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--out", default=os.path.join("models", "ThoraxCT.onnx"))
    parser.add_argument("--innereye", default="dotnet run --project Cli -c Release --",
                        help="command that runs the innereye CLI (run from the repository root)")
    parser.add_argument("--rows", type=int, help="phantom rows (passed to innereye phantom)")
    parser.add_argument("--cols", type=int, help="phantom columns")
    parser.add_argument("--slices", type=int, help="phantom slices")
    parser.add_argument("--work-dir", default=os.path.join(REPO, ".artifacts", "thorax"))
    parser.add_argument("--patches-per-case", type=int, default=8, help="patches per training case per epoch")
    parser.add_argument("--batch-size", type=int, default=2)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=1729, help="seed for torch and numpy")
    parser.add_argument("--val-every", type=int, default=0, help="also validate every N epochs (0: only at the end)")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--train-patch", help="z,y,x size of training patches (default: the inference patch size; "
                                               "y and x must be multiples of 8)")
    parser.add_argument("--init-from", help="continue from a state dict saved by an earlier run (its record is kept "
                                             "in the new .md)")
    parser.add_argument("--fake-data", action="store_true",
                        help="SMOKE TEST ONLY: draw crude phantoms with numpy instead of running innereye phantom")
    args = parser.parse_args()
    if args.fake_data:
        args.work_dir = os.path.join(args.work_dir, "fake")
    command = " ".join(shlex.quote(a) for a in [os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:])

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    rng = np.random.default_rng(args.seed)
    torch.set_num_threads(os.cpu_count() or 1)
    started = time.time()

    train_seeds, val_seeds = parse_seeds(args.train_seeds), parse_seeds(args.val_seeds)
    print(f"loading {len(train_seeds)} training and {len(val_seeds)} validation phantoms", flush=True)
    train = [load_case(s, args) for s in train_seeds]
    val = [load_case(s, args) for s in val_seeds]

    train_patch = tuple(int(v) for v in args.train_patch.split(",")) if args.train_patch else tuple(tm.PATCH_SIZE)
    sampler = PatchSampler(train, train_patch, rng)
    model = tm.ThoraxUNet().to(args.device)
    if args.init_from:
        model.load_state_dict(widen_input(torch.load(args.init_from, map_location=args.device), model))
    steps_per_epoch = max(1, len(train) * args.patches_per_case // args.batch_size)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=args.epochs * steps_per_epoch,
                                                          eta_min=args.lr / 100)
    print(f"{tm.parameter_count(model)} parameters, {steps_per_epoch} steps of {args.batch_size} patches "
          f"{list(train_patch)} per epoch, device {args.device}, {torch.get_num_threads()} threads", flush=True)
    history = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        total, t0 = 0.0, time.time()
        for _ in range(steps_per_epoch):
            batch = [sampler.sample() for _ in range(args.batch_size)]
            x = torch.from_numpy(np.stack([b[0] for b in batch])[:, None]).to(args.device)
            y = torch.from_numpy(np.stack([b[1] for b in batch]).astype(np.int64)).to(args.device)
            loss = loss_fn(model.logits(x), y)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss)
        line = f"epoch {epoch}/{args.epochs}: loss {total / steps_per_epoch:.4f} ({time.time() - t0:.0f} s)"
        if args.val_every and epoch % args.val_every == 0 and epoch != args.epochs:
            line += "  val Dice " + " ".join(f"{n} {d:.3f}" for n, d in zip(NAMES, validate(model, val, args.device)))
        print(line, flush=True)
        history.append(total / steps_per_epoch)

    dice = validate(model, val, args.device)
    print("validation Dice: " + ", ".join(f"{n} {d:.4f}" for n, d in zip(NAMES, dice)) +
          f"; mean {np.nanmean(dice):.4f}", flush=True)

    model = model.cpu().eval()
    os.makedirs(args.work_dir, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(args.work_dir, "ThoraxCT.pt"))
    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    proto = tm.export_onnx(model, out)
    err = tm.verify_export(model, proto)
    size = os.path.getsize(out)
    print(f"wrote {out} ({size} bytes); ONNX graph vs torch max |difference| {err:.2e}", flush=True)
    if err > 1e-4:
        raise SystemExit("the exported graph does not match the torch module")
    stem = os.path.splitext(out)[0]
    tm.write_config(stem + ".json", onnx_file=os.path.basename(out))

    elapsed = time.time() - started
    earlier = ""
    if args.init_from and os.path.exists(stem + ".md"):
        with open(stem + ".md", encoding="utf-8") as f:
            earlier = f.read()
    with open(stem + ".md", "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# {os.path.basename(out)}\n\n")
        if args.fake_data:
            f.write("**Smoke test on numpy-drawn fake phantoms (--fake-data); not a usable model.**\n\n")
        f.write("Trained with (from the repository root):\n\n```\n/usr/bin/python3 " + command + "\n```\n\n")
        f.write(f"- phantoms: `{args.innereye} phantom --seed N`"
                + "".join(f" --{k} {getattr(args, k)}" for k in ("rows", "cols", "slices") if getattr(args, k))
                + ("" if not args.fake_data else " (replaced by --fake-data)") + "\n")
        f.write(f"- training seeds: {args.train_seeds} ({len(train_seeds)} cases); validation seeds: "
                f"{args.val_seeds} ({len(val_seeds)} cases)\n")
        f.write(f"- epochs: {args.epochs} x {steps_per_epoch} steps of {args.batch_size} patches "
                f"{list(train_patch)} (z, y, x); Adam lr {args.lr}, cosine decay; loss CE + soft Dice; seed {args.seed}\n")
        f.write(f"- model grid: spacing {tm.TARGET_SPACING} mm (x, y, z); window {tm.WINDOW}\n")
        f.write(f"- network: tools/thorax_model.py, {tm.parameter_count(model)} parameters; ONNX opset 13, "
                f"{size} bytes\n")
        f.write(f"- torch {torch.__version__}, device {args.device}, {torch.get_num_threads()} threads, "
                f"{elapsed / 60:.1f} min\n")
        f.write(f"- final training loss: {history[-1]:.4f}\n\n")
        f.write("Validation Dice (sliding window with the configured patch and overlap, on the model grid):\n\n")
        f.write("| structure | Dice |\n|---|---|\n")
        for n, d in zip(NAMES, dice):
            f.write(f"| {n} | {d:.4f} |\n")
        f.write(f"| mean | {np.nanmean(dice):.4f} |\n")
        if earlier:
            f.write(f"\nThis run continued from `{os.path.relpath(args.init_from, REPO)}`, the weights of the run below.\n\n"
                    + earlier.replace("\n# ", "\n## ").replace("# ", "## ", 1))
    print(f"wrote {stem}.json and {stem}.md", flush=True)


if __name__ == "__main__":
    main()
