"""Bad input found by the numerics audit of 2026-12-05: each gets an error naming what is wrong
(never NumPy's message from three calls deeper, nor a warning and a wrong value)."""

import warnings

import numpy as np
import pytest

import nncore as nn


@pytest.fixture(autouse=True)
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize(
    "output, y", [("identity", np.zeros((0, 1))), ("softmax", np.zeros(0, int))]
)
def test_a_loss_of_an_empty_batch_says_so(output, y):
    net = nn.MLP([2, 3, 1 if output == "identity" else 2], output=output)
    x = np.zeros((0, 2))
    for call in (net.loss, net.loss_and_grads, net.backprop, net.loss_and_output):
        with pytest.raises(ValueError, match=r"x has no rows .*m >= 1"):
            call(x, y)
    with pytest.raises(ValueError, match="no rows"):
        nn.fit(net, x, y, epochs=2)
    assert net.forward(x).shape == (0, net.sizes[-1])  # a forward pass of no rows is fine


def test_weights_assigned_by_hand_are_checked_by_name():
    net = nn.MLP([2, 3, 1])
    net.weights[0] = net.weights[0].T.copy()
    with pytest.raises(ValueError, match=r"W\^1 \(net.weights\[0\]\) has shape \(2, 3\).*\(3, 2\)"):
        net.forward([[1.0, 2.0]])
    net = nn.MLP([2, 3, 1])
    net.weights[1] = [[1.0, 2.0, 3.0]]
    with pytest.raises(TypeError, match=r"W\^2 .*NumPy array of shape \(1, 3\), got list"):
        net.loss_and_grads([[1.0, 2.0]], [0.0])
    net = nn.MLP([2, 3, 1])
    net.biases[0] = np.zeros(4)
    with pytest.raises(ValueError, match=r"b\^1 .*shape \(4,\).*must be \(3,\)"):
        net.forward([[1.0, 2.0]])
    net = nn.MLP([2, 3, 1], dtype=np.float32)
    net.weights[0] = net.weights[0].astype(np.float64)
    with pytest.raises(TypeError, match=r"W\^1 .*float64 but the network computes in float32"):
        net.forward([[1.0, 2.0]])


def test_an_initialiser_that_gives_non_finite_weights_is_refused():
    with pytest.raises(ValueError, match=r"initialiser <lambda> gave W\^1 non-finite"):
        nn.MLP([2, 3, 1], init=lambda shape, rng, dtype: np.full(shape, np.nan))
    with pytest.raises(ValueError, match=r"bias initialiser .*gave b\^1 non-finite"):
        nn.MLP([2, 3, 1], bias_init=lambda shape, fan_in, rng, dtype: np.full(shape, np.inf))


def test_labels_beyond_int64_are_reported_as_given():
    with pytest.raises(ValueError, match=r"out of range: \[1e\+20\]"):
        nn.one_hot(np.array([1e20]), 3)
    with pytest.raises(ValueError, match=r"out of range: \[-1e\+19\]"):
        nn.cross_entropy_with_logits([[1.0, 0.0]], np.array([-1e19]))


def test_finite_values_beyond_the_dtypes_range_are_not_called_non_finite():
    with pytest.raises(ValueError, match=r"y has a value beyond the range of float32 .*1e\+300"):
        nn.mse(np.float32([0.0]), [1e300])
    net = nn.MLP([2, 3, 1], dtype=np.float32)
    with pytest.raises(ValueError, match=r"x has a value beyond the range of float32"):
        net.forward([[1e300, 0.0]])
    with pytest.raises(ValueError, match="non-finite"):  # a real inf is still called so
        net.forward([[np.inf, 0.0]])


def test_alpha_and_axis_errors_name_them():
    with pytest.raises(TypeError, match="alpha must be a positive real number"):
        nn.softmax([[1.0, 2.0]], alpha=1 + 0j)
    for axis in (None, 1.0, (0, 1)):
        with pytest.raises(TypeError, match="axis must be one int"):
            nn.softmax([[1.0, 2.0]], axis=axis)


