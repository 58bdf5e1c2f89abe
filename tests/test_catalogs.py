"""Every language has every message with the same placeholders; the code uses known keys only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n.catalog import LANGUAGES, Catalog, CatalogError, Raw, load_catalog, placeholders

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_every_language_has_every_key(catalog: Catalog) -> None:
    every = set().union(*(catalog.keys(lang) for lang in LANGUAGES))
    assert every, "the catalogs are empty"
    missing = {lang: sorted(every - catalog.keys(lang)) for lang in LANGUAGES}
    assert missing == {lang: [] for lang in LANGUAGES}


def test_placeholders_agree_across_languages(catalog: Catalog) -> None:
    for key in catalog.keys("kk"):
        expected = placeholders(catalog.messages["kk"][key])
        for lang in LANGUAGES:
            assert placeholders(catalog.messages[lang][key]) == expected, (lang, key)


def test_every_key_used_in_the_code_exists(catalog: Catalog) -> None:
    pattern = re.compile(r"""\btr(?:\.plain)?\(\s*f?["']([a-z_.]+)["']""")
    used: set[str] = set()
    sources = [*(ROOT / "bot").rglob("*.py"), *(ROOT / "sandbox").rglob("*.py")]
    sources += [*(ROOT / "sandbox").rglob("*.html"), *(ROOT / "bot").rglob("*.html")]
    for path in sources:
        used.update(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "no catalog lookups found in bot/ and sandbox/"
    # A key ending in "." is the fixed start of a key built in a template ("sandbox.jump." ~ …).
    prefixes = {key for key in used if key.endswith(".")}
    assert sorted(used - prefixes - catalog.keys("kk")) == []
    assert [p for p in prefixes if not any(k.startswith(p) for k in catalog.keys("kk"))] == []
    assert {"sandbox.title", "sandbox.jump.", "sandbox.persona.", "dashboard.tab."} <= used


def test_values_are_escaped_but_raw_markup_is_kept(catalog: Catalog) -> None:
    text = catalog.text("en", "start.welcome", name="<b>&", plan=Raw("<i>x</i>"))
    assert "&lt;b&gt;&amp;" in text
    assert "<i>x</i>" in text


def test_unknown_key_is_an_error_naming_it(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match=r"no\.such\.key"):
        catalog.text("ru", "no.such.key")


def test_missing_catalog_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="kk catalog"):
        load_catalog(tmp_path)
