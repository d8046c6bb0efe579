"""Attributing a quote: resolve the speaker mention to a corpus entity, link both, one step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsmark.commands.entity_commands import LinkSpanCommand
from newsmark.commands.macro_command import ItemCommand, MacroCommand
from newsmark.commands.quote_commands import UpdateQuoteCommand
from newsmark.domain.annotations import AnnotationSet
from newsmark.domain.entities import Entity
from newsmark.domain.quotes import Quote
from newsmark.domain.spans import Span
from newsmark.ui.speaker_roster import build_roster

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
    for speaker in build_roster(text, aset.spans):
        if speaker.label == mention.label and (
            (speaker.mention.start, speaker.mention.end) == rng
            or written.split()[-1:] == speaker.name.split()[-1:]
        ):
            return speaker.name
    return written


def speaker_entity(session: DocumentSession, mention: Span) -> Entity:
    """The corpus entity for a mention: its linked one, else found or created by name."""
    aset, doc = session.annotations, session.document
    assert aset is not None and doc is not None
    stored = next((s for s in aset.spans if (s.start, s.end) == (mention.start, mention.end)), None)
    if stored is not None and stored.entity_id is not None:
        return session.repo.get_entity(stored.entity_id)
    name = resolved_name(doc.text, aset, mention)
    return session.repo.find_or_create_entity(name, mention.label)


def attribution_command(
    session: DocumentSession, quote: Quote, mention: Span, entity: Entity | None = None
) -> MacroCommand:
    """Make `mention` the quote's speaker, carrying `entity` (resolved if None) into the
    quote and linking the stored mention span to it, as one undo step."""
    aset, doc = session.annotations, session.document
    assert aset is not None and aset.id is not None and doc is not None
    entity = entity or speaker_entity(session, mention)
    written = doc.text[mention.start : mention.end]
    steps: list[ItemCommand] = []
    stored = next((s for s in aset.spans if (s.start, s.end) == (mention.start, mention.end)), None)
    if stored is not None and stored.id is not None and stored.entity_id != entity.id:
        steps.append(
            LinkSpanCommand(
                session.repo, aset.id, stored, entity.id, session.annotator, session.apply_changes
            )
        )
    steps.append(
        UpdateQuoteCommand(
            session.repo,
            aset.id,
            quote,
            session.annotator,
            session.apply_quote_changes,
            f"Attribute quote to {written}",
            speaker=(mention.start, mention.end),
            speaker_label=mention.label,
            entity=entity.name,
            entity_id=entity.id,
        )
    )
    return MacroCommand(f"Attribute quote to {entity.name}", steps)
