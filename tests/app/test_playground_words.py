"""Playground: the pictures in words (the text alternative to every chart) and the live
picture's alt text."""

import numpy as np
from playground_helpers import PAGE, page_metrics

from viz import playground as viz
from viz import playground_picture as picture
from viz import playground_words as words


def test_plane_words_carry_the_pictures_numbers():
    session = viz.Session.start(
        viz.Settings(dataset="blobs", n_classes=3, widths=(5,), activations=("tanh",))
    )
    session.advance(4)
    view = picture.View(unit=(1, 2))
    name, lines = words.plane_words(session, view)
    text_ = " ".join(lines)
    assert name.endswith("epoch 4")
    # the decision surface: where each class wins, from an independent pass over the same grid
    axis = np.linspace(-viz.EXTENT, viz.EXTENT, viz.GRID)
    a, b = np.meshgrid(axis, axis)
    h = np.column_stack([a.ravel(), b.ravel()])
    W1, W2, b1, b2 = session.net.weights[0], session.net.weights[1], *session.net.biases
    winner = (np.tanh(h @ W1.T + b1) @ W2.T + b2).argmax(axis=1)
    for c in range(3):
        assert f"class {c} {np.mean(winner == c):.1%}" in text_
    # the selected unit: its weights, bias and its range over the plane
    unit = np.tanh(h @ W1[2] + b1[2])
    assert f"b = {words.number(b1[2])}" in text_
    assert f"from {words.number(unit.min())} to {words.number(unit.max())}" in text_
    # the curves and the confusion counts
    assert f"training {words.number(session.train_loss[0])} to " in text_
    predicted = session.net.predict(session.data.x_test)
    y = session.data.y_test
    row0 = ", ".join(f"{np.sum((y == 0) & (predicted == c))} as {c}" for c in range(3))
    assert f"true class 0: {row0}" in text_
    assert f"({np.sum(predicted == y)} of {len(y)} right)" in text_


def test_regression_and_digits_words():
    session = viz.Session.start(
        viz.Settings(problem="regression", dataset="plane", widths=(4,), activations=("tanh",))
    )
    _, lines = words.plane_words(session, picture.View(show_test=False))
    assert any(line.startswith("Prediction hᵏ(x) over the plane from") for line in lines)
    assert not any("diamonds" in line or "true class" in line for line in lines)
    digits = viz.Session.start(viz.Settings(dataset="digits", widths=(8,), activations=("tanh",)))
    mean = np.eye(10) * 0.5
    name, lines = words.digits_words(digits, mean)
    assert "0: 50.0%" in lines[0] and "8 units of 8 x 8 pixels" in lines[2]


def test_every_picture_has_words_and_the_live_one_alt_text(open_page):
    at = open_page(PAGE)
    html = [element.proto.body for element in at.get("html")]
    overlay_words = [body for body in html if "the network and its maps at epoch 0" in body]
    assert len(overlay_words) == 1 and "Decision surface" in overlay_words[0]
    at.button(key="pg_play").click().run()
    image = at.get("image")[0].proto.imgs[0]
    assert "Live training picture" in image.alt and image.caption
    epoch = int(page_metrics(at)["Epoch"])
    html = " ".join(element.proto.body for element in at.get("html"))
    assert "Chart in words: the network and its maps at epoch" in html
    at.button(key="pg_play").click().run()  # paused: the words match the picture's epoch
    html = " ".join(element.proto.body for element in at.get("html"))
    assert f"maps at epoch {page_metrics(at)['Epoch']}</summary>" in html and epoch >= 1
    at = open_page(PAGE, {"pg_data": "digits", "pg_tab": "How the layers transform the plane"})
    charts, texts = len(at.get("plotly_chart")), at.get("html")
    assert charts == 3 and sum("Chart in words" in t.proto.body for t in texts) >= charts
