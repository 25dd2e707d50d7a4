"""Issue 20 part 3, items 3 and 4: a stored setting the app cannot use gives the default with
a warning (logged; one line in the CLI), and 'questions at once' is checked in one place for
the command line, the Settings page and runs, and blamed when a load fails because of it."""

import logging

import pytest

from debop_desktop.cli import main
from debop_desktop.core import messages
from debop_desktop.core.errors import ModelLoadError
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.host import LoadKey
from debop_desktop.core.runtime import choose_parallel, open_model
from debop_desktop.core.settings import PARALLEL_MAX, Settings


def stored(store, key, text):
    store.execute("INSERT INTO settings (key, value_json) VALUES (?, ?) "
                  "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json", (key, text))


@pytest.mark.parametrize(("key", "text", "expected"), [
    ("threads", "{not json", 0), ("threads", '"lots"', 0), ("threads", "true", 0), ("threads", "2.5", 0),
    ("context_length", "[]", 4096), ("gpu_layers", '"many"', "auto"), ("use_cache", '"yes"', True),
    ("faster_cpu_features", "3", "auto"), ("parallel", "null", 0),
])
def test_a_value_the_app_cannot_use_gives_the_default_and_a_warning(store, caplog, key, text, expected):
    stored(store, key, text)
    with caplog.at_level(logging.WARNING, logger="debop_desktop"):
        assert Settings(store).get(key) == expected  # before: JSONDecodeError, or int('lots') later on
        assert Settings(store).get(key) == expected
    [record] = caplog.records  # said once, not on every read
    assert record.levelno == logging.WARNING and "using the default" in record.getMessage()
    assert messages.SETTING_LABELS[key] in record.getMessage()


@pytest.mark.parametrize(("key", "text", "expected"), [
    ("parallel", "10000", PARALLEL_MAX), ("parallel", "-3", 0), ("threads", "100000", None),
    ("context_length", "12", 256),
])
def test_a_number_out_of_range_is_brought_into_range(store, caplog, key, text, expected):
    from debop_desktop.core.settings import threads_max

    stored(store, key, text)
    with caplog.at_level(logging.WARNING, logger="debop_desktop"):
        value = Settings(store).get(key)
    assert value == (threads_max() if expected is None else expected)
    assert "outside what the app allows" in caplog.text
    Settings(store).set(key, int(text))
    assert store.execute("SELECT value_json FROM settings WHERE key = ?", (key,)).fetchone()[0] == str(value)


def test_the_cli_says_so_in_one_line_and_goes_on(home, store, tiny_gguf, capsys):
    ModelLibrary(store).add(tiny_gguf)
    stored(store, "context_length", "{not json")
    stored(store, "parallel", "10000")
    code = main(["--home", str(home), "models", "info", "1"])
    out, err = capsys.readouterr()
    assert code == 0 and "Memory at 2048 ctx, 32 at once" in out  # before: 'Something unexpected' (JSON)
    notes = [line for line in err.splitlines() if line.startswith("Note: ")]
    assert len(notes) == 2 and "'Longest context'" in notes[0] and "'Questions at once' is '10000'" in notes[1]


def test_parallel_on_the_command_line_is_checked(home, capsys):
    with pytest.raises(SystemExit) as info:  # before: 'could not be loaded… the file may be damaged'
        main(["--home", str(home), "optimize", "--model", "1", "--dataset", "1", "--parallel", "256"])
    assert info.value.code == 2
    assert messages.ARG_PARALLEL.format(limit=PARALLEL_MAX, value="256") in capsys.readouterr().err


def test_runs_use_the_parallel_the_settings_page_shows(store, tiny_gguf):
    record = ModelLibrary(store).add(tiny_gguf).record
    stored(store, "parallel", "10000")
    assert choose_parallel(record, 512, Settings(store)) == PARALLEL_MAX  # before: 10000 (the page showed 32)
    assert choose_parallel(record, 512, Settings(store), requested=500) == PARALLEL_MAX


class FakeHost:
    """Loads fail with several questions at once (`fails_from`) and work one at a time."""

    def __init__(self, fails_from):
        self.fails_from, self.keys, self.released = fails_from, [], []

    def acquire(self, key: LoadKey, name, *, user, swap=True):
        self.keys.append(key.n_parallel)
        if key.n_parallel >= self.fails_from:
            raise ModelLoadError(messages.MODEL_LOAD_FAILED.format(name=name), "Failed to create llama_context")
        return object(), object()

    def release(self, user):
        self.released.append(user)


def test_a_load_that_fails_because_of_parallel_blames_the_setting(store, tiny_gguf):
    record = ModelLibrary(store).add(tiny_gguf).record
    Settings(store).set("parallel", 16)
    host = FakeHost(fails_from=2)
    with pytest.raises(ModelLoadError) as info:
        open_model(record, Settings(store), user="run", host=host)
    assert host.keys == [16, 1] and host.released == ["run"]
    assert info.value.message == messages.MODEL_LOAD_FAILED_PARALLEL.format(name=record.name, parallel=16)
    assert "damaged" not in info.value.message and info.value.details == "Failed to create llama_context"


def test_a_load_that_fails_one_at_a_time_too_is_not_blamed_on_the_setting(store, tiny_gguf):
    record = ModelLibrary(store).add(tiny_gguf).record
    Settings(store).set("parallel", 16)
    host = FakeHost(fails_from=1)
    with pytest.raises(ModelLoadError) as info:
        open_model(record, Settings(store), user="run", host=host)
    assert host.keys == [16, 1] and info.value.message == messages.MODEL_LOAD_FAILED.format(name=record.name)
