#!/usr/bin/python3
"""Golden values for the baselines (vae, beta-vae, cvae) and the Gaussian likelihood: loss terms and gradients.

An independent PyTorch (float64) reference for docs/MODEL.md#3 (baselines) and the Gaussian likelihood of
docs/MODEL.md#1 (likelihoods), written from those definitions. It writes testdata/golden/baselines.json
next to this script; lib/src/test/java/dev/nvae/model/BaselinesGoldenTest.java reads it.

Run (Debian's python3-torch lives in the system python, not in a pyenv one):

    /usr/bin/python3 testdata/golden/make_golden_baselines.py

Networks as make_golden.py (the mlp): linear weights stored as [in, out], applied as y = x @ w + b (b is
[1, out]); encoder in -> H1 -> H2 (ReLU) -> heads (linear), decoder in -> H2 -> H1 (ReLU) -> D (linear; the
likelihood's parameters). Tiny sizes D=6, H1=5, H2=4, K=3, dz=2, batch B=4.

Cases (name: model, likelihood, weights):
  vae              vae,      bernoulli,              beta 1
  beta_vae         beta-vae, bernoulli,              beta 4
  cvae             cvae,     bernoulli,              beta 1
  vae_gaussian     vae,      gaussian sigma_x 0.7,   beta 1
  nvae_gaussian    nvae,     gaussian sigma_x 0.7,   beta_c 2, alpha 0.5, ds=2, dc=2 (the model of make_golden.py)

Baselines (docs/MODEL.md#3): one latent block of dz dimensions; heads = [mu (dz) | logvar (dz)];
  z = mu + exp(0.5 logvar) * eps (eps: B x dz)
  vae, beta-vae:  encoder reads x;                   decoder reads z
  cvae:           encoder reads [x | onehot(y)] (D+K); decoder reads [z | onehot(y)] (dz+K)
  kl   = KL(N(mu, diag exp(logvar)) || N(0, I))      (torch.distributions.kl_divergence)
  rec  = -log p(x | z[, y])
  loss = mean_batch(rec + beta * kl)                 (beta = 1 but for beta-vae)
  The Java model reports kl unweighted (its kl_s) and kl_c = ce = 0; the vae and beta-vae read no label, so
  their examples carry none (label -1); the cvae's carry labels.
N-VAE (docs/MODEL.md#1): as make_golden.py, heads [mu_s | logvar_s | mu_c (K dc) | logvar_c (K dc) | logits (K)],
  eps B x (ds+dc), decoder [z_s | E(y, z_c) | onehot(y)],
  loss = mean_batch(rec + kl_s + beta_c kl_c^y + alpha (-log q(y|x))).
Likelihoods, of the decoder output `out` (B x D):
  bernoulli  rec = sum_d BCEWithLogits(out, x)                         (logits out)
  gaussian   rec = -sum_d log N(x_d; out_d, sigma_x^2)                 (mean out, torch.distributions.Normal)

Random draws, float64, each case from its own generator state: torch.manual_seed(SEEDS[case]), then
  for each layer in (enc1, enc2, heads, dec1, dec2, dec3): w ~ N(0, std 0.5) then b ~ N(0, std 0.1);
  x ~ U(0,1) [B, D]; eps ~ N(0,1) [B, latent]  (latent dz, or ds+dc for the N-VAE).
The Java test reads the recorded values, so it does not need to reproduce torch's RNG.

Output JSON: {"cases": {name: case}}, each case (arrays flat, row-major):
  config {model, likelihood, sigma_x, D, H1, H2, K, ds, dc, B, beta, beta_c, alpha}
          (a baseline's dz is its ds, with dc 0, beta_c 1, alpha 0, as the Java config stores it)
  params {name: {"shape": [r, c], "data": [...]}}  in the canonical order enc1.w, enc1.b, ..., dec3.b
  x, labels, eps
  heads (B x heads cols), logits_x (B x D)          intermediates
  terms {rec, kl_s, kl_c, ce, loss}                  batch means of each per-example term, and the loss
  grads {name: [...]}                                d loss / d parameter

The script self-checks autograd against central finite differences on entries of every parameter, and the
loss against the weighted sum of the term means.
"""
import json
import math
import os

import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

torch.set_default_dtype(torch.float64)

D, H1, H2, K, B = 6, 5, 4, 3, 4
DZ = 2                 # baselines' latent width
DS, DC = 2, 2          # the N-VAE's
SIGMA_X = 0.7
LABELS = [0, 2, 1, 2]
NO_LABELS = [-1, -1, -1, -1]

