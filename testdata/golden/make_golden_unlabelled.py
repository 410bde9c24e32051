#!/usr/bin/python3
"""Golden values for the N-VAE's bound on a batch mixing labelled and unlabelled examples.

An independent PyTorch (float64) reference for docs/MODEL.md#6 (unlabelled examples). It writes
testdata/golden/nvae_unlabelled.json next to this script.

    /usr/bin/python3 testdata/golden/make_golden_unlabelled.py

The tiny mlp N-VAE of make_golden.py (D=6, H1=5, H2=4, K=3, ds=2, dc=2), a batch of B=5 with labels
[0, -1, 2, -1, -1] (-1: no label), beta_c=1.5, alpha=0.7, y_kl=0.6, balance=1.3.

  labelled i (label y):   rec(x_i | y, z_s, z_c^y) + kl_s + beta_c kl_c^y + alpha (-log q(y|x_i))
  unlabelled i:           sum_y q(y|x_i) [rec(x_i | y, z_s, z_c^y) + beta_c kl_c^y] + kl_s
                          + y_kl KL(q(.|x_i) || uniform)
  batch:                  balance * U * KL(qbar || uniform), U unlabelled examples, qbar their mean q(y|x)
  loss = (sum of the per-example terms + the batch term) / B

Every pass of example i uses the same noise row eps[i] = [eps_s | eps_c]: z_s = mu_s + sigma_s eps_s,
z_c^y = mu_c^y + sigma_c^y eps_c. The decoder input of the pass for class y is [z_s | E(y, z_c^y) | onehot(y)].
Reported terms are means over the B examples: rec and kl_c take an unlabelled example's expectation over
q(y|x); ce sums the labelled examples only and kl_y the unlabelled ones.

Draws after torch.manual_seed(4321): parameters as make_golden.py (w ~ N(0, 0.5), b ~ N(0, 0.1), layer by
layer), then x ~ U(0,1) [B, D], eps ~ N(0,1) [B, ds+dc], and last the K class-logit biases of heads.b
again ~ N(0, 1.5), so that q(y|x) is far from uniform and every y-term carries weight.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

D, H1, H2, K, DS, DC, B = 6, 5, 4, 3, 2, 2, 5
BETA_C, ALPHA, Y_KL, BALANCE = 1.5, 0.7, 0.6, 1.3
LABELS = [0, -1, 2, -1, -1]
HEAD_COLS = 2 * DS + 2 * K * DC + K
DEC_IN = DS + K * DC + K
LAYERS = [("enc1", D, H1), ("enc2", H1, H2), ("heads", H2, HEAD_COLS),
          ("dec1", DEC_IN, H2), ("dec2", H2, H1), ("dec3", H1, D)]
NAMES = [f"{l}.{p}" for l, _, _ in LAYERS for p in ("w", "b")]


def decode(p, dec_in):
    d1 = torch.relu(dec_in @ p["dec1.w"] + p["dec1.b"])
    d2 = torch.relu(d1 @ p["dec2.w"] + p["dec2.b"])
    return d2 @ p["dec3.w"] + p["dec3.b"]


def forward(p, x, eps):
    h1 = torch.relu(x @ p["enc1.w"] + p["enc1.b"])
    h2 = torch.relu(h1 @ p["enc2.w"] + p["enc2.b"])
    heads = h2 @ p["heads.w"] + p["heads.b"]
    mu_s, lv_s = heads[:, :DS], heads[:, DS:2 * DS]
    mu_c = heads[:, 2 * DS:2 * DS + K * DC].reshape(B, K, DC)
    lv_c = heads[:, 2 * DS + K * DC:2 * DS + 2 * K * DC].reshape(B, K, DC)
    logits = heads[:, 2 * DS + 2 * K * DC:]
    log_q = F.log_softmax(logits, 1)
    z_s = mu_s + torch.exp(0.5 * lv_s) * eps[:, :DS]
    z_c = mu_c + torch.exp(0.5 * lv_c) * eps[:, None, DS:]           # B x K x dc: every class's sample
    kl_s = 0.5 * (mu_s ** 2 + lv_s.exp() - 1 - lv_s).sum(1)
    kl_c = 0.5 * (mu_c ** 2 + lv_c.exp() - 1 - lv_c).sum(2)          # B x K
    # rec for every (example, class): decode each class pass
    rec = torch.zeros(B, K)
    for y in range(K):
        onehot = torch.zeros(B, K)
        onehot[:, y] = 1
        emb = torch.zeros(B, K, DC)
        emb = emb + onehot[:, :, None] * z_c[:, y:y + 1, :]
        dec_in = torch.cat([z_s, emb.reshape(B, K * DC), onehot], 1)
        rec[:, y] = F.binary_cross_entropy_with_logits(decode(p, dec_in), x, reduction="none").sum(1)

    per_example, terms = [], {"rec": 0.0, "kl_s": 0.0, "kl_c": 0.0, "ce": 0.0, "kl_y": 0.0}
    unl = [i for i in range(B) if LABELS[i] < 0]
    for i in range(B):
        y = LABELS[i]
        if y >= 0:
            ce = -log_q[i, y]
            per_example.append(rec[i, y] + kl_s[i] + BETA_C * kl_c[i, y] + ALPHA * ce)
            parts = (rec[i, y], kl_c[i, y], ce, 0.0)
        else:
            q = log_q[i].exp()
            kl_y = (q * (log_q[i] + torch.log(torch.tensor(float(K))))).sum()
            per_example.append((q * (rec[i] + BETA_C * kl_c[i])).sum() + kl_s[i] + Y_KL * kl_y)
            parts = ((q * rec[i]).sum(), (q * kl_c[i]).sum(), 0.0, kl_y)
        for name, v in zip(("rec", "kl_c", "ce", "kl_y"), parts):
            terms[name] += float(v) / B
        terms["kl_s"] += float(kl_s[i]) / B
    q_bar = log_q[unl].exp().mean(0)
    balance = BALANCE * len(unl) * (q_bar * torch.log(q_bar * K)).sum()
    loss = (torch.stack(per_example).sum() + balance) / B
    return loss, terms, heads


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def main():
    torch.manual_seed(4321)
    params = {}
    for name, fan_in, fan_out in LAYERS:
        params[name + ".w"] = (torch.randn(fan_in, fan_out) * 0.5).requires_grad_()
        params[name + ".b"] = (torch.randn(1, fan_out) * 0.1).requires_grad_()
    x = torch.rand(B, D)
    eps = torch.randn(B, DS + DC)
    with torch.no_grad():
        params["heads.b"][0, HEAD_COLS - K:] = torch.randn(K) * 1.5
    loss, terms, heads = forward(params, x, eps)
    loss.backward()

    # self-check: autograd against central differences on a few entries, one per layer
    h, worst = 1e-6, 0.0
    with torch.no_grad():
        for name in NAMES[::2]:
            p = params[name]
            old = p[0, 1].item()
            p[0, 1] = old + h
            up = forward(params, x, eps)[0].item()
            p[0, 1] = old - h
            down = forward(params, x, eps)[0].item()
            p[0, 1] = old
            err = abs((up - down) / (2 * h) - p.grad[0, 1].item())
            worst = max(worst, err)
            assert err < 1e-6 * max(1.0, abs(p.grad[0, 1].item())), name
    print(f"finite differences agree with autograd (max abs err {worst:.1e})")

    out = {
        "config": {"D": D, "H1": H1, "H2": H2, "K": K, "ds": DS, "dc": DC, "B": B, "beta_c": BETA_C,
                   "alpha": ALPHA, "y_kl": Y_KL, "balance": BALANCE},
        "params": {n: {"shape": list(params[n].shape), "data": flat(params[n])} for n in NAMES},
        "x": flat(x),
        "labels": LABELS,
        "eps": flat(eps),
        "heads": flat(heads),
        "terms": {**terms, "loss": loss.item()},
        "grads": {n: flat(params[n].grad) for n in NAMES},
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nvae_unlabelled.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"torch {torch.__version__}; wrote {path}")
    print("terms:", json.dumps(out["terms"]))


if __name__ == "__main__":
    main()
