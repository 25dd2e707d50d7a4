"""Issue 14: `debop runs show` (text and --json) is drawn from the one run view the Optimize
and Results pages read, so all three say the same about a run."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from run_helpers import drain  # noqa: E402
from simulated_env import simulated_backend  # noqa: E402
from test_optimizer_run import CFG, make_dataset  # noqa: E402

from debop_desktop.cli import main  # noqa: E402
from debop_desktop.core.optimizer.report import run_view  # noqa: E402
from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402
from debop_desktop.core.optimizer.verdict import verdict_name  # noqa: E402

SMALL = ["--iterations", "3", "--dev-limit", "8", "--test-limit", "6", "--threads", "1"]


def run(capsys, home, *args):
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


def agrees_with_the_view(capsys, home, store, run_id):
    view = run_view(store, run_id)
    code, out, err = run(capsys, home, "runs", "show", str(run_id))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[2] == view.headline  # the verdict first, right under the run's line
    assert f"task '{view.dataset}'" in lines[0] and (f"model '{view.model}'" in lines[0]) == bool(view.model)
    drawn = [line for line in lines if line.lstrip().startswith("• node ")]
    tries = [line.strip() for line in drawn]
    depth: dict[int, int] = {}
    for n in view.nodes:  # ids grow with time, so a parent comes before its children
        depth[n.id] = 0 if n.parent_id is None else depth[n.parent_id] + 1
    assert sorted(int(t.split()[2]) for t in tries) == sorted(depth)  # every try once
    assert [(len(line) - len(line.lstrip())) // 2 for line in drawn] == [depth[int(t.split()[2])] for t in tries]
    assert [t for t in tries if t.endswith("★ best")] == [
        t for t in tries if int(t.split()[2]) == view.best_node_id]
    for b in view.baselines:
        assert f"{b.correct}/{b.n}" in out
    code, out, err = run(capsys, home, "--json", "runs", "show", str(run_id))
    shown = json.loads(out)
    assert code == 0 and shown["headline"] == view.headline and shown["warnings"] == list(view.warnings)
    assert [(n["id"], n["parent_id"], n["operator"], n["reward"]) for n in shown["nodes"]] == [
        (n.id, n.parent_id, n.operator, n.reward) for n in view.nodes]
    assert [b["method"] for b in shown["baselines"]] == [verdict_name(b.method) for b in view.baselines]
    assert shown["shipped"]["method"] == verdict_name(view.shipped) and shown["run"]["status"] == view.status
    return view, out


def test_a_run_of_the_tiny_model_reads_the_same_on_the_command_line_as_in_its_view(capsys, home, store,
                                                                                    tiny_gguf):
    assert run(capsys, home, "models", "add", str(tiny_gguf))[0] == 0
    assert run(capsys, home, "datasets", "sample", "arithmetic", "--n", "60", "--seed", "1")[0] == 0
    code, _, err = run(capsys, home, "optimize", "--model", "1", "--dataset", "1", "--preset", "quick", *SMALL)
    assert code == 0, err
    view, _ = agrees_with_the_view(capsys, home, store, 1)
    assert view.status == "finished" and view.nodes and view.baselines and view.seed is not None


def test_the_verdict_what_ships_and_the_notes_come_from_the_view(capsys, home, store):
    d, answers = make_dataset(store)
    _, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40))
    view, _ = agrees_with_the_view(capsys, home, store, result.run_id)
    assert view.verdict is not None and view.headline == result.verdict["sentence"]
    out = run(capsys, home, "runs", "show", str(result.run_id))[1]
    assert all(f"Note: {w}" in out for w in view.warnings) and view.shipped_reason in out


def test_an_unknown_run_is_a_plain_error(capsys, home, store):
    code, _, err = run(capsys, home, "runs", "show", "9")
    assert code == 1 and "There is no run number 9." in err and "Traceback" not in err