# name: (model, likelihood, beta, beta_c, alpha, seed)
CASES = {
    "vae": ("vae", "bernoulli", 1.0, 1.0, 0.0, 101),
    "beta_vae": ("beta-vae", "bernoulli", 4.0, 1.0, 0.0, 202),
    "cvae": ("cvae", "bernoulli", 1.0, 1.0, 0.0, 303),
    "vae_gaussian": ("vae", "gaussian", 1.0, 1.0, 0.0, 404),
    "nvae_gaussian": ("nvae", "gaussian", 1.0, 2.0, 0.5, 505),
}
LAYER_NAMES = ["enc1", "enc2", "heads", "dec1", "dec2", "dec3"]
NAMES = [f"{l}.{p}" for l in LAYER_NAMES for p in ("w", "b")]


def widths(model):
    """(encoder input, heads, decoder input, latent) widths from the definitions."""
    if model == "nvae":
        return D, 2 * DS + 2 * K * DC + K, DS + K * DC + K, DS + DC
    if model == "cvae":
        return D + K, 2 * DZ, DZ + K, DZ
    return D, 2 * DZ, DZ, DZ


def init_params(model):
    enc_in, heads, dec_in, _ = widths(model)
    shapes = [(enc_in, H1), (H1, H2), (H2, heads), (dec_in, H2), (H2, H1), (H1, D)]
    params = {}
    for name, (fan_in, fan_out) in zip(LAYER_NAMES, shapes):
        params[name + ".w"] = (torch.randn(fan_in, fan_out) * 0.5).requires_grad_()
        params[name + ".b"] = (torch.randn(1, fan_out) * 0.1).requires_grad_()
    return params


def mlp(p, a, first, second, third):
    a = torch.relu(a @ p[first + ".w"] + p[first + ".b"])
    a = torch.relu(a @ p[second + ".w"] + p[second + ".b"])
    return a @ p[third + ".w"] + p[third + ".b"]


def neg_log_lik(likelihood, out, x):
    """-log p(x | out), summed over the D values of each row."""
    if likelihood == "bernoulli":
        return F.binary_cross_entropy_with_logits(out, x, reduction="none").sum(1)
    return -Normal(out, SIGMA_X).log_prob(x).sum(1)


def kl_to_standard(mu, logvar):
    q = Normal(mu, torch.exp(0.5 * logvar))
    return kl_divergence(q, Normal(torch.zeros_like(mu), torch.ones_like(mu))).sum(1)


def forward(case, p, x, labels, eps):
    """Returns (per-example terms {rec, kl_s, kl_c, ce}, loss, heads, out)."""
    model, likelihood, beta, beta_c, alpha, _ = CASES[case]
    zero = torch.zeros(B)
    if model == "nvae":
        y = torch.tensor(labels)
        onehot = F.one_hot(y, K).to(torch.float64)
        heads = mlp(p, x, "enc1", "enc2", "heads")
        mu_s, lv_s = heads[:, :DS], heads[:, DS:2 * DS]
        rows = torch.arange(B)
        mu_c = heads[:, 2 * DS:2 * DS + K * DC].reshape(B, K, DC)[rows, y]
        lv_c = heads[:, 2 * DS + K * DC:2 * DS + 2 * K * DC].reshape(B, K, DC)[rows, y]
        logits = heads[:, 2 * DS + 2 * K * DC:]
        z_s = mu_s + torch.exp(0.5 * lv_s) * eps[:, :DS]
        z_c = mu_c + torch.exp(0.5 * lv_c) * eps[:, DS:]
        emb = (onehot.unsqueeze(2) * z_c.unsqueeze(1)).reshape(B, K * DC)
        out = mlp(p, torch.cat([z_s, emb, onehot], 1), "dec1", "dec2", "dec3")
        rec = neg_log_lik(likelihood, out, x)
        kl_s, kl_c = kl_to_standard(mu_s, lv_s), kl_to_standard(mu_c, lv_c)
        ce = F.cross_entropy(logits, y, reduction="none")
        loss = (rec + kl_s + beta_c * kl_c + alpha * ce).mean()
        return {"rec": rec, "kl_s": kl_s, "kl_c": kl_c, "ce": ce}, loss, heads, out

    if model == "cvae":
        onehot = F.one_hot(torch.tensor(labels), K).to(torch.float64)
        enc_in = torch.cat([x, onehot], 1)
    else:
        assert all(l == -1 for l in labels), "a vae reads no label"
        enc_in = x
    heads = mlp(p, enc_in, "enc1", "enc2", "heads")
    mu, lv = heads[:, :DZ], heads[:, DZ:]
    z = mu + torch.exp(0.5 * lv) * eps
    dec_in = torch.cat([z, onehot], 1) if model == "cvae" else z
    out = mlp(p, dec_in, "dec1", "dec2", "dec3")
    rec = neg_log_lik(likelihood, out, x)
    kl = kl_to_standard(mu, lv)
    loss = (rec + beta * kl).mean()
    return {"rec": rec, "kl_s": kl, "kl_c": zero, "ce": zero}, loss, heads, out


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def fd_check(case, params, x, labels, eps):
    """Central finite differences vs autograd on three entries of every parameter tensor."""
    for q in params.values():
        q.grad = None
    forward(case, params, x, labels, eps)[1].backward()
    h, worst, n = 1e-6, 0.0, 0
    gen = torch.Generator().manual_seed(7)
    with torch.no_grad():
        for name, q in params.items():
            for _ in range(3):
                i = int(torch.randint(q.shape[0], (1,), generator=gen))
                j = int(torch.randint(q.shape[1], (1,), generator=gen))
                old = q[i, j].item()
                q[i, j] = old + h
                lp = forward(case, params, x, labels, eps)[1].item()
                q[i, j] = old - h
                lm = forward(case, params, x, labels, eps)[1].item()
                q[i, j] = old
                num, ana = (lp - lm) / (2 * h), q.grad[i, j].item()
                worst = max(worst, abs(num - ana))
                n += 1
                assert abs(num - ana) < 1e-6 * max(1.0, abs(ana)), f"{case}: FD mismatch {name}[{i},{j}]: {num} vs {ana}"
    for q in params.values():
        q.grad = None
    print(f"{case}: finite-difference check passed on {n} entries (max abs err {worst:.2e})")


