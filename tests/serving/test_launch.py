"""`python -m viz.serving`, the image's command: every library a page imports is imported once,
in the main thread, before the first student's script runs."""

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def page_imports() -> set[str]:
    """Every module a page or a viz module imports at its top level."""
    names = set()
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("viz/*.py")]:
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return names


def test_preload_imports_what_the_pages_import():
    code = (
        "import json, sys\n"
        "from viz import serving\n"
        "serving.preload()\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    wanted = {name for name in page_imports() if name.split(".")[0] not in sys.stdlib_module_names}
    assert wanted - {"__future__"} <= loaded
    assert {"pandas", "plotly.graph_objects", "numpy", "viz.ui", "viz.playground"} <= loaded


def test_the_image_starts_the_server_through_it():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["python", "-m", "viz.serving"]' in dockerfile
