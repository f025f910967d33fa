"""`python -m ftpipe_trl.supervise --exit-file F -- CMD...`: runs the training command (python, torchrun or
accelerate) and records how it ended in F, so the adapter knows the exit code even when the ftpipe that started
the job is long gone. Standard library only: it starts in milliseconds and never needs torch.

It is the leader of the job's process group: the adapter's cancel signals the whole group (this process and every
rank); SIGTERM is passed on to the command and its end is still recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time


def write_json(path: str, record: dict) -> None:
    temp = f"{path}.{os.getpid()}.tmp"
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump(record, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ftpipe_trl.supervise")
    parser.add_argument("--exit-file", required=True)
    parser.add_argument("--pid-file", help="where to record this process' pid (the group leader) before starting")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    started = time.time()
    received: list[int] = []
    child: subprocess.Popen | None = None

    def forward(signum, _frame):
        received.append(signum)
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    # Handlers first, then the pid file: whoever sees the pid can already signal us safely.
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    if args.pid_file:
        write_json(args.pid_file, {"pid": os.getpid(), "started_at": started})
    if received:
        write_json(args.exit_file, {"exit_code": 128 + received[0], "signal": signal.Signals(received[0]).name, "started_at": started, "finished_at": time.time()})
        return 128 + received[0]
    try:
        child = subprocess.Popen(command)
    except OSError as error:
        write_json(args.exit_file, {"exit_code": 127, "signal": None, "error": f"cannot start {command[0]}: {error}", "started_at": started, "finished_at": time.time()})
        return 127
    code = child.wait()
    write_json(
        args.exit_file,
        {
            "exit_code": code if code >= 0 else 128 - code,
            "signal": signal.Signals(-code).name if code < 0 else (signal.Signals(received[0]).name if received else None),
            "started_at": started,
            "finished_at": time.time(),
        },
    )
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(run())
