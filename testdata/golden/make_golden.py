#!/usr/bin/python3
"""Golden values for the N-VAE (mlp) forward pass, loss, gradients and a short Adam run.

An independent PyTorch (float64) reference for the Java implementation. It writes
testdata/golden/nvae_tiny.json next to this script.

Run (Debian's python3-torch lives in the system python, not in a pyenv one):

    /usr/bin/python3 testdata/golden/make_golden.py

Model (docs/MODEL.md sections 1-2), tiny sizes D=6, H1=5, H2=4, K=3, ds=2, dc=2, batch B=4.
Linear weights are stored as [in, out] and applied as y = x @ w + b (b is [1, out]).

  encoder  h1 = relu(x @ enc1.w + enc1.b); h2 = relu(h1 @ enc2.w + enc2.b)
           heads = h2 @ heads.w + heads.b, columns:
             mu_s [0:ds] | logvar_s [ds:2ds] | mu_c [2ds : 2ds+K*dc] (class k at 2ds+k*dc)
             | logvar_c [2ds+K*dc : 2ds+2K*dc] (class k likewise) | logits [2ds+2K*dc : +K]
  sample   eps is B x (ds+dc): first ds columns for z_s, last dc for the class latent of true label y
           z_s = mu_s + exp(0.5 logvar_s) eps_s ; z_c = mu_c^y + exp(0.5 logvar_c^y) eps_c
  decoder  in = [z_s | E(y, z_c) | onehot(y)]   (E: K*dc zeros except block y = z_c)
           d1 = relu(in @ dec1.w + dec1.b); d2 = relu(d1 @ dec2.w + dec2.b); logits_x = d2 @ dec3.w + dec3.b
  loss     rec  = sum_d BCEWithLogits(logits_x, x)
           kl_s = 0.5 sum_j (mu_s^2 + exp(logvar_s) - 1 - logvar_s)
           kl_c = same on class y's block only
           ce   = -log_softmax(logits)[y]
           loss = mean_batch(rec + kl_s + beta_c*kl_c + alpha*ce), beta_c = 2.0, alpha = 0.5

Random draws, all float64 from one generator after torch.manual_seed(1234), in exactly this order:
  for each layer in (enc1, enc2, heads, dec1, dec2, dec3): w ~ N(0, std 0.5) then b ~ N(0, std 0.1);
  x ~ U(0,1) [B, D]; eps ~ N(0,1) [B, ds+dc];
  then for the Adam steps t = 1..5: eps_t ~ N(0,1) [B, ds+dc] (drawn one per step, all recorded).
The Java test reads the recorded values, so it does not need to reproduce torch's RNG.

Output JSON (all arrays flat, row-major):
  config {D,H1,H2,K,ds,dc,B,beta_c,alpha,lr}
  params {name: {"shape": [r, c], "data": [...]}}    initial parameters, in the canonical order
  x, labels, eps
  heads (B x cols), logits_x (B x D)                  intermediates for debugging
  terms {rec, kl_s, kl_c, ce, loss}                   batch means of each per-example term, and the loss
  grads {name: [...]}                                 d loss / d parameter at the initial parameters, with eps
  adam {eps_steps: [[...] x5], losses: [5], final_params: {name: [...]}}
       torch.optim.Adam defaults (betas 0.9/0.999, eps 1e-8, bias-corrected), lr 0.01, starting from
       the initial params; losses[t-1] is the loss of step t's forward pass (before its update);
       final_params are the parameters after the 5th update.

The script self-checks autograd against central finite differences on several parameter entries.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

D, H1, H2, K, DS, DC, B = 6, 5, 4, 3, 2, 2, 4
BETA_C, ALPHA, LR, ADAM_STEPS = 2.0, 0.5, 0.01, 5
HEAD_COLS = 2 * DS + 2 * K * DC + K
DEC_IN = DS + K * DC + K
LABELS = [0, 2, 1, 2]

LAYERS = [("enc1", D, H1), ("enc2", H1, H2), ("heads", H2, HEAD_COLS),
          ("dec1", DEC_IN, H2), ("dec2", H2, H1), ("dec3", H1, D)]
NAMES = [f"{l}.{p}" for l, _, _ in LAYERS for p in ("w", "b")]


def init_params():
    params = {}
    for name, fan_in, fan_out in LAYERS:
        params[name + ".w"] = (torch.randn(fan_in, fan_out) * 0.5).requires_grad_()
        params[name + ".b"] = (torch.randn(1, fan_out) * 0.1).requires_grad_()
    return params


def forward(p, x, y, eps):
    """Returns (dict of per-example terms, loss, heads, logits_x)."""
    h1 = torch.relu(x @ p["enc1.w"] + p["enc1.b"])
    h2 = torch.relu(h1 @ p["enc2.w"] + p["enc2.b"])
    heads = h2 @ p["heads.w"] + p["heads.b"]

    mu_s = heads[:, 0:DS]
    logvar_s = heads[:, DS:2 * DS]
    mu_c_all = heads[:, 2 * DS:2 * DS + K * DC].reshape(B, K, DC)
    logvar_c_all = heads[:, 2 * DS + K * DC:2 * DS + 2 * K * DC].reshape(B, K, DC)
    logits = heads[:, 2 * DS + 2 * K * DC:]
    rows = torch.arange(B)
    mu_c = mu_c_all[rows, y]            # B x dc, block of the true label
    logvar_c = logvar_c_all[rows, y]

    z_s = mu_s + torch.exp(0.5 * logvar_s) * eps[:, :DS]
    z_c = mu_c + torch.exp(0.5 * logvar_c) * eps[:, DS:]

    # dense E(y, z_c): zeros except block y (built without in-place ops on graph tensors)
    onehot = F.one_hot(y, K).to(torch.float64)                       # B x K
    emb = (onehot.unsqueeze(2) * z_c.unsqueeze(1)).reshape(B, K * DC)  # B x K*dc
    dec_in = torch.cat([z_s, emb, onehot], dim=1)

    d1 = torch.relu(dec_in @ p["dec1.w"] + p["dec1.b"])
    d2 = torch.relu(d1 @ p["dec2.w"] + p["dec2.b"])
    logits_x = d2 @ p["dec3.w"] + p["dec3.b"]

    rec = F.binary_cross_entropy_with_logits(logits_x, x, reduction="none").sum(1)
    kl_s = 0.5 * (mu_s ** 2 + torch.exp(logvar_s) - 1 - logvar_s).sum(1)
    kl_c = 0.5 * (mu_c ** 2 + torch.exp(logvar_c) - 1 - logvar_c).sum(1)
    ce = -F.log_softmax(logits, dim=1)[rows, y]
    loss = (rec + kl_s + BETA_C * kl_c + ALPHA * ce).mean()
    terms = {"rec": rec, "kl_s": kl_s, "kl_c": kl_c, "ce": ce}
    return terms, loss, heads, logits_x


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def fd_check(params, x, y, eps):
    """Central finite differences vs autograd on a few entries of several parameters."""
    for p in params.values():
        p.grad = None
    _, loss, _, _ = forward(params, x, y, eps)
    loss.backward()
    h = 1e-6
    checks = [("enc1.w", 0, 0), ("enc1.w", 3, 2), ("enc2.b", 0, 1), ("heads.w", 1, 0),
              ("heads.w", 2, 2 * DS + K * DC + 1), ("heads.w", 3, HEAD_COLS - 1),
              ("heads.b", 0, 2 * DS + 2 * DC), ("dec1.w", DS + 2 * DC, 1), ("dec1.w", 0, 3),
              ("dec2.w", 1, 2), ("dec3.w", 4, 5), ("dec3.b", 0, 0)]
    worst = 0.0
    with torch.no_grad():
        for name, i, j in checks:
            p = params[name]
            old = p[i, j].item()
            p[i, j] = old + h
            lp = forward(params, x, y, eps)[1].item()
            p[i, j] = old - h
            lm = forward(params, x, y, eps)[1].item()
            p[i, j] = old
            num = (lp - lm) / (2 * h)
            ana = p.grad[i, j].item()
            err = abs(num - ana)
            worst = max(worst, err)
            assert err < 1e-6 * max(1.0, abs(ana)), f"FD mismatch {name}[{i},{j}]: fd={num} autograd={ana}"
    for p in params.values():
        p.grad = None
    print(f"finite-difference check passed on {len(checks)} entries (max abs err {worst:.2e})")


def main():
    torch.manual_seed(1234)
    params = init_params()
    x = torch.rand(B, D)
    y = torch.tensor(LABELS, dtype=torch.long)
    eps = torch.randn(B, DS + DC)
    eps_steps = [torch.randn(B, DS + DC) for _ in range(ADAM_STEPS)]

    init = {n: params[n].detach().clone() for n in NAMES}

    fd_check(params, x, y, eps)

    terms, loss, heads, logits_x = forward(params, x, y, eps)
    loss.backward()
    # the loss must equal the weighted sum of the batch-mean terms
    means = {k: v.mean().item() for k, v in terms.items()}
    recombined = means["rec"] + means["kl_s"] + BETA_C * means["kl_c"] + ALPHA * means["ce"]
    assert abs(recombined - loss.item()) < 1e-12
    grads = {n: flat(params[n].grad) for n in NAMES}

    # Adam run from the same initial parameters, on fresh copies
    ap = {n: init[n].clone().requires_grad_() for n in NAMES}
    opt = torch.optim.Adam([ap[n] for n in NAMES], lr=LR, betas=(0.9, 0.999), eps=1e-8)
    losses = []
    for t in range(ADAM_STEPS):
        opt.zero_grad()
        l = forward(ap, x, y, eps_steps[t])[1]
        l.backward()
        losses.append(l.item())
        opt.step()

    out = {
        "config": {"D": D, "H1": H1, "H2": H2, "K": K, "ds": DS, "dc": DC, "B": B,
                   "beta_c": BETA_C, "alpha": ALPHA, "lr": LR},
        "params": {n: {"shape": list(init[n].shape), "data": flat(init[n])} for n in NAMES},
        "x": flat(x),
        "labels": LABELS,
        "eps": flat(eps),
        "heads": flat(heads),
        "logits_x": flat(logits_x),
        "terms": {**means, "loss": loss.item()},
        "grads": grads,
        "adam": {
            "eps_steps": [flat(e) for e in eps_steps],
            "losses": losses,
            "final_params": {n: flat(ap[n]) for n in NAMES},
        },
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nvae_tiny.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"torch {torch.__version__}; wrote {path}")
    print("terms:", json.dumps(out["terms"]))
    print("adam losses:", losses)


if __name__ == "__main__":
    main()
