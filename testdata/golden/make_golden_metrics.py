#!/usr/bin/python3
"""Golden values for nvae's representation and clustering metrics (lib: analysis.metrics: Mig, Sap, Dci, KnnDivergence,
ClusterAgreement), computed from their published definitions with numpy, scipy and scikit-learn, not from the Java:

    testdata/golden/make_golden_metrics.py > testdata/golden/metrics.json

- MIG (Chen et al. 2018, eq. 6), mutual information estimated as disentanglement_lib does: each latent discretised
  by np.histogram's equal-width bins (``_histogram_discretize``: np.digitize against the histogram's edges without
  the last, so the maximum falls into the last bin and a value on an inner edge into the bin above it), factors
  taken as their discrete values, sklearn's mutual_info_score in nats. nvae's conventions: a factor with more
  distinct values than bins is histogrammed like a latent; a constant factor (H = 0) has no gap (null) and is left
  out of the mean.
- SAP (Kumar et al. 2018): S[j][k] the R² of a one-regressor linear regression of v_k on z_j (sklearn's
  LinearRegression.score), the score the mean over factors of the top S minus the second. nvae's conventions: a
  constant latent or factor scores 0; a constant factor has no gap (null) and is left out of the mean.
- DCI (Eastwood & Williams 2018): examples split in order 60/20/20 (Java's Math.round: half up), latents and factor
  standardised by the training rows' mean and population standard deviation, sklearn's Lasso (no intercept: the
  training columns are centred) for each α of nvae's grid, the α with the least validation MSE (a tie within
  1e-12 goes to the larger α), importance |w|; D and C by scipy.stats.entropy in bases K and L (without
  disentanglement_lib's 1e-11 regulariser: nvae documents the exact entropy), weighted by the importances' row and
  column sums; informativeness the test RMSE of the standardised factor. A factor constant on the training rows has
  null completeness and error and is left out of C and of the mean error.
- KnnDivergence (Wang, Kulkarni & Verdú 2009): D = (d/n) Σ log(ν_k(i)/ρ_k(i)) + log(m/(n − 1)) by brute force over
  scipy.spatial.distance.cdist; as nvae documents, neighbours at distance 0 (duplicates) are skipped.
- ClusterAgreement over the labelled examples: ACC by scipy.optimize.linear_sum_assignment on the contingency
  table (maximised; unmatched clusters count as wrong), NMI by sklearn's normalized_mutual_info_score (arithmetic),
  ARI by sklearn's adjusted_rand_score; sizes over all examples. classOf is written only where the best matching
  is unique (else null), with nvae's −1 for a cluster paired to a class it holds no example of.

The inputs are not centred (offsets and scales, so that a lost mean subtraction shows), integer-valued latents put
values exactly on bin edges, kNN samples have unequal sizes, duplicates and equidistant lattice neighbours. NaN is
written as null.
"""
import itertools
import json
import math

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist
from scipy.stats import entropy
from sklearn.linear_model import Lasso, LinearRegression
from sklearn.metrics import adjusted_rand_score, mutual_info_score, normalized_mutual_info_score

ALPHAS = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1]


def nan_to_none(x):
    if isinstance(x, dict):
        return {key: nan_to_none(e) for key, e in x.items()}
    if isinstance(x, (list, tuple)):
        return [nan_to_none(e) for e in x]
    if isinstance(x, np.ndarray):
        return nan_to_none(x.tolist())
    if isinstance(x, float) and math.isnan(x):
        return None
    return x


# ---------------------------------------------------------------- MIG

def histogram_discretize(x, bins):
    """disentanglement_lib's _histogram_discretize for one column, codes 0..bins-1."""
    edges = np.histogram(x, bins)[1]
    return np.digitize(x, edges[:-1]) - 1


def factor_codes(v, bins):
    values, codes = np.unique(v, return_inverse=True)  # one code per distinct value
    return histogram_discretize(v, bins) if len(values) > bins else codes


