"""The driver on the tiny model: real TRL training steps, reported as JSON lines, failures as error events."""

from __future__ import annotations

import json
import os

import pytest
from conftest import read_events

from ftpipe_trl import train
from ftpipe_trl.errors import DriverError
from ftpipe_trl.events import EventLog
from ftpipe_trl.spec import spec_from_dict


def run_job(spec: dict) -> list[dict]:
    train.main(spec_from_dict(spec), EventLog(spec["events_file"]))
    return read_events(spec["events_file"])


def test_supervised_full_fine_tune_lowers_the_loss_and_reports_every_step(make_spec, chat_file):
    events = run_job(make_spec(validation_file=str(chat_file)))
    logs = [e for e in events if e["type"] == "log"]
    total = logs[0]["total_steps"]
    assert total == 18  # 72 rows / batch 8 × 2 epochs
    assert [e["step"] for e in logs] == list(range(1, total + 1))
    assert {"loss", "mean_token_accuracy", "learning_rate", "epoch"} <= set(logs[0])
    assert sum(e["loss"] for e in logs[-3:]) / 3 < logs[0]["loss"] / 2
    evals = [e for e in events if e["type"] == "eval"]
    assert len(evals) == 2 and evals[-1]["eval_loss"] < evals[0]["eval_loss"] + 1e-6
    done = next(e for e in events if e["type"] == "done")
    assert done["trained_tokens"] > 0 and done["steps"] == total
    assert os.path.exists(os.path.join(done["model_dir"], "model.safetensors"))
    assert os.path.exists(os.path.join(os.path.dirname(done["model_dir"]), "base", "config.json"))


def test_lora_saves_an_adapter_and_merge_writes_the_merged_model(make_spec):
    events = run_job(make_spec(finetune="lora", n_epochs=1, learning_rate=1e-2, merge=True, save_strategy="epoch"))
    done = next(e for e in events if e["type"] == "done")
    assert os.path.exists(os.path.join(done["model_dir"], "adapter_config.json"))
    assert os.path.exists(os.path.join(done["merged_dir"], "config.json"))
    checkpoints = [e for e in events if e["type"] == "checkpoint"]
    assert checkpoints and os.path.isdir(checkpoints[-1]["path"])


def test_dpo_trains_on_preference_rows(make_spec, preference_file):
    events = run_job(make_spec(method="dpo", training_file=str(preference_file), n_epochs=2, batch_size=6, learning_rate=5e-3))
    logs = [e for e in events if e["type"] == "log"]
    assert len(logs) == 12
    assert "reward_accuracy" in logs[-1] and "reward_margin" in logs[-1]
    assert any(e["type"] == "done" for e in events)


def test_rows_longer_than_max_length_are_named_by_line(make_spec):
    with pytest.raises(DriverError) as raised:
        run_job(make_spec(max_length=40))
    assert raised.value.code == "ROWS_TOO_LONG"
    assert "of 72 rows" in raised.value.message and "lines 1, 2, 3" in raised.value.message
    assert "raise max_length" in raised.value.hint


def test_dropping_long_rows_trains_on_the_rest(make_spec):
    events = run_job(make_spec(max_length=48, long_rows="drop", n_epochs=1))
    assert any(e["type"] == "message" and "dropped" in e["message"] for e in events)
    assert any(e["type"] == "done" for e in events)


def test_a_batch_that_cannot_be_split_is_refused_before_loading_anything(make_spec, monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "3")
    with pytest.raises(DriverError, match="cannot be split over 3 processes"):
        run_job(make_spec())


def test_a_python_failure_becomes_one_error_event_and_exit_code_1(make_spec, tmp_path, capsys):
    spec = make_spec(finetune="lora", lora={"r": 4, "alpha": 8, "dropout": 0.0, "target_modules": ["no_such_proj"]})
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    assert train.run(["--spec", str(path)]) == 1
    error = [e for e in read_events(spec["events_file"]) if e["type"] == "error"][-1]
    assert error["code"] == "PYTHON_ERROR" and "no_such_proj" in error["message"]
    assert "inject_adapter" in error["traceback"]  # where it failed, for --verbose readers
    assert "no_such_proj" in capsys.readouterr().err


def test_an_unknown_spec_field_names_the_field(make_spec):
    with pytest.raises(DriverError, match="unknown job spec fields: lr"):
        spec_from_dict(make_spec(lr=1))
