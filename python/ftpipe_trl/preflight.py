"""`python -m ftpipe_trl.preflight [--devices] [--base-model NAME]`: is this Python ready to train?

Prints one JSON object (python version, package versions, problems with their fix, optionally the devices) and
exits 0 when there is no problem. Package checks read installed metadata only, so this answers in well under a
second; --devices imports torch (a few seconds) to count GPUs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from importlib import metadata

# The oldest releases the driver works with (TRL's own floors; trl itself: the release line ftpipe is tested on).
MINIMUM = {"torch": "2.5", "transformers": "4.56.2", "trl": "1.13", "peft": "0.13", "accelerate": "1.4", "datasets": "4.7"}
FIX = "npx ftpipe trl setup"


def version_tuple(text: str) -> tuple[int, ...]:
    """The release numbers of a version ("2.13.0+cpu" → (2, 13, 0); "1.13.0.dev0" → (1, 13, 0))."""
    match = re.match(r"\d+(?:\.\d+)*", text)
    return tuple(int(part) for part in match.group(0).split(".")) if match else ()


def check_packages() -> tuple[dict[str, str | None], list[dict[str, str]]]:
    versions: dict[str, str | None] = {}
    missing, old = [], []
    for name, minimum in MINIMUM.items():
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
            missing.append(name)
            continue
        if version_tuple(versions[name]) < version_tuple(minimum):
            old.append(f"{name} {versions[name]} (needs {minimum}+)")
    problems = []
    if missing:
        problems.append({"code": "PYTHON_PACKAGE_MISSING", "message": f"{sys.executable} lacks the Python packages the trl provider needs: {', '.join(missing)}", "hint": f"run `{FIX}` (or: {sys.executable} -m pip install -r python/requirements.txt)"})
    if old:
        problems.append({"code": "PYTHON_PACKAGE_TOO_OLD", "message": f"packages in {sys.executable} are older than the trl driver supports: {', '.join(old)}", "hint": f"run `{FIX}` (or: {sys.executable} -m pip install -r python/requirements.txt)"})
    return versions, problems


def devices() -> dict[str, object]:
    import os

    import torch

    cuda = torch.cuda.is_available()
    return {
        "cuda": cuda,
        "gpu_count": torch.cuda.device_count() if cuda else 0,
        "gpu_names": [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())] if cuda else [],
        "cpu_count": os.cpu_count(),
        "torch": torch.__version__,
    }


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ftpipe_trl.preflight")
    parser.add_argument("--devices", action="store_true", help="also import torch and report CPUs and GPUs")
    parser.add_argument("--vllm", action="store_true", help="also report whether vllm is importable")
    args = parser.parse_args(argv)
    report: dict[str, object] = {"python": ".".join(map(str, sys.version_info[:3])), "executable": sys.executable}
    problems: list[dict[str, str]] = []
    if sys.version_info < (3, 10):
        problems.append({"code": "PYTHON_TOO_OLD", "message": f"Python {report['python']} at {sys.executable} is too old: the trl driver needs 3.10 or newer", "hint": "point provider.python (or FTPIPE_PYTHON) at Python 3.10+, or run `npx ftpipe trl setup --python python3.11`"})
    report["packages"], package_problems = check_packages()
    problems += package_problems
    if args.devices and not package_problems:
        report["devices"] = devices()
    if args.vllm:
        try:
            report["vllm"] = metadata.version("vllm")
        except metadata.PackageNotFoundError:
            report["vllm"] = None
    report["problems"] = problems
    print(json.dumps(report))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(run())
