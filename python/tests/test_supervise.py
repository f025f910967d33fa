"""The supervisor records how the job's command ended, whoever started it is long gone."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from ftpipe_trl import supervise


def test_the_exit_code_is_recorded(tmp_path):
    exit_file, pid_file = tmp_path / "exit.json", tmp_path / "pid.json"
    code = supervise.run(["--exit-file", str(exit_file), "--pid-file", str(pid_file), "--", sys.executable, "-c", "raise SystemExit(3)"])
    assert code == 3
    assert json.loads(exit_file.read_text())["exit_code"] == 3
    assert json.loads(pid_file.read_text())["pid"] > 0


def test_a_missing_command_is_exit_127_with_the_reason(tmp_path):
    exit_file = tmp_path / "exit.json"
    assert supervise.run(["--exit-file", str(exit_file), "--", str(tmp_path / "no-such-program")]) == 127
    assert "cannot start" in json.loads(exit_file.read_text())["error"]


def test_sigterm_is_passed_on_and_the_end_still_recorded(tmp_path):
    exit_file, pid_file = tmp_path / "exit.json", tmp_path / "pid.json"
    root = Path(__file__).resolve().parents[1]
    child = subprocess.Popen([sys.executable, "-m", "ftpipe_trl.supervise", "--exit-file", str(exit_file), "--pid-file", str(pid_file), "--", sys.executable, "-c", "import time; time.sleep(60)"], cwd=root)
    while not pid_file.exists():  # written once its signal handlers are in place
        time.sleep(0.05)
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) != 0
    record = json.loads(exit_file.read_text())
    assert record["signal"] == "SIGTERM"
