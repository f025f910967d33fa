"""`python -m ftpipe_trl.train --spec job.json`: one SFT or DPO run with TRL (+ PEFT LoRA by default).

Like TRL's own scripts (trl/scripts/sft.py): main() builds the model, the tokenizer, the dataset and the trainer,
in that order, and trains. Under torchrun / accelerate every rank runs this; rank 0 reports and saves.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time

from .errors import DriverError, explain, traceback_tail
from .events import EventLog
from .spec import JobSpec, load_spec


def main(spec: JobSpec, events: EventLog) -> None:
    from . import models
    from .events import events_callback

    rank, world_size = int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))
    events.enabled = rank == 0
    events.write({"type": "rank", "rank": rank, "world_size": world_size, "pid": os.getpid()})
    per_device = spec.per_device_batch_size(world_size)
    device = models.choose_device(spec.device)
    if spec.cpu_threads and device.kind == "cpu":
        import torch

        torch.set_num_threads(spec.cpu_threads)
    events.emit("start", base_model=spec.base_model, method=spec.method, finetune=spec.finetune, device=device.kind, device_count=device.count, world_size=world_size)

    # Model and tokenizer.
    model, tokenizer = _model_and_tokenizer(spec, rank, events)

    # Dataset.
    split_last_turn = spec.method == "supervised" and not _marks_assistant_turns(tokenizer)
    if split_last_turn:
        events.message("the chat template cannot mark assistant turns: training on the last assistant turn of each row", level="warn")
    train_dataset = _dataset(spec, spec.training_file, tokenizer, split_last_turn, events)
    eval_dataset = _dataset(spec, spec.validation_file, tokenizer, split_last_turn, events) if spec.validation_file else None

    # Trainer.
    trainer = _trainer(spec, device, per_device, model, tokenizer, train_dataset, eval_dataset, events_callback(events))
    started = time.time()
    result = trainer.train()
    runtime = time.time() - started

    if trainer.is_world_process_zero():
        trainer.save_model(spec.model_dir)
        tokenizer.save_pretrained(spec.model_dir)
        merged_dir = _save_merged(spec, trainer, tokenizer) if spec.merge and spec.finetune == "lora" else None
        tokens = int(trainer.state.num_input_tokens_seen or 0) or _logged_tokens(trainer)
        events.emit(
            "done",
            model_dir=spec.model_dir,
            merged_dir=merged_dir,
            trained_tokens=tokens,
            train_loss=result.training_loss,
            steps=trainer.state.global_step,
            runtime_s=round(runtime, 3),
            tokens_per_second=round(tokens / runtime, 1) if runtime > 0 and tokens else None,
        )


def _model_and_tokenizer(spec: JobSpec, rank: int, events: EventLog):
    from . import models, tiny

    if spec.base_model != models.TINY:
        path = models.resolve_base_model(spec.base_model, allow_download=spec.allow_download)
        events.message(f"loading {spec.base_model}")
        return models.load_model(path, bf16=spec.bf16), models.load_tokenizer(path)
    events.message("building the tiny model: a BPE tokenizer trained on the training file, random weights")
    tokenizer = tiny.build_tokenizer(tiny.texts_of_file(spec.training_file), spec.tiny_vocab_size)
    model = tiny.build_model(tokenizer, spec.seed)
    if rank == 0:
        # The untrained model, for the base side of base-vs-fine-tuned comparisons.
        model.save_pretrained(f"{spec.output_dir}/base")
        tokenizer.save_pretrained(f"{spec.output_dir}/base")
    return model, tokenizer


def _marks_assistant_turns(tokenizer) -> bool:
    from trl.chat_template_utils import get_training_chat_template, has_generation_markers

    if has_generation_markers(tokenizer.chat_template):
        return True
    try:
        get_training_chat_template(tokenizer)  # TRL ships marked variants of the common templates
        return True
    except ValueError:
        return False


def _dataset(spec: JobSpec, path: str, tokenizer, split_last_turn: bool, events: EventLog):
    from . import data

    rows = data.chat_rows(path) if spec.method == "supervised" else data.preference_rows(path)
    lengths = data.sft_lengths(rows, tokenizer) if spec.method == "supervised" else data.dpo_lengths(rows, tokenizer)
    found = data.find_long_rows(lengths, spec.max_length)
    if found.lines:
        if spec.long_rows == "error":
            raise data.long_rows_error(path, found, spec.max_length)
        events.message(f"{len(found.lines)} rows of {path} are longer than max_length {spec.max_length}: {'dropped' if spec.long_rows == 'drop' else 'truncated'}", level="warn")
        if spec.long_rows == "drop":
            skip = set(found.lines)
            rows = [row for row in rows if row[0] not in skip]
    if not rows:
        raise DriverError(f"{path} has no rows to train on", code="DATA_INVALID")
    return data.sft_dataset(rows, split_last_turn=split_last_turn) if spec.method == "supervised" else data.dpo_dataset(rows)


def _trainer(spec: JobSpec, device, per_device: int, model, tokenizer, train_dataset, eval_dataset, callback):
    from . import models

    common = dict(
        output_dir=spec.output_dir + "/checkpoints",
        num_train_epochs=spec.n_epochs,
        per_device_train_batch_size=per_device,
        per_device_eval_batch_size=per_device,
        gradient_accumulation_steps=spec.gradient_accumulation_steps,
        learning_rate=spec.learning_rate,
        seed=spec.seed,
        data_seed=spec.seed,
        bf16=spec.bf16,
        gradient_checkpointing=spec.gradient_checkpointing,
        max_length=spec.max_length,
        logging_steps=spec.logging_steps,
        logging_first_step=True,
        eval_strategy="epoch" if eval_dataset is not None else "no",
        save_strategy=spec.save_strategy,
        save_steps=spec.save_steps,
        save_total_limit=spec.save_total_limit,
        report_to="none",
        disable_tqdm=True,
        use_cpu=device.kind == "cpu",
        ddp_backend=spec.ddp_backend,
        dataloader_num_workers=0,
    )
    peft_config = models.lora_config(spec) if spec.finetune == "lora" else None
    if spec.method == "dpo":
        from trl import DPOConfig, DPOTrainer

        args = DPOConfig(**common, beta=spec.beta)
        # Full DPO needs a frozen reference copy; TRL loads it from the model's path, which the tiny model has not.
        ref_model = copy.deepcopy(model) if peft_config is None and spec.base_model == models.TINY else None
        return _quiet(DPOTrainer(model=model, ref_model=ref_model, args=args, train_dataset=train_dataset, eval_dataset=eval_dataset, processing_class=tokenizer, peft_config=peft_config, callbacks=[callback]))
    from trl import SFTConfig, SFTTrainer

    messages = "messages" in train_dataset.column_names
    args = SFTConfig(**common, packing=spec.packing, assistant_only_loss=messages, completion_only_loss=None if messages else True)
    return _quiet(SFTTrainer(model=model, args=args, train_dataset=train_dataset, eval_dataset=eval_dataset, processing_class=tokenizer, peft_config=peft_config, callbacks=[callback]))


def _quiet(trainer):
    """The events are the report: without tqdm the Trainer would print every log dict to stdout as well."""
    from transformers.trainer_callback import PrinterCallback

    trainer.remove_callback(PrinterCallback)
    return trainer


def _save_merged(spec: JobSpec, trainer, tokenizer) -> str:
    merged_dir = f"{spec.output_dir}/merged"
    trainer.model.merge_and_unload().save_pretrained(merged_dir)
    tokenizer.save_pretrained(merged_dir)
    return merged_dir


def _logged_tokens(trainer) -> int:
    counts = [entry["num_tokens"] for entry in trainer.state.log_history if "num_tokens" in entry]
    return int(counts[-1]) if counts else 0


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ftpipe_trl.train", description=__doc__)
    parser.add_argument("--spec", required=True, help="the job spec JSON written by ftpipe")
    args = parser.parse_args(argv)
    events = EventLog(os.environ.get("FTPIPE_TRL_EVENTS") or os.devnull)
    try:
        spec = load_spec(args.spec)
        events = EventLog(spec.events_file)
        main(spec, events)
        return 0
    except BaseException as error:  # noqa: BLE001 - every failure becomes one error event and an exit code
        if isinstance(error, KeyboardInterrupt):
            events.emit("error", code="INTERRUPTED", message="training was interrupted")
            return 130
        explained = explain(error)
        events.enabled = True
        events.emit("error", code=explained.code, message=explained.message, hint=explained.hint, traceback=traceback_tail(error))
        print(f"ftpipe_trl: {explained.message}" + (f"\nhint: {explained.hint}" if explained.hint else ""), file=sys.stderr)
        if not isinstance(error, DriverError):
            print(traceback_tail(error, 40), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(run())
