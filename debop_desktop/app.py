"""QApplication bootstrap: `debop-desktop` and `python -m debop_desktop`."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

from debop_desktop import APP_NAME, __version__

STARTED = time.perf_counter()  # start-up is timed from here (the bundle's own start is timed outside)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="debop-desktop", description=f"{APP_NAME} {__version__}")
    parser.add_argument("--home", metavar="DIR", help="data folder (default: $DEBOP_HOME or "
                        "your user data folder)")
    parser.add_argument("--screenshot", metavar="PNG", help="save the main window to a PNG and quit")
    parser.add_argument("--self-test", action="store_true", help="check this installation end to end (a tiny "
                        "model, a sample task, a one-step optimization, in a temporary folder) and exit 0 if it works")
    parser.add_argument("--quit-when-shown", action="store_true", help="quit as soon as the window is shown "
                        "(to time start-up)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stdout is None:  # a windowed Windows or macOS build has no console to print to
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the app
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test and sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a self-test needs no screen
    from debop_desktop.ui.qt_libraries import missing_libraries_message

    if problem := missing_libraries_message():  # said plainly, before Qt aborts with its own words
        print(problem, file=sys.stderr)
        return 1
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from debop_desktop.core.errors import StoreCorrupt
    from debop_desktop.core.store import open_store
    from debop_desktop.ui.errors import show_error
    from debop_desktop.ui.main_window import MainWindow
    from debop_desktop.ui.resources import resource

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("DeBoP")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource("icon.svg"))))
    if args.self_test:
        from debop_desktop.ui.self_test import run_self_test

        return run_self_test(app, STARTED, args.home)
    try:
        store = open_store(args.home, check=True)  # a damaged file is found now, not mid-work
    except StoreCorrupt as exc:
        from debop_desktop.ui.damaged_store import recover_damaged_store

        recovered = recover_damaged_store(exc)
        if recovered is None:
            return 1
        store = recovered
    except Exception as exc:  # a read-only folder with no database, ...: a message box, never a traceback
        show_error(None, exc)
        return 1
    if store.read_only:
        from debop_desktop.ui.read_only_store import confirm_read_only

        if not confirm_read_only(store):
            store.close()
            return 1
    window = MainWindow(store)
    window.show()
    from debop_desktop.ui.termination import close_on_termination

    close_on_termination(window, window)  # SIGTERM or SIGHUP: close as the close button does
    if args.quit_when_shown:
        app.processEvents()
        print(f"window shown after {time.perf_counter() - STARTED:.3f} s (from the start of the app's code)")
        window.close()
        return 0
    if args.screenshot:
        def shoot() -> None:
            window.grab().save(args.screenshot)
            window.close()
            app.quit()

        QTimer.singleShot(300, shoot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
