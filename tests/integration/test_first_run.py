"""A newcomer's first run, as the README says it: `coordination demo`, then the next commands beside it."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ..mail import free_port

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from api.cli import main; main()"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FLASK_APP")}
    return {**env, "COORDINATION_INSTANCE": str(tmp_path / "instance"), "PYTHONPATH": str(ROOT)}


def _run(args: list[str], env: dict[str, str], timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def _http(method: str, url: str, body: dict | None = None, token: str | None = None, timeout: float = 10):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def test_demo_says_at_once_when_its_port_is_taken_and_seeds_nothing(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = _run(["demo", "--port", str(port)], _env(tmp_path))
        elapsed = time.monotonic() - started
    assert result.returncode == 2 and f"cannot serve on 127.0.0.1:{port}" in result.stderr
    assert elapsed < 20 and "Loading demo data" not in result.stderr  # refused before seeding
    assert not (tmp_path / "instance" / "coordination.sqlite").exists()


def test_the_readme_commands_work_while_the_demo_serves(tmp_path):
    env, port = _env(tmp_path), free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        server = subprocess.Popen(CLI + ["demo", "--port", str(port)], env=env, cwd=ROOT,
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 420
        while time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            try:
                if _http("GET", f"{base}/api/v1/initiatives?first=1", timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("the demo did not start serving")
        # The README's next steps, beside the running server: each answers in seconds, none is locked out.
        started = time.monotonic()
        org = _run(["org", "create", "--name", "Lake Basin Wells", "--type", "22", "--country", "KE"], env)
        assert org.returncode == 0, org.stderr
        assert time.monotonic() - started < 15 and "locked" not in org.stderr
        slug = org.stdout.strip().splitlines()[-1]
        token = _run(["token", "create", "--org", slug, "--role", "member"], env)
        assert token.returncode == 0, token.stderr
        secret = token.stdout.strip().splitlines()[-1]
        status, created = _http("POST", f"{base}/api/v1/initiatives", {
            "title": "Repairing community wells in Kisumu", "goals": ["6.1"], "tags": ["WASH"],
            "locations": [{"name": "Kisumu", "country": "KE", "lat": -0.09, "lon": 34.79}],
            "start": "2025-01-01", "end": "2025-12-31"}, token=secret)
        assert status == 201, created
        status, overlaps = _http("GET", f"{base}/api/v1/initiatives/{created['id']}/overlaps")
        assert status == 200 and isinstance(overlaps["items"], list)
        status, answer = _http("POST", f"{base}/graphql", {"query": "{ initiatives(first: 1) { edges { node { id } } } }"})
        assert status == 200 and answer["data"]["initiatives"]["edges"]
        _the_readmes_use_it_section_runs_as_written(tmp_path, env, port)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _the_readmes_use_it_section_runs_as_written(tmp_path: Path, env: dict[str, str], port: int) -> None:
    """Every shell block of the README's "Use it" section, run by bash against the serving demo."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Use it"):readme.index("### The contract")]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    assert blocks, "the README's Use it section has no shell blocks"
    shim = tmp_path / "venv" / "bin" / "coordination"  # what `.venv/bin/coordination` is in a clone
    shim.parent.mkdir(parents=True)
    shim.write_text(f"#!/bin/sh\nexec {sys.executable} -c 'from api.cli import main; main()' \"$@\"\n")
    shim.chmod(0o755)
    script = "set -euo pipefail\n" + "\n".join(blocks)
    script = script.replace(".venv/bin/coordination", str(shim)).replace("127.0.0.1:5000", f"127.0.0.1:{port}")
    result = subprocess.run(["bash", "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    replies = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    overlaps = next(r for r in replies if "items" in r and "unread" not in r)
    assert overlaps["items"], "the README's registration finds no overlap on the demo"
    graphql = next(r for r in replies if "data" in r)["data"]
    assert graphql["convergenceGroups"] and graphql["fragmentation"]["cells"] and graphql["organisationNetwork"]["nodes"]
