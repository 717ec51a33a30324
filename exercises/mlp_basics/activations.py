"""Exercise 1: hidden-layer activations sigma and their derivatives sigma'.

A hidden layer computes h^i = sigma(z^i), elementwise. Every function here takes z of any shape,
for example a batch z^i of shape (m, n_i), and returns an array of the same shape.

Numerics: your functions must be correct over the whole float range: the tests use |z| from
1e-300 up to 1e300, including z = +-1000, where the textbook formulas overflow (e^{1000} is inf
in float64, and inf/inf is nan). Use NumPy only; keep float32 input float32 (integers may become
float64). Never change the input array z in place: return a new array.
"""

import numpy as np  # noqa: F401  (you will need it)


def sigmoid(z):
    """sigma(z) = 1 / (1 + e^{-z}) = e^z / (1 + e^z), elementwise.

    Both forms overflow for one sign of z (e^{-z} for z << 0, e^z for z >> 0). Compute
    e = e^{-|z|}, which lies in (0, 1], and use 1 / (1 + e) where z >= 0, e / (1 + e) where z < 0.

    z: any shape, e.g. (m, n_i) -> same shape, values in [0, 1].
    """
    raise NotImplementedError("Exercise 1 (activations.sigmoid): compute 1 / (1 + e^{-z}) stably")


def sigmoid_grad(z):
    """sigma'(z) = sigma(z) (1 - sigma(z)), elementwise; it is at most 1/4 (at z = 0).

    z: any shape -> same shape.
    """
    raise NotImplementedError("Exercise 1 (activations.sigmoid_grad): sigma(z) (1 - sigma(z))")


def tanh(z):
    """tanh(z) = (e^z - e^{-z}) / (e^z + e^{-z}) = 2 sigma(2z) - 1, elementwise.

    The first form is inf/inf at |z| = 1000. np.tanh is stable, and so is the sigmoid identity
    2 sigma(2z) - 1 with a stable sigma, for every |z| up to 1e300 (the tests' range; 2z itself
    overflows only beyond 8.9e307). Near z = 0 the identity is accurate to about 1e-16 in
    absolute terms, not relative ones (tanh(1e-12) comes out with a relative error near 1e-4);
    the tests compare values near 0 with an absolute tolerance of 1e-12, so both forms pass.

    z: any shape -> same shape, values in [-1, 1].
    """
    raise NotImplementedError("Exercise 1 (activations.tanh): (e^z - e^{-z}) / (e^z + e^{-z})")


def tanh_grad(z):
    """tanh'(z) = 1 - tanh(z)^2, elementwise; it is 1 at z = 0.

    z: any shape -> same shape.
    """
    raise NotImplementedError("Exercise 1 (activations.tanh_grad): 1 - tanh(z)^2")


def relu(z):
    """relu(z) = max(0, z), elementwise (the Rectified Linear Unit).

    z: any shape -> same shape.
    """
    raise NotImplementedError("Exercise 1 (activations.relu): max(0, z) elementwise")


def relu_grad(z):
    """relu'(z) = 1 where z > 0, else 0; by convention relu'(0) = 0.

    z: any shape -> same shape, values 0.0 or 1.0 (floats, not booleans: (z > 0) is a boolean
    array; convert it, e.g. to z's float dtype).
    """
    raise NotImplementedError("Exercise 1 (activations.relu_grad): 1 where z > 0, else 0")


def softplus(z):
    """softplus(z) = ln(1 + e^z), elementwise: a smooth ReLU.

    e^z overflows for z >> 0. Use ln(1 + e^z) = max(0, z) + ln(1 + e^{-|z|})
    (np.logaddexp(0, z) computes exactly this; np.log1p is accurate for small arguments).

    z: any shape -> same shape, values >= 0.
    """
    raise NotImplementedError("Exercise 1 (activations.softplus): ln(1 + e^z) stably")


def softplus_grad(z):
    """softplus'(z) = e^z / (1 + e^z) = sigma(z), elementwise.

    z: any shape -> same shape.
    """
    raise NotImplementedError("Exercise 1 (activations.softplus_grad): e^z / (1 + e^z)")
