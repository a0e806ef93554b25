"""The one Jinja2 environment of every report, and the Markdown it prints.

Everything shown in Markdown comes from user files (facts, rule texts). The Markdown
environment therefore escapes every `{{ value }}` by default, so a `**x**` or a `<script>`
in a fact reads as written instead of becoming formatting or markup; an HTML view renders
that Markdown with raw HTML switched off and puts its own values through Jinja's HTML
autoescaping.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context
from markdown_it import MarkdownIt

from ..load.data_paths import data_directory
from ..cache import private_folder
from ..load.wording import fact_names, long_date, word_backticked, word_engine_terms


class MarkdownText(str):
    """Markdown a module or a template composed itself, so it is not escaped again."""


# Escaping is targeted rather than blanket so the .md file stays readable as plain text
# ("perangkat_daerah", "[comply]", "0.1.0" stay as written); each rule below names the
# construct it defuses. tests/test_report.py renders random strings to keep it airtight.
_ALWAYS = re.compile(r"[\\`*<|~]")         # escapes, code, emphasis, raw HTML/autolinks, tables, strikethrough
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")  # "_" between two letters/digits cannot emphasise
# "](" is what makes an inline link or image; a "]" ending the value could meet a "(" the
# template prints next to it.
_LINK_TARGET = re.compile(r"\](?=\(|$)")
_ENTITY = re.compile(r"&(?=[#0-9A-Za-z])")     # "&amp;", "&#60;" would decode
# A value may land at the start of a line (list item, blockquote, paragraph), where these
# would open a block: heading, list item, blockquote, link reference definition, setext
# underline or thematic break.
_BLOCK_START = re.compile(r"^(?:[>\[]|#{1,6}(?=\s|$)|[-+](?=\s|$)|=+\s*$|(?:-\s*){2,}$)")
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def _backslash(match: re.Match) -> str:
    return "\\" + match.group(0)


def markdown_escape(value: Any) -> str:
    """A value as Markdown text that renders exactly as written, on one line.

    Newlines and runs of spaces are collapsed first: a line break in a fact could otherwise
    start a new block (heading, list, code) wherever the value lands in the template, and
    leading spaces could make it a code block.
    """
    if isinstance(value, MarkdownText):
        return value
    text = "—" if value is None else " ".join(str(value).split())
    text = _ALWAYS.sub(_backslash, text)
    text = _UNDERSCORE.sub(_backslash, text)
    text = _LINK_TARGET.sub(_backslash, text)
    text = _ENTITY.sub(_backslash, text)
    if _BLOCK_START.match(text):
        text = "\\" + text
    else:
        # A backslash before a digit is literal, so an ordered-list marker is escaped at its dot.
        text = _ORDERED_START.sub(r"\1\\\2", text)
    return MarkdownText(text)


def markdown_code(value: Any) -> MarkdownText:
    """A fact path as an inline code span, whatever backticks it holds."""
    text = " ".join(str(value).split())
    if not text:
        return markdown_escape(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return MarkdownText(f"{fence}{padding}{text}{padding}{fence}")


def markdown_rule_text(value: Any, language: str = "id") -> MarkdownText:
    """Text written in a rule file, whose `backticked` words name facts or codes: each in the
    reader's words (load/wording.py); one that is neither (a command, a word the facts must
    use as written) stays a code span. Everything else is escaped like any other value."""
    parts = re.split(r"`([^`]+)`", " ".join(str(value).split()))

    def prose(part: str) -> str:  # keep the spaces that separate prose from a code span
        lead, trail = part[: len(part) - len(part.lstrip())], part[len(part.rstrip()):]
        return lead + markdown_escape(word_engine_terms(part, language)) + trail if part.strip() else part

    def backticked(part: str) -> str:
        worded = word_backticked(part, language)
        return markdown_code(part) if worded is None else markdown_escape(worded)

    return MarkdownText("".join(backticked(part) if index % 2 else prose(part) for index, part in enumerate(parts)))


def context_language(context: Any) -> str:
    """The language of the document a template is rendering (its `language`, else its report's)."""
    language = context.get("language") or (context.get("report") or {}).get("language")
    return "en" if language == "en" else "id"


@pass_context
def _rule_text_filter(context: Any, value: Any) -> MarkdownText:
    return markdown_rule_text(value, context_language(context))


@pass_context
def _long_date_filter(context: Any, value: Any) -> str:
    return "—" if value in (None, "") else long_date(value, context_language(context))


@pass_context
def _fact_names_filter(context: Any, paths: list[str]) -> str:
    return fact_names(list(paths), context_language(context))


def markdown_code_list(values: list[Any]) -> MarkdownText:
    return MarkdownText(", ".join(markdown_code(value) for value in values))


@lru_cache(maxsize=None)
def environment(autoescape: bool) -> Environment:
    """The HTML environment (autoescape=True) or the Markdown one, over reports/templates/."""
    # The templates' compiled code is kept between runs (a report template takes 40 ms to
    # compile, a tenth of a single audit); one folder per environment, since HTML escaping
    # and the Markdown finalizer compile the same template differently.
    compiled = private_folder("templates-html" if autoescape else "templates-md")
    templates = Environment(
        loader=FileSystemLoader(str(data_directory("reports") / "templates")),
        bytecode_cache=FileSystemBytecodeCache(str(compiled)) if compiled else None,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=autoescape,
        # Markdown has no autoescape of its own: finalize escapes every value the template prints.
        finalize=None if autoescape else markdown_escape,
    )
    templates.filters["long_date"] = _long_date_filter
    templates.filters["fact_names"] = _fact_names_filter
    if not autoescape:
        templates.filters["code"] = markdown_code
        templates.filters["code_list"] = markdown_code_list
        templates.filters["rule_text"] = _rule_text_filter
        # Only for Markdown the template composed from escaped values (a macro's output).
        templates.filters["as_markdown"] = MarkdownText
    return templates


def tidy(markdown: str) -> str:
    """Blank lines collapsed to one: the templates stay readable, the output stays tidy.

    Safe because every value is printed on one line (markdown_escape), so only the
    template's own spacing can produce runs of blank lines.
    """
    return re.sub(r"\n{3,}", "\n\n", markdown).strip("\n") + "\n"


def render_markdown(template: str, context: dict[str, Any]) -> str:
    """reports/templates/TEMPLATE.md.j2 with `context`, tidied."""
    return tidy(environment(autoescape=False).get_template(f"{template}.md.j2").render(context))


def render_html(template: str, context: dict[str, Any]) -> str:
    """reports/templates/TEMPLATE.html.j2 with `context`, autoescaped."""
    return environment(autoescape=True).get_template(f"{template}.html.j2").render(context)


def markdown_to_html(text: str) -> str:
    # html=False: any raw HTML left in the text is shown escaped, never passed through.
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(tidy(text))
