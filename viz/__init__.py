"""Figure builders (arrays -> plotly figures) and shared Streamlit page helpers.

Each topic has its own module (`viz.structure`, `viz.softmax`, ...): plain functions that take
arrays and return a `plotly.graph_objects.Figure`, testable without a browser. `viz.ui` holds the
page helpers (URL-bound widgets, error guard, presenter mode, chart rendering). nncore never
imports this package; pages call nncore for the math and viz for the pictures.
"""
