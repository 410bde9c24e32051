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
