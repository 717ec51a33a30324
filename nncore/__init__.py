"""nncore: the math of one lecture on multilayer perceptrons, in NumPy, in the lecture's notation.

The public contract (names and signatures fixed by DESIGN.md) is re-exported here.
"""
