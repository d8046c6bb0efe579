"""Attributing a quote: resolve the speaker mention to a corpus entity, link both, one step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Unpack

from newsmark.commands.entity_commands import LinkSpanCommand
from newsmark.commands.macro_command import ItemCommand, MacroCommand
from newsmark.commands.quote_commands import UpdateQuoteCommand
from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.entities import Entity
from newsmark.domain.noun_phrase import PRONOUNS
from newsmark.domain.quotes import Quote, QuoteChanges, Range
from newsmark.domain.spans import Origin, Span
from newsmark.ui.speaker_roster import SPEAKER_LABELS, Speaker, build_roster, nearest_mention

if TYPE_CHECKING:
    from newsmark.ui.document_session import DocumentSession


def resolved_name(text: str, aset: AnnotationSet, mention: Span) -> str:
    """The name a mention stands for: a quote's (model-resolved) `entity` for the same
    mention, else the roster's fullest name ("Netanyahu" -> "Benjamin Netanyahu"), else
    the mention as written."""
    rng = (mention.start, mention.end)
    for quote in aset.quotes:
        if quote.speaker == rng and quote.entity:
            return quote.entity
    written = " ".join(text[mention.start : mention.end].split())
    for speaker in build_roster(text, aset.spans, aset.quotes):
        if any((m.start, m.end) == rng for m in speaker.mentions):
            return speaker.name
    return written


def speaker_entity(session: DocumentSession, mention: Span) -> Entity | None:
    """The corpus entity for a mention: its span's linked one, else the entity of a quote
    with that speaker mention, else (an entity span) found or created by name; None for a
    mention that is no entity span and no linked quote's ("she" stays unlinked)."""
    aset, doc = session.annotations, session.document
    assert aset is not None and doc is not None
    rng = (mention.start, mention.end)
    stored = next((s for s in aset.spans if (s.start, s.end) == rng), None)
    if stored is not None and stored.entity_id is not None:
        return session.repo.get_entity(stored.entity_id)
    linked = next((q for q in aset.quotes if q.speaker == rng and q.entity_id is not None), None)
    if linked is not None and linked.entity_id is not None:
        return session.repo.get_entity(linked.entity_id)
    if stored is None:
        return None
    name = resolved_name(doc.text, aset, mention)
    return session.repo.find_or_create_entity(name, mention.label)


def attribution_command(
    session: DocumentSession,
    quote: Quote,
    mention: Span,
    entity: Entity | None = None,
    speaker: Range | None = None,
) -> MacroCommand:
    """Make `mention` the quote's speaker, carrying `entity` (resolved if None) into the
    quote and linking the stored mention span to it, as one undo step. `speaker` is a
    longer speaker mention holding that span ("Netanyahu's office"), when there is one.
    A mention that is no span and resolves to no entity stays unlinked."""
    aset, doc = session.annotations, session.document
    assert aset is not None and aset.id is not None and doc is not None
    entity = entity or speaker_entity(session, mention)
    speaker = speaker or (mention.start, mention.end)
    written = doc.text[speaker[0] : speaker[1]]
    rng = (mention.start, mention.end)
    steps: list[ItemCommand] = []
    stored = next((s for s in aset.spans if (s.start, s.end) == rng), None)
    label: str | None = mention.label or None
    if stored is None:  # another quote's mention ("="): its label, not a guessed one
        same = next((q for q in aset.quotes if q.speaker == rng), None)
        label = same.speaker_label if same is not None else label
    if (
        entity is not None
        and stored is not None
        and stored.id is not None
        and stored.entity_id != entity.id
    ):
        steps.append(
            LinkSpanCommand(
                session.repo, aset.id, stored, entity.id, session.who, session.apply_changes
            )
        )
    steps.append(
        UpdateQuoteCommand(
            session.repo,
            aset.id,
            quote,
            session.who,
            session.apply_quote_changes,
            f"Attribute quote to {written}",
            speaker=speaker,
            speaker_label=label,
            entity=entity.name if entity is not None else None,
            entity_id=entity.id if entity is not None else None,
        )
    )
    return MacroCommand(f"Attribute quote to {entity.name if entity else written}", steps)


def _update(
    session: DocumentSession, quote: Quote, text: str, **changes: Unpack[QuoteChanges]
) -> MacroCommand:
    aset = session.annotations
    assert aset is not None and aset.id is not None
    command = UpdateQuoteCommand(
        session.repo,
        aset.id,
        quote,
        session.who,
        session.apply_quote_changes,
        text,
        **changes,
    )
    return MacroCommand(text, [command])


def mention_command(session: DocumentSession, quote: Quote, speaker: Range) -> MacroCommand:
    """Any text as the quote's speaker mention, no entity span made for it. An entity span
    it is, or one that ends it (a name after a title: "Stein spokeswoman Melezia Figueroa"),
    links it to that span's entity; else it is unlinked ("she", "a spokesman for Hamas")
    until an entity is picked for it."""
    aset, doc = session.annotations, session.document
    assert aset is not None and doc is not None
    lo, hi = speaker
    heads = [s for s in aset.spans if s.label in SPEAKER_LABELS and lo <= s.start and s.end == hi]
    if heads:
        head = min(heads, key=lambda s: s.start)  # the longest name that ends it
        return attribution_command(session, quote, head, speaker=speaker)
    written = " ".join(doc.text[lo:hi].split())
    return _update(
        session,
        quote,
        f"Speaker “{written}”",
        speaker=speaker,
        speaker_label=None,
        entity=None,
        entity_id=None,
    )


def keeps_mention(session: DocumentSession, quote: Quote) -> bool:
    """Whether picking an entity links the quote's own mention rather than moving to one of
    the entity's: an unlinked mention that is no entity span, marked by the annotator or a
    pronoun ("she" -> Hillary Clinton)."""
    aset, doc = session.annotations, session.document
    if quote.speaker is None or quote.entity_id is not None or aset is None or doc is None:
        return False
    if any((s.start, s.end) == quote.speaker for s in aset.spans):
        return False
    written = doc.text[quote.speaker[0] : quote.speaker[1]].strip().casefold()
    return quote.origin is Origin.HUMAN or written in PRONOUNS


def link_command(session: DocumentSession, quote: Quote, entity: Entity) -> MacroCommand:
    """Link the quote's own speaker mention to `entity`, keeping the mention."""
    return _update(
        session,
        quote,
        f"Speaker linked to {entity.name}",
        entity=entity.name,
        entity_id=entity.id,
    )


def roster_command(session: DocumentSession, quote: Quote, speaker: Speaker) -> MacroCommand:
    """Attribute the quote to a roster speaker: link its own unlinked mention to the
    speaker's entity (see `keeps_mention`), else take the speaker's nearest mention before
    the quote (`nearest_mention`)."""
    entity = session.repo.get_entity(speaker.entity_id) if speaker.entity_id is not None else None
    mention = nearest_mention(speaker, quote)
    named = entity is not None or mention.label in SPEAKER_LABELS
    if named and keeps_mention(session, quote):
        return attribution_command(session, quote, mention, entity, speaker=quote.speaker)
    if not named:  # a speaker no entity names: "the transport department"
        return mention_command(session, quote, (mention.start, mention.end))
    return attribution_command(session, quote, mention, entity)
