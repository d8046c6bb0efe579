"""One function per CLI command: parse nothing, call services, print results."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from newsmark.domain.errors import InputError, NewsmarkError, UsageError, printable
from newsmark.services.progress import Progress

if TYPE_CHECKING:  # the workspace pulls in SQLAlchemy: only commands that need it pay
    from newsmark.domain.training import TrainProgress
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

    return open_workspace(args.data_dir, readonly=readonly, db=args.db)


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from newsmark.app import run  # the one Qt path from the CLI
    except ImportError as exc:
        raise NewsmarkError(
            f"the window needs PySide6 and Qt's system libraries ({exc}); see the README"
        ) from exc
    return run(
        data_dir=args.data_dir, model=args.model, debug=args.debug, paths=args.paths, db=args.db
    )


def cmd_import(args: argparse.Namespace) -> int:
    from newsmark.domain.reading import ReadOptions
    from newsmark.domain.status import Status
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
                status=Status(args.status) if args.status else None,
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
    from newsmark.services.models import load_resolved
    from newsmark.services.preannotation import preannotate

    if not args.all and not args.doc_ids:
        raise UsageError("give document ids or --all")
    ws = _workspace(args)
    try:
        model = load_resolved(ws.repo, args.model or ws.settings.model)
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

    model = load_model(_model_name(args))
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

        gold, pred = predict_gold(args.gold, _model_name(args))
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
    from newsmark.services.models import load_resolved
    from newsmark.services.report import build_report
    from newsmark.services.report_markdown import format_markdown

    ws = _workspace(args, readonly=True)
    try:
        model = load_resolved(ws.repo, args.model or ws.settings.model)
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

    return maintenance.run(args.db_command, args.data_dir, getattr(args, "file", None), args.db)


def _model_name(args: argparse.Namespace) -> str | None:
    """--model, a registered model's name resolved to its directory when the data dir
    has a database that opens (commands that need no database otherwise: a database
    that does not open leaves the name as given)."""
    from newsmark import paths

    name: str | None = args.model
    if not name or Path(name).exists():
        return name
    if not paths.database_path(paths.data_dir(args.data_dir)).exists():
        return name
    from newsmark.services.models import present

    try:
        ws = _workspace(args, readonly=True)
    except NewsmarkError:  # an older schema, a lock: these commands need no database
        return name
    try:
        found = present(ws.repo, name)  # a registered model's folder, refused if missing
        return found.path if found is not None else name
    finally:
        ws.close()


# The dev figures a progress line shows (a stage may report many more, per role).
MAIN_SCORES = (
    "ents_f", "ents_p", "ents_r", "quote_roles_f", "all_f", "all_quote_speaker_f",
    "all_speaker_acc",
)  # fmt: skip


def _progress_line(p: TrainProgress) -> str:
    shown = [k for k in MAIN_SCORES if k in p.scores] or list(p.scores)[:3]
    scores = "  ".join(f"{k} {p.scores[k]:.3f}" for k in shown)
    return (
        f"{p.stage:<6} step {p.step:>5}  epoch {p.epoch:>3}  loss {p.loss:>10.3f}  "
        f"{scores}  best {p.best:.3f}  {p.seconds:>5.0f}s"
    )


def cmd_train(args: argparse.Namespace) -> int:
    import signal

    from newsmark.services.models import summary_scores
    from newsmark.services.progress import Cancelled
    from newsmark.services.training import TrainOptions, train

    options = TrainOptions(
        ner=args.ner,
        quotes=args.quotes,
        status=args.status,
        annotator=args.annotator,
        base=args.base,
        eval_split=args.eval_split,
        eval_from=args.eval_from,
        max_minutes=args.max_minutes,
        seed=args.seed,
        name=args.name,
        max_steps=args.max_steps,
        eval_frequency=args.eval_frequency,
    )
    stop: list[bool] = []

    def interrupted(_signum: int, _frame: object) -> None:
        if stop:  # a second Ctrl+C: stop now
            raise KeyboardInterrupt
        stop.append(True)
        print("newsmark: stopping after this step; the best model so far is kept", file=sys.stderr)

    ws = _workspace(args)
    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        outcome = train(
            ws.repo,
            ws.data_dir,
            options,
            configured_model=args.model or ws.settings.model,
            progress=lambda p: print(_progress_line(p), flush=True),
            cancelled=lambda: bool(stop),
        )
    except Cancelled:
        print("newsmark: cancelled before training started: no model kept", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGINT, previous)
        ws.close()
    model = outcome.model
    for note in outcome.notes:
        print(f"newsmark: note: {note}", file=sys.stderr)
    docs = model.meta["documents"]
    how = "stopped early, kept the best so far: " if outcome.cancelled or outcome.timed_out else ""
    print(
        f"{how}trained {model.name} ({model.provenance}) from {model.base_model} on "
        f"{docs['train']} document(s), evaluated on {docs['dev']}: {summary_scores(model)}"
    )
    table = _label_table(model.meta)
    if table:
        print(table)
    print(f"use it: newsmark preannotate --model {model.name} ... (or the window's Model menu)")
    return 0


def _label_table(meta: dict[str, object]) -> str:
    scores = meta.get("scores") or {}
    base = meta.get("base_scores") or {}
    ner = scores.get("ner") if isinstance(scores, dict) else None
    before = (base.get("ner") if isinstance(base, dict) else None) or {}
    if not ner:
        return ""
    lines = [f"{'label':<14} {'P':>6} {'R':>6} {'F1':>6}   base F1"]
    for label, s in ner.get("per_label", {}).items():
        old = before.get("per_label", {}).get(label, {}).get("f")
        old_text = f"{old:.3f}" if old is not None else "-"
        lines.append(f"{label:<14} {s['p']:>6.3f} {s['r']:>6.3f} {s['f']:>6.3f}   {old_text:>7}")
    total_before = before.get("ents_f")
    total_text = f"{total_before:.3f}" if total_before is not None else "-"
    lines.append(
        f"{'all':<14} {ner['ents_p']:>6.3f} {ner['ents_r']:>6.3f} {ner['ents_f']:>6.3f}   "
        f"{total_text:>7}"
    )
    return "\n".join(lines)


def cmd_models(args: argparse.Namespace) -> int:
    from newsmark.services.models import (
        delete_model,
        in_use,
        list_models,
        missing,
        summary_scores,
    )

    if args.models_command == "delete":
        ws = _workspace(args)
        try:
            gone = delete_model(
                ws.repo, ws.data_dir, args.model_name, ws.settings.model, running=args.model
            )
        finally:
            ws.close()
        print(f"deleted model {gone.name} ({gone.path})")
        return 0
    ws = _workspace(args, readonly=True)
    try:
        found = list_models(ws.repo)
        configured = args.model or ws.settings.model  # --model / $NEWSMARK_MODEL first
    finally:
        ws.close()
    if not found:
        print("no trained models (newsmark train makes one)")
        return 0
    for model in found:
        mark = "*" if in_use(model, configured) else " "
        docs = model.meta.get("documents", {})
        print(
            f"{mark} {model.name:<24} {model.version:<16} base {model.base_model:<24} "
            f"{docs.get('train', 0)}/{docs.get('dev', 0)} docs  {summary_scores(model)}  "
            f"{model.created_at[:16]}"
            + (f"  MISSING: no folder at {model.path}" if missing(model) else "")
        )
    if not any(in_use(m, configured) for m in found):
        print(f"in use: {configured or 'the default model'} (* marks a trained one in use)")
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    from newsmark.services.assignment import assign, format_assign

    ws = _workspace(args)
    try:
        report = assign(
            ws.repo,
            args.annotators,
            overlap=args.overlap,
            seed=args.seed,
            per_overlap_doc=args.per_overlap_doc,
            documents=args.documents,
            reassign=args.reassign,
            by=args.by if args.by is not None else ws.annotator,
        )
    finally:
        ws.close()
    print(format_assign(report))
    return 0


def cmd_assignments(args: argparse.Namespace) -> int:
    from newsmark.services.assignment import format_progress, progress, progress_rows

    ws = _workspace(args, readonly=True)
    try:
        found = progress(ws.repo, args.annotator)
    finally:
        ws.close()
    print(
        json.dumps(progress_rows(found), indent=2) if args.fmt == "json" else format_progress(found)
    )
    return 0


def cmd_agreement(args: argparse.Namespace) -> int:
    from newsmark.services.agreement import agreement
    from newsmark.services.agreement_table import format_table

    names = None
    if args.annotators is not None:
        names = [n.strip() for n in args.annotators.split(",") if n.strip()]
    ws = _workspace(args, readonly=True)
    try:
        report = agreement(ws.repo, by=args.by, annotators=names, status=args.status)
    finally:
        ws.close()
    print(
        json.dumps(report, indent=2, ensure_ascii=False)
        if args.fmt == "json"
        else format_table(report)
    )
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from newsmark import paths
    from newsmark.services.merge import MergeRefused, merge_files
    from newsmark.services.settings import Settings

    directory = paths.data_dir(args.data_dir)
    into = args.into or paths.database_path(directory)
    who = Settings(paths.settings_path(directory)).annotator
    update, close = _bar("merge")
    try:
        try:
            report = merge_files(args.files, into, who=who, progress=update)
        finally:
            close()
    except MergeRefused as exc:
        print(
            f"newsmark: error: merge refused, {into} was not changed: "
            f"{len(exc.lines)} conflict(s):",
            file=sys.stderr,
        )
        for line in exc.lines:
            print(f"  {printable(line)}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    from newsmark.services.users import add_user, list_users, remove_user

    ws = _workspace(args, readonly=args.users_command is None)
    try:
        if args.users_command == "add":
            print(add_user(ws.repo, args.user_name, args.role))
        elif args.users_command == "remove":
            print(remove_user(ws.repo, args.user_name))
        else:
            print(list_users(ws.repo))
    finally:
        ws.close()
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from newsmark.services.review import accept, format_list, review_list

    if args.list:
        if args.doc is not None or args.accept is not None:
            raise UsageError("review --list takes no DOC and no --accept")
        ws = _workspace(args, readonly=True)
        try:
            print(format_list(review_list(ws.repo)))
        finally:
            ws.close()
        return 0
    if args.doc is None or args.accept is None:
        raise UsageError("review needs DOC --accept ANNOTATOR (or --list)")
    ws = _workspace(args)
    try:
        who = args.by if args.by is not None else ws.annotator
        done = accept(ws.repo, args.doc, args.accept, who)
    finally:
        ws.close()
    gold = done.gold
    assert gold is not None
    print(
        printable(
            f"document {args.doc}: gold set = {args.accept}'s version "
            f"({len(gold.spans)} span(s), {len(gold.quotes)} quote(s)), reviewed by {who}"
        )
    )
    return 0


def cmd_self_test(args: argparse.Namespace) -> int:
    """One line: every step's seconds, or the first step that failed and why (exit 1)."""
    from newsmark.services.self_test import StepFailed, run_self_test

    def window(workspace: object, model: str | None) -> None:
        from newsmark.app import self_test_window  # the one Qt step

        self_test_window(workspace, model)  # type: ignore[arg-type]

    try:
        timings = run_self_test(args.model, window)
    except StepFailed as exc:
        print(f"newsmark self-test FAILED at {exc.step}: {printable(exc.reason)}")
        return 1
    print(f"newsmark self-test OK: {timings.line()}")
    return 0


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
    "train": cmd_train,
    "models": cmd_models,
    "assign": cmd_assign,
    "assignments": cmd_assignments,
    "agreement": cmd_agreement,
    "merge": cmd_merge,
    "users": cmd_users,
    "review": cmd_review,
    "self-test": cmd_self_test,
}
