"""Safe YAML loading that remembers where every value came from.

Users write facts and rules by hand; an error has to name the file, the line and the field.
PyYAML's safe loader is used throughout (nothing in a file is ever executed). Timestamps are
left as text so that an impossible date such as 2024-02-30 reaches the validator, which
names the field, instead of failing inside the YAML parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml

from ..cache import cached
from ..problems import InputError

FieldPath = tuple[Any, ...]


class _TextDatesLoader(yaml.SafeLoader):
    pass


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# libyaml parses about 7 times faster than the pure-Python parser (a 500-line facts file:
# 21 ms instead of 158 ms), which matters when a batch audits thousands of units. It is
# used only when valid input parses: for a file that fails, the pure-Python parser runs
# again, because its messages are the ones users are told (e.g. it names a tab character).
if getattr(yaml, "__with_libyaml__", False):
    class _FastTextDatesLoader(yaml.CSafeLoader):
        pass

    _FastTextDatesLoader.yaml_implicit_resolvers = _TextDatesLoader.yaml_implicit_resolvers
    _LOADERS: tuple[type, ...] = (_FastTextDatesLoader, _TextDatesLoader)
else:
    _LOADERS = (_TextDatesLoader,)


# The files patuh ships (labels, vocabularies, regulation texts) are read on every start: with
# libyaml when present, 7 times faster, and as safely (the safe constructor: no tag runs code).
_DATA_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_data_file(path: Path | str) -> Any:
    """A YAML data file shipped with patuh, as plain Python values (dates as dates); kept
    parsed in the cache by its content (the label files alone take 20 ms to parse)."""
    path = Path(path)

    def parse() -> Any:
        with path.open(encoding="utf-8") as stream:
            return yaml.load(stream, Loader=_DATA_LOADER)  # noqa: S506 - a safe loader

    return cached(f"data-{path.parent.name}-{path.stem}", (), parse, files=(path,))


@dataclass(frozen=True)
class SourceDocument:
    file: Path
    data: Any
    lines: dict[FieldPath, int]

    def line_of(self, path: Iterable[Any]) -> int | None:
        """The line of the deepest part of `path` that exists in the file."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def format_path(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


# Aliases let a small file stand for a huge one ("billion laughs"); facts never need that many.
MAX_VALUES = 200_000


def _expanded_size(node: yaml.Node, sizes: dict[int, int], file: Path, open_nodes: frozenset[int] = frozenset()) -> int:
    """How many values the document holds once every alias is spelled out (memoised per node)."""
    if id(node) in sizes:
        return sizes[id(node)]
    if id(node) in open_nodes:
        raise InputError(file, "an alias (*name) refers to the block it stands in, which would never end",
                         node.start_mark.line + 1)
    open_nodes = open_nodes | {id(node)}
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    size = 1 + sum(_expanded_size(child, sizes, file, open_nodes) for child in children)
    if size > MAX_VALUES:
        raise InputError(file, f"the aliases (*name) here expand to more than {MAX_VALUES:,} values; write the facts out",
                         node.start_mark.line + 1)
    sizes[id(node)] = size
    return size


def _record_lines(node: yaml.Node, path: FieldPath, lines: dict[FieldPath, int], file: Path) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(file, "a key must be a plain word, not a list or a block",
                                 key_node.start_mark.line + 1, format_path(path))
            key = key_node.value
            if key in seen:
                raise InputError(file, f"the key `{key}` appears twice in the same block", key_node.start_mark.line + 1, format_path(path + (key,)))
            seen.add(key)
            _record_lines(value_node, path + (key,), lines, file)
            lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, path + (index,), lines, file)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}|\\U0000[dD][89a-fA-F][0-9a-fA-F]{2}")


def load_source(file: Path | str, what: str = "YAML") -> SourceDocument:
    """Read one YAML document; every failure becomes an InputError naming the file and line."""
    file = Path(file)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(file, f"no such file (expected a {what} file)") from None
    except IsADirectoryError:
        raise InputError(file, f"this is a folder, expected a {what} file") from None
    except UnicodeDecodeError as error:
        raise InputError(file, f"not UTF-8 text (byte {error.start}); save the file as UTF-8") from None
    if not text.strip():
        raise InputError(file, f"the file is empty; expected a {what} file")
    half_character = _SURROGATE_ESCAPE.search(text)
    if half_character:
        # YAML's pure-Python reader accepts "\ud800", but such a string cannot be written out as
        # UTF-8 (a report, a summary): refused here, where the line is known.
        raise InputError(file, f"{half_character.group(0)} is half of a UTF-16 pair, not a character; write the character itself",
                         text.count("\n", 0, half_character.start()) + 1)
    try:
        for loader_class in _LOADERS:
            try:
                loader = loader_class(text)
                try:
                    node = loader.get_single_node()
                    lines: dict[FieldPath, int] = {}
                    # Refuses looping or exploding aliases before anything is built. Without an
                    # anchor (&) or alias (*) character in the text nothing can expand, and the
                    # walk (a quarter of the time to read a large file) is skipped.
                    if node is not None and ("*" in text or "&" in text):
                        _expanded_size(node, {}, file)
                    if node is not None:
                        _record_lines(node, (), lines, file)
                    data = loader.construct_document(node) if node is not None else None
                finally:
                    loader.dispose()
                break
            except yaml.YAMLError:
                if loader_class is _LOADERS[-1]:
                    raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or str(error)
        if "'\\t'" in problem:
            problem = "a tab character; indent with spaces only"
        elif "expected <block end>" in problem or "mapping values are not allowed" in problem:
            problem += " (usually an indentation slip: keys of one block start in the same column)"
        raise InputError(file, f"not valid YAML: {problem}", line) from None
    except yaml.reader.ReaderError as error:
        # The reader names a character position only; a person looks for a line and a column.
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        character = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        raise InputError(file, f"not valid YAML: the character {character} (column {column}) is not allowed in YAML text; "
                               f"remove it or write it as an escape such as \\x00 inside double quotes", line) from None
    except yaml.YAMLError as error:
        raise InputError(file, f"not valid YAML: {error}") from None
    except RecursionError:
        raise InputError(file, f"nested too deeply to be a {what} file (lists or blocks inside each other thousands of levels down)") from None
    if node is None:
        raise InputError(file, f"the file holds no data; expected a {what} file")
    return SourceDocument(file=file, data=data, lines=lines)
