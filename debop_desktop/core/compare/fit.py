"""Can this model take part in a comparison on this computer? Memory and file checks."""

from __future__ import annotations

from debop_desktop.core import messages as msg
from debop_desktop.core.library import ModelRecord
from debop_desktop.core.memory import MemoryEstimate
from debop_desktop.core.runtime import choose_context, memory_for, parallel_for
from debop_desktop.core.settings import Settings
from debop_desktop.core.units import human_bytes


def memory_needed(record: ModelRecord, settings: Settings) -> MemoryEstimate | None:
    """The memory a run would load `record` with (the Settings' context and questions at once),
    as the Models page estimates it; None for a model on a server."""
    if record.is_remote:
        return None
    return memory_for(record, choose_context(record, None, settings), parallel_for(record, settings))


def skip_reason(record: ModelRecord, settings: Settings, memory_limit: int | None) -> str | None:
    """Why `record` cannot run in the comparison, in one sentence; None when it can. With
    `memory_limit` (bytes) the model must need no more than that; without, it must fit in this
    computer's free memory (and graphics memory) as the memory estimate says."""
    if not record.file_present:
        return msg.COMPARE_SKIPPED_MISSING
    estimate = memory_needed(record, settings)
    if estimate is None:
        return None
    if memory_limit is not None:
        if estimate.total_bytes > memory_limit:
            return msg.COMPARE_SKIPPED_MEMORY.format(need=human_bytes(estimate.total_bytes),
                                                     have=human_bytes(memory_limit), where=msg.COMPARE_LIMIT_SET)
        return None
    if not estimate.fits:
        return msg.COMPARE_SKIPPED_MEMORY.format(need=human_bytes(estimate.total_bytes),
                                                 have=human_bytes(estimate.available_ram or 0),
                                                 where=msg.COMPARE_LIMIT_FREE)
    return None
