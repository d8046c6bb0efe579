"""One function per CLI command: parse nothing, call services, print results."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from newsmark.domain.errors import InputError, NewsmarkError, UsageError
from newsmark.services.progress import Progress

if TYPE_CHECKING:  # the workspace pulls in SQLAlchemy: only commands that need it pay
    from newsmark.services.workspace import Workspace

Command = Callable[[argparse.Namespace], int]


def _bar(desc: str) -> tuple[Progress, Callable[[], None]]:
    """A tqdm progress bar on stderr (silent when stderr is not a terminal)."""
    from tqdm import tqdm

    bar = tqdm(desc=desc, unit="doc", file=sys.stderr, disable=None, leave=False)

    def update(done: int, total: int | None, message: str) -> None:
        if total is not None and bar.total != total:
            bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar.close


def _workspace(args: argparse.Namespace, *, readonly: bool = False) -> Workspace:
    from newsmark.services.workspace import open_workspace

    return open_workspace(args.data_dir, readonly=readonly)


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from newsmark.app import run  # the one Qt path from the CLI
    except ImportError as exc:
        raise NewsmarkError(
            f"the window needs PySide6 and Qt's system libraries ({exc}); see the README"
        ) from exc
    return run(data_dir=args.data_dir, model=args.model, debug=args.debug, paths=args.paths)


def cmd_import(args: argparse.Namespace) -> int:
    from newsmark.domain.reading import ReadOptions
    from newsmark.services.importing import LabelOptions, import_paths

    labels = LabelOptions.parse(args.map_labels, args.add_labels)
    groups = tuple(g.strip() for arg in args.span_group or () for g in arg.split(",") if g.strip())
    options = ReadOptions(args.drop_unsupported, groups or None)
    ws = _workspace(args)
    try:
        update, close = _bar("import")
        try:
            report = import_paths(
                ws.repo,
                args.paths,
                fmt=args.fmt,
                annotator=args.annotator,
                labels=labels,
                options=options,
                progress=update,
            )
        finally:
            close()
    finally:
        ws.close()
    for err in report.refused:
        print(f"newsmark: refused {err}", file=sys.stderr)
    print(report.summary())
    return report.exit_code


def cmd_preannotate(args: argparse.Namespace) -> int:
    from newsmark.services.preannotation import load_model, preannotate

    if not args.all and not args.doc_ids:
        raise UsageError("give document ids or --all")
    ws = _workspace(args)
    try:
        model = load_model(args.model or ws.settings.model)
        update, close = _bar("pre-annotate")
        try:
            report = preannotate(
                ws.repo,
                model,
                None if args.all else args.doc_ids,
                annotator=args.annotator or ws.annotator,
                force=args.force,
                batch_size=args.batch_size,
                n_process=args.n_process,
                progress=update,
            )
        finally:
            close()
    finally:
        ws.close()
    print(f"{report.summary()} with {model.provenance}")
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    from newsmark.formats.newsmark_jsonl import encode_record
    from newsmark.services.preannotation import load_model
    from newsmark.services.predicting import predict_paths

    model = load_model(args.model)
    refused = 0
    out = sys.stdout
    for item in predict_paths(model, args.paths, fmt=args.fmt, batch_size=args.batch_size):
        if isinstance(item, InputError):
            refused += 1
            print(f"newsmark: refused {item}", file=sys.stderr)
            continue
        out.write(encode_record(item) + "\n")
    out.flush()
    return 2 if refused else 0


def cmd_export(args: argparse.Namespace) -> int:
    from newsmark.services.exporting import export

    dest = None if args.output == "-" else Path(args.output)
    ws = _workspace(args, readonly=True)
    try:
        report = export(
            ws.repo,
            dest,
            fmt=args.fmt,
            status=args.status,
            annotator=args.annotator,
            force=args.force,
            alignment=args.alignment,
            split=args.split,
            seed=args.seed,
        )
    finally:
        ws.close()
    for line in report.misaligned[:50]:
        print(f"newsmark: warning: {line}", file=sys.stderr)
    if len(report.misaligned) > 50:
        print(f"newsmark: warning: and {len(report.misaligned) - 50} more", file=sys.stderr)
    for note in report.notes:
        print(f"newsmark: note: {note}", file=sys.stderr)
    if report.hint:
        print(f"newsmark: {report.hint}", file=sys.stderr)
    print(report.summary(), file=sys.stderr if dest is None else sys.stdout)
    return 0


def cmd_eval_quotes(args: argparse.Namespace) -> int:
    from newsmark.services.eval_quotes import format_report, score, score_files

    kinds = {k.strip() for k in args.kinds.split(",") if k.strip()}
    unknown = kinds - {"direct", "indirect", "mixed"}
    if unknown:
        raise UsageError(f"unknown quote kind(s): {', '.join(sorted(unknown))}")
    if args.pred is not None:
        result = score_files(args.gold, args.pred, kinds, args.speech_only)
    else:
        from newsmark.services.evaluation import predict_gold

        gold, pred = predict_gold(args.gold, args.model)
        result = score(gold, pred, kinds, args.speech_only)
    print(json.dumps(result, indent=2) if args.json else format_report(result))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from newsmark.services.stats import format_stats, stats

    ws = _workspace(args, readonly=True)
    try:
        print(format_stats(stats(ws.repo)))
    finally:
        ws.close()
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from newsmark.services.preannotation import load_model
    from newsmark.services.report import build_report
    from newsmark.services.report_markdown import format_markdown

    ws = _workspace(args, readonly=True)
    try:
        model = load_model(args.model or ws.settings.model)
        update, close = _bar("report")
        try:
            report = build_report(
                ws.repo, model, status=args.status, annotator=args.annotator, progress_cb=update
            )
        finally:
            close()
    finally:
        ws.close()
    print(json.dumps(report, indent=2) if args.fmt == "json" else format_markdown(report), end="")
    if args.fmt == "json":
        print()
    return 0


def cmd_formats(args: argparse.Namespace) -> int:
    from newsmark.services.catalog import formats

    # "write stream": to stdout or -o FILE; "write file": -o FILE only; "write folder": -o DIR.
    for fmt in formats():
        exts = " ".join(fmt.extensions) or "-"
        print(f"{fmt.name:<12} {fmt.modes:<20} {exts:<16} {fmt.keeps}")
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from newsmark.services import maintenance

    return maintenance.run(args.db_command, args.data_dir, getattr(args, "file", None))


COMMANDS: dict[str, Command] = {
    "gui": cmd_gui,
    "import": cmd_import,
    "preannotate": cmd_preannotate,
    "predict": cmd_predict,
    "export": cmd_export,
    "eval-quotes": cmd_eval_quotes,
    "stats": cmd_stats,
    "formats": cmd_formats,
    "report": cmd_report,
    "db": cmd_db,
}
