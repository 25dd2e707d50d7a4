"""PyInstaller entry point for the window (debop-desktop)."""

import sys

from debop_desktop.app import main

sys.exit(main())
