"""The pipe protocol: plain data round-trips exactly; anything else is refused on both sides."""

import base64
import json
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader import protocol


def roundtrip(value, allow_str=True):
    wire = json.loads(json.dumps(protocol.encode_value(value, allow_str=allow_str)))
    return protocol.decode_value(wire, allow_str=allow_str)


@pytest.mark.parametrize(
    "dtype", [np.float64, np.float32, np.float16, np.int64, np.int32, np.uint8, np.bool_]
)
def test_arrays_keep_dtype_shape_and_bits(dtype):
    rng = np.random.default_rng(0)
    array = (rng.normal(size=(3, 4)) * 100).astype(dtype)
    back = roundtrip(array)
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == (3, 4)
    assert back.tobytes() == array.tobytes()


def test_special_floats_survive():
    array = np.array([np.nan, np.inf, -np.inf, -0.0, 5e-324, 1.7976931348623157e308])
    back = roundtrip(array)
    assert back.tobytes() == array.tobytes()
    assert np.isnan(roundtrip(float("nan"))) and roundtrip(float("-inf")) == float("-inf")


def test_containers_and_scalars():
    value = {
        "grads": [(np.eye(2), np.zeros(2)), (np.ones((1, 2)), None)],
        3: np.float64(2.5),
        "flag": True,
        "n": 7,
    }
    back = roundtrip(value)
    assert set(back) == {"grads", 3, "flag", "n"}
    assert isinstance(back["grads"], list) and isinstance(back["grads"][0], tuple)
    assert back["grads"][1][1] is None and np.array_equal(back["grads"][0][0], np.eye(2))
    assert type(back[3]) is np.float64 and back[3] == 2.5
    assert back["flag"] is True and back["n"] == 7


def test_non_contiguous_and_empty_arrays():
    base = np.arange(12.0).reshape(3, 4)
    assert np.array_equal(roundtrip(base.T), base.T)
    assert np.array_equal(roundtrip(base[:, ::2]), base[:, ::2])
    assert roundtrip(np.zeros((0, 5))).shape == (0, 5)


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        dtype=st.sampled_from([np.float64, np.float32, np.int64, np.bool_]),
        shape=hnp.array_shapes(min_dims=0, max_dims=4, max_side=5),
    )
)
def test_any_numeric_array_roundtrips_bit_exactly(array):
    back = roundtrip(array)
    assert back.dtype == array.dtype and back.shape == array.shape
    assert back.tobytes() == array.tobytes()


class FloatLike(float):
    def __eq__(self, other):
        return True


class Sneaky(np.ndarray):
    pass


@pytest.mark.parametrize(
    "value, words",
    [
        (object(), "builtins.object"),
        (FloatLike(1.0), "FloatLike"),
        (np.zeros(2).view(Sneaky), "Sneaky"),
        (np.array([1, "a"], dtype=object), "dtype object"),
        (np.array(["a"]), "dtype <U1"),
        (np.array([1 + 2j]), "dtype complex128"),
        (np.zeros(2, dtype=[("a", "f8")]), "arrays must hold numbers"),
        ({(1, 2): 3}, "dict keys"),
        ({1, 2}, "builtins.set"),
        (b"bytes", "builtins.bytes"),
    ],
)
def test_results_that_are_not_plain_data_are_refused(value, words):
    with pytest.raises(TypeError, match=words.replace("(", r"\(").replace(")", r"\)")):
        protocol.encode_value(value, allow_str=False)


def test_strings_only_where_allowed():
    assert roundtrip("relu") == "relu"
    with pytest.raises(TypeError, match="str"):
        protocol.encode_value(["relu"], allow_str=False)
    with pytest.raises(protocol.ProtocolError, match="str"):
        protocol.decode_value("relu", allow_str=False)


def test_deep_nesting_is_refused():
    value = []
    for _ in range(protocol.MAX_DEPTH + 5):
        value = [value]
    with pytest.raises(TypeError, match="nested"):
        protocol.encode_value(value)


def nd(dtype="<f8", shape=(2,), data=None):
    raw = data if data is not None else base64.b64encode(np.zeros(2).tobytes()).decode()
    return {"__t": "nd", "dtype": dtype, "shape": list(shape), "data": raw}


@pytest.mark.parametrize(
    "wire, words",
    [
        (nd(dtype="|O"), "numbers"),
        (nd(dtype="<c16"), "numbers"),
        (nd(dtype="nonsense"), "unknown array dtype"),
        (nd(shape=(3,)), "bytes"),
        (nd(shape=(-1,)), "non-negative"),
        (nd(data="***"), "base64"),
        ({"__t": "pickle", "items": []}, "unknown tagged value"),
        ({"x": 1}, "unknown tagged value"),
        ({"__t": "dict", "items": [[[1], 2]]}, "pairs"),
    ],
)
def test_decoding_validates_everything(wire, words):
    with pytest.raises(protocol.ProtocolError, match=words):
        protocol.decode_value(wire)


def test_framing_over_a_pipe_and_size_limits():
    read_end, write_end = os.pipe()
    try:
        protocol.write_message(write_end, {"id": 3, "result": protocol.encode_value(np.eye(3))})
        message = protocol.read_message(read_end)
        assert message["id"] == 3
        assert np.array_equal(protocol.decode_value(message["result"]), np.eye(3))
        os.write(write_end, protocol.HEADER.pack(protocol.MAX_MESSAGE_BYTES + 1))
        with pytest.raises(protocol.ProtocolError, match="exceeds"):
            protocol.read_message(read_end)
    finally:
        os.close(read_end)
        os.close(write_end)


def test_garbage_body_is_a_protocol_error():
    with pytest.raises(protocol.ProtocolError, match="JSON"):
        protocol.unpack_body(b"\xff\xfe not json")
    with pytest.raises(protocol.ProtocolError, match="object"):
        protocol.unpack_body(b"[1, 2]")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"__t": "nd", "dtype": "f8,(", "shape": [1], "data": ""}, "unknown array dtype"),
        ({"__t": "nd", "dtype": "<f8", "shape": [2**62, 2**62, 0], "data": ""}, "cannot be made"),
    ],
)
def test_a_forged_array_is_a_protocol_error(data, words):
    """Red team, 2026-12-07: numpy parses some dtypes with Python's parser (SyntaxError) and
    refuses shapes beyond its size limit (ValueError); either reached a test as a raw error."""
    with pytest.raises(protocol.ProtocolError, match=words):
        protocol.decode_value(data)


def test_an_int_beyond_64_bits_is_not_plain_data():
    # JSON would carry it, but from 4,300 digits Python refuses to write it: the child died
    with pytest.raises(TypeError, match="an int of 16610 bits; numbers must fit in 64 bits"):
        protocol.encode_value([10**5000])
    assert protocol.encode_value([2**64 - 1, -(2**63)]) == [2**64 - 1, -(2**63)]
