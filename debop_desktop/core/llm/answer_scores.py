"""Allowed answers scored by probability for several questions in one go (the calibrated pick,
and any behavior that picks by probability, answering a batch of rows).

One question (`BatchDecoder.answer_logprobs`) decodes its whole prompt but the last token,
then each answer as its own sequence copied from it. For several questions that would decode
the instruction and demonstrations they share once per question. `score_questions` decodes
that shared start once; then, one question after another, the question's own rest of prompt
once for all of its answers (one KV cell per token, tagged with every one of their sequence
ids) and each answer's tokens in its own sequence, in one batch.

The numbers equal the one-question call's on the same engine, to the last bit (tests/
integration/test_batched_scores.py, on the tiny GGUF and SmolLM2). What that takes, measured:
no flash attention (llama_engine.py: with it a token's numbers depend on how many tokens its
batch holds), and one question at a time after the shared start, so that the question's cells
lie in the cache just as they lie when it is asked alone (two questions' rests of prompt in
one batch moved SmolLM2's probabilities in the third decimal).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from debop_desktop.core import messages as msg
from debop_desktop.core.errors import Cancelled, ContextOverflow, DebopError
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.llm.batched import BatchDecoder, common_prefix

Scored = tuple[Sequence[int], Sequence[Sequence[int]]]  # a prompt's tokens, each answer's tokens


def answer_tokens(llm: Any, prompt: Sequence[int], answers: Sequence[str], n_ctx: int) -> list[list[int]]:
    """Each answer's tokens as the continuation of `prompt` (tokenized together with the
    prompt's text, so a merge across the boundary is what the model would see). Raises
    `ContextOverflow` when the prompt and the longest answer do not fit `n_ctx`."""
    if not prompt:
        raise DebopError(msg.ANSWERS_TOO_LONG, "empty prompt")
    text = llm.detokenize(prompt, special=True)
    lists = []
    for answer in answers:
        joint = llm.tokenize(text + answer.encode("utf-8"), add_bos=False, special=True)
        if joint[: len(prompt)] == list(prompt) and len(joint) > len(prompt):
            lists.append(joint[len(prompt):])
        else:
            lists.append(llm.tokenize(answer.encode("utf-8"), add_bos=False, special=False) or [0])
    if len(prompt) + max((len(t) for t in lists), default=0) >= n_ctx:
        raise ContextOverflow(msg.CONTEXT_OVERFLOW.format(prompt=len(prompt), n_ctx=n_ctx))
    return lists


def score_questions(decoder: BatchDecoder, items: Sequence[Scored], cancel: CancelToken | None = None
                    ) -> list[list[float]]:
    """For each (prompt, answers), the summed log-probability of each answer's tokens after the
    prompt: equal to `decoder.answer_logprobs` of each. A question with more answers than the
    decoder has sequences is scored alone by that call."""
    out: list[list[float] | None] = [None] * len(items)
    together = []
    for i, (prompt, answers) in enumerate(items):
        if not answers:
            out[i] = []
        elif len(answers) > decoder.slots:
            out[i] = decoder.answer_logprobs(prompt, answers, cancel)
        else:
            together.append(i)
    if together:
        lib = decoder.lib
        prefix = list(items[together[0]][0][:common_prefix([items[i][0] for i in together])])
        prefix = prefix[: max(0, decoder.n_ctx // 2)]
        decoder._reset()
        batch = lib.llama_batch_init(decoder.n_batch, 0, decoder.slots + 1)
        try:
            decoder._decode_prefix(batch, prefix, cancel)
            for i in together:  # one question at a time: its cells lie as they would alone
                if cancel is not None and cancel.cancelled:
                    raise Cancelled()
                out[i] = _score_one(decoder, batch, items[i][0], items[i][1], len(prefix))
        finally:
            lib.llama_batch_free(batch)
            decoder._reset()
    return [o if o is not None else [] for o in out]


def _score_one(decoder: BatchDecoder, batch: Any, prompt: Sequence[int], answers: Sequence[Sequence[int]],
               p: int) -> list[float]:
    """One question after the shared start (`p` tokens): its rest of prompt once for all its
    answers' sequences, then each answer in its own sequence; logits read after each decode
    (a question longer than the batch is decoded in pieces, each sequence's tokens in order)."""
    lib, mem, seqs = decoder.lib, decoder.mem, tuple(range(len(answers)))
    if p:
        for s in seqs:
            lib.llama_memory_seq_cp(mem, decoder.prefix_seq, s, -1, -1)
    tokens: list[tuple[int, int, tuple[int, ...], tuple[int, int] | None]] = [
        (t, p + k, seqs, None) for k, t in enumerate(prompt[p:-1])]
    for a, answer in enumerate(answers):
        toks = [prompt[-1], *answer]
        for k, token in enumerate(toks[:-1] if len(toks) > 1 else toks):
            tokens.append((token, len(prompt) - 1 + k, (a,), (a, k)))
    scores = [0.0] * len(answers)
    for start in range(0, len(tokens), decoder.n_batch):
        chunk = tokens[start:start + decoder.n_batch]
        for n, (token, pos, on, key) in enumerate(chunk):
            batch.token[n], batch.pos[n], batch.n_seq_id[n], batch.logits[n] = token, pos, len(on), key is not None
            for j, s in enumerate(on):
                batch.seq_id[n][j] = s
        batch.n_tokens = len(chunk)
        decoder._decode(batch)
        for n, (_, _, _, key) in enumerate(chunk):
            if key is not None and key[1] < len(answers[key[0]]):
                scores[key[0]] += float(decoder._log_softmax(n)[answers[key[0]][key[1]]])
    for s in seqs:
        lib.llama_memory_seq_rm(mem, s, -1, -1)
    return scores
