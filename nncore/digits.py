"""The 8x8 handwritten digits (UCI, Alpaydin & Kaynak 1998), shipped inside the package.

See ``nncore/data/DIGITS-PROVENANCE.md`` for the source, the licence (CC BY 4.0) and checksums.
"""

from importlib.resources import files

import numpy as np

N_DIGITS = 1797
IMAGE_SHAPE = (8, 8)
PIXEL_MAX = 16


def load_digits(scale=None, dtype=np.float64):
    """The 1,797 digit images as a data matrix, one image per row, and their labels.

    Each row of x is an 8x8 image read row by row; a pixel counts the "on" pixels of a 4x4 block
    of the original 32x32 bitmap, so it lies in 0..16.

    Args:
        scale: None keeps the raw counts in [0, 16]; "unit" divides by 16, giving [0, 1];
            "standard" subtracts each pixel's mean and divides by its std over the 1,797 images
            (pixels that are always 0 stay 0).
        dtype: float dtype of x (float64 or float32).

    Returns:
        x: (1797, 64) float array.
        y: (1797,) int64 labels 0..9.
    """
    if scale not in (None, "unit", "standard"):
        raise ValueError(f"scale must be None, 'unit' or 'standard', got {scale!r}")
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"dtype must be float32 or float64, got {dtype}")
    with files("nncore").joinpath("data", "digits.npz").open("rb") as handle:
        with np.load(handle, allow_pickle=False) as data:
            images = data["images"]
            labels = data["labels"]
    x = images.astype(np.float64)
    if scale == "unit":
        x = x / PIXEL_MAX
    elif scale == "standard":
        mean = x.mean(axis=0)
        std = x.std(axis=0)
        # Constant pixels (always 0 at the border) have std 0: leave them centred at 0.
        x = np.divide(x - mean, std, out=np.zeros_like(x), where=std > 0)
    return x.astype(dtype), labels.astype(np.int64)
