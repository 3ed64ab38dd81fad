"""Parsing in a second process (`services.parse_ahead`): the same items, errors and order as in process."""
from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest
from formats_testdata import DATA, data_file

from coordination.formats.iati_import import parse_iati
from coordination.formats.items import ImportFileError
from coordination.services import parse_ahead
from coordination.services.parse_ahead import parsed_ahead


def test_the_items_are_those_parsed_in_process_in_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_ahead, "CHUNK", 7)  # several messages, the last one partial
    path = data_file("real/iati/covid_input_dportal_excerpt.xml")
    here = list(parse_iati(path, source_name="x.xml"))
    there = list(parsed_ahead(parse_iati, path, source_name="x.xml"))
    assert len(there) == len(here) == 81
    assert there == here
    assert not multiprocessing.active_children()


def test_a_truncated_file_fails_as_in_process_after_the_items_read_before() -> None:
    items: list = []
    with pytest.raises(ImportFileError) as error:
        items.extend(parsed_ahead(parse_iati, DATA / "truncated_dportal_15.xml"))
    with pytest.raises(ImportFileError) as expected:
        list(parse_iati(DATA / "truncated_dportal_15.xml"))
    assert (error.value.reason, error.value.line, error.value.parsed_before) == (
        expected.value.reason, expected.value.line, expected.value.parsed_before)
    assert str(error.value) == str(expected.value)
    assert len(items) == 23
    with pytest.raises(ImportFileError, match="entities"):
        list(parsed_ahead(parse_iati, DATA / "external_entity.xml"))


def test_a_reader_that_stops_early_stops_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_ahead, "CHUNK", 2)
    monkeypatch.setattr(parse_ahead, "AHEAD", 1)  # the parser is blocked, waiting for the reader
    stream = parsed_ahead(parse_iati, data_file("real/iati/MAEC_IATI_INDONESIA.xml"))
    first = next(stream)
    assert first.record is not None
    assert multiprocessing.active_children()
    stream.close()
    assert not multiprocessing.active_children()


def _running(pid: int) -> bool:
    """Whether the process exists and is not a zombie (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads /proc")
def test_the_parser_stops_by_itself_when_its_reader_is_killed(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_ahead, "CHUNK", 1)
    monkeypatch.setattr(parse_ahead, "AHEAD", 1)
    monkeypatch.setattr(parse_ahead, "POLL", 0.05)
    def start():  # the reader: start the parser, read one item
        stream = parsed_ahead(parse_iati, data_file("real/iati/MAEC_IATI_INDONESIA.xml"))
        next(stream)
        return stream

    _kill_the_reader_and_wait_for_its_parser(tmp_path, start, settle=0.0)


def _kill_the_reader_and_wait_for_its_parser(tmp_path, start, settle: float) -> None:
    """Fork a reader that runs start() (which starts a parser process and returns what holds
    it) and waits; once the parser has run `settle` seconds, kill the reader: the parser must
    leave by itself."""
    told = tmp_path / "parser.pid"
    reader = os.fork()
    if reader == 0:  # the reader: start the parser, then wait to be killed
        try:
            held = start()
            told.write_text(str(multiprocessing.active_children()[0].pid))
            time.sleep(60)
            del held
        finally:
            os._exit(0)
    deadline = time.monotonic() + 30
    while not (told.exists() and told.read_text()) and time.monotonic() < deadline:
        time.sleep(0.02)
    parser = int(told.read_text())
    time.sleep(settle)
    assert _running(parser)  # blocked: the reader reads no more
    os.kill(reader, signal.SIGKILL)
    os.waitpid(reader, 0)
    try:
        while _running(parser) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(parser)
    finally:
        if _running(parser):  # a parser left behind would hold the test run's output open
            os.kill(parser, signal.SIGKILL)


def test_prepared_items_and_problems_cross_whole(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What crosses the pipe is rebuilt equal, of the same classes: records with their checked
    forms (dates, amounts) and warnings, and problems (`__reduce__` of each)."""
    from coordination.formats.items import ImportItem, ImportProblem
    from coordination.services.import_checks import Prepared, Preparer

    monkeypatch.setattr(parse_ahead, "CHUNK", 1)
    activities = """
      <iati-activity default-currency="EUR"><iati-identifier>XM-T-{n}</iati-identifier>
        <reporting-org ref="XM-T" type="10"><narrative>Testers</narrative></reporting-org>
        <title><narrative>Wells in Kitui</narrative></title>
        <recipient-country code="KE"/><activity-date type="2" iso-date="2024-01-05"/>
        <budget><period-start iso-date="2024-01-01"/><value>-12.5</value></budget>
        <sector vocabulary="7" code="99"/></iati-activity>
      <iati-activity><iati-identifier>XM-T-{n}b</iati-identifier></iati-activity>"""
    path = tmp_path / "pairs.xml"
    path.write_text(f"<iati-activities version=\"2.03\">{''.join(activities.format(n=n) for n in range(3))}"
                    "</iati-activities>")
    preparer = Preparer(None, strict=False)
    here = [preparer(item) for item in parse_iati(path)]
    stream = parsed_ahead(parse_iati, path, prepare=lambda item: (os.getpid(), preparer(item)))
    there = [next(stream)]
    time.sleep(1.0)  # the parser runs ahead: what it finishes while a chunk is queued, it prepares
    there += list(stream)
    assert [prepared for _, prepared in there] == here and len(there) == 6
    crossed = [prepared for pid, prepared in there if pid != os.getpid()]
    assert {prepared.item.record is None for prepared in crossed} == {True, False}  # both kinds crossed
    assert all(type(prepared) is Prepared for prepared in crossed)
    good = next(p for p in crossed if p.item.record is not None)
    bad = next(p for p in crossed if p.item.record is None)
    assert type(good.item) is ImportItem and good.item.warnings
    assert good.checked["start"].isoformat() == "2024-01-05" and good.notes
    assert type(bad.item.problem) is ImportProblem and bad.item.problem.reason == "activity has no title"


