"""Hostile: walks the filesystem through directory file descriptors (os.open(..., dir_fd=)),
which the audit hook cannot see, looking for the solutions and hidden tests (review #2)."""

import os


def _disarm():
    """Switch the audit hook off first: what follows then tests the sandbox itself."""
    import gc
    import sys

    child = sys.modules.get("nnlab_sandbox_child")
    if child is not None:
        child._inside = lambda path, roots: True
    for item in gc.get_objects():
        closure = getattr(item, "__closure__", None) if callable(item) else None
        if getattr(item, "__name__", "") != "hook" or not closure:
            continue
        for cell in closure:
            value = cell.cell_contents
            if isinstance(value, tuple):
                cell.cell_contents = ()
            elif isinstance(value, frozenset):
                cell.cell_contents = frozenset()
            elif callable(value) and getattr(value, "__name__", "") in ("_inside", "inside"):
                cell.cell_contents = lambda path, roots: True


_disarm()


def _walk(fd, depth, found):
    if depth > 6 or len(found) > 3:
        return
    try:
        names = os.listdir(fd)
    except OSError:
        return
    for name in names:
        if name in ("proc", "sys", "dev", "usr", "lib", "lib64", "numpy", "python3.11"):
            continue
        try:
            child = os.open(name, os.O_RDONLY, dir_fd=fd)
        except OSError:
            continue
        try:
            if os.path.isdir(f"/proc/self/fd/{child}"):
                _walk(child, depth + 1, found)
            elif name.endswith(".py"):
                text = os.read(child, 200_000).decode(errors="replace")
                if "def sigmoid(" in text and "Hostile" not in text:
                    found.append(text)
        finally:
            os.close(child)


def sigmoid(z):
    found = []
    root = os.open("/", os.O_RDONLY)
    try:
        _walk(root, 0, found)
    finally:
        os.close(root)
    if found:
        namespace = {}
        exec(found[0], namespace)
        return namespace["sigmoid"](z)
    raise NotImplementedError("nothing found through dir_fd")


def sigmoid_grad(z):
    raise NotImplementedError("nothing found")
