#!/usr/bin/env python3
"""Writes testdata/fashion-mnist-subset: the first 3000 training and first 1000 test examples of
Fashion-MNIST, in the MNIST file layout (gzipped IDX), from the Debian package dataset-fashion-mnist.

    apt-get install dataset-fashion-mnist
    python3 testdata/make_subset.py [SOURCE_DIR]     # default /usr/share/datasets/fashion-mnist

The gzip streams carry no file name and mtime 0, so rerunning the script reproduces the committed
files byte for byte.
"""
import gzip
import os
import struct
import sys

import numpy as np

SPLITS = {"train": 3000, "t10k": 1000}


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    zero, dtype, ndims = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndims, raw[4:4 + 4 * ndims])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndims)
    if data.size != int(np.prod(dims)):
        sys.exit(f"{path}: payload of {data.size} bytes, header says {dims}")
    return data.reshape(dims)


def write_idx(path, array):
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    tmp = path + ".tmp"
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
        f.write(header)
        f.write(np.ascontiguousarray(array, dtype=np.uint8).tobytes())
    os.replace(tmp, path)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fashion-mnist-subset")
    os.makedirs(out, exist_ok=True)
    for prefix, n in SPLITS.items():
        images = read_idx(os.path.join(src, f"{prefix}-images-idx3-ubyte.gz"))[:n]
        labels = read_idx(os.path.join(src, f"{prefix}-labels-idx1-ubyte.gz"))[:n]
        write_idx(os.path.join(out, f"{prefix}-images-idx3-ubyte.gz"), images)
        write_idx(os.path.join(out, f"{prefix}-labels-idx1-ubyte.gz"), labels)
        print(f"{prefix}: {images.shape} images, class counts {np.bincount(labels, minlength=10).tolist()}")


if __name__ == "__main__":
    main()
