"""`base_model: tiny`: a small random-init causal LM and a byte-level BPE tokenizer trained on the training file,
built offline and deterministically from the seed. Like the local provider's base model it has learned nothing
until it is trained: it exists so tests and demos exercise real TRL training without downloading a model.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

# ChatML with {% generation %} markers around the assistant's turn, so TRL's assistant_only_loss trains exactly
# the answers (and the end-of-turn token, so the model learns to stop).
CHAT_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' }}"
    "{%- if message['role'] == 'assistant' %}"
    "{%- generation %}{{- message['content'] + '<|im_end|>' }}{%- endgeneration %}{{- '\\n' }}"
    "{%- else %}{{- message['content'] + '<|im_end|>\\n' }}{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)
SPECIAL_TOKENS = ["<|pad|>", "<|endoftext|>", "<|im_start|>", "<|im_end|>"]
ROLES = ["system", "user", "assistant", "tool", "developer"]


def texts_of_file(path: str) -> Iterator[str]:
    """Every message content of a chat or preference JSONL file, in file order (the BPE input)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield from _texts(json.loads(line))


def build_tokenizer(texts: Iterable[str], vocab_size: int = 1024):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    # The role names are in every prompt: seeding them keeps a role one token whatever the data.
    tokenizer.train_from_iterator([*ROLES, *texts], trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        pad_token="<|pad|>",
        eos_token="<|im_end|>",
        bos_token="<|endoftext|>",
        chat_template=CHAT_TEMPLATE,
        model_max_length=8192,
    )


def build_model(tokenizer, seed: int):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=256,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=4,
        max_position_embeddings=8192,
        tie_word_embeddings=True,
        # Wider than transformers' 0.02: a 64-wide model trained from scratch on a few hundred rows learns its
        # classes in a few epochs from here, and stays stuck on the majority answer from the narrow default.
        initializer_range=0.1,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    return model


def build_tiny(training_file: str, seed: int, out_dir: str, vocab_size: int = 1024) -> str:
    """Writes the untrained tiny model + tokenizer to out_dir (a normal transformers directory) and returns it."""
    tokenizer = build_tokenizer(texts_of_file(training_file), vocab_size)
    model = build_model(tokenizer, seed)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir


def _texts(row: object) -> Iterator[str]:
    if isinstance(row, dict):
        for key, value in row.items():
            if key == "content" and isinstance(value, str):
                yield value
            elif isinstance(value, (dict, list)):
                yield from _texts(value)
    elif isinstance(row, list):
        for item in row:
            yield from _texts(item)
