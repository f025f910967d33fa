"""Training files (OpenAI's chat and preference JSONL, as ftpipe's stages write them) → TRL datasets.

Chat rows become TRL's conversational format (`messages`, or `prompt`/`completion` when the model's chat template
cannot mark assistant turns); preference rows become `prompt`/`chosen`/`rejected`. Rows longer than max_length
are found here, before training, and reported by line (TRL would cut them silently).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import DriverError


@dataclass
class LongRows:
    lines: list[int]
    longest: int
    total: int


def read_rows(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DriverError(f"{path}:{number}: not JSON ({error.msg})", code="DATA_INVALID") from error
            yield number, row


def chat_rows(path: str) -> list[tuple[int, list[dict[str, str]]]]:
    rows = []
    for number, row in read_rows(path):
        messages = row.get("messages") if isinstance(row, dict) else None
        if not isinstance(messages, list) or not messages:
            raise DriverError(f"{path}:{number}: a chat row needs a non-empty `messages` list", code="DATA_INVALID", hint="supervised training takes chat JSONL: {\"messages\": [...]}")
        rows.append((number, [_message(m, path, number) for m in messages]))
    return rows


def preference_rows(path: str) -> list[tuple[int, dict[str, list[dict[str, str]]]]]:
    rows = []
    for number, row in read_rows(path):
        try:
            prompt = [_message(m, path, number) for m in row["input"]["messages"]]
            chosen = [_message(m, path, number) for m in row["preferred_output"]]
            rejected = [_message(m, path, number) for m in row["non_preferred_output"]]
        except (KeyError, TypeError) as error:
            raise DriverError(
                f"{path}:{number}: a preference row needs input.messages, preferred_output and non_preferred_output",
                code="DATA_INVALID",
                hint="method: dpo takes OpenAI's preference JSONL (see docs/trl.md)",
            ) from error
        rows.append((number, {"prompt": prompt, "chosen": chosen, "rejected": rejected}))
    return rows


def sft_dataset(rows, *, split_last_turn: bool):
    """`messages` rows; or, for templates without assistant markers, the last assistant turn as the completion."""
    from datasets import Dataset

    if not split_last_turn:
        return Dataset.from_list([{"messages": messages} for _, messages in rows])
    records = []
    for _, messages in rows:
        last = max((i for i, m in enumerate(messages) if m["role"] == "assistant"), default=None)
        if last is None:
            continue
        records.append({"prompt": messages[:last], "completion": [messages[last]]})
    return Dataset.from_list(records)


def dpo_dataset(rows):
    from datasets import Dataset

    return Dataset.from_list([row for _, row in rows])


def sft_lengths(rows, tokenizer) -> Iterator[tuple[int, int]]:
    for number, messages in rows:
        yield number, len(tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True)["input_ids"])


def dpo_lengths(rows, tokenizer) -> Iterator[tuple[int, int]]:
    for number, row in rows:
        longest = max(len(tokenizer.apply_chat_template(row["prompt"] + row[side], tokenize=True, return_dict=True)["input_ids"]) for side in ("chosen", "rejected"))
        yield number, longest


def find_long_rows(lengths: Iterator[tuple[int, int]], max_length: int) -> LongRows:
    lines, longest, total = [], 0, 0
    for number, length in lengths:
        total += 1
        longest = max(longest, length)
        if length > max_length:
            lines.append(number)
    return LongRows(lines, longest, total)


def long_rows_error(path: str, found: LongRows, max_length: int) -> DriverError:
    shown = ", ".join(str(n) for n in found.lines[:10]) + (", …" if len(found.lines) > 10 else "")
    return DriverError(
        f"{len(found.lines)} of {found.total} rows in {path} are longer than max_length {max_length} tokens "
        f"(the longest has {found.longest}): lines {shown}",
        code="ROWS_TOO_LONG",
        hint=f"raise max_length in the provider block (to {found.longest} or more), or set long_rows: drop (skip them) "
        "or long_rows: truncate (cut them; a cut answer is not learned)",
    )


def _message(value: Any, path: str, number: int) -> dict[str, str]:
    if not isinstance(value, dict) or not isinstance(value.get("role"), str):
        raise DriverError(f"{path}:{number}: every message needs a role", code="DATA_INVALID")
    content = value.get("content")
    if isinstance(content, list):
        # OpenAI content parts: the text ones are what a text model trains on.
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict) and part.get("type") == "text")
    if not isinstance(content, str):
        raise DriverError(f"{path}:{number}: a {value['role']} message without text content (tool calls are not supported by the trl provider yet)", code="DATA_INVALID")
    return {"role": value["role"], "content": content}
