"""The German catalogue is complete: every string marked for translation (Python, templates, our JavaScript)
has a German translation that is not fuzzy. The check extracts from a copy of the tree (makemessages), so the
catalogue in git is not touched; its failure lists the msgids to translate."""

import shutil

import polib

from cxportal import catalogues


def test_every_marked_string_has_a_german_translation():
    gaps = catalogues.catalogue_gaps()
    missing = [f"{domain}: {msgid!r}" for domain, msgids in gaps.items() for msgid in msgids]
    assert not missing, "Translate in locale/de/LC_MESSAGES/*.po (no fuzzy entries):\n" + "\n".join(missing)


def test_the_check_names_a_new_untranslated_string_and_a_fuzzy_one(tmp_path):
    for name in catalogues.TREE:
        source = catalogues.BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "vendor"))
        else:
            shutil.copy2(source, tmp_path / name)
    (tmp_path / "cxportal" / "brand_new.py").write_text(
        'from django.utils.translation import gettext as _\n\nLABEL = _("A label nobody translated yet")\n'
    )
    (tmp_path / "static" / "cxportal" / "brand_new.js").write_text(
        'const label = gettext("A button nobody translated");\n'
    )
    po_path = tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    catalogue.find("Log out").flags.append("fuzzy")
    catalogue.save()

    gaps = catalogues.catalogue_gaps(tmp_path)

    assert "A label nobody translated yet" in gaps["django"]
    assert "Log out" in gaps["django"]
    assert "A button nobody translated" in gaps["djangojs"]
    assert "Save" not in gaps["django"]


def test_compile_builds_missing_and_stale_catalogues_only(tmp_path):
    messages = tmp_path / "locale" / "de" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de"}
    po.append(polib.POEntry(msgid="Save", msgstr="Speichern"))
    po.save(str(messages / "django.po"))

    assert catalogues.catalogues_compile(tmp_path) == [messages / "django.mo"]
    assert polib.mofile(str(messages / "django.mo")).find("Save").msgstr == "Speichern"
    assert catalogues.catalogues_compile(tmp_path) == []  # up to date: nothing rebuilt
