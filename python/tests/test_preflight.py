from __future__ import annotations

from ftpipe_trl import preflight


def test_versions_compare_as_numbers():
    assert preflight.version_tuple("2.13.0+cpu") == (2, 13, 0)
    assert preflight.version_tuple("1.13.0.dev0") == (1, 13, 0)
    assert preflight.version_tuple("4.56.2") > preflight.version_tuple("4.9")


def test_this_environment_is_ready(capsys):
    assert preflight.run(["--devices"]) == 0
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["problems"] == [] and report["devices"]["cpu_count"] >= 1
