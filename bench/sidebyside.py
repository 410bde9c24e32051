"""What the bench scripts share: where nvae and its PyTorch peer live, how a tool is run with its command
recorded for the report (as it runs from the repository root of any clone), how a bad command line is
refused (one line), how the machine is described, and how a report's figures are read back from the page.
"""
import argparse
import atexit
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NVAE = os.path.join(ROOT, "nvae")
PEER = os.path.join(ROOT, "bench", "peer", "nvae_torch.py")
DATA = "/usr/share/datasets/fashion-mnist"
PY = "/usr/bin/python3"


def shown(cmd, env=None):
    """A command line as a report lists it: paths inside the repository relative to its root (the tools run
    there), so that the line runs again from any clone, not only from the checkout that measured."""
    def rel(c):
        c = str(c)
        if c == NVAE:
            return "./nvae"
        return os.path.relpath(c, ROOT) if c.startswith(ROOT + os.sep) else c
    # A placeholder of a report's command templates ($S, $WORK/model.safetensors) stays one for the shell.
    line = " ".join(c if re.fullmatch(r"\$[A-Z]+(/[\w.-]+)?", c) else shlex.quote(c) for c in map(rel, cmd))
    if env:
        line = " ".join(f"{k}={v}" for k, v in env.items()) + " " + line
    return line


class Parser(argparse.ArgumentParser):
    """argparse, but a bad command line ends with one line on stderr (the script, the reason, where the
    options are listed) and exit code 2, like nvae's own commands, not with the usage block first."""

    def error(self, message):
        self.exit(2, f"{self.prog}: {message} (bench/{self.prog} --help lists the options)\n")


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
            line = shown(cmd, env)
            if line not in self.commands:
                self.commands.append(line)
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


def scratch(prefix, dir=None):
    """A new scratch directory for a run's models and samples, removed with all it holds when the script
    ends, however it ends (finished, refused, a tool failed, Ctrl-C): a failed run leaves nothing behind."""
    path = tempfile.mkdtemp(prefix=prefix, dir=dir)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def json_lines(text):
    return [json.loads(l) for l in text.splitlines() if l.startswith("{")]


def peer_env(torch_threads, blas_threads):
    return {"OPENBLAS_NUM_THREADS": str(blas_threads), "OMP_NUM_THREADS": str(torch_threads)}


def cpu_family():
    """' (family F, model M)' from /proc/cpuinfo, as `nvae info` gives it: a virtual machine's model name is often
    a bare "AMD EPYC", and these numbers tell Zen 3/4 (AMD family 25) from Zen 5 (26), one Intel core from another."""
    fields = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields.setdefault(key.strip(), value.strip())
                if not line.strip():
                    break
    except OSError:
        return ""
    if "cpu family" not in fields or "model" not in fields:
        return ""
    return f" (family {fields['cpu family']}, model {fields['model']})"


def machine(java, torch=True, python=PY):
    """One line: CPU model, cores, the SIMD flags that matter, the JDK and (with torch) PyTorch versions."""
    cpu = subprocess.run(["bash", "-c", "lscpu | sed -n 's/^Model name: *//p'; nproc; grep -o -w -E 'avx2|avx512f|avx512_bf16|amx_tile' /proc/cpuinfo | sort -u | tr '\\n' ' '"],
                         capture_output=True, text=True).stdout.split("\n")
    jdk = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    line = f"{cpu[0]}{cpu_family()}, {cpu[1]} cores, flags of interest: {cpu[2].strip() or 'none'}; {jdk}"
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


def earlier_report(path):
    """What a report page written by one of these scripts holds for rewriting it without measuring again:
    (the JSON object of its "Every value measured" block, the date and time of its "Made by" line, its
    Machine line without the final full stop). For a page whose results file is gone; the figures are the
    page's own, read back as they were printed."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        sys.exit(f"{path}: cannot read the report ({e.strerror})")
    block = re.search(r"^## Every value measured\n\n```json\n(.*?)\n```$", text, re.S | re.M)
    made = re.search(r"^Made by .*?(\d{4}-\d{2}-\d{2} \d{2}:\d{2})", text, re.M)
    mach = re.search(r"^Machine: (.*)\.$", text, re.M)
    if not (block and made and mach):
        sys.exit(f"{path}: not a report with a Made by line, a Machine line and an 'Every value measured' block")
    return json.loads(block.group(1)), made.group(1), mach.group(1)


def seed_list(seeds):
    """[0, 1, 2, 4] as '0-2,4', the form --seeds takes."""
    seeds, parts, i = sorted(set(int(s) for s in seeds)), [], 0
    while i < len(seeds):
        j = i
        while j + 1 < len(seeds) and seeds[j + 1] == seeds[j] + 1:
            j += 1
        parts.append(str(seeds[i]) if i == j else f"{seeds[i]}-{seeds[j]}")
        i = j + 1
    return ",".join(parts)


def write_atomically(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
