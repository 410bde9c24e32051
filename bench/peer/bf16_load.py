#!/usr/bin/python3
"""Loads a bf16 nvae model file in PyTorch with numpy and torch only, and checks that its decoder draws what
nvae drew from the same file.

    /usr/bin/python3 bench/peer/bf16_load.py --model M16.safetensors --traversal T.npy \
        --shared-dim 0 --range -2.5,2.5 --steps 9 [--activations fp32|bf16] [--tolerance 0.00390625]

M16.safetensors comes from `nvae export --dtype bf16` (or `nvae train --save-dtype bf16`); T.npy from
`nvae traverse --model M16.safetensors --shared-dim 0 --range -2.5,2.5 --steps 9 --precision bf16 --out T.png`:
one row per class, one column per value of shared dimension J, the rest of the latent at the prior mean 0.

The safetensors file is parsed by hand (8-byte little-endian header length, JSON header, raw data): each
BF16 tensor becomes a torch.bfloat16 tensor (its 16-bit words reinterpreted, no conversion). The decoder
[z_s | E(y, z_c) | onehot(y)] -> 256 -> 512 -> D (ReLU, sigmoid) then runs in float32 arithmetic on the
exact float32 values of the bf16 weights — what nvae's vector backend computes at --precision bf16
(--activations fp32) — or with every layer input rounded to bf16 as well, what oneDNN's bf16 matmul
computes (--activations bf16). Both accumulate in float32. Prints one JSON line; exits 1 when the largest
difference of a pixel probability exceeds the tolerance (default 2^-8: one bf16 step at 1.0).
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch

LAYERS = ("dec1", "dec2", "dec3")


def load_safetensors(path):
    """name -> torch tensor in the file's own dtype (F32 -> float32, BF16 -> bfloat16), and the metadata."""
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, h in header.items():
        a, b = h["data_offsets"]
        if h["dtype"] == "BF16":
            words = np.frombuffer(raw, dtype="<i2", count=(b - a) // 2, offset=base + a).copy()
            t = torch.from_numpy(words).view(torch.bfloat16)
        elif h["dtype"] == "F32":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<f4", count=(b - a) // 4, offset=base + a).copy())
        else:
            sys.exit(f"bf16_load: {path}: tensor {name} has dtype {h['dtype']}")
        tensors[name] = t.reshape(h["shape"])
    return tensors, meta


def decoder_inputs(config, dim, values):
    """The traversal's decoder inputs, row by row: class k, shared dimension `dim` at each value, rest 0."""
    ds, dc, k = config["ds"], config["dc"], config["numClasses"]
    rows = []
    for y in range(k):
        for v in values:
            x = torch.zeros(ds + k * dc + k)
            x[dim] = v
            x[ds + k * dc + y] = 1.0
            rows.append(x)
    return torch.stack(rows)


def decode(tensors, x, bf16_activations):
    for i, name in enumerate(LAYERS):
        w, b = tensors[name + ".w"].float(), tensors[name + ".b"].float()  # bf16 -> float32 is exact
        if bf16_activations:
            x = x.bfloat16().float()  # round to nearest even, as oneDNN's reorder does
        x = x @ w + b  # weights are stored (in, out)
        if i < len(LAYERS) - 1:
            x = torch.relu(x)
    return torch.sigmoid(x)


class Parser(argparse.ArgumentParser):
    """argparse whose refusal of a bad command line is one line: the reason and where the options are listed."""

    def error(self, message):
        self.exit(2, f"{self.prog}: {message} ({self.prog.split()[0]} --help lists the options)\n")


def main():
    p = Parser(prog="bench/peer/bf16_load.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--traversal", required=True, help="the NPY nvae traverse wrote")
    p.add_argument("--shared-dim", type=int, default=0)
    p.add_argument("--range", default="-2.5,2.5")
    p.add_argument("--steps", type=int, default=9)
    p.add_argument("--activations", choices=("fp32", "bf16"), default="fp32")
    p.add_argument("--tolerance", type=float, default=2.0 ** -8)
    a = p.parse_args()

    tensors, meta = load_safetensors(a.model)
    config = json.loads(meta["nvae.config"])
    if config["model"] != "nvae" or config["arch"] != "mlp":
        sys.exit(f"bf16_load: {a.model}: a {config['model']}/{config['arch']} model; this script decodes the mlp N-VAE")
    lo, hi = (float(v) for v in a.range.split(","))
    values = [lo + (hi - lo) * i / (a.steps - 1) for i in range(a.steps)]
    with torch.no_grad():
        ours = decode(tensors, decoder_inputs(config, a.shared_dim, values), a.activations == "bf16")
    theirs = torch.from_numpy(np.load(a.traversal).astype(np.float32))
    if theirs.shape != ours.shape:
        sys.exit(f"bf16_load: {a.traversal} holds {tuple(theirs.shape)} images, the traversal has {tuple(ours.shape)}")
    diff = (ours - theirs).abs()
    result = {
        "file": a.model, "file_bytes": os.path.getsize(a.model),
        "dtypes": sorted({str(t.dtype) for t in tensors.values()}), "tensors": len(tensors),
        "images": ours.shape[0], "activations": a.activations,
        "max_abs_diff": float(diff.max()), "mean_abs_diff": float(diff.mean()), "tolerance": a.tolerance,
        "within": bool(diff.max() <= a.tolerance),
    }
    print(json.dumps(result), flush=True)
    sys.exit(0 if result["within"] else 1)


if __name__ == "__main__":
    main()
