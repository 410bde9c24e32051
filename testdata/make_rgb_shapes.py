#!/usr/bin/python3
"""A small synthetic RGB image-folder set: coloured shapes on a grey background, 24 rows x 32 columns.

    /usr/bin/python3 testdata/make_rgb_shapes.py      (Debian's python3-pil; rewrites testdata/rgb-shapes/)

Classes: circle, square, triangle. Every image draws, independently and uniformly, the factors all classes
share — hue (8 values round the colour wheel), horizontal position (5), size (3) — so colour is a factor a
grey model could not represent and a conv model must. Layout (the image-folder form `--data` reads):
rgb-shapes/train/<class>/<n>.png (60 per class) and rgb-shapes/test/<class>/<n>.png (20 per class).
Deterministic (seeded), and PNGs are written without timestamps, so rerunning reproduces the same bytes.
"""
import colorsys
import os
import random
import shutil

from PIL import Image, ImageDraw

H, W = 24, 32
CLASSES = ["circle", "square", "triangle"]
HUES = [i / 8 for i in range(8)]
XS = [10, 13, 16, 19, 22]
SIZES = [5, 7, 9]
COUNTS = {"train": 60, "test": 20}


def draw(cls, hue, x, size):
    # Supersampled 4x, then reduced: smooth edges, and a pure function of the factors.
    s = 4
    img = Image.new("RGB", (W * s, H * s), (96, 96, 96))
    d = ImageDraw.Draw(img)
    colour = tuple(int(255 * c) for c in colorsys.hsv_to_rgb(hue, 0.85, 0.95))
    cx, cy, r = x * s, (H // 2) * s, size * s
    if cls == "circle":
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
    elif cls == "square":
        d.rectangle([cx - r, cy - r, cx + r, cy + r], fill=colour)
    else:
        d.polygon([(cx, cy - r), (cx - r, cy + r), (cx + r, cy + r)], fill=colour)
    return img.resize((W, H), Image.LANCZOS)


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rgb-shapes")
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(20261125)
    for split, n in COUNTS.items():
        for cls in CLASSES:
            folder = os.path.join(root, split, cls)
            os.makedirs(folder)
            for i in range(n):
                img = draw(cls, rng.choice(HUES), rng.choice(XS), rng.choice(SIZES))
                img.save(os.path.join(folder, f"{i:03d}.png"), optimize=True)
    print(f"wrote {root}")


if __name__ == "__main__":
    main()
