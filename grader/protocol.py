"""The wire format between the trusted grader and the sandboxed student process.

Messages are length-prefixed JSON: an 8-byte big-endian length, then that many bytes of UTF-8
JSON. Values are plain data only, never pickles:

    int, float (NaN and +-inf allowed), bool, None, str  -> JSON as is
    list                                                   -> JSON array
    tuple                -> {"__t": "tuple", "items": [...]}
    dict (str/int keys)  -> {"__t": "dict", "items": [[key, value], ...]}
    numpy array          -> {"__t": "nd", "dtype": "<f8", "shape": [m, n], "data": base64}
    numpy scalar         -> {"__t": "np", "dtype": "<f8", "data": base64}

Arrays hold numbers only (dtype kinds b, i, u, f). Decoding re-validates everything, so a
hostile sender can produce an error but never an object the receiver did not ask for.

This module is copied next to the sandbox child, so it imports only the standard library and
NumPy, and nothing from the grader package.
"""

import base64
import json
import math
import os
import struct

import numpy as np

HEADER = struct.Struct(">Q")
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32
NUMERIC_KINDS = "biuf"


class ProtocolError(ValueError):
    """A message that is not valid plain data (wrong framing, JSON, tag, dtype or shape)."""


def _check_dtype(spec):
    if not isinstance(spec, str) or len(spec) > 8:
        raise ProtocolError(f"array dtype must be a short string, got {spec!r}")
    try:
        dtype = np.dtype(spec)
    except Exception as error:  # noqa: BLE001 - numpy parses some specs with Python's parser
        # ("f8,(" raises SyntaxError): whatever it raises, the sender's dtype is not one
        raise ProtocolError(f"unknown array dtype {spec!r}") from error
    if dtype.kind not in NUMERIC_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise ProtocolError(f"arrays must hold numbers (bool/int/float), got dtype {dtype}")
    return dtype


def describe(value):
    """A short human description of a value's type, for error messages."""
    if type(value) is np.ndarray:
        return f"numpy array of dtype {value.dtype} and shape {value.shape}"
    return f"a value of type {type(value).__module__}.{type(value).__qualname__}"


def encode_value(value, allow_str=True, depth=0):
    """Turn plain data into JSON-able data; raise TypeError naming what is not plain data."""
    if depth > MAX_DEPTH:
        raise TypeError(f"data nested deeper than {MAX_DEPTH} levels")
    kind = type(value)
    if kind is int and not -(2**63) <= value < 2**64:
        # JSON would carry it, but no array of numbers holds it, and from 4,300 digits Python
        # refuses to write it (the child died on a 5,000-digit answer, red team 2026-12-07)
        raise TypeError(f"an int of {value.bit_length()} bits; numbers must fit in 64 bits")
    if value is None or kind is bool or kind is int:
        return value
    if kind is float:
        return value
    if kind is str:
        if not allow_str:
            raise TypeError("a str (text) where numbers or arrays were expected")
        return value
    if kind is list:
        return [encode_value(item, allow_str, depth + 1) for item in value]
    if kind is tuple:
        return {"__t": "tuple", "items": [encode_value(v, allow_str, depth + 1) for v in value]}
    if kind is dict:
        items = []
        for key, item in value.items():
            if type(key) not in (str, int):
                raise TypeError(f"dict keys must be str or int, got {type(key).__name__}")
            items.append([key, encode_value(item, allow_str, depth + 1)])
        return {"__t": "dict", "items": items}
    if kind is np.ndarray:
        if value.dtype.kind not in NUMERIC_KINDS or value.dtype.fields is not None:
            raise TypeError(f"a numpy array of dtype {value.dtype}; arrays must hold numbers")
        data = value.copy(order="C")  # not ascontiguousarray: it turns 0-d into 1-d
        return {
            "__t": "nd",
            "dtype": data.dtype.str,
            "shape": list(value.shape),
            "data": base64.b64encode(data.tobytes()).decode("ascii"),
        }
    if isinstance(value, np.generic) and kind.__module__ == "numpy":
        if value.dtype.kind not in NUMERIC_KINDS:
            raise TypeError(f"a numpy scalar of dtype {value.dtype}; it must be a number")
        raw = np.asarray(value).tobytes()
        return {"__t": "np", "dtype": value.dtype.str, "data": base64.b64encode(raw).decode()}
    raise TypeError(describe(value))


