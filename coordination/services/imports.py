"""Bulk registration of initiative records (seed data, IATI and HXL imports).

Every record is checked and built as a form or an API call would (`drafts.build_draft` makes
what `new_initiative` makes, as plain objects), but written in batches: one savepoint for
`WRITE_BATCH` records, their suggested goals scored at once, one INSERT per table
(`bulk_write.write_drafts`), with lookups (organisations, tags, goals) remembered for the
whole import. A bad record is reported with its reason and the good ones are kept. Records
are idempotent by IATI identifier (or provenance when there is none): a record already
stored counts as existing and is left as it is. Overlaps are found once, at the end, from
the records the import built (`overlaps.detect_after_import`). What is stored is exactly
what registering each record alone stores (tests/integration/test_bulk_equivalence.py).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from ..convergence.features import FeatureTableBuilder
from ..convergence.memory import old_objects_spared
from ..errors import DomainError
from ..permissions import SYSTEM, Actor, require_authenticated
from ..records import InitiativeRecord
from ..validation import validate_initiative
from . import overlap_index
from .bulk_write import write_drafts
from .drafts import Draft, PlaceCache, SdgGoals, build_draft, suggest_goals_for
from .import_checks import with_places_normalised
from .lookups import Lookups
from .overlaps import detect_after_import
from .stored_records import record_from_initiative

if TYPE_CHECKING:
    from ..unit_of_work import UnitOfWork

WRITE_BATCH = 500  # records written in one savepoint, one INSERT per table


@dataclass
class ImportReport:
    """What an import did, record by record."""

    created: int = 0
    existing: int = 0
    skipped: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)  # {"record", "reason", "fields"}

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {"created": self.created, "existing": self.existing, "skipped": self.skipped,
                "problems": self.problems}


class _Registrar:
    """Registers records in batches inside one transaction (see `import_records`)."""

    def __init__(self, session: Session, actor: Actor, keep_records: bool,
                 checked: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None) -> None:
        self.session, self.actor = session, actor
        self.checked = checked or (lambda record: None)
        self.lookups = Lookups(session, actor, remember=True)
        self.sdg = SdgGoals(session)
        self.places = PlaceCache()
        self.created: list[int] = []  # ids only: the rows themselves may leave memory after their batch
        self.records: dict[int, InitiativeRecord] | None = {} if keep_records else None
        # The records featurised batch by batch, while the parser process reads ahead, not all
        # at the end when nothing else runs (`overlaps.detect_after_import`).
        self.features = (FeatureTableBuilder(overlap_index.text_model(), overlap_index.CONFIG.key_tokens)
                         if keep_records else None)

    def key(self, record: dict[str, Any]) -> tuple[int, tuple[str, str]] | None:
        """(owner id, identifying key) of a record whose organisation exists, else None."""
        identity = _identity(record)
        if identity is None:
            return None
        ref = record.get("organisation")
        if ref is None:
            owner = self.actor.organisation_id
        else:
            org = self.lookups.organisation(ref, may_create=False)
            owner = org.id if org is not None else None
        return (owner, identity) if owner is not None else None

    def forget(self) -> None:
        """After a batch rolled back: what was remembered, and the objects the session loaded in
        the batch, may be rows that are gone; SQLite gives their ids to the next rows inserted,
        which a query would then map to the stale objects (a tag of another name)."""
        self.lookups.forget()
        self.session.expire_all()

    def known(self, key: tuple[int, tuple[str, str]]) -> bool:
        """Whether the record's own organisation already has it (by IATI identifier, else provenance).

        Only that organisation's initiatives count: another organisation's record with the same
        identifier (perhaps a private one) is neither "existing" nor in the way.
        """
        return key[1] in self.lookups.own_identifiers(key[0])

    def register(self, records: list[dict[str, Any]]) -> None:
        """Register the records in one savepoint; a refusal rolls all of them back.

        Each record is built as a plain draft with every check a registration makes
        (`drafts.build_draft`), the batch's suggested goals are scored at once, and the batch
        is stored with set-based inserts (`bulk_write.write_drafts`).
        """
        session = self.session
        checked = [self.checked(record) for record in records]
        self.lookups.load_organisations(ref for record, clean in zip(records, checked, strict=True)
                                        for ref in _organisation_refs(clean if clean is not None else record))
        with session.begin_nested():
            # The batch's new tags in one statement (of checked labels only: a record that
            # turns out refused rolls the batch back, its tags with it).
            self.lookups.create_tags(label for clean in checked if clean is not None for label in clean.get("tags", ()))
            with session.no_autoflush:
                batch: list[Draft] = []
                refused: list[tuple[int, DomainError]] = []
                for position, (record, clean) in enumerate(zip(records, checked, strict=True)):
                    try:
                        batch.append(build_draft(session, self.actor, record, self.lookups, self.places, clean))
                    except DomainError as err:
                        refused.append((position, err))
                if refused:  # leaving the savepoint rolls the batch back; a record alone gets its own reason
                    raise refused[0][1] if len(records) == 1 else _Refused([position for position, _ in refused])
            suggest_goals_for(batch, self.sdg)
            write_drafts(session, self.actor, batch)
        for draft in batch:
            self.lookups.own_identifiers(draft.organisation_id).update(
                (key, getattr(draft, key)) for key in ("iati_identifier", "provenance") if getattr(draft, key))
        self.created.extend(draft.id for draft in batch)
        if self.records is not None and self.features is not None:  # what overlap detection reads
            records = sorted((record_from_initiative(draft) for draft in batch), key=lambda r: r.id)
            self.records.update((record.id, record) for record in records)
            self.features.add(records)


class _Refused(DomainError):
    """Building refused these records of a batch (their positions in it); the batch is rolled back."""

    def __init__(self, positions: list[int]) -> None:
        super().__init__(f"{len(positions)} records of the batch refused")
        self.positions = positions


def _identity(record: dict[str, Any]) -> tuple[str, Any] | None:
    """What identifies a record within its organisation: its IATI identifier, else its provenance."""
    key = ("iati_identifier" if record.get("iati_identifier") else
           "provenance" if record.get("provenance") else None)
    # Not text: refused by its check (as a form refuses it), it identifies nothing meanwhile.
    return None if key is None or not isinstance(record[key], str) else (key, record[key])


def _organisation_refs(record: Any) -> list[Any]:
    """The organisations a record names: its own and its partners'."""
    if not isinstance(record, dict):
        return []
    partners = record.get("partners")
    return [record.get("organisation"), *(p.get("organisation") for p in partners if isinstance(p, dict))
            ] if isinstance(partners, list) else [record.get("organisation")]


