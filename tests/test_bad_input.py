"""Bad facts get one clear message naming file, line and field, exit code 1, no traceback.

This suite tries 27 kinds of bad facts file (BAD_FACTS), each through `validate` and `audit`,
and 8 kinds of bad command line (BAD_COMMANDS); the tests below hold these numbers true.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from patuh.cli import main

ORGANISATION = "organisation:\n  name: Dinas Sosial Kabupaten Tegal\n  type: perangkat_daerah\n  region: Kabupaten Tegal\n"

BAD_FACTS = {
    "not YAML": ("organisation: [unclosed\n", ["not valid YAML", ":2:"]),
    "unknown key": (ORGANISATION + "  colour: merah\n", [":5:", "organisation.colour", "unknown key"]),
    "wrong type": (ORGANISATION + "events:\n  skm:\n    - held_to: 2024-10-01\n      respondents: banyak\n",
                   [":8:", "events.skm[0].respondents", "whole number", "'banyak'"]),
    "impossible date": (ORGANISATION + "events:\n  fkp:\n    - held_on: 2024-02-30\n",
                        [":7:", "events.fkp[0].held_on", "2024-02-30", "YYYY-MM-DD"]),
    "date after as-of": (ORGANISATION + "events:\n  fkp:\n    - held_on: 2025-01-02\n",
                         [":7:", "events.fkp[0].held_on", "after the audit's as-of date 2024-12-31"]),
    "facility outside the vocabulary": (ORGANISATION + "facilities:\n  - item: ruang laktsi\n",
                                        [":6:", "facilities[0].item", "did you mean", "ruang laktasi"]),
    "empty file": ("", ["the file is empty"]),
    "only a comment": ("# nothing yet\n", ["holds no data"]),
    "a list at the top": ("- organisation\n", [":1:", "expected a mapping"]),
    "duplicate key": (ORGANISATION + "  name: Dinas Lain\n", [":5:", "appears twice"]),
    "organisation type outside the list": (ORGANISATION.replace("perangkat_daerah", "dinas"),
                                           [":3:", "organisation.type", "'perangkat_daerah', 'bumd' or 'swasta'"]),
    "unknown key inside a document": (ORGANISATION + "maklumat:\n  nomor: 5\n", [":6:", "field `maklumat.nomor`", "unknown key"]),
    "a document that is neither a block nor tidak_ada": (ORGANISATION + "maklumat: tidak\n",
                                                         [":5:", "field `maklumat`", "`tidak_ada`"]),
    "an alias that refers to its own block": (ORGANISATION + "maklumat: &loop\n  document: *loop\n",
                                             [":5:", "refers to the block it stands in"]),
    "aliases that explode": (ORGANISATION + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
                             + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 8)),
                             ["expand to more than"]),
    "a key that is a list": (ORGANISATION + "? [a, b]\n: c\n", [":5:", "a key must be a plain word"]),
    "a tab for indentation": ("organisation:\n\tname: X\n", [":2:", "tab character; indent with spaces"]),
    "a misspelt key": (ORGANISATION + "  atasan_satuan_kerj: {name: A}\n", [":5:", "did you mean `atasan_satuan_kerja`"]),
    "yes for a boolean": (ORGANISATION + "complaint_management:\n  channels:\n    - {kind: sms, forwarded_to_sp4n_lapor: ya}\n",
                          [":7:", "expected true or false", "'ya'"]),
    "a survey that ends before it starts": (ORGANISATION + "events:\n  skm:\n    - {held_from: 2024-10-01, held_to: 2024-09-30}\n",
                                            [":7:", "events.skm[0].held_from", "starts (2024-10-01) after it ends"]),
    "half of a UTF-16 pair": (ORGANISATION.replace("name: ", 'name: "Dinas \\ud800 " #', 1),
                              [":2:", "\\ud800 is half of a UTF-16 pair"]),
    "a NUL character": (ORGANISATION.replace("name: Dinas", 'name: "Dinas\0', 1).replace("Tegal\n", 'Tegal"\n', 1),
                        [":2:", "U+0000", "column 15", "not allowed"]),
    "nested thousands of levels": ("organisation: " + "[" * 5000 + "]" * 5000 + "\n", ["nested too deeply"]),
    "true where a number is meant": (ORGANISATION + "facilities:\n  - {item: toilet, quantity: true}\n",
                                     [":6:", "facilities[0].quantity", "expected a whole number such as 3, found true"]),
    "a number of respondents beyond any survey": (ORGANISATION + "events:\n  skm:\n    - {held_to: 2024-10-01, respondents: " + "1" + "0" * 30 + "}\n",
                                                  [":7:", "events.skm[0].respondents", "at most 300000000"]),
    "a fee beyond any fee": (ORGANISATION + "complaint_management:\n  complaints:\n    - {received_on: 2024-03-01, fee_charged: 1.0e+30}\n",
                             [":7:", "complaint_management.complaints[0].fee_charged", "at most 1000000000000"]),
    "publication of an unknown service": (ORGANISATION + "service_types:\n  - {id: ktp-el, name: KTP-el}\n"
                                          "publications:\n  - {document: standar_pelayanan, service_type: kk, medium: elektronik, channel: website}\n",
                                          [":8:", "publications[0].service_type", "'kk'", "ktp-el"]),
}


@pytest.mark.parametrize("name", sorted(BAD_FACTS))
@pytest.mark.parametrize("command", ["validate", "audit"])
def test_bad_facts_get_a_clear_message(name, command, tmp_path, capsys):
    text, expected_parts = BAD_FACTS[name]
    facts = tmp_path / "unit.yaml"
    facts.write_text(text, encoding="utf-8")
    arguments = [command, str(facts), "--as-of", "2024-12-31"]
    if command == "audit":
        arguments += ["--regulation", "tegal-perbup-63-2023", "-o", str(tmp_path / "report.json"), "--format", "json"]
    code = main(arguments)
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err
    assert str(facts) in captured.err
    for part in expected_parts:
        assert part in captured.err, captured.err
    assert not (tmp_path / "report.json").exists()


def test_missing_file_is_named(tmp_path, capsys):
    missing = tmp_path / "nowhere.yaml"
    assert main(["validate", str(missing)]) == 1
    assert f"{missing}: no such file" in capsys.readouterr().err


def test_an_existing_report_survives_a_failed_audit(tmp_path, capsys):
    report = tmp_path / "report.json"
    report.write_text("earlier report\n", encoding="utf-8")
    facts = tmp_path / "unit.yaml"
    facts.write_text(ORGANISATION + "  colour: merah\n", encoding="utf-8")
    code = main(["audit", str(facts), "--regulation", "tegal-perbup-63-2023", "--as-of", "2024-12-31", "-o", str(report)])
    assert code == 1
    assert report.read_text(encoding="utf-8") == "earlier report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "unit.yaml"]


BAD_COMMANDS = {
    "an impossible audit date": (["audit", "x.yaml", "--regulation", "tegal-perbup-63-2023", "--as-of", "2024-13-01"], "YYYY-MM-DD"),
    "a date without its dashes": (["audit", "x.yaml", "--regulation", "tegal", "--as-of", "20241231"], "YYYY-MM-DD (e.g. 2024-12-31), got '20241231'"),
    "a date without its zeros": (["validate", "x.yaml", "--as-of", "2024-1-1"], "YYYY-MM-DD"),
    "an audit date beyond the holiday data": (["audit", "x.yaml", "--regulation", "tegal", "--as-of", "3000-01-01"],
                                              "beyond the working-day calendar, whose holiday data covers"),
    "a batch date beyond the holiday data": (["batch", "x", "--as-of", "2051-01-01", "-o", "out"], "give a date up to 2050-12-31"),
    "no regulation": (["audit", "x.yaml"], "--regulation"),
    "an unknown command": (["frobnicate"], "invalid choice"),
    "a report format patuh does not write": (["audit", "x.yaml", "--regulation", "tegal", "--as-of", "2024-12-31", "-o", "x.pdf"],
                                             "does not write .pdf files"),
}


@pytest.mark.parametrize("name", sorted(BAD_COMMANDS))
def test_usage_errors_exit_1(name, capsys):
    arguments, message = BAD_COMMANDS[name]
    assert main(arguments) == 1
    assert message in capsys.readouterr().err


def test_unknown_regulation_is_refused(tmp_path, capsys):
    facts = tmp_path / "unit.yaml"
    facts.write_text(ORGANISATION, encoding="utf-8")
    assert main(["audit", str(facts), "--regulation", "tegal-perbup-99-2099", "--as-of", "2024-12-31"]) == 1
    error = capsys.readouterr().err
    assert "tegal-perbup-99-2099" in error and "tegal-perbup-63-2023" in error


def test_a_date_before_the_regulation_is_refused_naming_what_it_replaced(tmp_path, capsys):
    facts = tmp_path / "unit.yaml"
    facts.write_text(ORGANISATION, encoding="utf-8")
    assert main(["audit", str(facts), "--regulation", "tegal-perbup-63-2023", "--as-of", "2023-06-30"]) == 1
    error = capsys.readouterr().err
    assert "in force from 2023-10-30" in error
    assert "Nomor 10 Tahun 2015" in error


def test_an_earlier_finding_must_name_a_rule_of_the_regulation(tmp_path, capsys):
    facts = tmp_path / "unit.yaml"
    facts.write_text(ORGANISATION + "earlier_audits:\n  - dated: 2024-05-15\n    regulation: tegal-perbup-63-2023\n"
                     "    findings:\n      - {rule_id: tegal.pasal-17-ayat-9, status: violation}\n", encoding="utf-8")
    code = main(["audit", str(facts), "--regulation", "tegal-perbup-63-2023", "--as-of", "2024-12-31"])
    error = capsys.readouterr().err
    assert code == 1
    assert ":9:" in error and "earlier_audits[0].findings[0].rule_id" in error and "tegal.pasal-17-ayat-9" in error


def test_an_earlier_audit_of_another_regulation_is_not_checked_against_this_one(tmp_path, capsys):
    facts = tmp_path / "unit.yaml"
    facts.write_text(ORGANISATION + "earlier_audits:\n  - dated: 2024-05-15\n    regulation: sanggau-perbup-33-2019\n"
                     "    findings:\n      - {rule_id: sanggau.pasal-11, status: violation}\n", encoding="utf-8")
    code = main(["audit", str(facts), "--regulation", "tegal-perbup-63-2023", "--as-of", "2024-12-31", "--format", "json"])
    assert code in (0, 2), capsys.readouterr().err


def test_a_unit_of_another_region_is_audited_with_a_warning(tmp_path, capsys):
    facts = tmp_path / "unit.yaml"
    facts.write_text(ORGANISATION.replace("Kabupaten Tegal\n", "Kota Metro\n"), encoding="utf-8")
    code = main(["audit", str(facts), "--regulation", "tegal-perbup-63-2023", "--as-of", "2024-12-31", "--format", "json"])
    error = capsys.readouterr().err
    assert code in (0, 2)
    assert "warning:" in error and "Kota Metro" in error and "Kabupaten Tegal" in error


def test_the_output_extension_chooses_the_format(tmp_path, capsys):
    from patuh.load.data_paths import data_directory

    example = data_directory("facts") / "examples" / "tegal-disdukcapil.yaml"
    for name, start in (("r.html", "<!DOCTYPE html>"), ("r.json", "{"), ("r.md", "# ")):
        main(["audit", str(example), "--regulation", "tegal", "--as-of", "2024-12-31", "-o", str(tmp_path / name)])
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start), name


def test_an_unwritable_report_names_the_report_not_a_temporary_file(tmp_path, capsys):
    from patuh.load.data_paths import data_directory

    example = data_directory("facts") / "examples" / "tegal-disdukcapil.yaml"
    target = tmp_path / "missing-folder" / "r.html"
    assert main(["audit", str(example), "--regulation", "tegal", "--as-of", "2024-12-31", "-o", str(target)]) == 1
    error = capsys.readouterr().err
    assert f"{target}: the folder" in error and "does not exist" in error and ".tmp" not in error


def test_the_suite_says_how_many_kinds_it_tries():
    import re

    said = re.search(r"tries (\d+) kinds of bad facts file .* and (\d+) kinds of bad command line", " ".join(__doc__.split()))
    assert said and (int(said.group(1)), int(said.group(2))) == (len(BAD_FACTS), len(BAD_COMMANDS))


def test_every_way_into_an_audit_refuses_a_date_beyond_the_holiday_data():
    """The library refuses it too (the web application and `patuh import` audit through it)."""
    from datetime import date

    from patuh.audit.pipeline import audit_file
    from patuh.dates.working_days import UnsupportedYearError
    from patuh.load.data_paths import data_directory

    example = data_directory("facts") / "examples" / "tegal-disdukcapil.yaml"
    with pytest.raises(UnsupportedYearError, match="give a date up to 2050-12-31"):
        audit_file(example, "tegal", date(2051, 1, 2))
