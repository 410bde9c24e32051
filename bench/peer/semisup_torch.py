#!/usr/bin/python3
"""The peer of nvae's semi-supervised and label-free training (docs/MODEL.md sections 6 and 7) in PyTorch:
the networks of nvae_torch.py, the N-VAE's bound for unlabelled examples, the same label split as nvae.

    /usr/bin/python3 bench/peer/semisup_torch.py train --data DIR --labels-per-class 100 [--epochs E | --steps N]
        [--seed S] [--alpha A] [--y-kl W] [--balance L] [--labelled-share 0.5] [--batch 128] [--evaluate]
    /usr/bin/python3 bench/peer/semisup_torch.py train --data DIR --labels none [--clusters K] [--ds 1 --dc 4 --y-kl -0.5 --balance 5] ...

Prints one JSON line: test accuracy (or clustering accuracy, NMI, ARI and cluster sizes with --labels none),
and training speed with labelled and unlabelled examples counted separately.

The loss, per example, averaged over the batch (nvae's, term for term):
  labelled (x, y):  rec(x | y, z_s, z_c^y) + KL_s + beta_c KL_c^y + alpha (-log q(y|x))
  unlabelled x:     sum_y q(y|x) [rec(x | y, z_s, z_c^y) + beta_c KL_c^y] + KL_s + y_kl KL(q(y|x) || uniform)
  per batch:        + balance * U * KL(qbar || uniform) / B, qbar the mean q(y|x) of its U unlabelled examples
Every class pass of an unlabelled example uses the same noise; one reparameterised sample.

The split is nvae's: LabelSelection walks the permutation of stream (seed, 0x1ABE1) of nvae's Rng (SplitMix64,
reimplemented below) and keeps the first N examples of each class. Batches hold round(share*B) labelled and
the rest unlabelled examples; an epoch is one pass over the kind that takes longer (nvae's BatchOrder); the
batch order itself comes from torch's generator, so only the split, not the order, is shared.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nvae_torch import Parser, H1, H2, Mlp, find, read_idx  # noqa: E402

M64 = (1 << 64) - 1


def _mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


class Rng:
    """nvae's dev.nvae.random.Rng: SplitMix64, streams derived per coordinate, Fisher-Yates permutations."""

    def __init__(self, state):
        self.state = state & M64

    @staticmethod
    def stream(seed, *coordinates):
        s = _mix((seed ^ 0x6A09E667F3BCC909) & M64)
        for c in coordinates:
            s = _mix((s + 0x9E3779B97F4A7C15 * (c + 1)) & M64)
        return Rng(s)

    def next_long(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & M64
        return _mix(self.state)

    def next_int(self, bound):
        return (self.next_long() >> 1) % bound

    def permutation(self, n):
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.next_int(i + 1)
            order[i], order[j] = order[j], order[i]
        return order


def labels_per_class(labels, n, seed):
    """nvae's LabelSelection.perClass: the indices (sorted) of the examples whose labels are kept."""
    quota = {k: n for k in range(int(labels.max()) + 1)}
    kept = []
    for i in Rng.stream(seed, 0x1ABE1).permutation(len(labels)):
        y = int(labels[i])
        if quota[y] > 0:
            quota[y] -= 1
            kept.append(i)
    return np.array(sorted(kept))


class NVae(torch.nn.Module):
    """The mlp N-VAE with ds/dc as given (nvae_torch's NVae fixes them at 8/4)."""

    def __init__(self, d, k, ds, dc):
        super().__init__()
        self.k, self.ds, self.dc = k, ds, dc
        self.net = Mlp(d, 2 * ds + 2 * k * dc + k, ds + k * dc + k)

    def heads(self, x):
        h = self.net.encode(x)
        ds, dc, k, o = self.ds, self.dc, self.k, 2 * self.ds
        return (h[:, :ds], h[:, ds:o], h[:, o:o + k * dc].reshape(-1, k, dc),
                h[:, o + k * dc:o + 2 * k * dc].reshape(-1, k, dc), h[:, o + 2 * k * dc:])

    def decoder_input(self, z_s, z_c, y):
        """[z_s | E(y, z_c) | onehot(y)] for rows of classes y."""
        b = y.shape[0]
        e = torch.zeros(b, self.k, self.dc)
        e[torch.arange(b), y] = z_c
        return torch.cat([z_s, e.reshape(b, self.k * self.dc), F.one_hot(y, self.k).float()], 1)

    def terms(self, x, y, a):
        """Per-example losses of a batch; y = -1 marks an unlabelled example. Returns (losses, q of unlabelled)."""
        b, k = x.shape[0], self.k
        mu_s, lv_s, mu_c, lv_c, logits = self.heads(x)
        log_q = F.log_softmax(logits, 1)
        eps_s, eps_c = torch.randn_like(mu_s), torch.randn(b, self.dc)
        z_s = mu_s + torch.exp(0.5 * lv_s) * eps_s
        kl_s = 0.5 * (mu_s ** 2 + lv_s.exp() - 1 - lv_s).sum(1)
        kl_c = 0.5 * (mu_c ** 2 + lv_c.exp() - 1 - lv_c).sum(2)                      # B x K
        lab, unl = (y >= 0).nonzero().flatten(), (y < 0).nonzero().flatten()
        # one decoder call: the labelled rows, then K rows per unlabelled example (class-major within it)
        rows_y = torch.cat([y[lab], torch.arange(k).repeat(len(unl))])
        rows_i = torch.cat([lab, unl.repeat_interleave(k)])
        z_c = mu_c[rows_i, rows_y] + torch.exp(0.5 * lv_c[rows_i, rows_y]) * eps_c[rows_i]
        logits_x = self.net.decode(self.decoder_input(z_s[rows_i], z_c, rows_y))
        rec = F.binary_cross_entropy_with_logits(logits_x, x[rows_i], reduction="none").sum(1)
        n = len(lab)
        loss_l = rec[:n] + kl_s[lab] + a.beta_c * kl_c[lab, y[lab]] - a.alpha * log_q[lab, y[lab]]
        q = log_q[unl].exp()
        per_class = (rec[n:].view(-1, k) + a.beta_c * kl_c[unl])
        kl_y = (q * (log_q[unl] + np.log(k))).sum(1)
        loss_u = (q * per_class).sum(1) + kl_s[unl] + a.y_kl * kl_y
        return torch.cat([loss_l, loss_u]), q


def hungarian_accuracy(clusters, labels, k, classes):
    """Best one-to-one match of clusters to classes (Hungarian method, as nvae's Assignment), and the accuracy."""
    w = np.zeros((k, classes), dtype=np.int64)
    np.add.at(w, (clusters, labels), 1)
    n = max(k, classes)
    cost = np.full((n + 1, n + 1), 0, dtype=np.int64)
    cost[1:k + 1, 1:classes + 1] = -w
    u, v, p, way = [0] * (n + 1), [0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
    for r in range(1, n + 1):
        p[0], c0 = r, 0
        minv, used = [float("inf")] * (n + 1), [False] * (n + 1)
        while True:
            used[c0] = True
            r0, delta, c1 = p[c0], float("inf"), 0
            for c in range(1, n + 1):
                if not used[c]:
                    cur = cost[r0][c] - u[r0] - v[c]
                    if cur < minv[c]:
                        minv[c], way[c] = cur, c0
                    if minv[c] < delta:
                        delta, c1 = minv[c], c
            for c in range(n + 1):
                if used[c]:
                    u[p[c]] += delta
                    v[c] -= delta
                else:
                    minv[c] -= delta
            c0 = c1
            if p[c0] == 0:
                break
        while c0:
            c1 = way[c0]
            p[c0] = p[c1]
            c0 = c1
    return sum(w[p[c] - 1, c - 1] for c in range(1, n + 1) if p[c] <= k and c <= classes) / len(labels)


def nmi_ari(clusters, labels):
    t = np.zeros((clusters.max() + 1, labels.max() + 1))
    np.add.at(t, (clusters, labels), 1)
    n = t.sum()
    r, c = t.sum(1), t.sum(0)
    nz = t > 0
    mi = (t[nz] / n * np.log(t[nz] * n / np.outer(r, c)[nz])).sum()
    h = lambda v: -sum(x / n * np.log(x / n) for x in v if x > 0)
    pairs = lambda m: m * (m - 1) / 2
    idx, rp, cp = pairs(t).sum(), pairs(r).sum(), pairs(c).sum()
    expected = rp * cp / pairs(n)
    return mi / ((h(r) + h(c)) / 2), (idx - expected) / ((rp + cp) / 2 - expected)


def cmd_train(a):
    torch.manual_seed(a.seed)
    images = torch.from_numpy(read_idx(find(a.data, "train-images-idx3-ubyte")).copy()).reshape(-1, 784)
    labels = read_idx(find(a.data, "train-labels-idx1-ubyte")).astype(np.int64)
    if a.limit:  # nvae train --limit: the first N examples, labels then chosen among them
        images, labels = images[:a.limit], labels[:a.limit]
    n, classes = len(labels), int(labels.max()) + 1
    free = a.labels == "none"
    k = a.clusters or classes if free else classes
    given = np.full(n, -1, dtype=np.int64)
    if not free:
        kept = labels_per_class(labels, a.labels_per_class, a.seed)
        given[kept] = labels[kept]
    lab_idx, unl_idx = np.nonzero(given >= 0)[0], np.nonzero(given < 0)[0]
    given_t = torch.from_numpy(given)
    model = NVae(784, k, a.ds, a.dc)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    bl = 0 if free else round(a.labelled_share * a.batch)
    bu = a.batch - bl
    steps = a.steps or max(-(-len(lab_idx) // bl) if bl else 0, -(-len(unl_idx) // bu))

    def sequence(indices, per_step):
        """Endless permutations of indices, per_step at a time."""
        pos, order = len(indices), None
        while True:
            out, have = [], 0
            while have < per_step:
                if pos == len(indices):
                    order, pos = torch.from_numpy(indices)[torch.randperm(len(indices))], 0
                take = min(per_step - have, len(indices) - pos)
                out.append(order[pos:pos + take])
                pos += take
                have += take
            yield torch.cat(out)

    lab_seq = sequence(lab_idx, bl) if bl else None
    unl_seq = sequence(unl_idx, bu)
    seen = {"labelled": 0, "unlabelled": 0}
    t_total = 0.0
    def step():
        idx = torch.cat([next(lab_seq), next(unl_seq)]) if bl else next(unl_seq)
        assert len(idx) == a.batch, f"a batch of {len(idx)} rows, not {a.batch}"
        x = images[idx].float().div_(255.0)
        losses, q = model.terms(x, given_t[idx], a)
        loss = losses.sum()
        if a.balance and len(q):
            q_bar = q.mean(0)
            loss = loss + a.balance * len(q) * (q_bar * torch.log(q_bar * k)).sum()
        loss = loss / len(idx)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    for _ in range(a.warmup if a.steps else 0):
        step()
    for epoch in range(a.epochs if not a.steps else 1):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
            seen["labelled"] += bl
            seen["unlabelled"] += bu
        t_total += time.perf_counter() - t0
    out = {"peer": "pytorch", "torch": torch.__version__, "torch_threads": torch.get_num_threads(),
           "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", ""), "steps": steps * (1 if a.steps else a.epochs),
           "labelled_per_s": seen["labelled"] / t_total, "unlabelled_per_s": seen["unlabelled"] / t_total,
           "examples_per_s": (seen["labelled"] + seen["unlabelled"]) / t_total, "seconds": t_total,
           "labelled_examples": int(len(lab_idx)), "first_labelled": [int(i) for i in lab_idx[:5]]}
    if a.evaluate:
        tx = torch.from_numpy(read_idx(find(a.data, "t10k-images-idx3-ubyte")).copy()).reshape(-1, 784).float() / 255.0
        ty = read_idx(find(a.data, "t10k-labels-idx1-ubyte")).astype(np.int64)
        with torch.no_grad():
            pred = model.heads(tx)[4].argmax(1).numpy()
        if free:
            nmi, ari = nmi_ari(pred, ty)
            out.update(test_cluster_accuracy=hungarian_accuracy(pred, ty, k, classes), test_nmi=nmi, test_ari=ari,
                       test_cluster_sizes=(np.bincount(pred, minlength=k) / len(pred)).tolist())
        else:
            out["test_accuracy"] = float((pred == ty).mean())
    print(json.dumps(out), flush=True)


def main():
    p = Parser(prog="bench/peer/semisup_torch.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--torch-threads", type=int, default=1)
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--data", required=True)
    t.add_argument("--labels", choices=("given", "none"), default="given")
    t.add_argument("--labels-per-class", type=int, default=100)
    t.add_argument("--clusters", type=int, default=0)
    t.add_argument("--labelled-share", type=float, default=0.5)
    t.add_argument("--batch", type=int, default=128)
    t.add_argument("--epochs", type=int, default=1)
    t.add_argument("--steps", type=int, default=0, help="time this many steps instead of training epochs")
    t.add_argument("--warmup", type=int, default=0, help="with --steps: untimed steps first")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--limit", type=int, default=0, help="train on the first N examples only (0: all)")
    t.add_argument("--ds", type=int, default=8)
    t.add_argument("--dc", type=int, default=4)
    t.add_argument("--alpha", type=float, default=1.0)
    t.add_argument("--beta-c", type=float, default=1.0)
    t.add_argument("--y-kl", type=float, default=1.0)
    t.add_argument("--balance", type=float, default=0.0)
    t.add_argument("--evaluate", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.torch_threads)
    {"train": cmd_train}[a.cmd](a)


if __name__ == "__main__":
    main()
