"""The words of the reports (reports/labels/*.yaml) and the one home of rendering."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
import yaml

from patuh.load.data_paths import data_directory
from patuh.load.labels import LANGUAGES, words
from patuh.render.formats import DOCUMENT_KINDS, FORMATS, output_format, render_as
from patuh.render.writer import write_atomically, write_streamed

ENGINE = Path(__file__).resolve().parent.parent / "engine"


def _keys(value, prefix=""):
    """Every key path of a nested label group; lists are one text each (their lines may differ in number)."""
    if isinstance(value, dict):
        return {path for key, child in value.items() for path in _keys(child, f"{prefix}{key}.")} | {prefix.rstrip(".")}
    return {prefix.rstrip(".")}


def test_both_languages_hold_the_same_keys():
    indonesian, english = (words(language) for language in LANGUAGES)
    assert _keys(indonesian) == _keys(english)
    for group in ("statuses", "audit_report", "compare_report", "side_by_side", "remediation", "skm_report",
                  "template", "batch_dashboard", "sanction_parties"):
        assert group in indonesian, group


def test_every_label_is_text_and_the_files_are_plain_yaml():
    for language in LANGUAGES:
        text = (data_directory("reports") / "labels" / f"{language}.yaml").read_text(encoding="utf-8")
        assert yaml.safe_load(text) == words(language)  # no tags, anchors or other non-safe YAML

        def texts(value):
            if isinstance(value, dict):
                for child in value.values():
                    yield from texts(child)
            elif isinstance(value, list):
                for child in value:
                    yield from texts(child)
            else:
                yield value

        assert all(isinstance(entry, str) and entry.strip() for entry in texts(words(language))), language


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        words("jv")


def test_the_labels_are_installed_with_the_package():
    project = tomllib.loads((ENGINE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["patuh.data.reports"]
    assert any(Path("labels/id.yaml").match(pattern) for pattern in patterns)


def test_every_document_kind_is_registered_once_with_every_format():
    import patuh.documents.audit_report  # noqa: F401  (importing a document module registers its kind)
    import patuh.documents.compare_report  # noqa: F401
    import patuh.documents.lhp  # noqa: F401
    import patuh.documents.remediation  # noqa: F401
    import patuh.documents.side_by_side  # noqa: F401
    import patuh.documents.skm_report  # noqa: F401

    assert set(DOCUMENT_KINDS) == {"audit report", "compare matrix", "difference", "side by side",
                                   "remediation plan", "skm", "lhp"}
    # The LHP is the one document edited in a word processor afterwards, and it is no record of its own.
    assert tuple(DOCUMENT_KINDS["lhp"]) == ("docx", "html")
    assert all(tuple(views) == FORMATS for kind, views in DOCUMENT_KINDS.items() if kind != "lhp")
    with pytest.raises(ValueError, match="skm format must be one of json, md, html"):
        render_as("skm", {}, "pdf")


def test_the_format_follows_the_option_then_the_extension():
    assert output_format("html", Path("x.md")) == "html"
    assert output_format(None, Path("x.HTM")) == "html"
    assert output_format(None, Path("x.json")) == "json"
    assert output_format(None, Path("LHP.DOCX")) == "docx"
    assert output_format(None, None) == "md"


def test_streamed_and_whole_text_are_written_alike(tmp_path):
    write_streamed(iter(["satu\n", "dua — ≤\n"]), tmp_path / "streamed.txt")
    write_atomically("satu\ndua — ≤\n", tmp_path / "whole.txt")
    assert (tmp_path / "streamed.txt").read_bytes() == (tmp_path / "whole.txt").read_bytes() == "satu\ndua — ≤\n".encode()


def _private_imports(file: Path) -> list[str]:
    tree = ast.parse(file.read_text(encoding="utf-8"))
    return [f"{node.module}.{alias.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]


def test_no_module_imports_another_modules_private_name():
    offenders = {str(file.relative_to(ENGINE)): found for file in ENGINE.rglob("*.py")
                 if (found := _private_imports(file))}
    assert offenders == {}
