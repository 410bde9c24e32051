#!/usr/bin/python3
"""testdata/rgb-shapes as an NPY dataset directory, decoded by PIL and arranged by numpy, not by nvae.

    /usr/bin/python3 testdata/make_rgb_shapes_npy.py      (Debian's python3-numpy and python3-pil; rewrites testdata/rgb-shapes-npy/)

Writes {train,test}-images.npy (uint8, shape (N, 3, 24, 32): channels first, as nvae holds an image) with
{train,test}-labels.npy (int64) and classes.txt, in the order nvae's image-folder reader takes the folder:
classes sorted by name, images by file name within a class. So `--data testdata/rgb-shapes-npy` must be the
very dataset `--data testdata/rgb-shapes` is, pixel for pixel (DataSourcesTest checks it), read by a second,
independent decoder. np.save writes no timestamp, so rerunning reproduces the same bytes.
"""
import os

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    src = os.path.join(HERE, "rgb-shapes")
    out = os.path.join(HERE, "rgb-shapes-npy")
    os.makedirs(out, exist_ok=True)
    classes = sorted(os.listdir(os.path.join(src, "train")))
    for split in ("train", "test"):
        images, labels = [], []
        for k, cls in enumerate(classes):
            folder = os.path.join(src, split, cls)
            for name in sorted(f for f in os.listdir(folder) if f.endswith(".png")):
                with Image.open(os.path.join(folder, name)) as img:
                    hwc = np.asarray(img.convert("RGB"), dtype=np.uint8)
                images.append(hwc.transpose(2, 0, 1))  # HWC as decoded -> CHW
                labels.append(k)
        np.save(os.path.join(out, f"{split}-images.npy"), np.stack(images))
        np.save(os.path.join(out, f"{split}-labels.npy"), np.array(labels, dtype=np.int64))
    with open(os.path.join(out, "classes.txt"), "w", encoding="utf-8") as f:
        f.write("".join(c + "\n" for c in classes))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
