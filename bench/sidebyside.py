"""What bench/compare (speed) and bench/quality (model quality) share: where nvae and its PyTorch peer
live, how a tool is run with its command recorded for the report, and how the machine is described.
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NVAE = os.path.join(ROOT, "nvae")
PEER = os.path.join(ROOT, "bench", "peer", "nvae_torch.py")
DATA = "/usr/share/datasets/fashion-mnist"
PY = "/usr/bin/python3"


class Runner:
    """Runs the tools of one report and remembers each distinct command line, for the report's record."""

    def __init__(self, name):
        self.name = name
        self.commands = []

    def die(self, msg):
        print(f"{self.name}: {msg}", file=sys.stderr)
        sys.exit(2)

    def log(self, msg):
        print(f"{self.name}: {msg}", file=sys.stderr, flush=True)

    def run(self, cmd, env=None, record=True):
        """Runs cmd in the repository; returns (stdout, wall seconds, peak RSS MB of that process, from wait4)."""
        if record:
            shown = " ".join(shlex.quote(c) for c in cmd)
            if env:
                shown = " ".join(f"{k}={v}" for k, v in env.items()) + " " + shown
            if shown not in self.commands:
                self.commands.append(shown)
        full_env = dict(os.environ)
        full_env.update(env or {})
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=out, stderr=err, env=full_env, cwd=ROOT)
            _, status, usage = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
            out.seek(0)
            err.seek(0)
            if os.waitstatus_to_exitcode(status) != 0:
                self.die(f"{cmd[0]} failed ({os.waitstatus_to_exitcode(status)}): "
                         f"{err.read().decode(errors='replace').strip()[-2000:]}")
            return out.read().decode(), wall, usage.ru_maxrss / 1024.0

    def seeds(self, text, flag="--seeds"):
        """'0-9' or '0,3,5' or '0-4,7' as a list of seed numbers; anything else ends the run with one line."""
        seeds = []
        for part in filter(None, text.split(",")):
            lo, _, hi = part.partition("-")
            try:
                seeds.extend(range(int(lo), int(hi or lo) + 1))
            except ValueError:
                self.die(f"{flag} {text!r}: not a list of seeds such as 0-9 or 0,3,5")
        return seeds

    def require_peer_and_data(self, py=PY, data=DATA):
        try:
            has_torch = subprocess.run([py, "-c", "import torch"], capture_output=True).returncode == 0
        except OSError:
            has_torch = False
        if not has_torch:
            self.die(f"{py} cannot import torch: apt-get install -y python3-torch libopenblas0-pthread")
        if not os.path.isdir(data):
            self.die(f"{data} not found: apt-get install -y dataset-fashion-mnist")

    def java(self):
        """The JDK 25 java the launcher uses."""
        out = subprocess.run([NVAE, "jdk"], capture_output=True, text=True)
        if out.returncode != 0 or not out.stdout.strip():
            self.die("no JDK 25 found (see ./nvae)")
        return os.path.join(out.stdout.strip(), "bin", "java")


def json_lines(text):
    return [json.loads(l) for l in text.splitlines() if l.startswith("{")]


def peer_env(torch_threads, blas_threads):
    return {"OPENBLAS_NUM_THREADS": str(blas_threads), "OMP_NUM_THREADS": str(torch_threads)}


def machine(java, torch=True, python=PY):
    """One line: CPU model, cores, the SIMD flags that matter, the JDK and (with torch) PyTorch versions."""
    cpu = subprocess.run(["bash", "-c", "lscpu | sed -n 's/^Model name: *//p'; nproc; grep -o -w -E 'avx2|avx512f|avx512_bf16|amx_tile' /proc/cpuinfo | sort -u | tr '\\n' ' '"],
                         capture_output=True, text=True).stdout.split("\n")
    jdk = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    line = f"{cpu[0]}, {cpu[1]} cores, flags of interest: {cpu[2].strip() or 'none'}; {jdk}"
    if not torch:
        return line
    torch_v = subprocess.run([python, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True).stdout.strip()
    return f"{line}; PyTorch {torch_v} " + ("(Debian, OpenBLAS)" if python == PY else f"({python})")


class Results:
    """A report's results file, {part: {key: value}}, rewritten atomically after every run so that a long
    run that stops keeps what it measured and a rerun repeats only what is missing."""

    def __init__(self, path, fresh):
        self.path = path
        self.data = {}
        if os.path.exists(path) and not fresh:
            try:
                with open(path) as f:
                    self.data = json.load(f)
            except (OSError, ValueError) as e:
                sys.exit(f"{path}: not a results file ({e}); give another --results or --fresh")
            if not isinstance(self.data, dict):
                sys.exit(f"{path}: not a results file (no JSON object); give another --results or --fresh")

    def get(self, part, key):
        return self.data.get(part, {}).get(str(key))

    def put(self, part, key, value):
        self.data.setdefault(part, {})[str(key)] = value
        write_atomically(self.path, json.dumps(self.data, indent=1))


def write_atomically(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
