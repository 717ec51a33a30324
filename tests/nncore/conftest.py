import numpy as np
import pytest


@pytest.fixture
def strict():
    """Turn every floating-point overflow, invalid operation and division by zero into an error."""
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        yield


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
