"""The job spec: the plain-data contract the TypeScript adapter writes (src/providers/trl/job-spec.ts) as JSON.

Every TRL/PEFT value arrives already resolved (the learning rate is the base rate times the recipe's multiplier,
the batch size is per device); the driver only checks types, so a bad spec fails with the field's name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from .errors import DriverError


@dataclass
class LoraSpec:
    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: str | list[str] = "all-linear"


@dataclass
class JobSpec:
    job_id: str
    method: Literal["supervised", "dpo"]
    base_model: str
    training_file: str
    output_dir: str
    events_file: str
    validation_file: str | None = None
    seed: int = 42
    n_epochs: float = 3
    batch_size: int = 8
    gradient_accumulation_steps: int = 1
    learning_rate: float = 2e-4
    beta: float = 0.1
    finetune: Literal["lora", "full"] = "lora"
    lora: LoraSpec = field(default_factory=LoraSpec)
    max_length: int = 1024
    long_rows: Literal["error", "truncate", "drop"] = "error"
    bf16: bool = False
    gradient_checkpointing: bool = False
    packing: bool = False
    merge: bool = False
    device: Literal["auto", "cpu", "cuda"] = "auto"
    ddp_backend: str | None = None
    logging_steps: int = 1
    save_strategy: Literal["epoch", "steps", "no"] = "epoch"
    save_steps: int = 500
    save_total_limit: int | None = 2
    allow_download: bool = False
    tiny_vocab_size: int = 1024
    cpu_threads: int | None = None

    @property
    def model_dir(self) -> str:
        return f"{self.output_dir}/model"

    def per_device_batch_size(self, world_size: int) -> int:
        """batch_size is the effective batch of one optimizer step, as on every provider: split it over ranks."""
        share = world_size * self.gradient_accumulation_steps
        if self.batch_size % share:
            raise DriverError(
                f"batch_size {self.batch_size} cannot be split over {world_size} processes × {self.gradient_accumulation_steps} accumulation steps",
                code="PARAM_INVALID",
                hint=f"use a batch_size that is a multiple of {share}, or change num_processes / gradient_accumulation_steps",
            )
        return self.batch_size // share


def load_spec(path: str) -> JobSpec:
    try:
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        raise DriverError(f"cannot read the job spec {path}: {error}", code="SPEC_INVALID") from error
    return spec_from_dict(raw)


def spec_from_dict(raw: dict[str, Any]) -> JobSpec:
    if not isinstance(raw, dict):
        raise DriverError("the job spec is not a JSON object", code="SPEC_INVALID")
    known = {f.name for f in fields(JobSpec)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise DriverError(f"unknown job spec fields: {', '.join(unknown)}", code="SPEC_INVALID", hint="the adapter and the driver come from different ftpipe versions: reinstall ftpipe")
    values = dict(raw)
    if isinstance(values.get("lora"), dict):
        values["lora"] = LoraSpec(**values["lora"])
    try:
        return JobSpec(**values)
    except TypeError as error:
        raise DriverError(f"invalid job spec: {error}", code="SPEC_INVALID") from error
