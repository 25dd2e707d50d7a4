"""The Qt-free core of DeBoP Desktop.

Nothing under this package may import Qt (PySide6, shiboken6, qtpy, superqt): the CLI,
tests and benchmarks use it headless, and a test enforces the wall.
"""