def import_records(uow: UnitOfWork, records: Iterable[dict[str, Any]], actor: Actor = SYSTEM,
                   progress: Callable[[int, int], None] | None = None, total: int | None = None,
                   locate: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
                   report: ImportReport | None = None,
                   checked: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None,
                   stage: Callable[[str], None] | None = None) -> ImportReport:
    """Register each record that is not known yet, in the caller's unit of work (nothing is committed).

    Records are written `WRITE_BATCH` at a time, in one savepoint. A record whose check fails
    (`validate_initiative`, what building it checks first) is refused before its batch is built;
    when some are refused as they are built (what the database decides), that batch is rolled
    back, the others are written again in one batch and each refused record is tried alone;
    when a batch fails otherwise (or again), it is written record by record. Either way each
    refusal costs only its own record, and refusals are reported in the records' order. Overlaps
    are found once at the end (`overlaps.detect_after_import`), not after each record, unless
    the unit of work has detection off (a bulk load that recomputes everything at its end:
    `jobs.seed`).
    `locate(record)` gives what places a refused record in its file ({"position", "line"}):
    it is added to the record's problem. Counts are added to `report` when one is given (a
    bulk load's batches share one). `checked(record)` gives the record's checked form when it
    was worked out already (`import_checks.Preparer`, in the parser's process), else None.
    `stage(sentence)` is told when the overlap detection starts (see `file_imports.import_file`).
    """
    with old_objects_spared():
        return _import_records(uow, records, actor, progress, total, locate, report, checked, stage)


