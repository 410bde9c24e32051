#!/usr/bin/python3
"""The peer: the reference `mlp` N-VAE (docs/MODEL.md#1-n-vae, README's architecture) in PyTorch, measured the way bench/compare
measures nvae. Debian's python3-torch (1.13, OpenBLAS) lives in the system python, hence /usr/bin/python3.

    /usr/bin/python3 bench/peer/nvae_torch.py train   --data DIR [--epochs E | --steps N --warmup W] [--seed S]
    /usr/bin/python3 bench/peer/nvae_torch.py decode  --model M.safetensors --batch 1000 [--seconds T]
    /usr/bin/python3 bench/peer/nvae_torch.py latency --model M.safetensors [--calls N]
    /usr/bin/python3 bench/peer/nvae_torch.py sample  --model M.safetensors --n 10000 --out X.npy
    python3 bench/peer/nvae_torch.py --device cuda train|decode|latency|sample ...   (on a GPU machine)

Each prints one JSON line on stdout, naming the device it ran on. Thread settings come from the caller (torch.set_num_threads via
--torch-threads, OpenBLAS via the OPENBLAS_NUM_THREADS environment variable), so the driver can search
for the peer's fastest setting.

The model is exactly nvae's: encoder D->512->256 (ReLU), one heads layer 256 -> [mu_s | logvar_s |
mu_c (K blocks) | logvar_c (K blocks) | logits], decoder [z_s | E(y, z_c) | onehot(y)] -> 256 -> 512 -> D
(ReLU, logits), loss mean over the batch of BCE-with-logits summed over D + KL_s + beta_c KL_c^y
- alpha log q(y|x), one reparameterised sample, Adam lr 1e-3, batch 128. The data stays uint8 and is
converted per batch, as nvae does. decode/latency/sample load the weights of an nvae model file
(safetensors, weights stored (in, out)), so both sides decode the same network.

--device cuda puts the model, the whole data set (uint8, as on the CPU) and every noise draw on the GPU;
the epoch order is still drawn on the CPU from the seeded generator, so a cuda run visits the examples in
the order a cpu run does. Every clock reading waits for the GPU first (torch.cuda.synchronize), else it
would time the kernel launches, not the work. Matmuls and convolutions run in full fp32 (TF32 off), as
nvae computes, and the JSON says so.
"""
import argparse
import gzip
import json
import os
import resource
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

DS, DC, H1, H2 = 8, 4, 512, 256


DEVICE = torch.device("cpu")   # set once by main() from --device


def sync():
    """Waits for the device's queued work, so that a clock read after it times the work itself."""
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()


