"""Errors that name their fix. Python failures reach the user as one `error` event (code, message, hint) and
a non-zero exit, never as a bare traceback; the traceback's last lines are kept in the event for --verbose."""

from __future__ import annotations

import traceback


class DriverError(Exception):
    def __init__(self, message: str, code: str = "TRAINING_FAILED", hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint


def explain(error: BaseException) -> DriverError:
    """A DriverError for what the user can act on; anything else keeps its own type and message."""
    if isinstance(error, DriverError):
        return error
    text = str(error)
    name = type(error).__name__
    if isinstance(error, ModuleNotFoundError):
        module = (error.name or text).split(".")[0]
        return DriverError(
            f"the Python package {module!r} is missing from the trl provider's environment",
            code="PYTHON_PACKAGE_MISSING",
            hint="run `npx ftpipe trl setup` (or pip install -r python/requirements.txt into provider.python)",
        )
    if name == "OutOfMemoryError" or "out of memory" in text.lower() or isinstance(error, MemoryError):
        return DriverError(
            f"out of memory while training: {text.splitlines()[0] if text else name}",
            code="OUT_OF_MEMORY",
            hint="lower batch_size (or raise gradient_accumulation_steps in the provider block), lower max_length, "
            "set gradient_checkpointing: true, use finetune: lora, or bf16: true on a GPU",
        )
    return DriverError(f"{name}: {text}", code="PYTHON_ERROR")


def traceback_tail(error: BaseException, lines: int = 12) -> str:
    formatted = "".join(traceback.format_exception(type(error), error, error.__traceback__)).rstrip().splitlines()
    return "\n".join(formatted[-lines:])
