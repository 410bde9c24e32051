#!/usr/bin/python3
"""Checks safetensors files against the reading rules of the reference implementation, and writes a file's
tensors again the way the reference writer lays them out. Standard library only: the `safetensors` package
is not needed (nor, here, installable), so its rules are restated from huggingface/safetensors
safetensors/src/tensor.rs (SafeTensors::read_metadata, HashMetadata, Metadata::validate, Dtype, prepare):

    /usr/bin/python3 bench/peer/safetensors_check.py check FILE...     # one line per file; exit 1 if any fails
    /usr/bin/python3 bench/peer/safetensors_check.py upstream IN OUT   # IN's tensors and metadata, upstream's layout

Rules of `check` (R1..R10, named in each refusal):
  R1  the file starts with an 8-byte little-endian unsigned header length N
  R2  N <= 100,000,000 (MAX_HEADER_SIZE) and 8 + N <= the file's size
  R3  the N header bytes are UTF-8
  R4  they are one JSON object (serde_json::from_str: surrounding JSON whitespace allowed, nothing else after it)
  R5  `__metadata__`, if present, is null or an object of string to string
  R6  every other key maps to an object with dtype (a Dtype name), shape (non-negative integers) and
      data_offsets (two non-negative integers); other fields are ignored, as serde ignores them
  R7  sorted by data_offsets, the tensors start at 0 and each begins where the previous ends (begin <= end)
  R8  end - begin == product(shape) * bits(dtype) / 8, the bits a whole number of bytes
  R9  8 + N + the last end == the file's size (no byte outside a tensor)
  R10 no key occurs twice in one JSON object (serde keeps the last of a repeated tensor name, so the first's
      bytes belong to no tensor: refused here outright)
Beyond the reader, what the reference writer does and files meant to travel should too (W1, W2):
  W1  N is a multiple of 8, the padding spaces after the JSON (the data section 8-byte aligned)
  W2  the header has no leading whitespace (the reference writer writes none; its reader accepts it)
and, for `safetensors.numpy.load_file` in particular (numpy.py _TYPES):
  NP  every dtype is one numpy knows without ml_dtypes: BF16 and the F8/F6/F4 types need ml_dtypes or torch
      (reported, not a failure: the file is valid)
"""
import json
import struct
import sys

MAX_HEADER_SIZE = 100_000_000
BITS = {
    "BOOL": 8, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8,
    "F8_E8M0": 8, "F8_E4M3FNUZ": 8, "F8_E5M2FNUZ": 8, "I16": 16, "U16": 16, "F16": 16, "BF16": 16,
    "I32": 32, "U32": 32, "F32": 32, "C64": 64, "F64": 64, "I64": 64, "U64": 64,
}
# The reference writer's order: descending Dtype (the enum's declaration order above), then name.
DTYPE_ORDER = list(BITS)
NUMPY_PLAIN = {"F64", "F32", "F16", "I64", "U64", "I32", "U32", "I16", "U16", "I8", "U8", "BOOL", "C64"}
JSON_WS = b" \t\n\r"


class Refused(Exception):
    pass


def _no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise Refused("R10 duplicate key %r" % k)
        seen[k] = v
    return seen


def _naturals(value, length=None):
    return (isinstance(value, list) and (length is None or len(value) == length)
            and all(type(x) is int and x >= 0 for x in value))