def device_info():
    """The device fields of every JSON line."""
    info = {"device": DEVICE.type}
    if DEVICE.type == "cuda":
        info.update(gpu=torch.cuda.get_device_name(DEVICE), cuda=torch.version.cuda,
                    tf32=torch.backends.cuda.matmul.allow_tf32 or torch.backends.cudnn.allow_tf32)
    return info


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    ndims = raw[3]
    dims = struct.unpack(">" + "I" * ndims, raw[4:4 + 4 * ndims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndims).reshape(dims)


def find(data_dir, stem):
    for name in (stem, stem + ".gz"):
        p = os.path.join(data_dir, name)
        if os.path.exists(p):
            return p
    sys.exit(f"nvae_torch: {data_dir}: no {stem}[.gz]")


class Mlp(torch.nn.Module):
    """The reference mlp bodies: encoder D -> 512 -> 256 (ReLU), decoder Z -> 256 -> 512 -> D."""

    def __init__(self, d, heads, z):
        super().__init__()
        self.enc1 = torch.nn.Linear(d, H1)
        self.enc2 = torch.nn.Linear(H1, H2)
        self.heads = torch.nn.Linear(H2, heads)
        self.dec1 = torch.nn.Linear(z, H2)
        self.dec2 = torch.nn.Linear(H2, H1)
        self.dec3 = torch.nn.Linear(H1, d)

    def encode(self, x):
        return self.heads(F.relu(self.enc2(F.relu(self.enc1(x)))))

    def decode(self, dec_in):
        return self.dec3(F.relu(self.dec2(F.relu(self.dec1(dec_in)))))


class Conv(torch.nn.Module):
    """The conv bodies: conv 4x4/s2/p1 C->32 ReLU, conv 32->64 ReLU, flatten, dense -> 256 ReLU, heads;
    decoder dense -> 256 ReLU, dense -> 64*(H/4)*(W/4) ReLU, reshape, transposed conv 64->32 ReLU,
    transposed conv 32->C (logits). Images are flattened CHW rows, as nvae's."""

    def __init__(self, shape, heads, z, channels=(32, 64), hidden=256):
        super().__init__()
        c, h, w = shape
        c1, c2 = channels
        self.shape, self.inner = shape, (c2, h // 4, w // 4)
        flat = c2 * (h // 4) * (w // 4)
        self.enc = torch.nn.ModuleDict(dict(conv1=torch.nn.Conv2d(c, c1, 4, 2, 1), conv2=torch.nn.Conv2d(c1, c2, 4, 2, 1),
                                            fc=torch.nn.Linear(flat, hidden)))
        self.heads = torch.nn.Linear(hidden, heads)
        self.dec = torch.nn.ModuleDict(dict(fc1=torch.nn.Linear(z, hidden), fc2=torch.nn.Linear(hidden, flat),
                                            deconv1=torch.nn.ConvTranspose2d(c2, c1, 4, 2, 1),
                                            deconv2=torch.nn.ConvTranspose2d(c1, c, 4, 2, 1)))

    def encode(self, x):
        e = self.enc
        h = F.relu(e.conv2(F.relu(e.conv1(x.reshape(-1, *self.shape)))))
        return self.heads(F.relu(e.fc(h.flatten(1))))

    def decode(self, dec_in):
        d = self.dec
        h = F.relu(d.fc2(F.relu(d.fc1(dec_in)))).reshape(-1, *self.inner)
        return d.deconv2(F.relu(d.deconv1(h))).flatten(1)


class NVae(torch.nn.Module):
    def __init__(self, d, k, arch="mlp", shape=None):
        super().__init__()
        self.d, self.k = d, k
        heads, z = 2 * DS + 2 * k * DC + k, DS + k * DC + k
        self.net = Conv(shape, heads, z) if arch == "conv" else Mlp(d, heads, z)

    def decode(self, dec_in):
        return self.net.decode(dec_in)

    def decoder_input(self, z_s, z_c, y):
        b = y.shape[0]
        e = torch.zeros(b, self.k, DC, dtype=z_c.dtype, device=z_c.device)
        e[torch.arange(b, device=y.device), y] = z_c
        return torch.cat([z_s, e.reshape(b, self.k * DC), F.one_hot(y, self.k).to(z_c.dtype)], dim=1)

    def loss(self, x, y):
        k = self.k
        h = self.net.encode(x)
        mu_s, lv_s = h[:, :DS], h[:, DS:2 * DS]
        o = 2 * DS
        mu_c = h[:, o:o + k * DC].reshape(-1, k, DC)
        lv_c = h[:, o + k * DC:o + 2 * k * DC].reshape(-1, k, DC)
        logits = h[:, o + 2 * k * DC:]
        idx = torch.arange(x.shape[0], device=x.device)
        mu_cy, lv_cy = mu_c[idx, y], lv_c[idx, y]
        z_s = mu_s + torch.exp(0.5 * lv_s) * torch.randn_like(mu_s)
        z_c = mu_cy + torch.exp(0.5 * lv_cy) * torch.randn_like(mu_cy)
        logits_x = self.decode(self.decoder_input(z_s, z_c, y))
        rec = F.binary_cross_entropy_with_logits(logits_x, x, reduction="none").sum(1)
        kl_s = 0.5 * (mu_s ** 2 + lv_s.exp() - 1 - lv_s).sum(1)
        kl_c = 0.5 * (mu_cy ** 2 + lv_cy.exp() - 1 - lv_cy).sum(1)
        ce = F.cross_entropy(logits, y, reduction="none")
        return (rec + kl_s + kl_c + ce).mean(), logits


def load_model(path):
    """An nvae model file: safetensors header, F32 tensors; linear weights stored (in, out), so transposed
    into nn.Linear; convolution kernels stored as PyTorch's Conv2d / ConvTranspose2d weights."""
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    config = json.loads(header["__metadata__"]["nvae.config"])
    c = config.get("channels", 1)
    d, k = c * config["height"] * config["width"], config["numClasses"]
    arch = config["arch"]
    if (config["ds"], config["dc"]) != (DS, DC) or (arch == "mlp" and (config["hidden1"], config["hidden2"]) != (H1, H2)) \
            or (arch == "conv" and (config["hidden1"], config["convChannels"]) != (256, [32, 64])):
        sys.exit(f"nvae_torch: {path}: not a reference model (ds {DS}, dc {DC}, mlp {H1}/{H2} or conv 32,64/256)")
    model = NVae(d, k, arch, (c, config["height"], config["width"]))
    base = 8 + n
    with torch.no_grad():
        for name, module in model.net.named_modules():
            if not isinstance(module, (torch.nn.Linear, torch.nn.Conv2d, torch.nn.ConvTranspose2d)):
                continue
            for part, param in (("w", module.weight), ("b", module.bias)):
                meta = header[f"{name}.{part}"]
                a, b = meta["data_offsets"]
                t = torch.from_numpy(np.frombuffer(raw, dtype="<f4", count=(b - a) // 4, offset=base + a).copy())
                t = t.reshape(meta["shape"])
                param.copy_(t.T if part == "w" and isinstance(module, torch.nn.Linear) else t)
    return model.to(DEVICE).eval()


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cmd_train(a):
    torch.manual_seed(a.seed)
    raw = read_idx(find(a.data, "train-images-idx3-ubyte"))
    images = torch.from_numpy(raw.copy()).to(DEVICE)
    labels = torch.from_numpy(read_idx(find(a.data, "train-labels-idx1-ubyte")).astype(np.int64)).to(DEVICE)
    n = images.shape[0]
    images = images.reshape(n, -1)
    k = int(labels.max()) + 1
    model = NVae(images.shape[1], k, a.arch, (1,) + tuple(raw.shape[1:])).to(DEVICE)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = 128

    def step(idx):
        x = images[idx].float().div_(255.0)
        loss, _ = model.loss(x, labels[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    out = {"peer": "pytorch", "torch": torch.__version__, "torch_threads": torch.get_num_threads(),
           "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", ""), **device_info()}
    if a.steps:
        order = torch.randperm(n).to(DEVICE)
        pos = 0

        def next_idx():
            nonlocal order, pos
            if pos + batch > n:
                order, pos = torch.randperm(n).to(DEVICE), 0
            pos += batch
            return order[pos - batch:pos]

        for _ in range(a.warmup):
            step(next_idx())
        sync()
        t0 = time.perf_counter()
        for _ in range(a.steps):
            step(next_idx())
        sync()
        secs = time.perf_counter() - t0
        out.update(examples_per_s=a.steps * batch / secs, steps=a.steps, seconds=secs)
    else:
        epochs = []
        for e in range(a.epochs):
            order = torch.randperm(n).to(DEVICE)
            sync()
            t0 = time.perf_counter()
            for s in range(0, n, batch):
                step(order[s:s + batch])
            sync()
            epochs.append(n / (time.perf_counter() - t0))
        out.update(examples_per_s=epochs[-1], epochs=epochs)
        if a.evaluate:
            timages = torch.from_numpy(read_idx(find(a.data, "t10k-images-idx3-ubyte")).copy()).reshape(-1, images.shape[1]).to(DEVICE)
            tlabels = torch.from_numpy(read_idx(find(a.data, "t10k-labels-idx1-ubyte")).astype(np.int64)).to(DEVICE)
            with torch.no_grad():
                x = timages.float() / 255.0
                loss, logits = model.loss(x, tlabels)
                # neg_elbo excludes the classifier term: recompute it from the loss pieces.
                ce = F.cross_entropy(logits, tlabels)
                out.update(test_neg_elbo=float(loss - ce), test_accuracy=float((logits.argmax(1) == tlabels).float().mean()))
    out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out), flush=True)


def prior_inputs(model, batch, gen):
    z_s = torch.randn(batch, DS, generator=gen, device=DEVICE)
    z_c = torch.randn(batch, DC, generator=gen, device=DEVICE)
    y = torch.arange(batch, device=DEVICE) % model.k
    return model.decoder_input(z_s, z_c, y)


def generator():
    """The seeded noise stream of decode, latency and sample, on the device that draws it."""
    return torch.Generator(device=DEVICE).manual_seed(0)


def cmd_decode(a):
    model = load_model(a.model)
    gen = generator()
    with torch.no_grad():
        dec_in = prior_inputs(model, a.batch, gen)
        for _ in range(5):
            torch.sigmoid(model.decode(dec_in))
        sync()
        done, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < a.seconds:
            # Fresh latents every batch, as sampling does.
            dec_in = prior_inputs(model, a.batch, gen)
            torch.sigmoid(model.decode(dec_in))
            done += a.batch
        sync()
        secs = time.perf_counter() - t0
    print(json.dumps({"peer": "pytorch", "batch": a.batch, "samples_per_s": done / secs,
                      "torch_threads": torch.get_num_threads(), **device_info()}), flush=True)


def cmd_latency(a):
    model = load_model(a.model)
    gen = generator()
    times = []
    with torch.no_grad():
        dec_in = prior_inputs(model, 1, gen)
        for _ in range(200):
            torch.sigmoid(model.decode(dec_in))
        sync()
        for _ in range(a.calls):
            t0 = time.perf_counter_ns()
            torch.sigmoid(model.decode(dec_in))
            sync()
            times.append(time.perf_counter_ns() - t0)
    times.sort()
    print(json.dumps({"peer": "pytorch", "median_us": times[len(times) // 2] / 1e3,
                      "p10_us": times[len(times) // 10] / 1e3, "p90_us": times[9 * len(times) // 10] / 1e3,
                      **device_info()}), flush=True)


def cmd_sample(a):
    """What `nvae sample --n N --format npy` does: N prior samples, all classes in turn, to X.npy + X-labels.npy."""
    model = load_model(a.model)
    gen = generator()
    with torch.no_grad():
        y = torch.arange(a.n, device=DEVICE) % model.k
        dec_in = model.decoder_input(torch.randn(a.n, DS, generator=gen, device=DEVICE),
                                     torch.randn(a.n, DC, generator=gen, device=DEVICE), y)
        images = torch.cat([torch.sigmoid(model.decode(dec_in[i:i + 1000])) for i in range(0, a.n, 1000)])
    np.save(a.out, images.cpu().numpy())
    np.save(a.out[:-4] + "-labels.npy" if a.out.endswith(".npy") else a.out + "-labels.npy", y.cpu().numpy())
    print(json.dumps({"peer": "pytorch", "n": a.n, **device_info()}), flush=True)


def refuse_reference_blas():
    """Debian's PyTorch multiplies through libblas.so.3: without OpenBLAS installed that is the netlib reference
    BLAS, 15-40x slower (a session measured 646 training examples/s against ~9,300), which would make every
    ratio against this peer meaningless; so the peer refuses to run on it."""
    torch.ones(64, 64) @ torch.ones(64, 64)  # loads the BLAS
    with open("/proc/self/maps") as maps:
        reference = sorted({line.split()[-1] for line in maps if "/blas/libblas.so" in line})
    if reference:
        sys.exit(f"nvae_torch: PyTorch multiplies with the reference BLAS ({reference[0]}); install OpenBLAS "
                 "(apt-get install libopenblas0-pthread) so the peer runs at its speed")


class Parser(argparse.ArgumentParser):
    """argparse whose refusal of a bad command line is one line: the reason and where the options are listed."""

    def error(self, message):
        self.exit(2, f"{self.prog}: {message} ({self.prog.split()[0]} --help lists the options)\n")


def main():
    p = Parser(prog="bench/peer/nvae_torch.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--torch-threads", type=int, default=1)
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                   help="where the model, data and noise live (default cpu); cuda: the first GPU")
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--data", required=True)
    t.add_argument("--epochs", type=int, default=1)
    t.add_argument("--steps", type=int, default=0)
    t.add_argument("--warmup", type=int, default=30)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--evaluate", action="store_true")
    t.add_argument("--arch", choices=("mlp", "conv"), default="mlp")
    d = sub.add_parser("decode")
    d.add_argument("--model", required=True)
    d.add_argument("--batch", type=int, default=1000)
    d.add_argument("--seconds", type=float, default=3.0)
    l = sub.add_parser("latency")
    l.add_argument("--model", required=True)
    l.add_argument("--calls", type=int, default=5000)
    s = sub.add_parser("sample")
    s.add_argument("--model", required=True)
    s.add_argument("--n", type=int, default=10000)
    s.add_argument("--out", required=True)
    a = p.parse_args()
    torch.set_num_threads(a.torch_threads)
    global DEVICE
    DEVICE = torch.device(a.device)
    if DEVICE.type == "cpu":
        refuse_reference_blas()
    if DEVICE.type == "cuda":
        if not torch.cuda.is_available():
            sys.exit("nvae_torch: --device cuda: no CUDA device visible to PyTorch " + torch.__version__)
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    {"train": cmd_train, "decode": cmd_decode, "latency": cmd_latency, "sample": cmd_sample}[a.cmd](a)


if __name__ == "__main__":
    main()
