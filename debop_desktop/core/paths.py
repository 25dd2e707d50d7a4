"""Where the app keeps its data: one folder holding the database and backups.

Order of precedence: an explicit folder (the CLI's --home), then the DEBOP_HOME
environment variable, then the platform's user data folder (platformdirs). The app never
writes next to its own code, so a frozen bundle stays read-only.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from debop_desktop import APP_NAME

DB_FILENAME = "debop.sqlite3"


def data_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder, creating it if needed."""
    if explicit:
        home = Path(explicit).expanduser()
    elif os.environ.get("DEBOP_HOME"):
        home = Path(os.environ["DEBOP_HOME"]).expanduser()
    else:
        home = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    home.mkdir(parents=True, exist_ok=True)
    return home


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    return data_home(explicit) / DB_FILENAME