def mig(z, v, bins):
    latents, factors = z.shape[1], v.shape[1]
    zc = [histogram_discretize(z[:, j], bins) for j in range(latents)]
    mi = np.zeros((latents, factors))
    h = np.zeros(factors)
    gap = np.full(factors, np.nan)
    for k in range(factors):
        vk = factor_codes(v[:, k], bins)
        h[k] = mutual_info_score(vk, vk)
        for j in range(latents):
            mi[j, k] = mutual_info_score(zc[j], vk)
        if h[k] > 0:
            top = np.sort(mi[:, k])[::-1]
            gap[k] = (top[0] - (top[1] if latents > 1 else 0.0)) / h[k]
    score = float(np.nanmean(gap)) if np.any(h > 0) else float("nan")
    return {"bins": bins, "score": score, "perFactor": gap, "mutualInformation": mi, "entropy": h}


# ---------------------------------------------------------------- SAP

def sap(z, v):
    latents, factors = z.shape[1], v.shape[1]
    s = np.zeros((latents, factors))
    gap = np.full(factors, np.nan)
    for k in range(factors):
        if constant(v[:, k]):
            continue  # nothing to predict: scores 0, no gap
        for j in range(latents):
            if not constant(z[:, j]):
                x = z[:, j:j + 1]
                s[j, k] = LinearRegression().fit(x, v[:, k]).score(x, v[:, k])
        top = np.sort(s[:, k])[::-1]
        gap[k] = top[0] - (top[1] if latents > 1 else 0.0)
    return {"score": float(np.nanmean(gap)), "perFactor": gap, "scores": s}


# ---------------------------------------------------------------- DCI

def java_round(x):
    return int(math.floor(x + 0.5))


def constant(x):
    return bool(np.all(x == x[0]))


def standardise(a, train):
    varies = ~np.all(a[:train] == a[0], axis=0)  # a column constant on the training rows becomes 0
    m, sd = a[:train].mean(0), a[:train].std(0)
    return np.where(varies, (a - m) / np.where(varies, sd, 1), 0.0)


def dci(z, v):
    n, latents = z.shape
    factors = v.shape[1]
    train, validation = java_round(n * 0.6), java_round(n * 0.2)
    zs = standardise(z, train)
    vs = standardise(v, train)
    tr, va, te = slice(0, train), slice(train, train + validation), slice(train + validation, n)
    importance = np.zeros((latents, factors))
    error = np.full(factors, np.nan)
    fixed = np.array([constant(v[tr, k]) for k in range(factors)])
    chosen = []
    for k in range(factors):
        best, w, best_alpha = math.inf, None, None
        for alpha in sorted(ALPHAS, reverse=True):
            if np.all(vs[tr, k] == 0):
                candidate = np.zeros(latents)  # sklearn warns on an all-zero target; its fit is w = 0
            else:
                model = Lasso(alpha=alpha, fit_intercept=False, tol=1e-14, max_iter=1_000_000)
                candidate = model.fit(zs[tr], vs[tr, k]).coef_.copy()
            e = np.mean((vs[va, k] - zs[va] @ candidate) ** 2)
            if e < best - 1e-12:
                best, w, best_alpha = e, candidate, alpha
        chosen.append(best_alpha)
        importance[:, k] = np.abs(w)
        if not fixed[k]:
            error[k] = math.sqrt(np.mean((vs[te, k] - zs[te] @ w) ** 2))
    total = importance.sum()
    rows, cols = importance.sum(1), importance.sum(0)
    d_per = np.array([1 - entropy(importance[j], base=factors) if rows[j] > 0 and factors > 1 else (1.0 if rows[j] > 0 else 0.0)
                      for j in range(latents)])
    c_per = np.array([np.nan if fixed[k] else
                      (1 - entropy(importance[:, k], base=latents) if latents > 1 else 1.0) if cols[k] > 0 else 0.0
                      for k in range(factors)])
    d = float(np.sum(rows / total * d_per))
    c = float(np.nansum(np.where(fixed, 0.0, cols / total * np.nan_to_num(c_per))))
    return {"disentanglement": d, "completeness": c, "informativeness": float(np.nanmean(error)),
            "disentanglementPerLatent": d_per, "completenessPerFactor": c_per, "errorPerFactor": error,
            "importance": importance, "alpha": chosen}


# ---------------------------------------------------------------- kNN divergence

def kth_positive(distances, k):
    return np.sort(distances[distances > 0])[k - 1]


def knn_kl(x, y, k):
    n, d = x.shape
    m = y.shape[0]
    total = 0.0
    for i in range(n):
        rho = kth_positive(np.delete(cdist(x[i:i + 1], x)[0], i), k)
        nu = kth_positive(cdist(x[i:i + 1], y)[0], k)
        total += math.log(nu / rho)
    return d / n * total + math.log(m / (n - 1))


