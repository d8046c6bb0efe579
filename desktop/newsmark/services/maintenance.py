"""Database maintenance for `newsmark db`: info, check, upgrade, backup, restore."""

from __future__ import annotations

from pathlib import Path

from newsmark import paths
from newsmark.domain.errors import InputError, StorageError, UsageError
from newsmark.services.db_choice import DbChoice, choose
from newsmark.services.workspace import describe_holder
from newsmark.storage import Database, WriterLock, health
from newsmark.storage import backup as backup_files


def _db_path(data_dir: str | Path | None) -> Path:
    return paths.database_path(paths.data_dir(data_dir))


def _existing(data_dir: str | Path | None) -> Path:
    path = _db_path(data_dir)
    if not path.exists():
        raise StorageError(f"no Newsmark database at {path} (run `newsmark import` first)")
    return path


def info(data_dir: str | Path | None) -> str:
    path = _db_path(data_dir)
    lines = [f"data dir: {path.parent}", f"database: {path}"]
    if not path.exists():
        lines.append("status:   not created yet")
        return "\n".join(lines)
    db = Database.open(path, readonly=True, upgrade=False)
    try:
        pragmas = db.pragmas()
        lines += [
            f"size:     {path.stat().st_size:,} bytes",
            f"schema:   {db.revision()} (code knows {db.head_revision()})",
            f"journal:  {pragmas.get('journal_mode')}",
        ]
    finally:
        db.close()
    holder = WriterLock(path).holder()
    if holder:
        lines.append(f"in use by: {describe_holder(holder)}")
    return "\n".join(lines)


def check(data_dir: str | Path | None) -> tuple[bool, str]:
    """The full check: pages, indexes against tables, foreign keys, text encoding."""
    path = _existing(data_dir)
    Database.open(path, readonly=True, upgrade=False).close()  # refuses what cannot open
    problems = health.deep_check(path)
    if not problems:
        return True, "integrity: ok"
    hint = "restore a backup with `newsmark db restore FILE` (backups are in the backups/ folder)"
    return False, "integrity problems:\n" + "\n".join(problems) + f"\n{hint}"


def upgrade(data_dir: str | Path | None) -> str:
    directory = paths.data_dir(data_dir)
    path = _existing(data_dir)
    # A migration rewrites tables under any other writer: only with the database to itself.
    with WriterLock(path):
        db = Database.open(path, upgrade=False, backup_dir=paths.backups_dir(directory))
        try:
            before, after = db.upgrade()
        finally:
            db.close()
    return (
        f"schema already at {after}" if before == after else f"upgraded schema {before} -> {after}"
    )


def backup(data_dir: str | Path | None, dest: Path | None) -> Path:
    directory = paths.data_dir(data_dir)
    if dest is None:
        # Named as a manual copy: automatic rotation never deletes what a person asked for.
        path = paths.database_path(directory)
        dest = paths.backups_dir(directory) / backup_files.backup_name(path, backup_files.MANUAL)
    if dest.exists():
        raise InputError(dest, None, "file exists; choose another name")
    db = Database.open(_existing(data_dir), readonly=True, upgrade=False)
    try:
        return db.backup(dest)
    finally:
        db.close()


def restore(data_dir: str | Path | None, source: Path) -> str:
    """Replace the database by `source` after checking it and backing up the current one.

    Refused while a window (or any writer) holds the database's lock.
    """
    directory = paths.data_dir(data_dir)
    target = paths.database_path(directory)
    if not source.is_file():
        raise InputError(source, None, "no such file")
    src = Database.open(source, readonly=True, upgrade=False)  # refuses garbage/newer schema
    try:
        if src.integrity_check() != ["ok"]:
            raise StorageError(f"{source} fails its integrity check; not restored")
    finally:
        src.close()
    directory.mkdir(parents=True, exist_ok=True)
    kept, damaged = Database.restore(target, source, backup_dir=paths.backups_dir(directory))
    text = f"restored {target} from {source}"
    if kept:
        text += f" (previous copy kept at {kept})"
    if damaged:
        text += f"; the damaged database was moved to {damaged} (delete it once you are sure)"
    return text


def _server(action: str, directory: Path, choice: DbChoice) -> int:
    """`newsmark db` on a server database: info and upgrade; the rest is the server's job."""
    from newsmark.storage import ServerDatabase

    if action not in ("info", "upgrade"):
        raise UsageError(
            f"db {action}: {choice.shown} is a PostgreSQL database; back it up with pg_dump, "
            "restore with pg_restore and check it with the server's tools (amcheck)"
        )
    db = ServerDatabase.open(choice.target, local_dir=directory, upgrade=False)
    try:
        if action == "info":
            print(f"data dir: {directory}\ndatabase: {choice.shown} (from {choice.source})")
            print(f"schema:   {db.revision()} (code knows {db.head_revision()})")
            return 0
        before, after = db.upgrade()
    finally:
        db.close()
    print(
        f"schema already at {after}" if before == after else f"upgraded schema {before} -> {after}"
    )
    return 0


def run(action: str, data_dir: str | Path | None, file: Path | None, db: str | None = None) -> int:
    directory = paths.data_dir(data_dir)
    choice = choose(directory, db)
    if choice.server:
        return _server(action, directory, choice)
    if choice.path != paths.database_path(directory):
        raise UsageError(
            f"db {action} works on the data dir's database ({paths.database_path(directory)}), "
            f"not {choice.path} (from {choice.source}): pass its folder as --data-dir"
        )
    if action == "info":
        print(info(data_dir))
        return 0
    if action == "check":
        ok, text = check(data_dir)
        print(text)
        return 0 if ok else 1
    if action == "upgrade":
        print(upgrade(data_dir))
        return 0
    if action == "backup":
        print(f"backup written to {backup(data_dir, file)}")
        return 0
    if action == "restore":
        assert file is not None  # argparse requires it
        print(restore(data_dir, file))
        return 0
    raise UsageError(f"unknown db action {action!r}")