def test_each_chunk_is_prepared_by_whichever_process_is_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk finished while the reader waits for work crosses unprepared and is prepared by
    the reader; one finished while another is queued is prepared by the parser. Either way the
    items are those prepared in process, in order."""
    from coordination.services.import_checks import Preparer

    monkeypatch.setattr(parse_ahead, "CHUNK", 3)
    path = data_file("real/iati/MAEC_IATI_INDONESIA.xml")
    preparer = Preparer(None, strict=False)
    here = [preparer(item) for item in parse_iati(path)]

    def parse_late(source, **kwargs):
        """parse_iati, its first item late: the reader has taken the file's marker and waits."""
        time.sleep(0.5)
        yield from parse_iati(source, **kwargs)

    stream = parsed_ahead(parse_late, path, prepare=lambda item: (os.getpid(), preparer(item)))
    got = [next(stream)]
    time.sleep(1.0)  # the reader is behind: chunks queue up
    got += list(stream)
    assert [prepared for _, prepared in got] == here and len(here) == 83
    where = [pid for pid, _ in got]
    assert where[0] == os.getpid()  # nothing was queued when the first chunk was finished
    assert any(pid != os.getpid() for pid in where)
    assert not multiprocessing.active_children()


def _files() -> list:
    return [data_file("real/iati/covid_input_dportal_excerpt.xml"), DATA / "truncated_dportal_15.xml",
            data_file("real/iati/dportal_86_excerpt.xml"), data_file("real/iati/MAEC_IATI_INDONESIA.xml"),
            data_file("real/iati/dportal_15_excerpt.xml")]


def _in_process(path):
    """(items, error) of the file parsed here."""
    items: list = []
    try:
        items.extend(parse_iati(path, source_name=path.name))
    except ImportFileError as err:
        return items, (err.reason, err.line, err.parsed_before)
    return items, None


def test_one_process_parses_a_commands_files_in_order_as_each_would_be_parsed_here(monkeypatch) -> None:
    """`FilesAhead`: each file's items (and a truncated file's error, after its items) as in
    process; one file left half read and one never asked for are skipped, the next ones whole."""
    monkeypatch.setattr(parse_ahead, "CHUNK", 5)
    monkeypatch.setattr(parse_ahead, "AHEAD", 2)  # the parser waits for the reader between files
    paths = _files()
    with parse_ahead.FilesAhead(parse_iati, [(p, {"source_name": p.name}) for p in paths]) as ahead:
        assert len(multiprocessing.active_children()) == 1
        first = list(ahead.items(paths[0]))
        assert first == _in_process(paths[0])[0] and len(first) == 81
        items: list = []
        with pytest.raises(ImportFileError) as error:
            items.extend(ahead.items(paths[1]))
        expected_items, expected_error = _in_process(paths[1])
        assert items == expected_items and len(items) == 23
        assert (error.value.reason, error.value.line, error.value.parsed_before) == expected_error
        half = ahead.items(paths[2])
        assert next(half) == _in_process(paths[2])[0][0]
        half.close()  # a refusal: the rest of that file is never read
        assert ahead.holds(paths[4]) and not ahead.holds(paths[2])
        last = list(ahead.items(paths[4]))  # paths[3] is never asked for
        assert last == _in_process(paths[4])[0] and last
        assert not ahead.holds(paths[3])
    assert not multiprocessing.active_children()


def test_without_a_second_process_each_file_is_parsed_when_asked_for(monkeypatch) -> None:
    def no_fork(method):
        raise ValueError("no fork here")

    monkeypatch.setattr(parse_ahead.multiprocessing, "get_context", no_fork)
    paths = _files()
    with parse_ahead.FilesAhead(parse_iati, [(p, {"source_name": p.name}) for p in paths]) as ahead:
        assert list(ahead.items(paths[3])) == _in_process(paths[3])[0]
        assert list(ahead.items(paths[4])) == _in_process(paths[4])[0]


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads /proc")
def test_a_parser_done_with_every_file_leaves_when_its_reader_is_killed(tmp_path, monkeypatch) -> None:
    """Every message sent but not read (more than the pipe holds): the parser does not wait for
    ever to hand them over once its reader is gone."""
    monkeypatch.setattr(parse_ahead, "AHEAD", 10_000)  # never full: the parser sends all and is done
    monkeypatch.setattr(parse_ahead, "POLL", 0.05)
    paths = [data_file("real/iati/MAEC_IATI_INDONESIA.xml"), data_file("real/iati/covid_input_dportal_excerpt.xml")]

    def start():  # the reader: start the parser, read nothing
        return parse_ahead.FilesAhead(parse_iati, [(p, {}) for p in paths])

    # Long enough to parse both files and send every message, which wait in the pipe, unread.
    _kill_the_reader_and_wait_for_its_parser(tmp_path, start, settle=1.0)
