"""The PySide6 shell over `debop_desktop.core`. It draws; the core decides."""
