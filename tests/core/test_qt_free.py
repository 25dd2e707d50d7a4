"""debop_desktop.core must import with Qt made unimportable (the Anki/napari wall)."""

import subprocess
import sys

SCRIPT = r"""
import importlib, importlib.abc, pkgutil, sys

class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"PySide6", "shiboken6", "qtpy", "superqt", "PyQt5", "PyQt6"}:
            raise ImportError(f"Qt is blocked in this test: {name}")
        return None

sys.meta_path.insert(0, BlockQt())
import debop_desktop.core as core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "debop_desktop.core.")]
for name in names:
    importlib.import_module(name)
import debop_desktop.cli
leaked = sorted(m for m in sys.modules if m.split(".")[0] in {"PySide6", "shiboken6", "superqt"})
assert not leaked, leaked
print(len(names), "core modules imported without Qt")
"""


def test_core_and_cli_import_without_qt():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    count = int(result.stdout.split()[0])
    assert count >= 10  # the walk really found the core modules


def test_the_blocker_works():
    bad = SCRIPT.replace("import debop_desktop.core as core",
                         "import PySide6\nimport debop_desktop.core as core")
    result = subprocess.run([sys.executable, "-c", bad], capture_output=True, text=True)
    assert result.returncode != 0 and "Qt is blocked" in result.stderr
