from __future__ import annotations

import torch

from ftpipe_trl import tiny


def test_the_same_seed_builds_the_same_model_and_tokenizer(chat_file):
    a_tok = tiny.build_tokenizer(tiny.texts_of_file(str(chat_file)), 512)
    b_tok = tiny.build_tokenizer(tiny.texts_of_file(str(chat_file)), 512)
    assert a_tok.get_vocab() == b_tok.get_vocab()
    a, b, other = tiny.build_model(a_tok, 11), tiny.build_model(b_tok, 11), tiny.build_model(a_tok, 12)
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))
    assert not all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), other.state_dict().values()))


def test_it_is_small_and_learned_nothing(chat_file):
    tokenizer = tiny.build_tokenizer(tiny.texts_of_file(str(chat_file)), 512)
    model = tiny.build_model(tokenizer, 1)
    assert model.config.num_hidden_layers == 2 and model.config.hidden_size == 64
    assert sum(p.numel() for p in model.parameters()) < 500_000


def test_the_chat_template_marks_exactly_the_assistant_turn(chat_file):
    tokenizer = tiny.build_tokenizer(tiny.texts_of_file(str(chat_file)), 512)
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Log line: sshd started"}, {"role": "assistant", "content": "OpenSSH"}]
    encoded = tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
    marked = [t for t, m in zip(encoded["input_ids"], encoded["assistant_masks"]) if m]
    # the answer and the end-of-turn token: the model learns to answer and to stop
    assert tokenizer.decode(marked) == "OpenSSH<|im_end|>"
    prompt = tokenizer.apply_chat_template(messages[:2], tokenize=False, add_generation_prompt=True)
    assert prompt.endswith("<|im_start|>assistant\n")
