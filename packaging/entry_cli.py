"""PyInstaller entry point for the command line (debop)."""

import sys

from debop_desktop.cli import main

sys.exit(main())