def test_the_layer_helpers_check_their_inputs():
    z, _ = nn.dense_forward([[1, 2]], [[1, 2]], [0.5])  # integers: z = 1 + 4 + 0.5
    assert z.dtype == np.float64 and z.tolist() == [[5.5]]
    with pytest.raises(ValueError, match="h_prev contains non-finite"):
        nn.dense_forward([[np.nan, 2.0]], [[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"W has shape \(3, 2\) and z has shape \(4, 2\)"):
        nn.layer_jacobians(np.ones((3, 2)), np.ones((4, 2)), "tanh")
    relu = nn.get_activation("relu")
    assert nn.activation_backward([[1.0, 1.0]], ([[1.0, -2.0]], relu)).tolist() == [[1.0, 0.0]]
    with pytest.raises(ValueError, match=r"dh has shape \(1, 3\) but the cached z"):
        nn.activation_backward([[1.0, 1.0, 1.0]], ([[1.0, -2.0]], relu))


@pytest.mark.parametrize("bias", ["no", 0, 1, None, "False"])
def test_bias_takes_only_true_or_false(bias):
    # bool("no") is True: a string or number would silently give a network with biases
    with pytest.raises(TypeError, match=r"bias must be True or False, got"):
        nn.MLP([2, 3, 1], bias=bias)
    assert nn.MLP([2, 3, 1], bias=np.bool_(False)).biases == [None, None]


@pytest.mark.parametrize("output, n_out", [("identity", 1), ("sigmoid", 1)])
def test_alpha_on_an_output_without_softmax_is_refused(output, n_out):
    # alpha scales the softmax's scores only; on another output it would be ignored silently
    with pytest.raises(ValueError, match=rf"alpha = 2.0 .*output is '{output}'"):
        nn.MLP([2, 3, n_out], output=output, alpha=2.0)
    assert nn.MLP([2, 3, n_out], output=output, alpha=1.0).alpha == 1.0
    assert nn.MLP([2, 3, 2], output="softmax", alpha=2.0).alpha == 2.0


def test_the_softmax_jacobian_wants_softmax_rows():
    # J = diag(p) - p^T p holds for a softmax row only; [0.5, 0.9] is no distribution
    with pytest.raises(ValueError, match=r"one probability distribution per row .*row 0: 1.4"):
        nn.softmax_jacobian(np.array([[0.5, 0.9]]))
    for dtype in (np.float32, np.float64):  # a computed softmax row passes in either dtype
        z = np.random.default_rng(0).normal(size=(4, 300)).astype(dtype)
        assert nn.softmax_jacobian(nn.softmax(z)).shape == (4, 300, 300)


@pytest.mark.parametrize("output, n_out", [("sigmoid", 1), ("sigmoid", 3), ("softmax", 3)])
def test_predict_gives_int_labels_for_every_classifier(output, n_out):
    net = nn.MLP([2, 4, n_out], output=output)
    x = np.random.default_rng(0).normal(size=(5, 2))
    labels = net.predict(x)
    h = net.forward(x)
    assert labels.dtype == np.int64
    if output == "softmax":
        assert labels.tolist() == [int(np.argmax(row)) for row in h]
    else:  # one 0/1 label per sigmoid output; (m,) for a single output
        want = [[int(v >= 0.5) for v in row] for row in h]
        assert labels.tolist() == (want if n_out > 1 else [row[0] for row in want])


# Every public function that takes a network (its first argument, net) and the arguments each
# needs besides it, on a 2-3-1 network.
X = np.array([[0.1, 0.2], [-0.3, 0.4]])
Y = np.array([[0.5], [-0.5]])
TAKES_A_NET = {
    "approximation_error": (np.sin, -1.0, 1.0),
    "check_gradients": (X, Y),
    "count_linear_regions": (-1.0, 1.0),
    "decision_surface": (),
    "fit": (X, Y),
    "fold_target_scale": (0.0, 1.0),
    "forward_in_chunks": (X,),
    "gradient_flow": (X, Y),
    "gradient_flow_during_training": (X, Y),
    "jacobian_singular_values": (X,),
    "linear_pieces": (-1.0, 1.0),
    "product_singular_values": ([], []),
    "random_biases": (),
    "restrict_to_line": (X[0], X[1]),
}


def test_the_table_lists_every_public_function_that_takes_a_network():
    import inspect

    takes_net = {
        name
        for name in nn.__all__
        if inspect.isfunction(getattr(nn, name))
        and list(inspect.signature(getattr(nn, name)).parameters)[:1] == ["net"]
    }
    assert takes_net <= set(TAKES_A_NET), takes_net - set(TAKES_A_NET)


@pytest.mark.parametrize("name", sorted(TAKES_A_NET))
@pytest.mark.parametrize("not_a_net", [np.eye(2), [np.eye(2)], None])
def test_a_network_that_is_not_one_is_named(name, not_a_net):
    """A weight matrix (or a list of them) where the network goes: a TypeError saying what was
    given and what is wanted, not an AttributeError from deep inside."""
    # check_gradients takes any model with the methods it calls (a deliberately wrong one too)
    wanted = (
        r"net must be a network built by nn.MLP\(sizes, ...\)( or a model with [a-z_, ]+)?, got"
    )
    with pytest.raises(TypeError, match=wanted):
        getattr(nn, name)(not_a_net, *TAKES_A_NET[name])


def test_saving_something_that_is_not_a_network_is_named(tmp_path):
    from nncore.io import network_bytes

    with pytest.raises(TypeError, match="got a ndarray of shape"):
        nn.save_network(tmp_path / "net.npz", np.eye(2))
    assert not (tmp_path / "net.npz").exists()
    with pytest.raises(TypeError, match="got a list"):
        network_bytes([np.eye(2)])


@pytest.mark.parametrize(
    ("sizes", "error", "message"),
    [
        (np.array(3.0), TypeError, "list of layer widths"),
        ([], ValueError, "at least two widths"),
        ([1, 0, 1], ValueError, r"sizes\[1\] = 0"),
        ([1, 2.5, 1], TypeError, r"sizes\[1\] must be an int width"),
    ],
)
def test_architectures_given_as_sizes_are_checked_like_the_networks(sizes, error, message):
    with pytest.raises(error, match=message):
        nn.n_params_of(sizes)
    with pytest.raises(error, match=message):
        nn.fit_architecture(sizes, epochs=1)
    with pytest.raises(error, match=message):
        nn.MLP(sizes)


def test_jacobians_are_a_list_of_matrices_that_chain():
    with pytest.raises(TypeError, match="As must be a list"):
        nn.jacobian_product(np.eye(2))
    with pytest.raises(ValueError, match=r"A\^2 has shape \(3, 2, 2\).*all alike"):
        nn.jacobian_product([np.eye(2), np.ones((3, 2, 2))])
    with pytest.raises(TypeError, match=r"A\^1 must hold real numbers"):
        nn.jacobian_product([np.array([["a"]])])
    # by hand: [[1, 2]] @ [[3], [4]] = [[11]]; an exploding product stays a result
    A1, A2 = np.array([[3.0], [4.0]]), np.array([[1.0, 2.0]])
    np.testing.assert_array_equal(nn.jacobian_product([A1, A2]), [[11.0]])
    assert np.isnan(nn.jacobian_product([np.full((1, 1), np.nan)])).all()


def test_training_data_that_is_not_real_numbers_is_named():
    """Complex or text data: a TypeError naming x (NumPy used to cast complex x to its real part
    with a ComplexWarning, and train on that)."""
    net = nn.MLP([2, 3, 1], seed=0)
    y = np.zeros((1, 1))
    with pytest.raises(TypeError, match=r"x must hold real numbers, got dtype complex128"):
        nn.fit(net, np.array([[1 + 1j, 2.0]]), y, epochs=1)
    with pytest.raises(TypeError, match=r"x_val must hold real numbers, got dtype <U1"):
        nn.fit(net, np.ones((1, 2)), y, x_val=np.array([["a", "b"]]), y_val=y, epochs=1)


def test_a_segment_of_complex_or_infinite_points_is_named():
    net = nn.MLP([2, 3, 1], seed=0)
    with pytest.raises(TypeError, match="start must hold real numbers"):
        nn.restrict_to_line(net, np.array([1j, 0.0]), np.ones(2))
    with pytest.raises(ValueError, match="end contains non-finite values"):
        nn.restrict_to_line(net, np.zeros(2), np.array([np.inf, 0.0]))


@pytest.mark.parametrize("sizes", [[3, 2], [3, 4, 2]])
def test_a_misspelt_hidden_activation_is_named_with_or_without_hidden_layers(sizes):
    """A network with no hidden layer uses no hidden activation, but a typo in the name is
    still a typo: it used to pass silently for sizes of two widths."""
    with pytest.raises(ValueError, match=r"unknown activation 'tanhh'; valid names: .*tanh"):
        nn.MLP(sizes, hidden="tanhh")