def make_case(case):
    model, likelihood, beta, beta_c, alpha, seed = CASES[case]
    torch.manual_seed(seed)
    params = init_params(model)
    latent = widths(model)[3]
    x = torch.rand(B, D)
    eps = torch.randn(B, latent)
    labels = LABELS if model in ("cvae", "nvae") else NO_LABELS
    init = {n: params[n].detach().clone() for n in NAMES}

    fd_check(case, params, x, labels, eps)
    terms, loss, heads, out = forward(case, params, x, labels, eps)
    loss.backward()
    means = {k: v.mean().item() for k, v in terms.items()}
    if model == "nvae":
        recombined = means["rec"] + means["kl_s"] + beta_c * means["kl_c"] + alpha * means["ce"]
    else:
        recombined = means["rec"] + beta * means["kl_s"]
    assert abs(recombined - loss.item()) < 1e-12
    if likelihood == "gaussian":
        # the same rec from the density written out: (x - out)^2 / (2 sigma^2) + log(sigma sqrt(2 pi)) per value
        by_hand = (((x - out) ** 2) / (2 * SIGMA_X ** 2) + math.log(SIGMA_X * math.sqrt(2 * math.pi))).sum(1)
        assert torch.allclose(by_hand, terms["rec"], atol=1e-12)
    grads = {n: flat(params[n].grad) for n in NAMES}
    assert all(any(g != 0 for g in grads[n]) for n in NAMES), f"{case}: a parameter without gradient"

    ds, dc = (DS, DC) if model == "nvae" else (DZ, 0)
    return {
        "config": {"model": model, "likelihood": likelihood, "sigma_x": SIGMA_X if likelihood == "gaussian" else 1.0,
                   "D": D, "H1": H1, "H2": H2, "K": K, "ds": ds, "dc": dc, "B": B,
                   "beta": beta, "beta_c": beta_c, "alpha": alpha},
        "params": {n: {"shape": list(init[n].shape), "data": flat(init[n])} for n in NAMES},
        "x": flat(x),
        "labels": labels,
        "eps": flat(eps),
        "heads": flat(heads),
        "logits_x": flat(out),
        "terms": {**means, "loss": loss.item()},
        "grads": grads,
    }


def main():
    cases = {name: make_case(name) for name in CASES}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "baselines.json")
    with open(path, "w") as f:
        json.dump({"cases": cases}, f, indent=1)
        f.write("\n")
    print(f"torch {torch.__version__}; wrote {path}")
    for name, c in cases.items():
        print(name, json.dumps(c["terms"]))


if __name__ == "__main__":
    main()
