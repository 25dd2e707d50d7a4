"""Before Qt starts: does this Linux system have the X11 libraries Qt's window needs?

Without them Qt prints "could not load the Qt platform plugin xcb" and aborts, which says
nothing to a person. This module imports no Qt (it runs before Qt is loaded) and checks
only when the window would use X11 (the "xcb" platform)."""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from debop_desktop.core import messages

# library Qt's xcb platform plugin loads -> (Debian/Ubuntu package, Fedora package)
XCB_LIBRARIES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will open its window through X11 here."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen == "xcb"
    return not (environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY"))


def _search_dirs() -> list[Path]:
    """Where a bundle or the PySide6 wheel may carry its own copies."""
    dirs = [Path(getattr(sys, "_MEIPASS", "") or "/nonexistent")]
    try:
        import importlib.util

        spec = importlib.util.find_spec("PySide6")  # finds the folder without importing Qt
        if spec and spec.origin:
            dirs.append(Path(spec.origin).parent / "Qt" / "lib")
    except (ImportError, ValueError):
        pass
    return dirs


def _loadable(name: str) -> bool:
    try:
        ctypes.CDLL(name)
        return True
    except OSError:
        return any((d / name).exists() for d in _search_dirs())


def missing_libraries(loadable: Callable[[str], bool] | None = None) -> list[str]:
    check = loadable or _loadable
    return [name for name in XCB_LIBRARIES if not check(name)]


def missing_libraries_message(environ: Mapping[str, str] | None = None, platform: str = sys.platform,
                              loadable: Callable[[str], bool] | None = None) -> str:
    """A plain message naming what to install, or "" when nothing is missing (or X11 is not used)."""
    if not uses_xcb(os.environ if environ is None else environ, platform):
        return ""
    missing = missing_libraries(loadable)
    if not missing:
        return ""
    deb = list(dict.fromkeys(XCB_LIBRARIES[m][0] for m in missing))
    rpm = list(dict.fromkeys(XCB_LIBRARIES[m][1] for m in missing))
    return messages.QT_LIBRARIES_MISSING.format(libs=", ".join(missing), deb=" ".join(deb), rpm=" ".join(rpm))
