"""Writes the NPY files NpyVariantsTest reads: forms numpy writes that differ from np.save's default
(C order, little-endian, version 1.0) in how the same values are stored. Rerun with
`python3 testdata/make_npy_variants.py` (numpy 1.17 or later); the output is deterministic."""
import os
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "lib", "src", "test", "resources", "dev", "nvae", "io", "npy-variants")
os.makedirs(OUT, exist_ok=True)

f4 = np.arange(6, dtype="<f4").reshape(2, 3) - 2.5       # [[-2.5 -1.5 -0.5] [0.5 1.5 2.5]]
u1 = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)      # 0..23 in C order
unit = (np.arange(24, dtype="<f4") / 23).reshape(2, 3, 4)  # in [0, 1]
labels = np.array([3, 0, 9, -1])

def save(name, a, version=None):
    with open(os.path.join(OUT, name), "wb") as f:
        np.lib.format.write_array(f, a, version=version, allow_pickle=False)

save("v3-f4.npy", f4, version=(3, 0))
save("be-f4.npy", f4.astype(">f4"))
save("be-i8.npy", labels.astype(">i8"))
save("be-i4.npy", labels.astype(">i4"))
save("be-u2.npy", labels[:3].astype(">u2"))
save("fortran-u1.npy", np.asfortranarray(u1))
save("fortran-be-f4.npy", np.asfortranarray(unit.astype(">f4")))
save("fortran-v3-i8.npy", np.asfortranarray(np.arange(6, dtype="<i8").reshape(2, 3)), version=(3, 0))
# A field name outside latin-1 makes np.save choose version 3.0 by itself; a structured dtype stays refused.
with open(os.path.join(OUT, "structured-v3.npy"), "wb") as f:
    np.save(f, np.zeros(2, dtype=[("\u03c8", "<f4")]))
