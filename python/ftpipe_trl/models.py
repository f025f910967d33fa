"""Base models: `tiny`, a local directory, or a Hugging Face id from the user's cache; the device to train on;
and the PEFT config. Every failure names where it looked and what to do."""

from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import DriverError

TINY = "tiny"


@dataclass
class Device:
    kind: str  # "cpu" | "cuda"
    count: int


def choose_device(requested: str) -> Device:
    import torch

    cuda = torch.cuda.is_available()
    if requested == "cuda" and not cuda:
        raise DriverError(
            "device: cuda was asked for, but torch sees no CUDA GPU"
            + ("" if torch.version.cuda else f" (this torch {torch.__version__} is a CPU-only build)"),
            code="CUDA_UNAVAILABLE",
            hint="use device: cpu (or auto), or install a CUDA build of torch into the trl environment "
            "(`npx ftpipe trl setup -- --index-url https://download.pytorch.org/whl/cu128`) and check nvidia-smi",
        )
    if requested == "cpu" or not cuda:
        return Device("cpu", 0)
    return Device("cuda", torch.cuda.device_count())


def resolve_base_model(name: str, *, allow_download: bool) -> str:
    """A directory holding the model (config.json, weights, tokenizer)."""
    if os.path.isdir(name):
        if not os.path.exists(os.path.join(name, "config.json")):
            raise DriverError(f"base model directory {os.path.abspath(name)} has no config.json", code="BASE_MODEL_NOT_FOUND", hint="point base_model at a directory saved with save_pretrained (or a Hugging Face id)")
        return name
    if name.startswith((".", "/", "~")):
        raise DriverError(f"base model {name!r} not found: no directory at {os.path.abspath(os.path.expanduser(name))}", code="BASE_MODEL_NOT_FOUND", hint="fix the path in provider.base_model")
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.errors import HFValidationError, LocalEntryNotFoundError, RepositoryNotFoundError

    try:
        return snapshot_download(name, local_files_only=not allow_download)
    except (LocalEntryNotFoundError, FileNotFoundError) as error:
        raise DriverError(
            f"base model {name!r} not found: not a directory here ({os.path.abspath(name)}) and not in the Hugging Face cache ({constants.HF_HUB_CACHE})",
            code="BASE_MODEL_NOT_FOUND",
            hint=f"download it first (`hf download {name}`), set allow_download: true in the provider block, or set HF_HOME to the cache that has it",
        ) from error
    except (RepositoryNotFoundError, HFValidationError) as error:
        raise DriverError(f"base model {name!r} is not a Hugging Face model id: {error}", code="BASE_MODEL_NOT_FOUND", hint="use an id like Qwen/Qwen2.5-0.5B-Instruct, a local directory, or tiny") from error


def load_tokenizer(path: str):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(path)
    if not tokenizer.chat_template:
        raise DriverError(f"the tokenizer of {path} has no chat template", code="NO_CHAT_TEMPLATE", hint="use an instruct/chat variant of the model (e.g. …-Instruct), whose tokenizer defines how a conversation is written")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_model(path: str, *, bf16: bool):
    import torch
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(path, dtype=torch.bfloat16 if bf16 else torch.float32)


def lora_config(spec):
    from peft import LoraConfig

    return LoraConfig(
        r=spec.lora.r,
        lora_alpha=spec.lora.alpha,
        lora_dropout=spec.lora.dropout,
        target_modules=spec.lora.target_modules,
        task_type="CAUSAL_LM",
    )
