"""A pytest plugin for `make mutants` only: every mutant's test run starts from a migrated copy,
and runs the tests written for the mutants first.

mutmut runs each mutant's tests in a fresh pytest session (a forked process). With the
suite's in-memory SQLite database, each of those sessions would migrate a new database from
scratch (some seconds on a shared machine, more than most mutants' tests take). Here the first
session's database, migrated once, becomes a template; every later session copies it to a
file of its own (on /dev/shm when there is one) and reuses it (`--reuse-db`). The test data
itself lives in transactions rolled back (or tables flushed), as in the ordinary suite.

Loaded with `-p mutants_db` (see `[tool.mutmut]` in pyproject.toml); PostgreSQL runs
(`DATABASE_URL`) are left alone.
"""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

_STATE: dict = {}


def _folder() -> Path:
    shm = Path("/dev/shm")  # noqa: S108 — a memory-backed folder, names keyed below
    base = shm if shm.is_dir() else Path(tempfile.gettempdir())
    # One template per checkout and state of the migrations.
    digest = hashlib.sha256(str(Path.cwd().resolve()).encode())
    for migration in sorted(Path("src").glob("xaso/*/migrations/*.py")):
        digest.update(migration.read_bytes())
    key = digest.hexdigest()[:12]
    folder = base / f"xaso-mutants-{key}"
    folder.mkdir(exist_ok=True)
    return folder


def pytest_configure(config) -> None:
    from django.conf import settings
    from django.db import connections

    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return
    folder = _folder()
    template = folder / "template.sqlite3"
    mine = folder / f"test-{os.getpid()}.sqlite3"
    mine.unlink(missing_ok=True)
    if template.exists():
        shutil.copyfile(template, mine)
    # Kept, not destroyed, at the end: the first one becomes the template. A missing file is
    # created and migrated as usual.
    config.option.reuse_db = True
    config.option.create_db = False
    for settings_dict in (settings.DATABASES["default"], connections["default"].settings_dict):
        settings_dict.setdefault("TEST", {})["NAME"] = str(mine)
    _STATE.update(template=template, mine=mine)


def pytest_unconfigure(config) -> None:
    if not _STATE:
        return
    from django.db import connections

    connections["default"].close()
    template, mine = _STATE["template"], _STATE["mine"]
    if mine.exists() and not template.exists():
        os.replace(mine, template)  # the first session's database: migrated, then emptied
    mine.unlink(missing_ok=True)
    _STATE.clear()


_TARGETED = ("tests/org/test_policy.py", "test_mutants_", "tests/test_periods_mutants.py")


def pytest_collection_modifyitems(session, config, items) -> None:
    """The tests written for the mutants first: mutmut stops at the first failure (-x), so a
    mutant they kill costs them alone rather than its module's whole suite before them."""
    items.sort(key=lambda item: not any(mark in item.nodeid for mark in _TARGETED))