def _decode_bytes(text, dtype, count):
    if not isinstance(text, str):
        raise ProtocolError("array data must be a base64 string")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as error:
        raise ProtocolError("array data is not valid base64") from error
    if len(raw) != count * dtype.itemsize:
        raise ProtocolError(
            f"array data has {len(raw)} bytes but dtype {dtype} and {count} elements "
            f"need {count * dtype.itemsize}"
        )
    return np.frombuffer(raw, dtype=dtype).copy()


def decode_value(data, allow_str=True, depth=0):
    """Inverse of encode_value; validates types, tags, dtypes and shapes."""
    if depth > MAX_DEPTH:
        raise ProtocolError(f"data nested deeper than {MAX_DEPTH} levels")
    kind = type(data)
    if data is None or kind in (bool, int, float):
        return data
    if kind is str:
        if not allow_str:
            raise ProtocolError("a str (text) where numbers or arrays were expected")
        return data
    if kind is list:
        return [decode_value(item, allow_str, depth + 1) for item in data]
    if kind is not dict:
        raise ProtocolError(f"unexpected JSON value of type {kind.__name__}")
    tag = data.get("__t")
    if tag == "tuple" and isinstance(data.get("items"), list):
        return tuple(decode_value(item, allow_str, depth + 1) for item in data["items"])
    if tag == "dict" and isinstance(data.get("items"), list):
        result = {}
        for pair in data["items"]:
            if not (isinstance(pair, list) and len(pair) == 2 and type(pair[0]) in (str, int)):
                raise ProtocolError("dict items must be [key, value] pairs with str/int keys")
            result[pair[0]] = decode_value(pair[1], allow_str, depth + 1)
        return result
    if tag == "nd":
        dtype = _check_dtype(data.get("dtype"))
        shape = data.get("shape")
        if not (isinstance(shape, list) and all(type(n) is int and n >= 0 for n in shape)):
            raise ProtocolError(f"array shape must be a list of non-negative ints, got {shape!r}")
        if len(shape) > 32:
            raise ProtocolError(f"array has {len(shape)} dimensions; at most 32 are allowed")
        count = math.prod(shape)
        values = _decode_bytes(data.get("data"), dtype, count)
        try:
            return values.reshape(tuple(shape))
        except ValueError as error:  # a shape beyond numpy's size limits: [2**62, 2**62, 0]
            raise ProtocolError(f"array shape {shape} cannot be made: {error}") from None
    if tag == "np":
        dtype = _check_dtype(data.get("dtype"))
        return _decode_bytes(data.get("data"), dtype, 1)[0]
    raise ProtocolError(f"unknown tagged value {tag!r}")


def pack(message):
    """Frame a JSON-able dict as bytes (header + JSON)."""
    body = json.dumps(message, allow_nan=True, separators=(",", ":")).encode("utf-8")
    if len(body) > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message of {len(body)} bytes exceeds {MAX_MESSAGE_BYTES} bytes")
    return HEADER.pack(len(body)) + body


def write_message(fd, message):
    """Write one framed message to a file descriptor (blocking)."""
    view = memoryview(pack(message))
    while view:
        written = os.write(fd, view)
        view = view[written:]


def unpack_body(body):
    """Parse one message body; it must be a JSON object."""
    try:
        message = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ProtocolError(f"message is not valid JSON: {error}") from error
    if not isinstance(message, dict):
        raise ProtocolError("message must be a JSON object")
    return message


def parse_header(header):
    """The body length announced by an 8-byte header; refuses oversized messages."""
    (length,) = HEADER.unpack(header)
    if length > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"announced message of {length} bytes exceeds {MAX_MESSAGE_BYTES}")
    return length


def read_exact(fd, count):
    """Read exactly count bytes from a blocking fd; EOFError if the other side closed it."""
    chunks = []
    while count:
        chunk = os.read(fd, min(count, 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def read_message(fd):
    """Read one framed message from a blocking fd (used by the child)."""
    return unpack_body(read_exact(fd, parse_header(read_exact(fd, HEADER.size))))
