#!/usr/bin/env python3
"""bench/cuda/device-check's bookkeeping (standard library only: it runs on the GPU machine's python3).

    collect.py WORK MANIFEST RESULTS.json ELAPSED_S   reads WORK/steps/NN-name/{label,command,status,rc,wall,
                                                      stdout,stderr,reason} and writes RESULTS.json (atomically)
    collect.py --summary RESULTS.json                 prints one line per step with its main figures

The figures of a step are read from what its tool printed: nvae train's per-epoch JSON lines, evaluate
--json's object, the peer's JSON line, bench's Measure line, the JUnit console launcher's summary; a
sample step's samples/s is its count over the whole process's wall time.
"""
import json
import os
import re
import sys


def read(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return default


def json_lines(text):
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def settings_samples(work):
    try:
        return json.loads(read(os.path.join(work, "settings.json"), "{}")).get("samples")
    except ValueError:
        return None


def figures(name, stdout, wall, samples):
    """The figures of one finished step, by the kind its name says."""
    kind = re.sub(r"^conv-", "", name)
    lines = json_lines(stdout)
    f = {}
    if kind.startswith("train-"):
        epochs = [e for e in lines if "epoch" in e]
        if epochs:
            f["epochs"] = len(epochs)
            f["examples_per_s"] = [e.get("examples_per_s") for e in epochs]
            f["last_epoch_examples_per_s"] = epochs[-1].get("examples_per_s")
            steady = [e.get("examples_per_s") for e in epochs[1:]] or [epochs[0].get("examples_per_s")]
            f["mean_examples_per_s_after_first"] = sum(steady) / len(steady)
            f["train_seconds"] = sum(e.get("seconds", 0) for e in epochs)
            f["final_loss"] = epochs[-1].get("loss")
            f["final_train_accuracy"] = epochs[-1].get("accuracy")
    elif kind.startswith("eval-"):
        if lines:
            e = lines[-1]
            f.update({k: e.get(k) for k in ("examples", "neg_elbo", "rec", "kl_s", "kl_c", "ce", "accuracy")})
    elif kind.startswith("iw-"):
        if lines:
            e = lines[-1]
            f.update({k: e.get(k) for k in ("examples", "neg_elbo", "accuracy", "iwae_nll", "iw_samples")})
    elif kind == "encode-diff":
        if lines:
            f.update(lines[-1])
    elif kind == "peer-train":
        if lines:
            e = lines[-1]
            f.update({k: e[k] for k in ("device", "gpu", "torch", "cuda", "tf32", "epochs", "examples_per_s",
                                        "test_neg_elbo", "test_accuracy") if k in e})
            if isinstance(f.get("epochs"), list):
                f["examples_per_s_per_epoch"] = f.pop("epochs")
                steady = f["examples_per_s_per_epoch"][1:] or f["examples_per_s_per_epoch"]
                f["mean_examples_per_s_after_first"] = sum(steady) / len(steady)
    elif kind in ("sample-gpu", "peer-sample"):
        if samples and wall:
            f["n"] = samples
            f["samples_per_s"] = samples / wall
    elif kind.startswith("decode-") or kind == "peer-decode":
        if lines:
            e = lines[-1]
            f.update({k: e.get(k) for k in ("backend", "device", "gpu", "batch", "samples_per_s") if k in e})
    elif kind == "gpu":
        rows = [l for l in stdout.splitlines() if l.strip()]
        f["list"] = [l for l in rows if l.startswith("GPU ")]
        for l in rows:
            parts = [p.strip() for p in l.split(",")]
            if len(parts) == 4 and not l.startswith("GPU "):
                f.update(name=parts[0], driver=parts[1], memory=parts[2], compute_capability=parts[3])
                break
    elif kind == "cuda-libs":
        f["lines"] = [l for l in stdout.splitlines() if l.strip()][:60]
    elif kind == "cpu":
        rows = stdout.splitlines()
        if rows and rows[0].strip().isdigit():
            f["cores"] = int(rows[0])
        m = re.search(r"^(?:Model name|model name)\s*:\s*(.+)$", stdout, re.M)
        if m:
            f["model"] = m.group(1).strip()
    elif kind == "torch":
        if lines:
            f.update(lines[-1])
    elif kind == "info":
        for l in stdout.splitlines():
            if re.match(r"^\s+(cuda|auto|onednn|vector)\b", l):
                f[l.split()[0].rstrip(":")] = l.strip()
    elif kind == "junit":
        for label, key in (("tests successful", "successful"), ("tests failed", "failed"), ("tests skipped", "skipped"),
                           ("tests aborted", "aborted"), ("tests found", "found"), ("containers failed", "containers_failed")):
            m = re.search(r"\[\s*(\d+) " + label, stdout)
            if m:
                f[key] = int(m.group(1))
        # The failures' first lines, from the tree (ascii theme: "[X] name" then its message).
        f["failures"] = [l.strip() for l in stdout.splitlines() if "[X]" in l][:40]
    return f


def collect(work, manifest, out, elapsed):
    steps = []
    samples = settings_samples(work)
    sdir = os.path.join(work, "steps")
    for entry in sorted(os.listdir(sdir)) if os.path.isdir(sdir) else []:
        d = os.path.join(sdir, entry)
        name = entry.split("-", 1)[1]
        s = {"name": name, "label": read(os.path.join(d, "label")).strip(), "command": read(os.path.join(d, "command")).strip(),
             "status": read(os.path.join(d, "status"), "running").strip()}
        if s["status"] == "skipped":
            s["reason"] = read(os.path.join(d, "reason")).strip()
        elif s["status"] != "running":
            s["rc"] = int(read(os.path.join(d, "rc"), "-1").strip() or -1)
            s["wall_s"] = float(read(os.path.join(d, "wall"), "0").strip() or 0)
            stdout = read(os.path.join(d, "stdout"))
            try:
                s["figures"] = figures(name, stdout, s["wall_s"], samples) if s["status"] == "ok" or name in ("junit", "gpu", "info", "cuda-libs") else {}
            except Exception as e:  # a figure that cannot be read must not lose the others
                s["figures"] = {"unreadable": repr(e)}
            if s["status"] != "ok":
                err = read(os.path.join(d, "stderr"))
                lines = [l for l in err.splitlines() if l.strip() and "Using incubator modules" not in l]
                # The cause (a Java exception's first lines, "Caused by") and how it ended.
                causes = [l for l in lines if re.search(r"Exception|Error|Caused by|error:|^nvae", l) and not l.startswith("\tat ")][:8]
                tail = [l for l in lines[-12:] if l not in causes]
                s["error"] = "\n".join(causes + (["..."] if causes and tail else []) + tail)[-3000:]
        steps.append(s)
    man = {}
    for line in read(manifest).splitlines():
        key, _, value = line.partition(" ")
        if key in ("built", "commit", "describe", "changed", "jdk", "junit-platform", "modules"):
            man[key] = value
    try:
        settings = json.loads(read(os.path.join(work, "settings.json"), "{}"))
    except ValueError:
        settings = {}
    by = {s["name"]: s.get("figures", {}) for s in steps}
    machine = {"gpu": by.get("gpu", {}).get("name") or by.get("torch", {}).get("gpu"),
               "driver": by.get("gpu", {}).get("driver"), "gpu_memory": by.get("gpu", {}).get("memory"),
               "cpu": by.get("cpu", {}).get("model"), "cores": by.get("cpu", {}).get("cores"),
               "torch": by.get("torch", {}).get("torch"), "torch_cuda": by.get("torch", {}).get("cuda")}
    import datetime
    result = {"script": "bench/cuda/device-check", "written": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
              "elapsed_s": float(elapsed), "settings": settings, "pack": man, "machine": machine, "steps": steps}
    tmp = out + ".part"
    with open(tmp, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    os.replace(tmp, out)


def fmt(v):
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def summary(path):
    r = json.loads(read(path))
    print(f"machine: {r['machine']}")
    keys = ("successful", "failed", "skipped", "cuda", "neg_elbo", "accuracy", "test_neg_elbo", "test_accuracy",
            "last_epoch_examples_per_s", "examples_per_s", "samples_per_s", "name", "driver")
    for s in r["steps"]:
        f = s.get("figures", {})
        shown = ", ".join(f"{k} {fmt(f[k])}" for k in keys if k in f and not isinstance(f[k], list))
        wall = f" {s['wall_s']:.1f} s" if "wall_s" in s else ""
        print(f"  {s['name']:<18} {s['status']:<8}{wall}  {shown or s.get('reason', '')}")


def main():
    if sys.argv[1:] in (["--help"], ["-h"]):
        print(__doc__.strip())
    elif len(sys.argv) == 3 and sys.argv[1] == "--summary":
        summary(sys.argv[2])
    elif len(sys.argv) == 5:
        collect(*sys.argv[1:])
    else:
        sys.exit("collect.py: give WORK MANIFEST RESULTS.json ELAPSED_S, or --summary RESULTS.json (collect.py --help)")


if __name__ == "__main__":
    main()
