"""QApplication bootstrap: `debop-desktop` and `python -m debop_desktop`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from debop_desktop import APP_NAME, __version__


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="debop-desktop", description=f"{APP_NAME} {__version__}")
    parser.add_argument("--home", metavar="DIR", help="data folder (default: $DEBOP_HOME or "
                        "your user data folder)")
    parser.add_argument("--screenshot", metavar="PNG", help="save the main window to a PNG and quit")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from debop_desktop.core.errors import DebopError
    from debop_desktop.core.store import open_store
    from debop_desktop.ui.errors import show_error
    from debop_desktop.ui.main_window import MainWindow
    from debop_desktop.ui.resources import resource

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("DeBoP")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource("icon.svg"))))
    try:
        store = open_store(args.home)
    except DebopError as exc:
        show_error(None, exc)
        return 1
    window = MainWindow(store)
    window.show()
    if args.screenshot:
        def shoot() -> None:
            window.grab().save(args.screenshot)
            window.close()
            app.quit()

        QTimer.singleShot(300, shoot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
