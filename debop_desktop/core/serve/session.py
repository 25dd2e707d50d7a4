"""A run's shipped behavior, made ready to serve (the CLI and the app's switch alike)."""

from __future__ import annotations

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.llm.base import ChatBackend
from debop_desktop.core.optimizer.export import TunedBehavior
from debop_desktop.core.scoring.scorers import get_scorer, score_output
from debop_desktop.core.serve.app import make_app
from debop_desktop.core.serve.server import LocalServer
from debop_desktop.core.store import Store


def model_name(run_id: int) -> str:
    return f"debop-run-{run_id}"


def serving(store: Store, tuned: TunedBehavior, backend: ChatBackend, host: str, port: int
            ) -> tuple[LocalServer, str]:
    """A server (bound, not yet serving) for `tuned` on `backend`, and the sentence that says
    where it listens. Raises `DebopError` for a non-loopback host or a taken port."""
    dataset = DatasetRepository(store).get(tuned.run["dataset_id"])
    scorer = get_scorer(dataset.scorer, **dataset.scorer_options)
    name = model_name(tuned.run_id)
    app = make_app(tuned, backend, name, lambda text, q: score_output(text, "", scorer, q).extracted)
    server = LocalServer(app, host, port)
    words = msg.SERVE_LISTENING.format(run=tuned.run_id, label=tuned.label.lower(), host=server.host,
                                       port=server.port, model=name)
    return server, words
