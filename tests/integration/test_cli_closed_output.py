"""`debop … | head -1`: when the reader closes the pipe early, the command stops quietly, with the
status of a Unix tool ended by SIGPIPE (141), never 'BrokenPipeError' (issue 20, part 3)."""

import subprocess
import sys
from pathlib import Path

from debop_desktop.cli import main

EXE = str(Path(sys.executable).parent / "debop")


def test_a_pipe_closed_early_ends_the_command_quietly(home, tmp_path, capsys):
    rows = ["question,answer"] + [f"How many legs do {i} spiders and {i + 1} ants have together?,{14 * i + 6}"
                                  for i in range(3000)]
    (tmp_path / "legs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["--home", str(home), "datasets", "import", str(tmp_path / "legs.csv")]) == 0
    # far more than a pipe holds (64 KB), so the command is still writing when the reader leaves
    args = ["datasets", "show", "1", "--limit", "3000"]  # line by line, about 240 KB
    proc = subprocess.Popen([EXE, "--home", str(home), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline(), proc.stderr.read()  # `head -1`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141, err  # before: 1, after "Error: Something unexpected … BrokenPipeError"
    assert err == ""
