#!/usr/bin/python3
"""Prints the label-free runs' test-split figures from test-clusters.npz: per run (BACKEND-seedS), the true label
and the cluster, argmax q(y|x), of each of the 10,000 test images (the first two columns of `nvae encode --split
test`), then per backend the mean ± sd over its seeds and, where backends share seeds, the runs side by side."""
import os
import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import normalized_mutual_info_score

z = np.load(os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-clusters.npz"))
runs = {}
for key in z.files:
    backend, seed = key.split("-seed")
    y, c = z[key][:, 0].astype(int), z[key][:, 1].astype(int)
    m = np.zeros((10, 10)); np.add.at(m, (c, y), 1)
    r, k = linear_sum_assignment(-m)
    runs[(backend, int(seed))] = (m[r, k].sum() / len(y), normalized_mutual_info_score(y, c), np.bincount(c, minlength=10).min() / len(c))
for backend in sorted({b for b, _ in runs}):
    seeds = sorted(s for b, s in runs if b == backend)
    a = np.array([runs[(backend, s)][0] for s in seeds]); n = np.array([runs[(backend, s)][1] for s in seeds])
    sd = f" ± {a.std(ddof=1):.4f}" if len(a) > 1 else ""
    print(f"{backend}, {len(seeds)} seeds ({', '.join(map(str, seeds))}): ACC {a.mean():.4f}{sd} (range {a.min():.4f}-{a.max():.4f}), "
          f"NMI {n.mean():.4f}, smallest cluster of any seed {min(runs[(backend, s)][2] for s in seeds):.3f}")
shared = sorted({s for b, s in runs if sum(1 for bb, ss in runs if ss == s) > 1})
for s in shared:
    print(f"seed {s}: " + ", ".join(f"{b} {runs[(b, s)][0]:.4f}" for b in sorted({b for b, ss in runs if ss == s})))

# Consensus of starts (section 7's majority vote): the cuda runs in sets of 5 (seeds 10-14, 15-19, 20-24) and of 3,
# each start's clusters matched to the start that agrees most with the others (ARI), then to the vote until it settles.
from sklearn.metrics import adjusted_rand_score


def matched(c, ref):
    m = np.zeros((10, 10)); np.add.at(m, (c, ref), 1)
    r, k = linear_sum_assignment(-m); perm = np.zeros(10, int); perm[r] = k
    return perm[c]


def vote(cs):
    counts = np.zeros((len(cs[0]), 10), int)
    for c in cs: counts[np.arange(len(c)), c] += 1
    return counts.argmax(1)


def accuracy(y, c):
    m = np.zeros((10, 10)); np.add.at(m, (c, y), 1)
    r, k = linear_sum_assignment(-m)
    return m[r, k].sum() / len(y)


for size in (5, 3):
    accs = []
    for first in range(10, 25, size):
        cs = [z[f"cuda-seed{s}"][:, 1].astype(int) for s in range(first, first + size)]
        y = z[f"cuda-seed{first}"][:, 0].astype(int)
        agree = [sum(adjusted_rand_score(a, b) for b in cs) for a in cs]
        ref = cs[int(np.argmax(agree))]
        for _ in range(20):
            v = vote([matched(c, ref) for c in cs])
            if (v == ref).all(): break
            ref = v
        accs.append(accuracy(y, v))
    a = np.array(accs)
    print(f"cuda, votes of {size} starts ({len(a)} sets): ACC {a.mean():.4f} ± {a.std(ddof=1):.4f} (" + " / ".join(f"{x:.4f}" for x in a) + ")")
