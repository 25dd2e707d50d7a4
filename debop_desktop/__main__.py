"""`python -m debop_desktop` launches the desktop app."""

from debop_desktop.app import main

raise SystemExit(main())
