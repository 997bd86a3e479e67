"""The Spanish map's catalogue: the committed .mo says exactly what the .po says (a fresh machine
may have no gettext to compile it, so a stale .mo would ship silently), and Django's own
translation machinery gives those words back under translation.override("es")."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

from django.utils import translation

import pathways

LOCALE = Path(pathways.__file__).resolve().parent / "locale" / "es" / "LC_MESSAGES"
PO, MO = LOCALE / "django.po", LOCALE / "django.mo"
TEMPLATE = Path(pathways.__file__).resolve().parent / "templates" / "pathways" / "map.html"


def parse_po(path: Path) -> list[dict]:
    """The .po's entries (blocks separated by blank lines, as makemessages writes them): flags,
    msgctxt, msgid, msgid_plural, msgstr or msgstr[n], each continued on following lines."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, key = {"flags": set()}, None
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#") or not line:
                continue
            elif match := re.match(
                r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line
            ):
                key = match.group(1)
                entry[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key is not None:
                entry[key] += ast.literal_eval(line)
            else:
                raise AssertionError(f"Unexpected line in {path.name}: {raw!r}")
        if "msgid" in entry:
            entries.append(entry)
    return entries


def translated_entries() -> list[dict]:
    return [e for e in parse_po(PO) if e["msgid"]]


def test_the_po_is_complete_and_not_fuzzy():
    entries = translated_entries()
    assert len(entries) >= 30
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        strings = [v for k, v in entry.items() if k.startswith("msgstr")]
        assert strings and all(strings), f"untranslated: {entry['msgid']!r}"


def test_the_committed_mo_matches_the_po():
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    expected = set()
    for entry in translated_entries():
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            singular, plural = entry["msgstr[0]"], entry["msgstr[1]"]
            assert catalog.ngettext(msgid, entry["msgid_plural"], 1) == singular, msgid
            assert catalog.ngettext(msgid, entry["msgid_plural"], 5) == plural, msgid
            expected |= {(msgid, 0), (msgid, 1)}
        else:
            assert catalog.gettext(msgid) == entry["msgstr"], (
                f"{MO.name} is out of date for {msgid!r}: run compilemessages in pathways/"
            )
            expected.add(msgid)
    # Nothing in the .mo that the .po no longer has (a string removed but not recompiled).
    in_mo = {key for key in catalog._catalog if key != ""}
    assert in_mo == expected


def test_django_translates_every_entry_to_the_po_text():
    """Other apps' catalogues win over ours on a shared msgid; none may change our words."""
    with translation.override("es"):
        for entry in translated_entries():
            if "msgid_plural" in entry:
                got = translation.ngettext(entry["msgid"], entry["msgid_plural"], 2)
                assert got == entry["msgstr[1]"], entry["msgid"]
            else:
                assert translation.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


def test_every_label_of_the_map_template_is_in_the_po():
    source = TEMPLATE.read_text(encoding="utf-8")
    msgids = {e["msgid"] for e in translated_entries()}
    labels = re.findall(r'{% translate "([^"]+)" %}', source)
    blocks = re.findall(r"{% blocktranslate[^%]*%}(.*?){% (?:plural|endblocktranslate) %}", source)
    assert len(labels) >= 10 and len(blocks) >= 4
    for label in labels:
        assert label in msgids, label
    for block in blocks:
        msgid = re.sub(r"{{ (\w+) }}", r"%(\1)s", block)
        assert msgid in msgids, msgid
