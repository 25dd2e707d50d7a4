"""A plain message, before Qt starts, when the X11 libraries Qt's window needs are missing."""

from debop_desktop import app
from debop_desktop.ui import qt_libraries
from debop_desktop.ui.qt_libraries import XCB_LIBRARIES, missing_libraries_message, uses_xcb


def test_only_an_x11_window_is_checked():
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert uses_xcb({"DISPLAY": ":0"}, "linux")  # Qt's default on an X11 session
    assert not uses_xcb({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not uses_xcb({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "darwin") and not uses_xcb({}, "win32")


def test_the_message_names_the_packages_for_debian_ubuntu_and_fedora():
    missing = {"libxcb-cursor.so.0", "libxcb-icccm.so.4"}
    text = missing_libraries_message({"QT_QPA_PLATFORM": "xcb"}, "linux", loadable=lambda n: n not in missing)
    assert "libxcb-cursor.so.0" in text and "libxcb-icccm.so.4" in text
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4" in text
    assert "sudo dnf install xcb-util-cursor xcb-util-wm" in text
    assert missing_libraries_message({"QT_QPA_PLATFORM": "xcb"}, "linux", loadable=lambda n: True) == ""
    assert missing_libraries_message({"QT_QPA_PLATFORM": "offscreen"}, "linux", loadable=lambda n: False) == ""


def test_the_check_finds_a_library_that_is_really_there():
    assert qt_libraries._loadable("libc.so.6")
    assert not qt_libraries._loadable("libdebop-no-such-library.so.9")
    assert set(qt_libraries.missing_libraries()) <= set(XCB_LIBRARIES)


def test_the_app_says_so_and_stops_before_qt(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(qt_libraries, "_loadable", lambda name: name != "libxcb-cursor.so.0")
    assert app.main(["--home", str(tmp_path / "home")]) == 1
    err = capsys.readouterr().err
    assert "cannot open its window" in err and "libxcb-cursor0" in err and "xcb-util-cursor" in err
    assert not (tmp_path / "home").exists()  # stopped before anything else happened
