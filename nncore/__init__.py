"""nncore: the math of one lecture on multilayer perceptrons, in NumPy, in the lecture's notation.

    h^0 = x (m, n_0),   z^i = h^{i-1} W^{iT} + b^i,   h^i = sigma(z^i),   h^k = f(x, theta)

The public contract (names and signatures fixed by DESIGN.md) is re-exported here.
"""

from nncore.activations import (
    ACTIVATIONS,
    Activation,
    get_activation,
    relu,
    sigmoid,
    softplus,
    tanh,
)
from nncore.backprop import jacobian_product, jacobian_products
from nncore.gradcheck import GradCheckReport, check_gradients, numerical_gradient, relative_error
from nncore.init import INITIALIZERS, get_initializer
from nncore.layers import (
    activation_backward,
    activation_forward,
    dense_backward,
    dense_forward,
    layer_jacobians,
)
from nncore.losses import (
    LOSSES,
    OUTPUT_UNITS,
    binary_nll,
    binary_nll_grad,
    binary_nll_with_logits,
    binary_nll_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    cross_entropy_with_logits,
    cross_entropy_with_logits_grad,
    mse,
    mse_grad,
)
from nncore.network import MLP, Backprop
from nncore.softmax import log_softmax, one_hot, softmax, softmax_jacobian, softmax_reduced

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "Backprop",
    "GradCheckReport",
    "INITIALIZERS",
    "LOSSES",
    "MLP",
    "OUTPUT_UNITS",
    "activation_backward",
    "activation_forward",
    "binary_nll",
    "binary_nll_grad",
    "binary_nll_with_logits",
    "binary_nll_with_logits_grad",
    "check_gradients",
    "cross_entropy",
    "cross_entropy_grad",
    "cross_entropy_with_logits",
    "cross_entropy_with_logits_grad",
    "dense_backward",
    "dense_forward",
    "get_activation",
    "get_initializer",
    "jacobian_product",
    "jacobian_products",
    "layer_jacobians",
    "log_softmax",
    "mse",
    "mse_grad",
    "numerical_gradient",
    "one_hot",
    "relative_error",
    "relu",
    "sigmoid",
    "softmax",
    "softmax_jacobian",
    "softmax_reduced",
    "softplus",
    "tanh",
]
