"""Find GGUF models that other local-AI apps already downloaded.

Looks only where LM Studio, Ollama, GPT4All, Jan and the Hugging Face cache keep models
(never the whole home folder), with a depth limit, so it is quick however big the home
folder is. Reads a file's first four bytes to confirm it is a GGUF; reads nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from debop_desktop.core.gguf_info import is_gguf_file

_MAX_DEPTH = 6
_SHARD = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)
OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model"


@dataclass(frozen=True)
class FoundModel:
    path: str
    app: str
    name: str
    size_bytes: int


@dataclass
class DiscoveryReport:
    found: list[FoundModel] = field(default_factory=list)
    folders_searched: list[str] = field(default_factory=list)
    directories_visited: int = 0


@dataclass(frozen=True)
class _Place:
    app: str
    folder: Path
    layout: str  # "tree" | "ollama" | "hf"


def known_places(home: Path, env: Mapping[str, str], platform: str) -> list[_Place]:
    """Every folder the supported apps use on `platform` ("linux", "darwin", "win32")."""
    places: list[_Place] = []
    win, mac = platform == "win32", platform == "darwin"
    local = Path(env.get("LOCALAPPDATA", home / "AppData" / "Local"))
    roaming = Path(env.get("APPDATA", home / "AppData" / "Roaming"))
    xdg_data = Path(env.get("XDG_DATA_HOME", home / ".local" / "share"))
    xdg_cache = Path(env.get("XDG_CACHE_HOME", home / ".cache"))
    app_support = home / "Library" / "Application Support"

    # LM Studio (0.3+: ~/.lmstudio; older: ~/.cache/lm-studio); a home pointer may move it.
    lms_home = home / ".lmstudio"
    pointer = home / ".lmstudio-home-pointer"
    if pointer.is_file():
        with contextlib.suppress(OSError):
            lms_home = Path(pointer.read_text(encoding="utf-8").strip())
    places.append(_Place("LM Studio", lms_home / "models", "tree"))
    places.append(_Place("LM Studio", home / ".cache" / "lm-studio" / "models", "tree"))
    downloads = _lmstudio_downloads_folder(lms_home)
    if downloads:
        places.append(_Place("LM Studio", downloads, "tree"))

    # Ollama: blobs named by digest, names in manifests.
    if env.get("OLLAMA_MODELS"):
        places.append(_Place("Ollama", Path(env["OLLAMA_MODELS"]), "ollama"))
    places.append(_Place("Ollama", home / ".ollama" / "models", "ollama"))
    if platform == "linux":
        places.append(_Place("Ollama", Path("/usr/share/ollama/.ollama/models"), "ollama"))

    # GPT4All
    gpt4all = local if win else (app_support if mac else xdg_data)
    places.append(_Place("GPT4All", gpt4all / "nomic.ai" / "GPT4All", "tree"))

    # Jan (legacy ~/jan; newer keeps a data folder per platform)
    places.append(_Place("Jan", home / "jan" / "models", "tree"))
    jan_data = roaming if win else (app_support if mac else xdg_data)
    places.append(_Place("Jan", jan_data / "Jan" / "data", "tree"))

    # Hugging Face hub cache
    if env.get("HF_HUB_CACHE"):
        places.append(_Place("Hugging Face", Path(env["HF_HUB_CACHE"]), "hf"))
    hf_home = Path(env["HF_HOME"]) if env.get("HF_HOME") else xdg_cache / "huggingface"
    places.append(_Place("Hugging Face", hf_home / "hub", "hf"))

    unique: dict[Path, _Place] = {}
    for place in places:
        unique.setdefault(place.folder, place)
    return list(unique.values())


def discover_models(
    home: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_folder: Callable[[str], None] | None = None,
) -> DiscoveryReport:
    """Scan the known places; `on_folder(path)` is called as each place is searched."""
    home_path = Path(home) if home else Path.home()
    env = os.environ if env is None else env
    report = DiscoveryReport()
    seen: set[str] = set()
    for place in known_places(home_path, env, platform or sys.platform):
        if should_stop and should_stop():
            break
        if not place.folder.is_dir():
            continue
        report.folders_searched.append(str(place.folder))
        if on_folder:
            on_folder(str(place.folder))
        scan = _scan_ollama if place.layout == "ollama" else _scan_tree
        for found in scan(place, report):
            key = os.path.realpath(found.path)
            if key not in seen:
                seen.add(key)
                report.found.append(found)
    return report


def _scan_tree(place: _Place, report: DiscoveryReport):
    root_depth = len(place.folder.parts)
    for dirpath, dirnames, filenames in os.walk(place.folder, followlinks=False):
        report.directories_visited += 1
        if len(Path(dirpath).parts) - root_depth >= _MAX_DEPTH:
            dirnames.clear()
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "blobs"]
        for fname in filenames:
            if not fname.lower().endswith(".gguf"):
                continue
            shard = _SHARD.search(fname)
            if shard and int(shard.group(1)) != 1:
                continue  # llama.cpp loads a split model from its first part
            path = os.path.join(dirpath, fname)
            if fname.lower().startswith("mmproj") or not is_gguf_file(path):
                continue  # vision projectors are not chat models
            yield FoundModel(path, place.app, _display_name(place, Path(path)), _size(path))


def _scan_ollama(place: _Place, report: DiscoveryReport):
    manifests = place.folder / "manifests"
    if not manifests.is_dir():
        return
    for dirpath, _dirs, filenames in os.walk(manifests):
        report.directories_visited += 1
        for tag in filenames:
            manifest = Path(dirpath) / tag
            digest = _ollama_model_digest(manifest)
            if not digest:
                continue
            blob = place.folder / "blobs" / digest.replace(":", "-")
            if blob.is_file() and is_gguf_file(blob):
                parts = manifest.relative_to(manifests).parts  # registry/namespace/model/tag
                model = parts[-2] if len(parts) >= 2 else manifest.parent.name
                namespace = parts[-3] if len(parts) >= 3 else "library"
                name = f"{model}:{tag}" if namespace == "library" else f"{namespace}/{model}:{tag}"
                yield FoundModel(str(blob), place.app, name, _size(str(blob)))


def _ollama_model_digest(manifest: Path) -> str | None:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        for layer in data.get("layers", []):
            if layer.get("mediaType") == OLLAMA_MODEL_LAYER:
                return str(layer["digest"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


def _lmstudio_downloads_folder(lms_home: Path) -> Path | None:
    try:
        settings = json.loads((lms_home / "settings.json").read_text(encoding="utf-8"))
        folder = settings.get("downloadsFolder")
        return Path(folder) if isinstance(folder, str) and folder else None
    except (OSError, ValueError, AttributeError):
        return None


def _display_name(place: _Place, path: Path) -> str:
    if place.layout == "hf":
        repo = next((p for p in path.parts if p.startswith("models--")), "")
        if repo:
            return repo.removeprefix("models--").replace("--", "/", 1) + ": " + path.name
    return path.stem


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
