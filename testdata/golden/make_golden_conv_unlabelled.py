#!/usr/bin/python3
"""Golden values for the conv N-VAE's bound on a batch mixing labelled and unlabelled examples.

An independent PyTorch (float64) reference for docs/MODEL.md#6 (unlabelled examples) on `--arch conv`,
the conv companion of make_golden_unlabelled.py. It writes testdata/golden/conv_unlabelled.json next to
this script:

    /usr/bin/python3 testdata/golden/make_golden_conv_unlabelled.py

The network is make_golden_conv.py's "ragged" case (C=3, 8x12 images, convolution channels 3,5, dense
width 6; its layers, storage layouts and initialisation are imported from that script), with K=3, ds=2,
dc=2 and a batch of B=4 labelled [0, -1, 2, -1] (-1: no label). Weights: beta_c=1.5, alpha=0.7,
y_kl=-0.5 (train's label-free default: a reward for confident q(y|x)), balance=1.3.

  labelled i (label y):   rec(x_i | y, z_s, z_c^y) + kl_s + beta_c kl_c^y + alpha (-log q(y|x_i))
  unlabelled i:           sum_y q(y|x_i) [rec(x_i | y, z_s, z_c^y) + beta_c kl_c^y] + kl_s
                          + y_kl KL(q(.|x_i) || uniform)
  batch:                  balance * U * KL(qbar || uniform), U unlabelled examples, qbar their mean q(y|x)
  loss = (sum of the per-example terms + the batch term) / B

Every pass of example i uses the same noise row eps[i] = [eps_s | eps_c]. Each class pass decodes the whole
batch through the conv decoder with decoder input [z_s | E(y, z_c^y) | onehot(y)]. Reported terms are
means over the B examples: rec and kl_c take an unlabelled example's expectation over q(y|x); ce sums the
labelled examples only and kl_y the unlabelled ones.

Draws after torch.manual_seed(8765): parameters as make_golden_conv.py's init_params, then
x ~ U(0,1) [B, C*H*W], eps ~ N(0,1) [B, ds+dc], and last the K class-logit biases of heads.b again
~ N(0, 3), so that q(y|x) is far from uniform and every y-term carries weight.
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # leave no __pycache__ in testdata
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_golden_conv as net  # noqa: E402  (the conv layers, layouts and initialisation)

torch.set_default_dtype(torch.float64)

K, DS, DC, B = net.K, net.DS, net.DC, 4
BETA_C, ALPHA, Y_KL, BALANCE = 1.5, 0.7, -0.5, 1.3
LABELS = [0, -1, 2, -1]
CASE = net.CASES["ragged"]
HEAD_COLS = net.HEAD_COLS


def decode(c, p, dec_in):
    d = torch.relu(dec_in @ p["dec.fc1.w"] + p["dec.fc1.b"])
    d = torch.relu(d @ p["dec.fc2.w"] + p["dec.fc2.b"]).reshape(B, c["c2"], c["H"] // 4, c["W"] // 4)
    d = torch.relu(F.conv_transpose2d(d, p["dec.deconv1.w"], p["dec.deconv1.b"][0], stride=2, padding=1))
    return F.conv_transpose2d(d, p["dec.deconv2.w"], p["dec.deconv2.b"][0], stride=2, padding=1).reshape(B, -1)


def forward(c, p, x, eps):
    h = x.reshape(B, c["C"], c["H"], c["W"])
    h = torch.relu(F.conv2d(h, p["enc.conv1.w"], p["enc.conv1.b"][0], stride=2, padding=1))
    h = torch.relu(F.conv2d(h, p["enc.conv2.w"], p["enc.conv2.b"][0], stride=2, padding=1))
    h = torch.relu(h.reshape(B, -1) @ p["enc.fc.w"] + p["enc.fc.b"])
    heads = h @ p["heads.w"] + p["heads.b"]
    mu_s, lv_s = heads[:, :DS], heads[:, DS:2 * DS]
    mu_c = heads[:, 2 * DS:2 * DS + K * DC].reshape(B, K, DC)
    lv_c = heads[:, 2 * DS + K * DC:2 * DS + 2 * K * DC].reshape(B, K, DC)
    log_q = F.log_softmax(heads[:, 2 * DS + 2 * K * DC:], 1)
    z_s = mu_s + torch.exp(0.5 * lv_s) * eps[:, :DS]
    z_c = mu_c + torch.exp(0.5 * lv_c) * eps[:, None, DS:]           # B x K x dc: every class's sample
    kl_s = 0.5 * (mu_s ** 2 + lv_s.exp() - 1 - lv_s).sum(1)
    kl_c = 0.5 * (mu_c ** 2 + lv_c.exp() - 1 - lv_c).sum(2)          # B x K
    rec = torch.zeros(B, K)
    for y in range(K):
        onehot = torch.zeros(B, K)
        onehot[:, y] = 1
        emb = (onehot[:, :, None] * z_c[:, y:y + 1, :]).reshape(B, K * DC)
        logits_x = decode(c, p, torch.cat([z_s, emb, onehot], 1))
        rec[:, y] = F.binary_cross_entropy_with_logits(logits_x, x, reduction="none").sum(1)

    per_example, terms = [], {"rec": 0.0, "kl_s": 0.0, "kl_c": 0.0, "ce": 0.0, "kl_y": 0.0}
    for i in range(B):
        y = LABELS[i]
        if y >= 0:
            ce = -log_q[i, y]
            per_example.append(rec[i, y] + kl_s[i] + BETA_C * kl_c[i, y] + ALPHA * ce)
            parts = (rec[i, y], kl_c[i, y], ce, 0.0)
        else:
            q = log_q[i].exp()
            kl_y = (q * (log_q[i] + math.log(K))).sum()
            per_example.append((q * (rec[i] + BETA_C * kl_c[i])).sum() + kl_s[i] + Y_KL * kl_y)
            parts = ((q * rec[i]).sum(), (q * kl_c[i]).sum(), 0.0, kl_y)
        for name, v in zip(("rec", "kl_c", "ce", "kl_y"), parts):
            terms[name] += float(v) / B
        terms["kl_s"] += float(kl_s[i]) / B
    unl = [i for i in range(B) if LABELS[i] < 0]
    q_bar = log_q[unl].exp().mean(0)
    balance = BALANCE * len(unl) * (q_bar * torch.log(q_bar * K)).sum()
    return (torch.stack(per_example).sum() + balance) / B, terms, heads


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def main():
    c = CASE
    torch.manual_seed(8765)
    params = net.init_params(c)
    names = list(params)
    x = torch.rand(B, c["C"] * c["H"] * c["W"])
    eps = torch.randn(B, DS + DC)
    with torch.no_grad():
        params["heads.b"][0, HEAD_COLS - K:] = torch.randn(K) * 3.0
    loss, terms, heads = forward(c, params, x, eps)
    loss.backward()

    # self-check: autograd against central differences on three entries of every tensor
    h, worst, checked = 1e-6, 0.0, 0
    with torch.no_grad():
        for name in names:
            p = params[name].view(-1)
            for i in (0, p.numel() // 2, p.numel() - 1):
                old = p[i].item()
                p[i] = old + h
                up = forward(c, params, x, eps)[0].item()
                p[i] = old - h
                down = forward(c, params, x, eps)[0].item()
                p[i] = old
                ana = params[name].grad.view(-1)[i].item()
                err = abs((up - down) / (2 * h) - ana)
                worst = max(worst, err)
                assert err < 1e-6 * max(1.0, abs(ana)), f"{name}[{i}]"
                checked += 1
    print(f"finite differences agree with autograd on {checked} entries (max abs err {worst:.1e})")

    out = {
        "config": {**c, "K": K, "ds": DS, "dc": DC, "B": B, "beta_c": BETA_C, "alpha": ALPHA,
                   "y_kl": Y_KL, "balance": BALANCE},
        "params": {n: {"shape": list(params[n].shape), "data": flat(params[n])} for n in names},
        "x": flat(x),
        "labels": LABELS,
        "eps": flat(eps),
        "heads": flat(heads),
        "terms": {**terms, "loss": loss.item()},
        "grads": {n: flat(params[n].grad) for n in names},
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv_unlabelled.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")
    print(f"torch {torch.__version__}; wrote {path}")
    print("terms:", json.dumps(out["terms"]))


if __name__ == "__main__":
    main()
