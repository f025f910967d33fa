"""The transformers chat server: OpenAI's response shape, a token on every request, models found by id."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer

import pytest

from ftpipe_trl import tiny
from ftpipe_trl.serve import ModelPool, handler_for

TOKEN = "t" * 32


@pytest.fixture
def server(tmp_path, chat_file):
    model_dir = tiny.build_tiny(str(chat_file), 5, str(tmp_path / "tiny"), vocab_size=512)
    registry = tmp_path / "models.json"
    registry.write_text(json.dumps({"models": {"tiny@test": {"path": model_dir, "adapter": None}}}))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(ModelPool(str(registry), "cpu"), TOKEN))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", registry, model_dir
    httpd.shutdown()


def call(url: str, body: dict | None = None, token: str | None = TOKEN) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None, headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_chat_completion_in_openais_shape(server):
    base, _, _ = server
    status, body = call(f"{base}/chat/completions", {"model": "tiny@test", "messages": [{"role": "user", "content": "Log line: sshd"}], "max_tokens": 5, "temperature": 0})
    assert status == 200
    assert body["object"] == "chat.completion" and body["model"] == "tiny@test"
    choice = body["choices"][0]
    assert choice["message"]["role"] == "assistant" and isinstance(choice["message"]["content"], str)
    assert choice["finish_reason"] in ("stop", "length")
    assert body["usage"]["completion_tokens"] <= 5 and body["usage"]["prompt_tokens"] > 0


def test_greedy_answers_repeat(server):
    base, _, _ = server
    ask = {"model": "tiny@test", "messages": [{"role": "user", "content": "hello"}], "max_tokens": 6, "temperature": 0}
    assert call(f"{base}/chat/completions", ask)[1]["choices"][0]["message"] == call(f"{base}/chat/completions", ask)[1]["choices"][0]["message"]


def test_every_request_needs_the_token(server):
    base, _, _ = server
    assert call(f"{base}/models", token=None)[0] == 401
    assert call(f"{base}/models", token="wrong")[0] == 401
    status, body = call(f"{base}/models")
    assert status == 200 and [m["id"] for m in body["data"]] == ["tiny@test"]


def test_models_added_after_start_are_found_and_unknown_ones_are_404(server):
    base, registry, model_dir = server
    status, body = call(f"{base}/chat/completions", {"model": "nope", "messages": [{"role": "user", "content": "x"}]})
    assert status == 404 and body["error"]["code"] == "model_not_found"
    registry.write_text(json.dumps({"models": {"tiny@test": {"path": model_dir, "adapter": None}, "later": {"path": model_dir, "adapter": None}}}))
    assert call(f"{base}/chat/completions", {"model": "later", "messages": [{"role": "user", "content": "x"}], "max_tokens": 2})[0] == 200


def test_bad_requests_are_400(server):
    base, _, _ = server
    assert call(f"{base}/chat/completions", {"model": "tiny@test"})[0] == 400
    assert call(f"{base}/chat/completions", {"model": "tiny@test", "messages": [{"role": "user", "content": "x"}], "stream": True})[0] == 400