def parse(raw):
    """(header length, metadata dict or None, [(name, dtype, shape, begin, end)] in offset order)."""
    if len(raw) < 8:
        raise Refused("R1 file of %d bytes has no 8-byte header length" % len(raw))
    n = struct.unpack("<Q", raw[:8])[0]
    if n > MAX_HEADER_SIZE:
        raise Refused("R2 header length %d over %d" % (n, MAX_HEADER_SIZE))
    if 8 + n > len(raw):
        raise Refused("R2 header length %d past the end of a %d-byte file" % (n, len(raw)))
    try:
        text = raw[8:8 + n].decode("utf-8")
    except UnicodeDecodeError as e:
        raise Refused("R3 header is not UTF-8: %s" % e)
    # serde_json::from_str: RFC 8259 JSON; Python's json also takes NaN/Infinity, which serde does not.
    def no_constants(name):
        raise Refused("R4 %s is not JSON" % name)
    try:
        root = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=no_constants)
    except ValueError as e:
        raise Refused("R4 header is not JSON: %s" % e)
    if not isinstance(root, dict):
        raise Refused("R4 header is not a JSON object")
    meta = root.pop("__metadata__", None)
    if meta is not None:
        if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
            raise Refused("R5 __metadata__ is not an object of string to string")
    tensors = []
    for name, info in root.items():
        if not isinstance(info, dict):
            raise Refused("R6 %r is not an object" % name)
        dtype, shape, offsets = info.get("dtype"), info.get("shape"), info.get("data_offsets")
        if dtype not in BITS:
            raise Refused("R6 %r has dtype %r, not a safetensors Dtype" % (name, dtype))
        if not _naturals(shape):
            raise Refused("R6 %r shape %r is not a list of non-negative integers" % (name, shape))
        if not _naturals(offsets, 2):
            raise Refused("R6 %r data_offsets %r are not two non-negative integers" % (name, offsets))
        tensors.append((name, dtype, shape, offsets[0], offsets[1]))
    tensors.sort(key=lambda t: (t[3], t[4]))
    start = 0
    for name, dtype, shape, begin, end in tensors:
        if begin != start or end < begin:
            raise Refused("R7 %r data_offsets [%d, %d], expected to begin at %d" % (name, begin, end, start))
        start = end
        numel = 1
        for d in shape:
            numel *= d
        bits = numel * BITS[dtype]
        if bits % 8:
            raise Refused("R8 %r: %d bits of %s, not whole bytes" % (name, bits, dtype))
        if end - begin != bits // 8:
            raise Refused("R8 %r spans %d bytes, %s %r needs %d" % (name, end - begin, dtype, shape, bits // 8))
    if 8 + n + start != len(raw):
        raise Refused("R9 tensors end at byte %d of a %d-byte file" % (8 + n + start, len(raw)))
    return n, meta, tensors


def check(path):
    with open(path, "rb") as f:
        raw = f.read()
    n, meta, tensors = parse(raw)
    if n % 8:
        raise Refused("W1 header length %d is not a multiple of 8" % n)
    header = raw[8:8 + n]
    if header[:1] in (b" ", b"\t", b"\n", b"\r"):
        raise Refused("W2 header starts with whitespace")
    dtypes = sorted({t[1] for t in tensors})
    numpy_note = "" if set(dtypes) <= NUMPY_PLAIN else "; safetensors.numpy needs ml_dtypes for " + ",".join(
        d for d in dtypes if d not in NUMPY_PLAIN)
    return "ok: %d tensors %s, %d metadata keys, header %d bytes%s" % (
        len(tensors), "/".join(dtypes) or "-", len(meta or {}), n, numpy_note)


def upstream(src, dst):
    """Writes src's tensors as the reference prepare() + serialize() do: sorted by descending dtype then name,
    offsets in that order, `__metadata__` first (left out when the source has none), compact JSON padded
    with spaces to a multiple of 8."""
    with open(src, "rb") as f:
        raw = f.read()
    n, meta, tensors = parse(raw)
    base = 8 + n
    tensors.sort(key=lambda t: (-DTYPE_ORDER.index(t[1]), t[0]))
    header, data, offset = {}, bytearray(), 0
    if meta is not None:
        header["__metadata__"] = meta
    for name, dtype, shape, begin, end in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + end - begin]}
        data += raw[base + begin:base + end]
        offset += end - begin
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(dst, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + bytes(data))


def main(argv):
    if len(argv) >= 2 and argv[0] == "check":
        failed = 0
        for path in argv[1:]:
            try:
                print("%s: %s" % (path, check(path)))
            except Refused as e:
                failed += 1
                print("%s: REFUSED %s" % (path, e))
        return 1 if failed else 0
    if len(argv) == 3 and argv[0] == "upstream":
        upstream(argv[1], argv[2])
        return 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
