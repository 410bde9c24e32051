#!/usr/bin/python3
"""Golden values for the conv N-VAE: forward pass, loss, every gradient and a short Adam run.

An independent PyTorch (float64) reference for the Java implementation of `--arch conv`, the companion of
make_golden.py (the mlp). It writes testdata/golden/conv_<case>.json next to this script, one file per case:

  full    C=1, 8x8 images, convolution channels 16,16, dense width 16: every 16-float vector tile is full
  ragged  C=3 (RGB), 8x12 images, channels 3,5, dense width 6: nothing is a multiple of a vector width

Run (Debian's python3-torch lives in the system python):

    /usr/bin/python3 testdata/golden/make_golden_conv.py

The network (docs/MODEL.md and the README's model-file table); images are rows in CHW order:
  encoder  enc.conv1: Conv2d(C, c1, 4, stride 2, pad 1) + ReLU; enc.conv2: Conv2d(c1, c2, 4, 2, 1) + ReLU;
           flatten (CHW order); enc.fc: x @ w + b, w [c2*(H/4)*(W/4), hidden] + ReLU; heads: [hidden, heads]
  decoder  dec.fc1: [Z, hidden] + ReLU; dec.fc2: [hidden, c2*(H/4)*(W/4)] + ReLU; reshape (c2, H/4, W/4);
           dec.deconv1: ConvTranspose2d(c2, c1, 4, 2, 1) + ReLU; dec.deconv2: ConvTranspose2d(c1, C, 4, 2, 1)
           (logits), flattened CHW.
  Stored as nvae stores them: conv kernels in PyTorch's layouts (Conv2d [out, in, 4, 4], ConvTranspose2d
  [in, out, 4, 4]), linear weights [in, out] (the transpose of nn.Linear.weight), biases [1, out].
The heads, sample, decoder input and loss are the N-VAE's, exactly as in make_golden.py
(beta_c = 2.0, alpha = 0.5).

Random draws, float64 from one generator after torch.manual_seed(4321 + case index), in this order:
  for each layer in file order: w ~ N(0, std 1/sqrt(fan_in)), then b ~ N(0, std 0.1);
  x ~ U(0,1) [B, C*H*W]; eps ~ N(0,1) [B, ds+dc]; then eps_t ~ N(0,1) for Adam steps t = 1..3.
Output JSON: as make_golden.py's (config, params, x, labels, eps, heads, logits_x, terms, grads, adam)
with config also holding C, H, W, c1, c2, hidden. The script self-checks autograd against central finite
differences on entries of every convolution.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

K, DS, DC, B = 3, 2, 2, 4
BETA_C, ALPHA, LR, ADAM_STEPS = 2.0, 0.5, 0.01, 3
HEAD_COLS = 2 * DS + 2 * K * DC + K
DEC_IN = DS + K * DC + K
LABELS = [0, 2, 1, 2]
CASES = {"full": dict(C=1, H=8, W=8, c1=16, c2=16, hidden=16),
         "ragged": dict(C=3, H=8, W=12, c1=3, c2=5, hidden=6)}


def layers(c):
    """(name, storage shape, fan_in) in file order."""
    flat = c["c2"] * (c["H"] // 4) * (c["W"] // 4)
    return [("enc.conv1", [c["c1"], c["C"], 4, 4], c["C"] * 16),
            ("enc.conv2", [c["c2"], c["c1"], 4, 4], c["c1"] * 16),
            ("enc.fc", [flat, c["hidden"]], flat),
            ("heads", [c["hidden"], HEAD_COLS], c["hidden"]),
            ("dec.fc1", [DEC_IN, c["hidden"]], DEC_IN),
            ("dec.fc2", [c["hidden"], flat], c["hidden"]),
            ("dec.deconv1", [c["c2"], c["c1"], 4, 4], c["c1"] * 16),
            ("dec.deconv2", [c["c1"], c["C"], 4, 4], c["C"] * 16)]


def init_params(c):
    params = {}
    for name, shape, fan_in in layers(c):
        out = shape[0] if name.startswith("enc.conv") else shape[1]  # Conv2d [out, in, ..]; others [in, out, ..]
        params[name + ".w"] = (torch.randn(*shape) / fan_in ** 0.5).requires_grad_()
        params[name + ".b"] = (torch.randn(1, out) * 0.1).requires_grad_()
    return params


def forward(c, p, x, y, eps):
    C, H, W = c["C"], c["H"], c["W"]
    h = x.reshape(B, C, H, W)
    h = torch.relu(F.conv2d(h, p["enc.conv1.w"], p["enc.conv1.b"][0], stride=2, padding=1))
    h = torch.relu(F.conv2d(h, p["enc.conv2.w"], p["enc.conv2.b"][0], stride=2, padding=1))
    h = torch.relu(h.reshape(B, -1) @ p["enc.fc.w"] + p["enc.fc.b"])
    heads = h @ p["heads.w"] + p["heads.b"]

    mu_s, logvar_s = heads[:, 0:DS], heads[:, DS:2 * DS]
    mu_c_all = heads[:, 2 * DS:2 * DS + K * DC].reshape(B, K, DC)
    logvar_c_all = heads[:, 2 * DS + K * DC:2 * DS + 2 * K * DC].reshape(B, K, DC)
    logits = heads[:, 2 * DS + 2 * K * DC:]
    rows = torch.arange(B)
    mu_c, logvar_c = mu_c_all[rows, y], logvar_c_all[rows, y]
    z_s = mu_s + torch.exp(0.5 * logvar_s) * eps[:, :DS]
    z_c = mu_c + torch.exp(0.5 * logvar_c) * eps[:, DS:]
    onehot = F.one_hot(y, K).to(torch.float64)
    dec_in = torch.cat([z_s, (onehot.unsqueeze(2) * z_c.unsqueeze(1)).reshape(B, K * DC), onehot], dim=1)

    d = torch.relu(dec_in @ p["dec.fc1.w"] + p["dec.fc1.b"])
    d = torch.relu(d @ p["dec.fc2.w"] + p["dec.fc2.b"]).reshape(B, c["c2"], H // 4, W // 4)
    d = torch.relu(F.conv_transpose2d(d, p["dec.deconv1.w"], p["dec.deconv1.b"][0], stride=2, padding=1))
    logits_x = F.conv_transpose2d(d, p["dec.deconv2.w"], p["dec.deconv2.b"][0], stride=2, padding=1).reshape(B, -1)

    rec = F.binary_cross_entropy_with_logits(logits_x, x, reduction="none").sum(1)
    kl_s = 0.5 * (mu_s ** 2 + torch.exp(logvar_s) - 1 - logvar_s).sum(1)
    kl_c = 0.5 * (mu_c ** 2 + torch.exp(logvar_c) - 1 - logvar_c).sum(1)
    ce = -F.log_softmax(logits, dim=1)[rows, y]
    loss = (rec + kl_s + BETA_C * kl_c + ALPHA * ce).mean()
    return {"rec": rec, "kl_s": kl_s, "kl_c": kl_c, "ce": ce}, loss, heads, logits_x


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def fd_check(c, params, x, y, eps):
    for p in params.values():
        p.grad = None
    forward(c, params, x, y, eps)[1].backward()
    h, worst, checked = 1e-6, 0.0, 0
    with torch.no_grad():
        for name in ("enc.conv1.w", "enc.conv2.w", "enc.conv2.b", "dec.deconv1.w", "dec.deconv2.w", "dec.deconv2.b"):
            p = params[name].view(-1)
            for i in (0, p.numel() // 2, p.numel() - 1):
                old = p[i].item()
                p[i] = old + h
                lp = forward(c, params, x, y, eps)[1].item()
                p[i] = old - h
                lm = forward(c, params, x, y, eps)[1].item()
                p[i] = old
                num, ana = (lp - lm) / (2 * h), params[name].grad.view(-1)[i].item()
                worst = max(worst, abs(num - ana))
                assert abs(num - ana) < 1e-6 * max(1.0, abs(ana)), f"FD mismatch {name}[{i}]: fd={num} autograd={ana}"
                checked += 1
    for p in params.values():
        p.grad = None
    print(f"finite-difference check passed on {checked} entries (max abs err {worst:.2e})")


def make(case, index):
    c = CASES[case]
    torch.manual_seed(4321 + index)
    params = init_params(c)
    names = list(params)
    x = torch.rand(B, c["C"] * c["H"] * c["W"])
    y = torch.tensor(LABELS, dtype=torch.long)
    eps = torch.randn(B, DS + DC)
    eps_steps = [torch.randn(B, DS + DC) for _ in range(ADAM_STEPS)]
    init = {n: params[n].detach().clone() for n in names}
    fd_check(c, params, x, y, eps)

    terms, loss, heads, logits_x = forward(c, params, x, y, eps)
    loss.backward()
    means = {k: v.mean().item() for k, v in terms.items()}
    grads = {n: flat(params[n].grad) for n in names}

    ap = {n: init[n].clone().requires_grad_() for n in names}
    opt = torch.optim.Adam([ap[n] for n in names], lr=LR, betas=(0.9, 0.999), eps=1e-8)
    losses = []
    for t in range(ADAM_STEPS):
        opt.zero_grad()
        l = forward(c, ap, x, y, eps_steps[t])[1]
        l.backward()
        losses.append(l.item())
        opt.step()

    out = {
        "config": {**c, "K": K, "ds": DS, "dc": DC, "B": B, "beta_c": BETA_C, "alpha": ALPHA, "lr": LR},
        "params": {n: {"shape": list(init[n].shape), "data": flat(init[n])} for n in names},
        "x": flat(x), "labels": LABELS, "eps": flat(eps),
        "heads": flat(heads), "logits_x": flat(logits_x),
        "terms": {**means, "loss": loss.item()},
        "grads": grads,
        "adam": {"eps_steps": [flat(e) for e in eps_steps], "losses": losses,
                 "final_params": {n: flat(ap[n]) for n in names}},
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"conv_{case}.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")
    print(f"{case}: wrote {path}; terms {json.dumps(out['terms'])}; adam losses {losses}")


def main():
    print(f"torch {torch.__version__}")
    for index, case in enumerate(CASES):
        make(case, index)


if __name__ == "__main__":
    main()
