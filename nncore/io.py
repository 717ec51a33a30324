"""Save and load a network with its training configuration: npz or JSON, never pickle.

A saved file holds three things:
- the architecture, ``net.config()`` (sizes, activations, output unit, bias, init, seed, dtype);
- every W^i (n_i, n_{i-1}) and b^i (n_i,), exactly (float64 and float32 round-trip bit for bit);
- a free JSON-able ``meta`` dict: the training settings, the ``History``, the data set's name and
  seed, anything needed to redraw a figure.

Two formats, chosen by the file name:
- ``.npz``: arrays ``W1, b1, W2, ...`` plus ``header``, a 0-d unicode array with the JSON text.
  Read with ``allow_pickle=False``, so a file can never run code.
- ``.json``: one JSON document; weights as nested lists of floats (Python writes the shortest
  repr that reads back to the same float, so nothing is lost).
"""

import json
import math
from pathlib import Path

import numpy as np

from nncore._checks import check_net
from nncore.network import MLP

FORMAT_NAME = "nnlab-network"
FORMAT_VERSION = 1


def _architecture(net):
    """net.config(), falling back for a callable initialiser (the weights are saved anyway)."""
    try:
        return net.config()
    except TypeError:
        return {
            "sizes": list(net.sizes),
            "hidden": list(net.hidden),
            "output": net.output,
            "bias": net.bias,
            "init": "zeros",  # a callable cannot be stored; the saved weights replace it
            "seed": None,
            "dtype": net.dtype.name,
            "alpha": net.alpha,
        }


def _json_safe(value, where="meta"):
    """Convert numpy scalars/arrays to JSON types; refuse what JSON cannot hold."""
    if isinstance(value, dict):
        return {str(key): _json_safe(item, f"{where}[{key!r}]") for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, np.ndarray):
        return _json_safe(value.tolist(), where)
    if isinstance(value, np.generic):
        return _json_safe(value.item(), where)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # "nan", "inf": JSON has no such numbers
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "to_dict"):
        return _json_safe(value.to_dict(), where)
    raise TypeError(f"{where} is a {type(value).__name__}, which cannot be stored as JSON")


def _header(net, meta):
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "config": _architecture(net),
        "meta": _json_safe(meta or {}),
    }


def save_network(path, net, meta=None, history=None):
    """Write ``net`` (architecture and weights) and ``meta`` to ``path`` (.npz or .json).

    Args:
        path: file name ending in .npz or .json.
        net: an nn.MLP.
        meta: JSON-able dict, e.g. {"dataset": "moons", "seed": 0, "fit": {...}}.
        history: an ``nn.History`` (or its dict), stored as meta["history"].

    Returns:
        The path written, as a ``pathlib.Path``.
    """
    check_net(net)
    path = Path(path)
    meta = dict(meta or {})
    if history is not None:
        meta["history"] = history
    header = _header(net, meta)
    suffix = path.suffix.lower()
    if suffix == ".npz":
        arrays = {"header": np.array(json.dumps(header))}
        for index, (W, b) in enumerate(zip(net.weights, net.biases, strict=True), start=1):
            arrays[f"W{index}"] = W
            if b is not None:
                arrays[f"b{index}"] = b
        with path.open("wb") as handle:
            np.savez_compressed(handle, **arrays)
    elif suffix == ".json":
        header["weights"] = [W.tolist() for W in net.weights]
        header["biases"] = [None if b is None else b.tolist() for b in net.biases]
        path.write_text(json.dumps(header))
    else:
        raise ValueError(f"file name {str(path)!r} must end in .npz or .json")
    return path


def _check_header(header, path):
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise ValueError(f"{str(path)!r} is not an nnlab network file (no {FORMAT_NAME!r} header)")
    if header.get("version") != FORMAT_VERSION:
        raise ValueError(
            f"{str(path)!r} has format version {header.get('version')!r}; "
            f"this nncore reads version {FORMAT_VERSION}"
        )


def _install(net, weights, biases, path):
    """Copy saved arrays into a freshly built net after checking every shape."""
    if len(weights) != net.depth:
        raise ValueError(
            f"{str(path)!r} holds {len(weights)} weight matrices, config says {net.depth}"
        )
    for index, (W, b) in enumerate(zip(weights, biases, strict=True)):
        W = np.asarray(W, dtype=net.dtype)
        if W.shape != net.weights[index].shape:
            raise ValueError(
                f"{str(path)!r}: W{index + 1} has shape {W.shape}, "
                f"expected {net.weights[index].shape} from sizes {net.sizes}"
            )
        net.weights[index][...] = W
        if net.biases[index] is not None:
            if b is None:
                raise ValueError(f"{str(path)!r}: b{index + 1} is missing but bias=True")
            b = np.asarray(b, dtype=net.dtype)
            if b.shape != net.biases[index].shape:
                raise ValueError(
                    f"{str(path)!r}: b{index + 1} has shape {b.shape}, "
                    f"expected {net.biases[index].shape}"
                )
            net.biases[index][...] = b


