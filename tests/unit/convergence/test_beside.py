"""`convergence.beside.run_beside` and `map_beside`: a forked helper's answers, or the same
answers computed here.

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
    script = ("import json, os, sys, threading, time\n"
              "from coordination.convergence.beside import map_beside, map_shared, run_beside\n"
              "def children_left():\n"
              "    try:\n"
              "        os.waitpid(-1, os.WNOHANG)\n"
              "        return True\n"
              "    except ChildProcessError:\n"
              "        return False\n")
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



def test_chunks_are_worked_by_a_helper_and_used_here_while_it_works_on_the_next(tmp_path) -> None:
    got = _run(f"""
        me = os.getpid()
        def work(chunk):
            if chunk == 1:  # the helper waits until this process has used the first answer
                for _ in range(2000):
                    if os.path.exists({str(tmp_path / "used")!r}):
                        break
                    time.sleep(0.01)
            return os.getpid(), chunk, list(range(chunk * 100_000))
        answers = []
        for pid, chunk, big in map_beside(work, [0, 1, 2, 3]):
            answers.append((pid != me, chunk, len(big)))
            open({str(tmp_path / "used")!r}, "w").close()
        print(json.dumps({{"answers": answers, "left": children_left()}}))
    """)
    assert got["answers"] == [[True, 0, 0], [True, 1, 100_000], [True, 2, 200_000], [True, 3, 300_000]]
    assert not got["left"]  # the helper is reaped


def test_the_chunks_a_failing_or_dying_helper_did_not_send_are_worked_here() -> None:
    got = _run("""
        me = os.getpid()
        def failing(chunk):
            if chunk == 2 and os.getpid() != me:
                raise ValueError("helper trouble")
            return chunk * 10, os.getpid() == me
        def dying(chunk):
            if chunk == 1 and os.getpid() != me:
                os._exit(3)
            return chunk * 10, os.getpid() == me
        print(json.dumps({"failing": list(map_beside(failing, [0, 1, 2, 3])),
                          "dying": list(map_beside(dying, [0, 1, 2]))}))
    """)
    assert got["failing"] == [[0, False], [10, False], [20, True], [30, True]]
    assert got["dying"] == [[0, False], [10, True], [20, True]]


def test_no_chunk_helper_is_forked_while_another_thread_runs() -> None:
    got = _run("""
        stop = threading.Event()
        other = threading.Thread(target=stop.wait)
        other.start()
        pids = list(map_beside(lambda chunk: os.getpid(), [1, 2, 3]))
        stop.set()
        other.join()
        print(json.dumps({"pids": pids, "me": os.getpid(), "none": list(map_beside(os.getpid, []))}))
    """)
    assert got["pids"] == [got["me"]] * 3 and got["none"] == []


def test_stopping_early_or_failing_on_an_answer_kills_and_reaps_the_chunk_helper(tmp_path) -> None:
    marker = tmp_path / "helper-finished"
    got = _run(f"""
        def work(chunk):
            if chunk == 1:
                time.sleep(20)
                open({str(marker)!r}, "w").close()
            return chunk
        answers = map_beside(work, [0, 1, 2])
        first = next(answers)
        answers.close()
        early = children_left()
        try:
            for answer in map_beside(work, [0, 1, 2]):
                1 / 0
            raised = None
        except ZeroDivisionError as err:
            raised = type(err).__name__
        print(json.dumps({{"first": first, "early": early, "raised": raised, "left": children_left()}}))
    """)
    assert got["first"] == 0 and got["raised"] == "ZeroDivisionError"
    assert not got["early"] and not got["left"] and not marker.exists()  # killed and reaped


def test_shared_chunks_alternate_between_the_helper_and_here_in_order(tmp_path) -> None:
    """`map_shared`: every other chunk worked by the helper (the first one too), those between
    here, the answers in order; the helper reaped; with another thread running, all here."""
    got = _run("""
        me = os.getpid()
        def work(chunk):
            return chunk * 10, os.getpid() == me
        shared = list(map_shared(work, [0, 1, 2, 3, 4]))
        left = children_left()
        stop = threading.Event()
        other = threading.Thread(target=stop.wait)
        other.start()
        alone = list(map_shared(work, [0, 1, 2]))
        stop.set()
        other.join()
        print(json.dumps({"shared": shared, "left": left, "alone": alone, "none": list(map_shared(work, []))}))
    """)
    assert got["shared"] == [[0, False], [10, True], [20, False], [30, True], [40, False]]
    assert not got["left"]
    assert got["alone"] == [[0, True], [10, True], [20, True]] and got["none"] == []
