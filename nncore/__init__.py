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

# --- experiments (issue 3) ---
from nncore.approximation import (  # noqa: E402
    equal_budget_architectures,
    equal_budget_comparison,
    fit_architecture,
    fold_target_scale,
    hanin_rolnick,
    n_params_of,
    pieces_at_init,
    random_biases,
    run_grid,
    target_scale,
    width_depth_grid,
)
from nncore.bumps import approximation_error, bump_network, units_for_error  # noqa: E402
from nncore.datasets import (  # noqa: E402
    DATASETS,
    REGRESSION_TARGETS,
    make_blobs,
    make_circles,
    make_dataset,
    make_moons,
    make_regression,
    make_spirals,
    make_xor,
    regression_target,
)
from nncore.digits import load_digits  # noqa: E402
from nncore.formula import parse_formula  # noqa: E402
from nncore.gradflow import (  # noqa: E402
    GradientFlow,
    gradient_flow,
    gradient_flow_during_training,
    jacobian_singular_values,
    product_singular_values,
)
from nncore.io import load_network, save_network  # noqa: E402
from nncore.optim import OPTIMIZERS, Optimizer, get_optimizer  # noqa: E402
from nncore.regions import (  # noqa: E402
    LinearPieces,
    count_linear_regions,
    linear_pieces,
    restrict_to_line,
    sawtooth_network,
)
from nncore.schedules import SCHEDULES, get_schedule  # noqa: E402
from nncore.surface import decision_surface, forward_in_chunks, grid_points  # noqa: E402
from nncore.train import History, Trainer, fit  # noqa: E402

__all__ += [
    "DATASETS",
    "GradientFlow",
    "History",
    "LinearPieces",
    "OPTIMIZERS",
    "Optimizer",
    "REGRESSION_TARGETS",
    "SCHEDULES",
    "Trainer",
    "approximation_error",
    "bump_network",
    "count_linear_regions",
    "decision_surface",
    "equal_budget_architectures",
    "equal_budget_comparison",
    "fit",
    "fit_architecture",
    "fold_target_scale",
    "forward_in_chunks",
    "get_optimizer",
    "get_schedule",
    "gradient_flow",
    "gradient_flow_during_training",
    "grid_points",
    "hanin_rolnick",
    "jacobian_singular_values",
    "product_singular_values",
    "linear_pieces",
    "load_digits",
    "load_network",
    "make_blobs",
    "make_circles",
    "make_dataset",
    "make_moons",
    "make_regression",
    "make_spirals",
    "make_xor",
    "n_params_of",
    "parse_formula",
    "pieces_at_init",
    "random_biases",
    "regression_target",
    "restrict_to_line",
    "run_grid",
    "save_network",
    "sawtooth_network",
    "target_scale",
    "units_for_error",
    "width_depth_grid",
]
