"""Streaming import of IATI activity XML (2.01-2.03) into initiative-input records.

`parse_iati(source)` yields one `ImportItem` per `<iati-activity>`: a record in the
common shape, or a problem (no identifier, no title) naming the activity and the
reason. Parsing is incremental (lxml iterparse) and each activity is discarded once
mapped, so memory stays flat in the file size.

A file that cannot be parsed (malformed, truncated, hostile, not an activity file)
raises `ImportFileError` naming the line, after the items read before the break have
been yielded. The service imports nothing from such a file (all or nothing per file);
the items already yielded are only there to tell the user how far the file was read.
"""
from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from .codes import normalise_language
from .iati_activity import map_activity
from .iati_narratives import BOGUS_LANG, XML_LANG
from .items import ImportFileError, ImportItem, ImportProblem
from .xml_safety import Source, open_checked

SUPPORTED_VERSIONS = {"2.01", "2.02", "2.03"}


def parse_iati(source: Source, *, source_name: str | None = None) -> Iterator[ImportItem]:
    """Yield an ImportItem per activity of an IATI file (a path or a binary file object).

    `source_name` overrides the file name used in `provenance` ("iati:<name>#<id>").
    Raises ImportFileError for a file that is hostile, malformed or truncated.
    """
    with open_checked(source) as (stream, name):
        yield from _iterate(stream, source_name or name)


def _iterate(stream: object, name: str) -> Iterator[ImportItem]:
    """Run iterparse over the stream, mapping and then freeing each activity."""
    context = etree.iterparse(
        stream,
        events=("end",),
        tag="iati-activity",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        remove_blank_text=True,  # whitespace between elements: nothing reads it
    )
    count = 0
    root_checked = False
    root_lang: str | None = None
    try:
        for _, activity in context:
            parent = activity.getparent()
            if not root_checked:
                root_checked = True
                _check_root(parent, activity.sourceline)
                if parent is not None:
                    root_lang = normalise_language(parent.get(XML_LANG) or parent.get(BOGUS_LANG))
            if parent is not None and parent.getparent() is not None:
                continue  # a nested iati-activity is not an activity of this file
            try:
                item = map_activity(activity, name, root_lang)
            except (ValueError, TypeError, AttributeError) as exc:
                # A shape no mapping rule foresaw must cost one activity, not the file.
                ident = (activity.findtext("iati-identifier") or "").strip() or None
                item = ImportItem(problem=ImportProblem(ident, f"unreadable activity: {exc}",
                                                        activity.sourceline))
            count += 1
            yield item
            # Free the activity and everything before it: memory stays flat.
            activity.clear(keep_tail=False)
            while activity.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise ImportFileError(
            f"malformed or truncated XML after {count} activities: {exc.msg}",
            line=line,
            parsed_before=count,
        ) from exc
    if not root_checked:
        root = getattr(context, "root", None)
        tag = root.tag if root is not None else None
        if tag != "iati-activities":
            raise ImportFileError(f"not an IATI activity file (root element is <{tag}>)")


def _check_root(root: etree._Element | None, line: int | None) -> None:
    """Refuse files whose root is not <iati-activities> or whose version is 1.x."""
    if root is None or root.tag != "iati-activities":
        tag = root.tag if root is not None else "iati-activity"
        raise ImportFileError(f"not an IATI activity file (root element is <{tag}>)", line=line)
    version = (root.get("version") or "").strip()
    if version and version.startswith("1."):
        raise ImportFileError(f"IATI version {version} is not supported (2.01-2.03 only)", line=1)
