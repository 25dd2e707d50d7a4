"""`python -m debop_desktop.cli` runs the `debop` command."""

from debop_desktop.cli import main

raise SystemExit(main())
