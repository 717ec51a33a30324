"""Exercise 6: vanishing and exploding gradients, through the layer Jacobians.

The network here is a deep stack, every layer with the same activation sigma:
    h^0 = x,   z^i = h^{i-1} W^{iT} + b^i,   h^i = sigma(z^i),   i = 1 .. k.
For ONE data point (one row), layer i's Jacobian with respect to its input is

    A^i = d h^i / d h^{i-1} = diag(sigma'(z^i)) W^i           shape (n_i, n_{i-1}):

row j of W^i scaled by sigma'(z^i_j). By the chain rule, the gradient for W^i carries the product
A^k A^{k-1} ... A^{i+1}. When every factor shrinks vectors (the sigmoid's sigma' is at most 1/4)
the product vanishes with depth; when the factors stretch vectors, it explodes.

For a batch of m rows, each function returns one Jacobian per row, stacked: shape (m, ., .).
Activation names: "identity", "sigmoid", "tanh", "relu" (relu'(0) = 0), "softplus".
You may import from activations.py and layers.py (for example
`from activations import sigmoid_grad`) or write small helpers here. NumPy only. Never change
the input arrays in place.

Grading: this exercise is graded with the reference's activations.py and layers.py, so a bug in
one of those costs points only in its own exercise. Locally (pytest in the bundle) your own
files are imported, so a bug there can make tests here fail too.
"""

import numpy as np  # noqa: F401  (you will need it)


def layer_jacobian(z, W, activation):
    """A^i = diag(sigma'(z^i)) W^i for every data point r: A[r, j, l] = sigma'(z[r, j]) W[j, l].

    z: (m, n_i), the layer's pre-activations z^i; W: (n_i, n_{i-1}); activation: a name
    -> A: (m, n_i, n_{i-1}).
    """
    raise NotImplementedError("Exercise 6 (vanishing.layer_jacobian): diag(sigma'(z^i)) W^i")


def jacobian_product(jacobians):
    """The product of consecutive layer Jacobians, top layer on the LEFT, for every data point:

        jacobian_product([A^{i+1}, A^{i+2}, .., A^k]) = A^k ... A^{i+2} A^{i+1} = d h^k / d h^i.

    jacobians: a list, bottom layer first, of arrays A^j (m, n_j, n_{j-1})
    -> (m, n_k, n_i). With a single Jacobian, return it unchanged. (np.matmul multiplies stacks.)
    """
    raise NotImplementedError("Exercise 6 (vanishing.jacobian_product): A^k ... A^{i+1}")


def input_jacobians(x, weights, biases, activation):
    """Run the deep stack forward on x and return every layer's Jacobian [A^1, .., A^k].

    x: (m, n_0); weights: [W^1 .. W^k], W^i (n_i, n_{i-1}); biases: [b^1 .. b^k], b^i (n_i,);
    activation: the name of sigma for every layer
    -> a list of k arrays, A^i (m, n_i, n_{i-1}).
    """
    raise NotImplementedError("Exercise 6 (vanishing.input_jacobians): [A^1 .. A^k]")


def jacobian_norms(x, weights, biases, activation):
    """How much gradient reaches each layer's input: for i = 1 .. k, the mean over data points of

        || A^k A^{k-1} ... A^i ||_F     (the Frobenius norm of d h^k / d h^{i-1}),

    where ||M||_F = sqrt(sum of squared entries). Entry i-1 belongs to layer i, so for a deep
    sigmoid stack the first entries are the smallest: the gradient vanishes on its way down.
    Arguments as in input_jacobians -> (k,) array.
    """
    raise NotImplementedError("Exercise 6 (vanishing.jacobian_norms): ||A^k ... A^i||_F per i")
