"""The one JSON line per event that the TypeScript adapter reads (src/providers/trl/job-events.ts).

Each line is one `os.write` on a file opened with O_APPEND, so lines from several ranks never interleave and a
reader never sees half a line except the last, unterminated one (which it skips until it is complete).
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass, field
from typing import Any

# Trainer log keys → the event's field names (kept close to TRL's own, the adapter maps them to the metrics CSV).
LOG_FIELDS = {
    "loss": "loss",
    "eval_loss": "eval_loss",
    "mean_token_accuracy": "mean_token_accuracy",
    "eval_mean_token_accuracy": "eval_mean_token_accuracy",
    "learning_rate": "learning_rate",
    "grad_norm": "grad_norm",
    "epoch": "epoch",
    "num_tokens": "num_tokens",
    "rewards/accuracies": "reward_accuracy",
    "rewards/margins": "reward_margin",
    "eval_rewards/accuracies": "eval_reward_accuracy",
    "eval_rewards/margins": "eval_reward_margin",
}


@dataclass
class EventLog:
    """Appends events to one file; `enabled` is False on ranks other than 0 (only rank 0 reports steps)."""

    path: str
    enabled: bool = True
    _fd: int | None = field(default=None, repr=False)

    def emit(self, kind: str, **data: Any) -> None:
        if not self.enabled:
            return
        self.write({"type": kind, "time": round(time.time(), 3), **data})

    def write(self, record: dict[str, Any]) -> None:
        line = (json.dumps(_finite(record), ensure_ascii=False) + "\n").encode("utf-8")
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.write(self._fd, line)

    def message(self, text: str, level: str = "info") -> None:
        self.emit("message", level=level, message=text)


def events_callback(events: EventLog):
    """A TrainerCallback (transformers is imported here, so reporting an ImportError never needs it)."""
    from transformers import TrainerCallback

    class EventsCallback(TrainerCallback):
        """One `log` event per logging step, one `eval` event per evaluation, one `checkpoint` event per save."""

        def __init__(self) -> None:
            self.events = events

        def on_train_begin(self, args, state, control, **kwargs):
            if state.is_world_process_zero:
                self.events.emit("train_begin", total_steps=state.max_steps, epochs=args.num_train_epochs)

        def on_log(self, args, state, control, logs=None, **kwargs):
            if not state.is_world_process_zero or not logs:
                return
            data = {name: logs[key] for key, name in LOG_FIELDS.items() if key in logs and isinstance(logs[key], (int, float))}
            if not data or "train_runtime" in logs:
                return
            kind = "eval" if any(key.startswith("eval_") for key in logs) else "log"
            self.events.emit(kind, step=state.global_step, total_steps=state.max_steps, **data)

        def on_save(self, args, state, control, **kwargs):
            if state.is_world_process_zero:
                path = os.path.join(args.output_dir, f"checkpoint-{state.global_step}")
                self.events.emit("checkpoint", step=state.global_step, path=path)

    return EventsCallback()


def _finite(value: Any) -> Any:
    """JSON has no NaN/Infinity: a diverged loss is reported as null, not as invalid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value
