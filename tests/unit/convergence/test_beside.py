"""`convergence.beside.run_beside`: a forked helper's answer, or the same answer computed here.

Each case runs in a fresh interpreter (`_run`), so no thread left by another test decides
whether the helper is forked.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(code: str) -> dict:
    script = "import json, os, sys, threading, time\nfrom coordination.convergence.beside import run_beside\n"
    out = subprocess.run([sys.executable, "-c", script + textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_helper_runs_in_another_process_beside_main_and_is_reaped(tmp_path) -> None:
    signal = tmp_path / "helper-started"
    got = _run(f"""
        signal = {str(signal)!r}
        def helper():
            open(signal, "w").close()  # main waits for this: one after the other, it would never come
            return os.getpid(), list(range(100_000))
        def main():
            for _ in range(2000):
                if os.path.exists(signal):
                    return os.getpid(), True
                time.sleep(0.01)
            return os.getpid(), False
        theirs, mine = run_beside(helper, main)
        try:
            os.waitpid(-1, os.WNOHANG)
            left = True
        except ChildProcessError:
            left = False
        print(json.dumps({{"helper": theirs[0], "main": mine[0], "me": os.getpid(), "big": len(theirs[1]),
                          "beside": mine[1], "left": left}}))
    """)
    assert got["main"] == got["me"] != got["helper"]
    assert got["beside"]  # main saw the helper start while it ran
    assert got["big"] == 100_000  # a large answer crosses the pipe whole
    assert not got["left"]  # no child left behind


def test_a_failing_or_dying_helper_is_replaced_by_the_same_work_here() -> None:
    got = _run("""
        calls = []
        def failing():
            calls.append(os.getpid())
            if os.getpid() != me:
                raise ValueError("helper trouble")
            return "answer"
        def dying():
            if os.getpid() != me:
                os._exit(3)
            return "answer"
        me = os.getpid()
        first = run_beside(failing, lambda: "mine")
        second = run_beside(dying, lambda: "mine")
        print(json.dumps({"first": first, "second": second, "here": calls.count(me)}))
    """)
    assert got["first"] == got["second"] == ["answer", "mine"]
    assert got["here"] == 1  # the failed helper's work was done again here


def test_no_helper_is_forked_while_another_thread_runs() -> None:
    got = _run("""
        stop = threading.Event()
        other = threading.Thread(target=stop.wait)
        other.start()
        theirs, mine = run_beside(os.getpid, os.getpid)
        stop.set()
        other.join()
        print(json.dumps({"helper": theirs, "me": os.getpid()}))
    """)
    assert got["helper"] == got["me"]


def test_an_error_in_main_propagates_and_the_helper_is_killed(tmp_path) -> None:
    marker = tmp_path / "helper-finished"
    got = _run(f"""
        def helper():
            time.sleep(20)
            open({str(marker)!r}, "w").close()
        try:
            run_beside(helper, lambda: 1 / 0)
            raised = None
        except ZeroDivisionError as err:
            raised = type(err).__name__
        try:
            os.waitpid(-1, os.WNOHANG)
            left = True
        except ChildProcessError:
            left = False
        print(json.dumps({{"raised": raised, "left": left}}))
    """)
    assert got["raised"] == "ZeroDivisionError"
    assert not got["left"] and not marker.exists()  # killed and reaped, not waited for
