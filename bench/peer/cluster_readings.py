#!/usr/bin/python3
"""Two readings of a label-free mlp N-VAE (docs/MODEL.md section 7), outside nvae, on a labelled test split:

    /usr/bin/python3 bench/peer/cluster_readings.py --data /usr/share/datasets/fashion-mnist M.safetensors [M2 ...]

1. Clusters by q(y|x) (argmax of the classifier's logits, what `nvae evaluate` reports) against clusters by the
   generative posterior, argmax over y of log p(y) + ELBO(x, y) with every latent at its posterior mean
   (p(y) uniform): the cluster whose decoder explains the image best. Both scored by clustering accuracy
   (clusters matched one-to-one to classes by the Hungarian assignment), and how often the two agree.
2. The purity of the surest part of each cluster: the 30%, 50% and 70% of each cluster's members with the
   highest q(y|x), right or wrong under the matching of all the test images — what self-training on confident
   assignments would learn from.

The model file is parsed by hand (safetensors: 8-byte length, JSON header, F32 tensors) and the mlp network
rebuilt in PyTorch: encoder D -> H1 -> H2 (ReLU) -> heads [mu_s, logvar_s, mu_c (K x dc), logvar_c, logits],
decoder [z_s | z_c placed in class y's block | onehot(y)] -> H2 -> H1 (ReLU) -> D (Bernoulli logits); linear
weights are stored (in, out). Prints one JSON line per model.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nvae_torch import Parser, find, read_idx  # noqa: E402  (the peer's IDX reading)


def load(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    config = json.loads(header.pop("__metadata__")["nvae.config"])
    if config["model"] != "nvae" or config["arch"] != "mlp" or not config.get("labelFree"):
        sys.exit(f"cluster_readings: {path}: not a label-free mlp N-VAE")
    tensors = {}
    for name, h in header.items():
        if h["dtype"] != "F32":
            sys.exit(f"cluster_readings: {path}: tensor {name} is {h['dtype']}; this script reads F32 files")
        a, b = h["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(raw, "<f4", (b - a) // 4, 8 + n + a).copy()).reshape(h["shape"])
    return tensors, config


def matching(clusters, truth, k):
    counts = np.zeros((k, truth.max() + 1))
    np.add.at(counts, (clusters, truth), 1)
    rows, cols = linear_sum_assignment(-counts)
    return dict(zip(rows, cols)), counts[rows, cols].sum() / len(truth)


def readings(path, x, truth):
    t, c = load(path)
    ds, dc, k = c["ds"], c["dc"], c["numClasses"]
    lin = lambda v, name: v @ t[name + ".w"] + t[name + ".b"]
    n = x.shape[0]
    with torch.no_grad():
        h = lin(F.relu(lin(F.relu(lin(x, "enc1")), "enc2")), "heads")
        mu_s, o = h[:, :ds], 2 * ds
        mu_c = h[:, o:o + k * dc].reshape(n, k, dc)
        lv_c = h[:, o + k * dc:o + 2 * k * dc].reshape(n, k, dc)
        log_q = F.log_softmax(h[:, o + 2 * k * dc:], 1)
        elbo = torch.empty(n, k)
        for y in range(k):
            block = torch.zeros(n, k, dc)
            block[:, y] = mu_c[:, y]
            dec_in = torch.cat([mu_s, block.reshape(n, -1), F.one_hot(torch.full((n,), y), k).float()], 1)
            logits = lin(F.relu(lin(F.relu(lin(dec_in, "dec1")), "dec2")), "dec3")
            rec = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
            kl_c = 0.5 * (mu_c[:, y] ** 2 + lv_c[:, y].exp() - 1 - lv_c[:, y]).sum(1)
            elbo[:, y] = -rec - kl_c  # the shared block's KL and log p(y) are the same for every y
    by_q, by_gen = log_q.argmax(1).numpy(), elbo.argmax(1).numpy()
    matched, acc_q = matching(by_q, truth, k)
    _, acc_gen = matching(by_gen, truth, k)
    sure = log_q.exp().max(1).values.numpy()
    purity = {}
    for share in (0.3, 0.5, 0.7):
        keep = np.zeros(n, bool)
        for cluster in range(k):
            members = np.where(by_q == cluster)[0]
            keep[members[np.argsort(-sure[members])[:int(share * len(members))]]] = True
        purity[f"{int(share * 100)}%"] = round(float(np.mean([matched[a] == b for a, b in zip(by_q[keep], truth[keep])])), 4)
    return {"model": path, "acc_q": round(acc_q, 4), "acc_generative": round(acc_gen, 4),
            "agreement": round(float((by_q == by_gen).mean()), 4), "surest_purity": purity}


def main():
    p = Parser(prog="bench/peer/cluster_readings.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="a directory with t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]")
    p.add_argument("models", nargs="+")
    a = p.parse_args()
    torch.set_num_threads(1)
    images = read_idx(find(a.data, "t10k-images-idx3-ubyte"))
    x = torch.from_numpy(images.reshape(images.shape[0], -1).astype(np.float32) / 255)
    truth = read_idx(find(a.data, "t10k-labels-idx1-ubyte")).astype(int)
    for model in a.models:
        print(json.dumps(readings(model, x, truth)), flush=True)


if __name__ == "__main__":
    main()
