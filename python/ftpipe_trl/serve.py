"""`python -m ftpipe_trl.serve --models models.json`: an OpenAI-compatible chat endpoint on 127.0.0.1 over
transformers' generate, for machines without vLLM (CPU or GPU).

The adapter writes models.json ({"models": {id: {"path": base dir or Hugging Face id, "adapter": LoRA dir|null}}})
and resolves aliases itself; the file is read again when an unknown id is asked for, so models trained after the
server started are found. Every request needs `Authorization: Bearer <FTPIPE_TRL_SERVER_TOKEN>`. The first line
on stdout is {"type": "listening", "port": N}.
"""

from __future__ import annotations

import argparse
import hmac
import json
import os
import sys
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .errors import explain

MAX_BODY_BYTES = 4 * 1024 * 1024
DEFAULT_MAX_TOKENS = 512


class ApiError(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error", code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.kind, self.code = status, message, kind, code


@dataclass
class LoadedModel:
    model: Any
    tokenizer: Any


class ModelPool:
    """Loads models on first use and keeps the most recent few (generation is serialised: one at a time)."""

    def __init__(self, registry_path: str, device: str, keep: int = 2) -> None:
        self.registry_path, self.device, self.keep = registry_path, device, keep
        self.loaded: OrderedDict[str, LoadedModel] = OrderedDict()
        self.lock = threading.Lock()

    def entries(self) -> dict[str, dict[str, Any]]:
        with open(self.registry_path, encoding="utf-8") as handle:
            return json.load(handle).get("models", {})

    def get(self, model_id: str) -> LoadedModel:
        if model_id in self.loaded:
            self.loaded.move_to_end(model_id)
            return self.loaded[model_id]
        entry = self.entries().get(model_id)
        if entry is None:
            raise ApiError(404, f"The model '{model_id}' does not exist", code="model_not_found")
        loaded = self._load(entry)
        self.loaded[model_id] = loaded
        while len(self.loaded) > self.keep:
            self.loaded.popitem(last=False)
        return loaded

    def _load(self, entry: dict[str, Any]) -> LoadedModel:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from .models import resolve_base_model

        path = resolve_base_model(entry["path"], allow_download=False)
        device = "cuda" if self.device != "cpu" and torch.cuda.is_available() else "cpu"
        dtype = torch.bfloat16 if device == "cuda" else torch.float32
        model = AutoModelForCausalLM.from_pretrained(path, dtype=dtype)
        tokenizer_dir = path
        if entry.get("adapter"):
            from peft import PeftModel

            # Merged once at load: generation then runs at the speed of the plain model.
            model = PeftModel.from_pretrained(model, entry["adapter"]).merge_and_unload()
            tokenizer_dir = entry["adapter"]
        tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
        return LoadedModel(model.to(device).eval(), tokenizer)


def complete(pool: ModelPool, body: dict[str, Any]) -> dict[str, Any]:
    import torch

    model_id = body.get("model")
    messages = body.get("messages")
    if not isinstance(model_id, str) or not isinstance(messages, list) or not messages:
        raise ApiError(400, "model and a non-empty messages list are required")
    if body.get("stream"):
        raise ApiError(400, "stream: true is not supported by this server", code="unsupported")
    conversation = [{"role": m.get("role"), "content": m.get("content") or ""} for m in messages if isinstance(m, dict)]
    max_tokens = body.get("max_tokens") or body.get("max_completion_tokens") or DEFAULT_MAX_TOKENS
    temperature = body.get("temperature")
    temperature = 1.0 if temperature is None else float(temperature)
    stops = body.get("stop") or []
    stops = [stops] if isinstance(stops, str) else list(stops)
    with pool.lock:
        loaded = pool.get(model_id)
        tokenizer, model = loaded.tokenizer, loaded.model
        inputs = tokenizer.apply_chat_template(conversation, add_generation_prompt=True, return_tensors="pt", return_dict=True).to(model.device)
        sampling = temperature > 0
        if body.get("seed") is not None:
            torch.manual_seed(int(body["seed"]))
        settings: dict[str, Any] = {"max_new_tokens": int(max_tokens), "do_sample": sampling, "pad_token_id": tokenizer.pad_token_id}
        if sampling:
            settings.update(temperature=temperature, top_p=float(body.get("top_p") or 1.0))
        else:
            settings.update(temperature=None, top_p=None, top_k=None)
        with torch.no_grad():
            output = model.generate(**inputs, **settings)
    prompt_tokens = inputs["input_ids"].shape[1]
    generated = output[0][prompt_tokens:]
    text = tokenizer.decode(generated, skip_special_tokens=True)
    finish = "length" if len(generated) >= int(max_tokens) and generated[-1].item() != tokenizer.eos_token_id else "stop"
    for stop in stops:
        if stop and stop in text:
            text, finish = text[: text.index(stop)], "stop"
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model_id,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish, "logprobs": None}],
        "usage": {"prompt_tokens": int(prompt_tokens), "completion_tokens": int(len(generated)), "total_tokens": int(prompt_tokens + len(generated))},
    }


def handler_for(pool: ModelPool, token: str):
    class Handler(BaseHTTPRequestHandler):
        server_version = "ftpipe-trl"
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._handle(lambda: self._models() if self.path.rstrip("/") == "/v1/models" else self._not_found())

        def do_POST(self) -> None:
            self._handle(lambda: complete(pool, self._json_body()) if self.path.rstrip("/") == "/v1/chat/completions" else self._not_found())

        def _models(self) -> dict[str, Any]:
            return {"object": "list", "data": [{"id": mid, "object": "model", "created": 0, "owned_by": "ftpipe-trl"} for mid in pool.entries()]}

        def _not_found(self):
            raise ApiError(404, f"no route {self.command} {self.path}", code="not_found")

        def _json_body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                raise ApiError(413, "request body too large")
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except json.JSONDecodeError as error:
                raise ApiError(400, f"the body is not JSON: {error.msg}") from error
            if not isinstance(body, dict):
                raise ApiError(400, "the body must be a JSON object")
            return body

        def _handle(self, respond) -> None:
            try:
                given = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
                if not hmac.compare_digest(given.encode(), token.encode()):
                    raise ApiError(401, "missing or wrong bearer token", kind="authentication_error", code="invalid_api_key")
                self._send(200, respond())
            except ApiError as error:
                self._send(error.status, {"error": {"message": error.message, "type": error.kind, "code": error.code, "param": None}})
            except Exception as error:  # noqa: BLE001 - a failed generation is a 500 with its reason, never a dropped socket
                explained = explain(error)
                self._send(500, {"error": {"message": explained.message + (f" ({explained.hint})" if explained.hint else ""), "type": "server_error", "code": explained.code, "param": None}})

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # requests are not logged: they carry prompts
            return

    return Handler


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ftpipe_trl.serve", description=__doc__)
    parser.add_argument("--models", required=True, help="models.json written by ftpipe")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    args = parser.parse_args(argv)
    token = os.environ.get("FTPIPE_TRL_SERVER_TOKEN", "")
    if len(token) < 16:
        print("ftpipe_trl.serve: set FTPIPE_TRL_SERVER_TOKEN (16+ characters): the server never runs without a token", file=sys.stderr)
        return 2
    try:
        import torch  # noqa: F401 - fail here, before listening, when the stack is missing
    except ImportError as error:
        print(f"ftpipe_trl.serve: {explain(error).message}", file=sys.stderr)
        return 1
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(ModelPool(args.models, args.device), token))
    print(json.dumps({"type": "listening", "port": server.server_address[1]}), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(run())
