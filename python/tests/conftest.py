"""Fixtures for the driver's tests: real Loghub lines (test/fixtures/trl, made from the repository's data/) and
job specs for the tiny model, small enough that a training run takes seconds on a CPU."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

CHAT = ROOT / "test" / "fixtures" / "trl" / "log-source-chat.jsonl"
PREFERENCES = ROOT / "test" / "fixtures" / "trl" / "log-source-preferences.jsonl"


@pytest.fixture
def chat_file() -> Path:
    return CHAT


@pytest.fixture
def preference_file() -> Path:
    return PREFERENCES


@pytest.fixture
def make_spec(tmp_path):
    """A job spec dict for the tiny model, overridable per test."""

    def make(**overrides):
        out = tmp_path / "job"
        out.mkdir(exist_ok=True)
        spec = {
            "job_id": "ftjob-trl-0000000000000000",
            "method": "supervised",
            "base_model": "tiny",
            "training_file": str(CHAT),
            "output_dir": str(out),
            "events_file": str(out / "events.jsonl"),
            "seed": 3,
            "n_epochs": 2,
            "batch_size": 8,
            "learning_rate": 5e-3,
            "finetune": "full",
            "max_length": 256,
            "cpu_threads": 1,
            "save_strategy": "no",
        }
        spec.update(overrides)
        return spec

    return make


def read_events(path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