# ---------------------------------------------------------------- clustering agreement

def cluster_agreement(clusters, k, labels, classes):
    clusters, labels = np.asarray(clusters), np.asarray(labels)
    sizes = np.bincount(clusters, minlength=k) / len(clusters)
    keep = labels >= 0
    c, l = clusters[keep], labels[keep]
    table = np.zeros((k, classes), dtype=np.int64)
    np.add.at(table, (c, l), 1)
    rows, cols = linear_sum_assignment(table, maximize=True)
    best = int(table[rows, cols].sum())
    class_of = np.full(k, -1)
    for r, col in zip(rows, cols):
        if table[r, col] > 0:
            class_of[r] = col
    # unique? every other one-to-one matching must score less (brute force: these tables are small)
    unique = True
    for perm in itertools.permutations(range(max(k, classes)), k):
        other = [(r, p) for r, p in enumerate(perm) if p < classes]
        total = sum(int(table[r, p]) for r, p in other)
        mapped = np.full(k, -1)
        for r, p in other:
            if table[r, p] > 0:
                mapped[r] = p
        if total == best and not np.array_equal(mapped, class_of):
            unique = False
            break
    return {"clusters": clusters.tolist(), "k": k, "labels": labels.tolist(), "classes": classes,
            "accuracy": best / len(l), "nmi": float(normalized_mutual_info_score(l, c, average_method="arithmetic")),
            "ari": float(adjusted_rand_score(l, c)), "sizes": sizes, "labelled": int(len(l)),
            "classOf": class_of.tolist() if unique else None}


# ---------------------------------------------------------------- datasets

rng = np.random.default_rng(2024)


def disentanglement_data(n):
    """Factors: 5 unevenly spaced discrete values, 3 discrete values, a continuous one, a constant one.
    Latents: noisy offset/scaled functions of them, and an integer-valued one whose values lie on bin edges."""
    i0 = rng.integers(0, 5, n)
    f0 = np.array([10.0, 12.5, 15.0, 17.5, 35.0])[i0]
    i1 = rng.choice(3, n, p=[0.5, 0.3, 0.2])
    f1 = np.array([-3.0, 1.5, 4.0])[i1]
    f2 = 1e5 + 7 * rng.normal(size=n)  # far from 0 for its spread, as z4 below
    f3 = np.full(n, 4.25)  # a constant whose running sums are exact (see inexact_constant below)
    z0 = 30 + 0.8 * f0 + 0.5 * rng.normal(size=n)
    z1 = -7 - 2 * f1 + 0.1 * f0 + rng.normal(size=n)
    z2 = 3 + 0.05 * f2 + 0.3 * rng.normal(size=n)
    z3 = 3.0 * i1 + rng.integers(0, 5, n)
    z3[0], z3[1] = 0.0, 10.0  # the range is exactly [0, 10]: bins of 5, 10, 20 have exact edges
    # far from 0 for its spread: Σ (x + x̄)(x − x̄) equals Σ (x − x̄)² only up to 2 x̄ Σ (x − x̄), which the rounding of
    # x̄ makes ~1e-3 here (a sign lost in a centring would otherwise hide behind an algebraic identity)
    z4 = 1e5 + 0.3 * (f2 - 1e5) + 0.2 * f1 + rng.normal(size=n)
    return np.stack([z0, z1, z2, z3, z4], 1), np.stack([f0, f1, f2, f3], 1)


def dci_data(n, tie):
    """Latent 0 is integer-valued and, on the validation rows, equal to its training mean (so it is 0 there once
    standardised); factor 0 = 3 z0 + 5 exactly, so every α predicts the validation rows perfectly (a tie that must go
    to the largest α). Other factors are noisy mixtures; the last factor is constant."""
    train, validation = java_round(n * 0.6), java_round(n * 0.2)
    z0 = rng.integers(0, 9, n).astype(float)
    # make the training mean an integer: adjust one training row by the remainder
    r = int(z0[:train].sum()) % train
    z0[0] -= r
    mean = z0[:train].sum() / train
    assert mean == int(mean)
    if tie:
        z0[train:train + validation] = mean
    z1 = -4 + 2.5 * rng.normal(size=n)
    z2 = 12 + 0.7 * rng.normal(size=n) + 0.3 * z1
    z3 = 60 + 3 * rng.normal(size=n)
    f0 = 3 * z0 + 5
    f1 = 50 + 2 * z1 - z2 + 0.3 * rng.normal(size=n)
    f2 = -20 + 0.5 * z2 + 0.1 * z3 + 0.5 * rng.normal(size=n)
    f3 = np.full(n, 7.0)
    return np.stack([z0, z1, z2, z3], 1), np.stack([f0, f1, f2, f3], 1)


