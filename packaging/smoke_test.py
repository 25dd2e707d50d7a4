"""The packaged smoke test (`make package-test`): install the Linux .tar.gz the way a person
would, into a temporary home, and check the installed app works with no Python of ours around.

1. unpack the archive and run install.sh (no root; HOME points at a temporary folder);
2. run the installed `debop-desktop --self-test` with a bare environment (no venv, no
   PYTHONPATH, PATH of /usr/bin:/bin only): window, tiny GGUF, sample task, one-step run;
3. run the installed `debop` command line;
4. time start-up to the window, packaged and from source, 3 times each;
5. check that the app wrote nothing inside its own folder, and measure the bundle's size;
6. look for AVX-512 instructions in the bundled llama.cpp CPU library (portable build);
7. run uninstall.sh and check that it removed what install.sh put in place.

Prints one table; exits 1 at the first failed check.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fail(message: str) -> None:
    print(f"FAILED: {message}")
    sys.exit(1)


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(f"{p.relative_to(folder)}:{p.stat().st_size if p.is_file() else 'dir'}\n".encode())
    return h.hexdigest()


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def bare_env(home: Path, **extra: str) -> dict[str, str]:
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen", **extra}


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        fail(f"{' '.join(cmd)} exited {out.returncode}: {out.stdout[-2000:]} {out.stderr[-2000:]}")
    return time.perf_counter() - start


def main() -> int:
    archives = sorted(glob.glob(str(ROOT / "dist" / "DeBoP-Desktop-*-linux-*.tar.gz")))
    if not archives:
        fail("no dist/DeBoP-Desktop-*.tar.gz: run `make package` first")
    archive = Path(archives[-1])
    work = Path(tempfile.mkdtemp(prefix="debop-package-test-"))
    home = work / "home"
    home.mkdir()
    rows: list[tuple[str, str]] = [("archive", f"{archive.name}, {archive.stat().st_size / 1e6:.0f} MB")]
    with tarfile.open(archive) as tar:
        tar.extractall(work / "unpacked", filter="tar")
    folder = next((work / "unpacked").iterdir())
    out = subprocess.run(["sh", str(folder / "install.sh")], env=bare_env(home), capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"install.sh: {out.stdout} {out.stderr}")
    app_dir = home / ".local/share/debop-desktop/app"
    entry = home / ".local/share/applications/debop-desktop.desktop"
    gui, cli = home / ".local/bin/debop-desktop", home / ".local/bin/debop"
    for path in (app_dir / "debop-desktop", entry, gui, cli, home / ".local/share/icons/hicolor/scalable/apps"
                 / "debop-desktop.svg"):
        if not path.exists():
            fail(f"install.sh did not create {path}")
    exec_line = next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    if not os.access(exec_line.split("=", 1)[1].split()[0], os.X_OK):
        fail(f"the menu entry's {exec_line} is not an executable")
    rows.append(("install.sh", f"ok: {app_dir}, menu entry, icon, ~/.local/bin links"))
    before = tree_digest(app_dir)

    env = bare_env(home)
    start = time.perf_counter()
    test = subprocess.run([str(gui), "--self-test"], env=env, capture_output=True, text=True, timeout=600)
    self_test_s = time.perf_counter() - start
    print(test.stdout)
    if test.returncode != 0 or '"step": "passed"' not in test.stdout:
        fail(f"--self-test exited {test.returncode}: {test.stdout[-3000:]} {test.stderr[-3000:]}")
    if '"step": "worker"' not in test.stdout:
        fail(f"--self-test did not show the model in a worker process: {test.stdout[-3000:]}")
    rows.append(("installed --self-test", f"passed in {self_test_s:.1f} s (window, tiny GGUF, sample task, run in "
                 "the inference worker)"))
    version = subprocess.run([str(cli), "--version"], env=env, capture_output=True, text=True)
    listed = subprocess.run([str(cli), "models", "list"], env=bare_env(home, DEBOP_HOME=str(work / "cli-home")),
                            capture_output=True, text=True)
    if version.returncode or listed.returncode:
        fail(f"debop: {version.stderr} {listed.stdout} {listed.stderr}")
    rows.append(("installed debop", f"{version.stdout.strip()}; `models list` ok"))

    packaged = [timed([str(gui), "--quit-when-shown", "--home", str(work / "t")], env) for _ in range(3)]
    source_bin = ROOT / ".venv" / "bin" / "debop-desktop"
    source = [timed([str(source_bin), "--quit-when-shown", "--home", str(work / "s")],
                    {**os.environ, "QT_QPA_PLATFORM": "offscreen"}) for _ in range(3)] if source_bin.exists() else []
    rows.append(("start-up to window, packaged", ", ".join(f"{t:.2f}" for t in packaged)
                 + f" s (median {statistics.median(packaged):.2f} s)"))
    if source:
        rows.append(("start-up to window, from source", ", ".join(f"{t:.2f}" for t in source)
                     + f" s (median {statistics.median(source):.2f} s)"))
    if tree_digest(app_dir) != before:
        fail("the app wrote inside its own folder")
    rows.append(("writes next to itself", "no (the app folder is unchanged after all runs)"))
    rows.append(("bundle size", f"{size_mb(app_dir):.0f} MB unpacked"))

    cpu_libs = sorted(app_dir.rglob("libggml-cpu*.so*"))
    if shutil.which("objdump") and cpu_libs:
        lib = next(p for p in cpu_libs if not p.is_symlink())
        dump = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(lib)], capture_output=True, text=True).stdout
        zmm = dump.count("%zmm")
        rows.append(("AVX-512 in " + lib.name, f"{zmm} instructions using zmm registers"))
        if zmm:
            fail(f"{lib.name} uses AVX-512: the portable build (GGML_NATIVE=OFF) was not used")

    out = subprocess.run(["sh", str(folder / "uninstall.sh")], env=bare_env(home), capture_output=True, text=True)
    leftovers = [p for p in (app_dir, entry, gui, cli) if p.exists() or p.is_symlink()]
    if out.returncode or leftovers:
        fail(f"uninstall.sh left {leftovers}: {out.stderr}")
    rows.append(("uninstall.sh", "removed the app, menu entry, icon and links"))
    shutil.rmtree(work, ignore_errors=True)
    width = max(len(k) for k, _ in rows)
    print("\n".join(f"{k.ljust(width)}  {v}" for k, v in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
