"""Write a file the person asked for (an export), with a plain message for every way it fails.

A regular file is written to a temporary name next to it and moved into place at the end, so
a full disk or a failed write never leaves half a file or destroys the file it was replacing.
Devices and pipes (/dev/stdout, /dev/full) are written directly.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from debop_desktop.core import messages
from debop_desktop.core.errors import DebopError
from debop_desktop.core.units import human_bytes


class OutputFileError(DebopError):
    """The file could not be written; nothing was written (or the old file is unchanged)."""


class OutputFileExists(OutputFileError):
    """The file exists and replacing it was not asked for."""


def write_text_file(path: str | os.PathLike[str], text: str, *, overwrite: bool = False,
                    encoding: str = "utf-8") -> Path:
    """Write `text` to `path`; raise `OutputFileError` with a plain message on any failure."""
    with open_for_writing(path, overwrite=overwrite, encoding=encoding) as fh:
        fh.write(text)
    return Path(path).expanduser()


@contextlib.contextmanager
def open_for_writing(path: str | os.PathLike[str], *, overwrite: bool = False, encoding: str = "utf-8",
                     newline: str | None = None) -> Iterator[TextIO]:
    """A text file handle whose contents land at `path` only if the whole block succeeds."""
    p = Path(path).expanduser()
    st = _stat(p)
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputFileError(messages.WRITE_IS_FOLDER.format(path=p, example="export.txt"))
    if st is not None and not stat.S_ISREG(st.st_mode):  # a device or a pipe: no temporary file
        try:
            with open(p, "w", encoding=encoding, newline=newline) as fh:
                yield fh
        except OSError as exc:
            raise _error(p, exc) from exc
        return
    if st is not None and not overwrite:
        raise OutputFileExists(messages.WRITE_EXISTS.format(path=p))
    parent = p.parent
    if not parent.is_dir():
        raise OutputFileError(messages.WRITE_NO_FOLDER.format(folder=parent, path=p))
    try:
        fd, temp = tempfile.mkstemp(dir=parent, prefix=f".{p.name}.", suffix=".part")
    except OSError as exc:
        raise _error(p, exc) from exc
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            with contextlib.suppress(OSError):
                os.chmod(temp, stat.S_IMODE(st.st_mode))
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, p)
    except OSError as exc:
        raise _error(p, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _stat(p: Path) -> os.stat_result | None:
    try:
        return p.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _error(p, exc) from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _error(p: Path, exc: OSError) -> OutputFileError:
    code = exc.errno
    if code == errno.ELOOP:
        return OutputFileError(messages.SYMLINK_LOOP.format(path=p), str(exc))
    if code in (errno.ENOENT, errno.ENOTDIR) and not p.parent.is_dir():
        return OutputFileError(messages.WRITE_NO_FOLDER.format(folder=p.parent, path=p), str(exc))
    if code in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT):  # ENOENT: a folder like /proc
        return OutputFileError(messages.WRITE_NOT_ALLOWED.format(path=p), str(exc))
    if code == errno.EISDIR:
        return OutputFileError(messages.WRITE_IS_FOLDER.format(path=p, example="export.txt"), str(exc))
    if code in (errno.ENOSPC, errno.EDQUOT):
        return OutputFileError(messages.WRITE_DISK_FULL.format(path=p), str(exc))
    return OutputFileError(messages.WRITE_FAILED.format(path=p, why=exc.strerror or exc), str(exc))


def free_space(folder: str | os.PathLike[str]) -> int | None:
    """Bytes free on the disk holding `folder` (None when it cannot be told)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def free_space_text(folder: str | os.PathLike[str]) -> str:
    free = free_space(folder)
    return "unknown" if free is None else human_bytes(free)
