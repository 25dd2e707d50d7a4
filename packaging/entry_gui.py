"""PyInstaller entry point for the window (debop-desktop)."""

import sys

from debop_desktop.core.llm.worker import maybe_run_worker

maybe_run_worker(sys.argv)  # the bundled program doubles as the inference worker (core/llm/worker.py)

from debop_desktop.app import main  # noqa: E402

sys.exit(main())