def knn_case(x, y, ks):
    return {"x": x.tolist(), "y": y.tolist(), "k": ks, "estimate": [knn_kl(x, y, k) for k in ks]}


out = {}

z, v = disentanglement_data(150)
out["disentanglement"] = {"z": z.tolist(), "v": v.tolist(),
                          "mig": [mig(z, v, b) for b in (3, 5, 10, 20)], "sap": sap(z, v)}

dcis = []
for n, tie in ((100, True), (37, False)):
    z, v = dci_data(n, tie)
    dcis.append({"z": z.tolist(), "v": v.tolist(), **dci(z, v)})
out["dci"] = dcis

# kNN: a two-mode P against a broad Q in 2-D (a duplicate in x, a y on an x); 3-D of other sizes; equidistant lattices
x = np.concatenate([rng.normal(size=(20, 2)) * 0.6 + [5, -3], rng.normal(size=(21, 2)) * 0.4 + [8, 1]])
x[5] = x[3]
y = rng.normal(size=(55, 2)) * 2 + [6, -2]
y[0] = x[7]
knn = [knn_case(x, y, [1, 3])]
x = rng.normal(size=(30, 3)) * [1, 2, 0.5] + [10, -20, 3]
y = rng.normal(size=(23, 3)) * 1.5 + [11, -19, 3]
knn.append(knn_case(x, y, [1, 2, 4]))
x = np.array([[10 + a, 20 + b] for a in range(4) for b in range(4)], dtype=float)
y = np.array([[10.5 + a, 20 + b] for a in range(5) for b in range(3)], dtype=float)
knn.append(knn_case(x, y, [1, 2, 3]))
out["knn"] = knn

# clusterings: as many clusters as classes; more clusters (one empty) with unlabelled examples and a class the split
# lacks; fewer clusters than classes; a tie in the matching
clusters = []
labels = rng.integers(0, 4, 60)
pred = np.where(rng.random(60) < 0.7, labels, rng.integers(0, 4, 60))
pred = (pred + 1) % 4  # cluster ids are a permutation of classes
clusters.append(cluster_agreement(pred, 4, labels, 4))
labels = rng.integers(0, 3, 50)
pred = np.where(rng.random(50) < 0.6, labels * 2, rng.integers(0, 6, 50))
pred[pred == 5] = 4  # cluster 5 is empty
labels[rng.random(50) < 0.2] = -1
clusters.append(cluster_agreement(pred, 6, labels, 4))
labels = rng.integers(0, 5, 40)
pred = np.minimum(labels, 2)
noisy = rng.random(40) < 0.25
pred[noisy] = rng.integers(0, 3, int(noisy.sum()))
clusters.append(cluster_agreement(pred, 3, labels, 5))
clusters.append(cluster_agreement([0, 0, 1, 1, 2, 2, 2], 3, [0, 1, 0, 1, 2, 2, 0], 3))
out["clusters"] = clusters

# A constant factor whose value (4.2, 0.1) is not a binary fraction: a running sum over the rows does not return
# exactly N times it, so a mean computed that way is off by an ulp and the variance is ~1e-30, not 0. By the
# definitions the factor is constant all the same (no gap, no completeness, no error; left out of the means).
z, v = disentanglement_data(150)
v[:, 3] = 4.2
zd, vd = dci_data(100, False)
vd[:, 3] = 0.1
out["inexact_constant"] = {"z": z.tolist(), "v": v.tolist(), "sap": sap(z, v),
                           "dci": {"z": zd.tolist(), "v": vd.tolist(), **dci(zd, vd)}}

print(json.dumps(nan_to_none(json.loads(json.dumps(out, default=lambda a: a.tolist()))), allow_nan=False))
