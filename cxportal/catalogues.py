"""The translation catalogues: extract (``make messages``), compile (``make install``/``run``/``test``), check.

The ``.mo`` files are built, not kept in git: ``python -m cxportal.catalogues`` compiles every ``.po`` under
``locale/`` whose ``.mo`` is missing or older (GNU ``msgfmt --check`` when installed, else ``polib``), so a
fresh clone shows German after ``make install``. ``python -m cxportal.catalogues messages`` runs
``makemessages -l de`` for the ``django`` and ``djangojs`` domains (no obsolete entries) and compiles.
``catalogue_gaps`` extracts the marked strings of a tree (a copy, so the real catalogue is not touched) and
lists the msgids without a German translation or marked fuzzy (``tests/cxportal/test_catalogue_complete.py``).
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = ("de",)
DOMAINS = ("django", "djangojs")
# Not ours to translate (vendored libraries, collected copies, tests, tooling).
IGNORE = ("static/vendor/*", "staticfiles/*", "var/*", "tests/*", "bench/*", "docs/*", "deploy/*", "build/*")
# What a copy for extraction needs: the code (every Python package at the top — a new app is found by
# itself), the templates, our static scripts, the catalogues.
TREE = (
    "manage.py",
    *sorted(p.name for p in BASE_DIR.iterdir() if (p / "__init__.py").exists() and p.name not in {"tests", "bench"}),
    "templates",
    "static",
    "locale",
)


def _compile_one(po: Path, mo: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603 - our own files
        return
    import polib

    polib.pofile(str(po)).save_as_mofile(str(mo))


def catalogues_compile(base: Path = BASE_DIR, *, force: bool = False) -> list[Path]:
    """Compile the ``.po`` files whose ``.mo`` is missing or stale; returns the ``.mo`` files written."""
    written = []
    for po in sorted((base / "locale").glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if force or not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            _compile_one(po, mo)
            written.append(mo)
    return written


def _manage(base: Path, *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args, "--settings", "cxportal.settings_test", "--verbosity", "0"],
        cwd=base,
        check=True,
    )


def messages_make(base: Path = BASE_DIR) -> None:
    """``makemessages`` for every language and domain (no obsolete entries), then compile."""
    ignore = [arg for pattern in IGNORE for arg in ("--ignore", pattern)]
    for domain in DOMAINS:
        for language in LANGUAGES:
            _manage(base, "makemessages", "-l", language, "-d", domain, "--no-obsolete", *ignore)
    catalogues_compile(base, force=True)


def catalogue_gaps(base: Path = BASE_DIR, language: str = "de") -> dict[str, list[str]]:
    """Per domain, the msgids marked in the tree (a temporary copy) that lack a translation or are fuzzy."""
    import polib

    gaps = {}
    with tempfile.TemporaryDirectory(prefix="cx-catalogue-") as tmp:
        copy = Path(tmp)
        for name in TREE:
            source = base / name
            if source.is_dir():
                shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "vendor"))
            elif source.exists():
                shutil.copy2(source, copy / name)
        ignore = [arg for pattern in IGNORE for arg in ("--ignore", pattern)]
        for domain in DOMAINS:
            _manage(copy, "makemessages", "-l", language, "-d", domain, "--no-obsolete", *ignore)
            po_path = copy / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
            if not po_path.exists():
                continue
            catalogue = polib.pofile(str(po_path))
            missing = [entry for entry in catalogue if not entry.obsolete and (not entry.translated() or entry.fuzzy)]
            # A plural entry needs every form translated.
            gaps[domain] = sorted(
                {(f"{entry.msgctxt}\x04" if entry.msgctxt else "") + entry.msgid for entry in missing}
            )
    return gaps


def main(argv: list[str]) -> int:
    if argv[:1] == ["messages"]:
        messages_make()
        return 0
    if argv[:1] == ["check"]:
        gaps = catalogue_gaps()
        for domain, msgids in gaps.items():
            for msgid in msgids:
                print(f"{domain}: {msgid!r}")
        return 1 if any(gaps.values()) else 0
    for mo in catalogues_compile(force="--force" in argv):
        print(f"compiled {mo.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
