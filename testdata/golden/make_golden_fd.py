#!/usr/bin/python3
"""Golden values for nvae's Fréchet distance (lib: analysis.metrics.FrechetDistance), by the reference
formula of FID as its authors' code computes it: numpy's unbiased covariance and scipy.linalg.sqrtm of
the product of the covariances (pytorch-fid's calculate_frechet_distance, minus its retry on a singular
product, which these inputs do not need).

    testdata/golden/make_golden_fd.py > testdata/golden/frechet.json

Two cases: correlated features of different means and spreads (full-rank covariances that do not
commute, so the square root of the product is not the product of square roots), and a rank-deficient
case (fewer vectors than dimensions), where rounding leaves tiny negative eigenvalues.
"""
import json

import numpy as np
from scipy import linalg


def fd(x, y):
    mu1, mu2 = x.mean(0), y.mean(0)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    covmean = linalg.sqrtm(s1.dot(s2))
    covmean = covmean.real
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def case(rng, n1, n2, d):
    a = rng.normal(size=(d, d))
    b = rng.normal(size=(d, d)) * 0.5
    x = rng.normal(size=(n1, d)) @ a + rng.normal(size=d)
    y = rng.normal(size=(n2, d)) @ b + 0.3 * rng.normal(size=d)
    x, y = x.astype(np.float32), y.astype(np.float32)
    return {"x": x.tolist(), "y": y.tolist(), "fd": fd(x.astype(np.float64), y.astype(np.float64))}


rng = np.random.default_rng(20)
print(json.dumps({"full": case(rng, 60, 45, 7), "rank_deficient": case(rng, 9, 12, 16)}))
