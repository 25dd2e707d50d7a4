"""Language-model backends behind one interface (`ChatBackend`)."""

from debop_desktop.core.llm.base import (
    CancelToken,
    ChatBackend,
    ChatMessage,
    Completion,
    GenerationParams,
)

__all__ = ["CancelToken", "ChatBackend", "ChatMessage", "Completion", "GenerationParams"]
