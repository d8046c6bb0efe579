"""Import files into a real doccano 1.8.4 and export them again (run with doccano's Python).

    python doccano_app.py WORKDIR FILE.jsonl [FILE.jsonl ...]

For each file and each setting of "Allow overlapping spans" it creates a Sequence Labeling
project with relations in a fresh SQLite database under WORKDIR, runs doccano's own import
pipeline on the file (the steps of data_import/celery_tasks.py import_dataset after the
upload checks: load_dataset(...).save(...)), counts what the database holds and exports
the project with doccano's JSONL export pipeline (data_export/celery_tasks.py). Writes
WORKDIR/result.json: {"FILE|overlap=on": {"examples", "spans", "relations", "error",
"export"}}.
Newsmark's code is not imported here: doccano needs its own (older) packages.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def setup(workdir: Path) -> None:
    import backend

    os.environ["DOCCANO_HOME"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ["STANDALONE"] = "True"
    sys.path.append(str(Path(backend.__file__).parent))
    import django
    from django.core import management

    django.setup()
    management.call_command("migrate", verbosity=0)
    management.call_command("create_roles", verbosity=0)


def run(path: Path, overlapping: bool, user: object, workdir: Path) -> dict[str, object]:
    from data_export.models import ExportedExample
    from data_export.pipeline.dataset import Dataset
    from data_export.pipeline.factories import (
        create_comment,
        create_formatter,
        create_labels,
        create_writer,
    )
    from data_export.pipeline.services import ExportApplicationService
    from data_import.datasets import load_dataset
    from data_import.pipeline.catalog import RELATION_EXTRACTION, create_file_format
    from data_import.pipeline.readers import FileName
    from examples.models import Example
    from labels.models import Relation, Span
    from projects.models import ProjectType, SequenceLabelingProject

    project = SequenceLabelingProject.objects.create(
        name=f"{path.name} overlapping={overlapping}",
        description="",
        project_type=ProjectType.SEQUENCE_LABELING,
        use_relation=True,
        allow_overlapping=overlapping,
        grapheme_mode=False,
        collaborative_annotation=True,
        created_by=user,
    )
    error = None
    try:
        dataset = load_dataset(
            RELATION_EXTRACTION,
            create_file_format("JSONL"),
            [FileName(full_path=str(path), generated_name=path.name, upload_name=path.name)],
            project,
            encoding="utf_8",  # the import form's default (data_import/pipeline/catalog.py)
        )
        dataset.save(user, batch_size=1000)
        if dataset.errors:
            error = "; ".join(str(e.dict()) for e in dataset.errors)
    except Exception as exc:  # doccano's task catches nothing and celery retries it
        error = f"{type(exc).__name__}: {exc}"
    examples = ExportedExample.objects.filter(project=project)
    out = workdir / f"export-{project.id}.jsonl"
    service = ExportApplicationService(
        Dataset(examples, create_labels(project, examples), create_comment(examples)),
        create_formatter(project, "JSONL"),
        create_writer("JSONL"),
    )
    service.export(str(out))
    return {
        "examples": Example.objects.filter(project=project).count(),
        "spans": Span.objects.filter(example__project=project).count(),
        "relations": Relation.objects.filter(example__project=project).count(),
        "error": error,
        "export": str(out),
    }


def main(argv: list[str]) -> int:
    workdir = Path(argv[1])
    workdir.mkdir(parents=True, exist_ok=True)
    setup(workdir)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="admin", password="not-used-here")
    result = {}
    for name in argv[2:]:
        path = Path(name).resolve()
        for overlapping in (True, False):
            key = f"{path.name}|overlap={'on' if overlapping else 'off'}"
            result[key] = run(path, overlapping, user, workdir)
    (workdir / "result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
