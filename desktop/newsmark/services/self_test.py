"""`newsmark --self-test`: model, a temporary database, seeds, every export, the window."""

from __future__ import annotations

import html
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from newsmark.domain.errors import NewsmarkError
from newsmark.formats import Output, all_formats
from newsmark.resources import seed_files

ANNOTATOR = "self-test"


class StepFailed(Exception):
    """A step of the self-test failed: `step` names it ("export jsonl")."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step, self.reason = step, reason


@dataclass
class Timings:
    """Seconds per step, in the order they ran."""

    steps: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str, label: str | None = None) -> Iterator[None]:
        """Time `name`; any exception becomes StepFailed(label or name, its first line)."""
        start = time.perf_counter()
        try:
            yield
        except StepFailed:
            raise
        except Exception as exc:  # the point is to report whatever broke, with its step
            first = str(exc).splitlines()[0] if str(exc) else ""
            raise StepFailed(label or name, first or type(exc).__name__) from exc
        finally:
            self.steps[name] = self.steps.get(name, 0.0) + time.perf_counter() - start

    def line(self) -> str:
        return ", ".join(f"{name} {s:.1f} s" for name, s in self.steps.items())


def _html_page(seed: Path, dest: Path) -> Path:
    """A news page made of a seed's paragraphs in reverse order (another text, so not a
    duplicate): the HTML reader (trafilatura and its data files) is checked too."""
    paragraphs = [p.strip() for p in seed.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in reversed(paragraphs))
    dest.write_text(
        "<!doctype html><html><head><title>Self-test page</title></head><body><article>"
        f"<h1>Self-test page</h1>\n{body}</article></body></html>\n",
        encoding="utf-8",
    )
    return dest


# Opens the window on the workspace, paints it and closes it (app.self_test_window).
WindowCheck = Callable[[object, str | None], None]


def run_self_test(model_name: str | None, window: WindowCheck | None) -> Timings:
    """Every step in a temporary data dir (never the user's); StepFailed at the first
    that fails. `window` None skips the window step (no Qt). Each step imports what it
    uses, so a module missing from a bundle fails that step, with its name."""
    timings = Timings()
    with tempfile.TemporaryDirectory(prefix="newsmark-self-test-") as tmp:
        root = Path(tmp)
        with timings.step("model"):
            from newsmark.services.models import load_resolved

            model = load_resolved(None, model_name)
        with timings.step("database"):
            from newsmark.services.workspace import open_workspace

            # The file is named outright: NEWSMARK_DB or Preferences never apply here.
            data = root / "data"
            data.mkdir()
            ws = open_workspace(data, take_lock=True, db=str(data / "self-test.sqlite3"))
        try:
            with timings.step("import"):
                from newsmark.services.importing import import_paths

                files = [*seed_files(), _html_page(seed_files()[0], root / "page.html")]
                report = import_paths(ws.repo, files)
                if report.refused or len(report.added) != len(files):
                    raise NewsmarkError(
                        f"{len(report.added)} of {len(files)} file(s) imported; refused: "
                        + "; ".join(str(e) for e in report.refused)
                    )
            with timings.step("preannotate"):
                from newsmark.services.preannotation import preannotate

                done = preannotate(ws.repo, model, None, annotator=ANNOTATOR)
                if not done.done:
                    raise NewsmarkError("nothing was pre-annotated")
            with timings.step("export"):
                from newsmark.services.exporting import export
            out = root / "exports"
            out.mkdir()
            for fmt in all_formats():
                if fmt.output is None:
                    continue
                dest = out / (f"{fmt.name}.d" if fmt.output is Output.FOLDER else fmt.name)
                with timings.step("export", f"export {fmt.name}"):
                    written = export(ws.repo, dest, fmt=fmt.name, status="any", alignment="expand")
                    if written.records == 0 or not dest.exists():
                        raise NewsmarkError(f"wrote {written.records} set(s) to {dest}")
            if window is not None:
                with timings.step("window"):
                    window(ws, model_name)
        finally:
            ws.close()
    return timings