def load_network(path):
    """Read a file written by ``save_network``.

    Returns:
        (net, meta): the nn.MLP with the saved weights, and the saved meta dict.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such network file: {str(path)!r}")
    suffix = path.suffix.lower()
    if suffix == ".npz":
        with np.load(path, allow_pickle=False) as data:
            if "header" not in data.files:
                raise ValueError(f"{str(path)!r} has no 'header' entry; not an nnlab network file")
            header = json.loads(str(data["header"]))
            _check_header(header, path)
            depth = len(header["config"]["sizes"]) - 1
            weights = [data[f"W{i}"] for i in range(1, depth + 1) if f"W{i}" in data.files]
            biases = [data[f"b{i}"] if f"b{i}" in data.files else None for i in range(1, depth + 1)]
    elif suffix == ".json":
        header = json.loads(path.read_text())
        _check_header(header, path)
        weights, biases = header["weights"], header["biases"]
    else:
        raise ValueError(f"file name {str(path)!r} must end in .npz or .json")
    net = MLP.from_config(header["config"])
    _install(net, weights, biases, path)
    return net, header["meta"]


def network_bytes(net, fmt="npz", meta=None, history=None):
    """``save_network`` into memory: the bytes of a .npz or .json file (for a download button)."""
    check_net(net)
    import tempfile

    if fmt not in ("npz", "json"):
        raise ValueError(f"fmt must be 'npz' or 'json', got {fmt!r}")
    with tempfile.TemporaryDirectory() as folder:
        path = save_network(Path(folder) / f"network.{fmt}", net, meta=meta, history=history)
        return path.read_bytes()


# --- points of the plane from a CSV file (the playground's own data) --------------------------

MAX_CSV_ROWS = 5000
MAX_CLASSES = 10
_TARGET_NAMES = ("label", "class", "y", "target", "value")


def _number(text, row, column):
    try:
        value = float(text)
    except ValueError:
        shown = text if len(text) <= 20 else text[:20] + "..."
        raise ValueError(f"row {row}, column {column}: {shown!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"row {row}, column {column}: {text!r} is not a finite number")
    return value


def read_points_csv(data, task="classification", max_rows=MAX_CSV_ROWS):
    """Points of the plane from CSV text: columns x1, x2 and a label (classification) or a
    target (regression), one point per row; an optional header row names the columns.

    Args:
        data: the file's bytes (UTF-8) or text. Separators: comma, semicolon or tab.
        task: "classification" (labels: whole numbers 0..9, at least two classes) or
            "regression" (targets: any finite numbers).
        max_rows: refuse longer files.

    Returns:
        x: (m, 2) float64; y: (m,) int64 labels, or (m, 1) float64 targets.

    Raises ValueError naming the row (1 = the file's first line) and the column of the first
    bad value, e.g. "row 7, column x2: 'abc' is not a number".
    """
    if task not in ("classification", "regression"):
        raise ValueError(f"task must be 'classification' or 'regression', got {task!r}")
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValueError(
                f"the file is not UTF-8 text (byte {error.start} is {data[error.start]:#04x}); "
                "save it as CSV (UTF-8)"
            ) from None
    if not isinstance(data, str):
        raise TypeError(f"data must be bytes or str, got {type(data).__name__}")
    third = "label" if task == "classification" else "target"
    columns = ["x1", "x2", third]
    lines = data.splitlines()
    sample = next((line for line in lines if line.strip()), "")
    separator = max((",", ";", "\t"), key=sample.count)
    points, values = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fields = [field.strip() for field in line.split(separator)]
        if not points and not values and number == lines.index(sample) + 1:
            names = [field.lower().strip("\"'") for field in fields]
            if any(_is_word(name) for name in names):  # a header row
                if len(names) != 3 or names[:2] != ["x1", "x2"] or names[2] not in _TARGET_NAMES:
                    raise ValueError(f"row {number}: the header {fields} should be x1, x2, {third}")
                columns[2] = names[2]
                continue
        if len(fields) != 3:
            raise ValueError(
                f"row {number} has {len(fields)} field(s) {fields[:5]}; expected 3: x1, x2, {third}"
            )
        if len(points) >= max_rows:
            raise ValueError(f"the file has more than {max_rows} points; use at most {max_rows}")
        points.append(
            [_number(fields[0], number, columns[0]), _number(fields[1], number, columns[1])]
        )
        value = _number(fields[2], number, columns[2])
        if task == "classification":
            if value != int(value):
                raise ValueError(
                    f"row {number}, column {columns[2]}: {fields[2]!r} is not a whole number; "
                    f"labels are classes 0..{MAX_CLASSES - 1}"
                )
            if not 0 <= value < MAX_CLASSES:
                raise ValueError(
                    f"row {number}, column {columns[2]}: {fields[2]!r} is outside the classes "
                    f"0..{MAX_CLASSES - 1}"
                )
        values.append(value)
    if len(points) < 2:
        raise ValueError(f"the file holds {len(points)} point(s); need at least 2")
    x = np.array(points, dtype=np.float64)
    if task == "regression":
        return x, np.array(values, dtype=np.float64).reshape(-1, 1)
    labels = np.array(values, dtype=np.int64)
    if len(np.unique(labels)) < 2:
        raise ValueError(f"every point has label {labels[0]}; need at least two classes")
    return x, labels


def _is_word(text):
    try:
        float(text)
    except ValueError:
        return True
    return False
