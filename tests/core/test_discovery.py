import json
import shutil

import pytest

from debop_desktop.core.discovery import OLLAMA_MODEL_LAYER, discover_models


def put(src, dest):
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, dest)
    return dest


def ollama(root, tiny, model="smollm2", tag="135m", namespace="library"):
    digest = "sha256:" + "ab" * 32
    put(tiny, root / "blobs" / digest.replace(":", "-"))
    manifest = root / "manifests" / "registry.ollama.ai" / namespace / model / tag
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({"layers": [
        {"mediaType": "application/vnd.ollama.image.template", "digest": "sha256:" + "cd" * 32},
        {"mediaType": OLLAMA_MODEL_LAYER, "digest": digest}]}))


def names(report):
    return sorted((f.app, f.name) for f in report.found)


def test_linux_layouts(tmp_path, tiny_gguf):
    home = tmp_path / "home"
    put(tiny_gguf, home / ".lmstudio/models/lmstudio-community/Tiny-GGUF/tiny-Q4_K_M.gguf")
    put(tiny_gguf, home / ".cache/lm-studio/models/old/Old-GGUF/old.gguf")
    ollama(home / ".ollama/models", tiny_gguf)
    put(tiny_gguf, home / ".local/share/nomic.ai/GPT4All/gpt4all-tiny.gguf")
    put(tiny_gguf, home / "jan/models/tiny-jan/model.gguf")
    hf = home / ".cache/huggingface/hub/models--org--Tiny-GGUF"
    blob = put(tiny_gguf, hf / "blobs" / ("ef" * 32))
    snap = hf / "snapshots/abc123/tiny.Q8_0.gguf"
    snap.parent.mkdir(parents=True)
    snap.symlink_to(blob)
    report = discover_models(home=home, env={}, platform="linux")
    assert names(report) == [
        ("GPT4All", "gpt4all-tiny"), ("Hugging Face", "org/Tiny-GGUF: tiny.Q8_0.gguf"),
        ("Jan", "model"), ("LM Studio", "old"), ("LM Studio", "tiny-Q4_K_M"),
        ("Ollama", "smollm2:135m"),
    ]


def test_macos_and_windows_folders(tmp_path, tiny_gguf):
    home = tmp_path / "home"
    put(tiny_gguf, home / "Library/Application Support/nomic.ai/GPT4All/mac.gguf")
    put(tiny_gguf, home / "Library/Application Support/Jan/data/models/m/mac-jan.gguf")
    assert names(discover_models(home=home, env={}, platform="darwin")) == [
        ("GPT4All", "mac"), ("Jan", "mac-jan")]
    local, roaming = tmp_path / "Local", tmp_path / "Roaming"
    put(tiny_gguf, local / "nomic.ai/GPT4All/win.gguf")
    put(tiny_gguf, roaming / "Jan/data/llamacpp/models/w/win-jan.gguf")
    env = {"LOCALAPPDATA": str(local), "APPDATA": str(roaming)}
    assert names(discover_models(home=home, env=env, platform="win32")) == [
        ("GPT4All", "win"), ("Jan", "win-jan")]


def test_environment_overrides(tmp_path, tiny_gguf):
    ollama(tmp_path / "custom-ollama", tiny_gguf, model="phi", tag="latest", namespace="someone")
    put(tiny_gguf, tmp_path / "hfcache/models--a--b/snapshots/r/x.gguf")
    env = {"OLLAMA_MODELS": str(tmp_path / "custom-ollama"), "HF_HUB_CACHE": str(tmp_path / "hfcache")}
    report = discover_models(home=tmp_path / "empty-home", env=env, platform="linux")
    assert names(report) == [("Hugging Face", "a/b: x.gguf"), ("Ollama", "someone/phi:latest")]


def test_skips_non_models_shards_and_projectors(tmp_path, tiny_gguf):
    models = tmp_path / "home/.lmstudio/models/pub/repo"
    put(tiny_gguf, models / "big-00001-of-00003.gguf")
    put(tiny_gguf, models / "big-00002-of-00003.gguf")
    put(tiny_gguf, models / "mmproj-model-f16.gguf")
    (models / "fake.gguf").write_text("not a model")
    (models / "README.md").write_text("hi")
    report = discover_models(home=tmp_path / "home", env={}, platform="linux")
    assert names(report) == [("LM Studio", "big-00001-of-00003")]


def test_empty_home_finds_nothing(tmp_path):
    report = discover_models(home=tmp_path, env={}, platform="linux")
    assert report.found == [] and report.folders_searched == []


def test_big_home_folder_is_not_walked(tmp_path, tiny_gguf):
    home = tmp_path / "home"
    for i in range(300):  # 300 folders x 10 files of someone's documents
        d = home / "Documents" / f"project-{i}"
        d.mkdir(parents=True)
        for j in range(10):
            (d / f"notes-{j}.txt").write_text("x")
    put(tiny_gguf, home / "Documents/stray.gguf")  # not an app folder: not found
    put(tiny_gguf, home / ".lmstudio/models/p/r/m.gguf")
    report = discover_models(home=home, env={}, platform="linux")
    assert names(report) == [("LM Studio", "m")]
    assert report.directories_visited < 10  # the 300 document folders were never entered


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_each_platform_lists_every_app(tmp_path, platform):
    from debop_desktop.core.discovery import known_places

    apps = {p.app for p in known_places(tmp_path, {}, platform)}
    assert apps == {"LM Studio", "Ollama", "GPT4All", "Jan", "Hugging Face"}