def _import_records(uow: UnitOfWork, records: Iterable[dict[str, Any]], actor: Actor,
                    progress: Callable[[int, int], None] | None, total: int | None,
                    locate: Callable[[dict[str, Any]], dict[str, Any]] | None,
                    report: ImportReport | None,
                    checked: Callable[[dict[str, Any]], dict[str, Any] | None] | None,
                    stage: Callable[[str], None] | None = None) -> ImportReport:
    """`import_records`, with the collector sparing the objects that existed before."""
    session = uow.session
    if uow.detect_overlaps:
        # Before the first write, not at the detection: the change rows written batch by batch
        # then get ids in commit order among writers, the order other processes replay the
        # change log in (`overlap_index.current_index`; tests/load/test_import_beside_writes.py).
        uow.lock_overlaps()
    report = report if report is not None else ImportReport()
    given = checked or (lambda record: None)
    screened: dict[int, dict[str, Any]] = {}  # id(record) -> its checked form worked out here (write_pending)

    def checked_form(record: dict[str, Any]) -> dict[str, Any] | None:
        found = screened.get(id(record))
        return found if found is not None else given(record)

    registrar = _Registrar(session, actor, keep_records=uow.detect_overlaps, checked=checked_form)
    pending: list[dict[str, Any]] = []
    pending_keys: set[tuple[int, tuple[str, str]]] = set()  # two rows of one file naming one record
    pending_identities: set[tuple[str, Any]] = set()  # what identifies each pending record

    def refused(record: dict[str, Any], err: DomainError) -> None:
        label = record.get("iati_identifier") or record.get("provenance") or record.get("title", "?")
        report.skipped += 1
        report.problems.append({**(locate(record) if locate else {}), "record": label,
                                "reason": err.message, "fields": err.fields})

    def write_pending() -> None:
        refusals: list[tuple[dict[str, Any], DomainError]] = []
        # A record its parser's check refused (or one no parser checked) is checked here first,
        # as building it would check it first: refused now, it rolls no batch back (each such
        # refusal cost its batch's rebuilding and the import's lookups, ~30 ms). One that passes
        # is built from the form worked out here (not validated twice); one whose places are
        # refused is built as it was, where its owner and goals are checked before its places.
        batch = []
        for record in pending:
            if given(record) is None:
                try:
                    require_authenticated(actor)
                    clean = validate_initiative(record)
                except DomainError as err:
                    refusals.append((record, err))
                    continue
                try:
                    screened[id(record)] = with_places_normalised(clean, registrar.places, actor.role != "system")
                except DomainError:
                    pass
            batch.append(record)
        try:
            registrar.register(batch)
            report.created += len(batch)
        except DomainError as failure:
            registrar.forget()  # rows it remembered may have been rolled back
            alone = batch
            if isinstance(failure, _Refused):
                # The others go in one batch again, and only the refused ones are tried one by
                # one (a refusal may depend on the batch: alone, a record gets its own verdict).
                # Were they all tried alone, a batch holding one bad record cost 500 registrations.
                bad = set(failure.positions)
                others = [record for position, record in enumerate(batch) if position not in bad]
                try:
                    if others:
                        registrar.register(others)
                        report.created += len(others)
                    alone = [batch[position] for position in failure.positions]
                except DomainError:
                    registrar.forget()
            for record in alone:
                try:
                    registrar.register([record])
                    report.created += 1
                except DomainError as err:
                    registrar.forget()
                    refusals.append((record, err))
        order = {id(record): position for position, record in enumerate(pending)}
        for record, err in sorted(refusals, key=lambda refusal: order[id(refusal[0])]):
            refused(record, err)  # in the records' order, however each was found
        pending.clear()
        screened.clear()
        pending_keys.clear()
        pending_identities.clear()

    for done, record in enumerate(records, start=1):
        try:
            key = registrar.key(record)
            identity = _identity(record)
            if key is None and identity is not None and identity in pending_identities:
                # Its organisation is not registered yet, and a pending record with the same
                # identifier may create it (and be the same record): write those first, so a
                # repeat is seen as one. Without such a record (3W rows: one provenance per
                # row) the organisation holds nothing this record could repeat.
                write_pending()
                key = registrar.key(record)
            if key is not None and (key in pending_keys or registrar.known(key)):
                report.existing += 1
            else:
                pending.append(record)
                if key is not None:
                    pending_keys.add(key)
                if identity is not None:
                    pending_identities.add(identity)
        except DomainError as err:
            refused(record, err)
        if len(pending) >= WRITE_BATCH:
            write_pending()
        if progress and total:
            progress(done, total)
    write_pending()
    if uow.detect_overlaps and registrar.created:
        detect_after_import(uow, registrar.created, registrar.records, registrar.features, stage)
    return report
