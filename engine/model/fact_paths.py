"""Fact paths that rules name, checked against the fact model when rules load.

A rule that names a fact the model does not have would otherwise be unknown forever; a
misspelt path is a load error instead, naming the rule file and the path.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from .facts import Facts, NotPresent, ServiceType


class FactPathError(ValueError):
    pass


def unwrap_annotation(annotation: Any) -> tuple[Any, bool]:
    """(inner type, is_list) with Optional removed."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        # Optional and the "tidak_ada" marker are not where a path leads.
        arguments = [a for a in typing.get_args(annotation) if a is not type(None) and a != NotPresent]
        if len(arguments) == 1:
            return unwrap_annotation(arguments[0])
    if origin is list:
        inner, _ = unwrap_annotation(typing.get_args(annotation)[0])
        return inner, True
    return annotation, False


ROOTS: dict[str, Any] = {"service": ServiceType}


def resolve_path(path: str, roots: dict[str, Any] | None = None) -> tuple[Any, bool]:
    """The type a path reaches and whether it is a list; FactPathError if it reaches nothing."""
    roots = {**ROOTS, **(roots or {})}
    segments = path.split(".")
    current: Any = Facts
    is_list = False
    for position, segment in enumerate(segments):
        name = segment.removesuffix("[]")
        flatten = segment.endswith("[]")
        if position == 0 and name in roots:
            current, is_list = roots[name], False
        else:
            if not (isinstance(current, type) and issubclass(current, BaseModel)):
                raise FactPathError(f"`{path}`: `{'.'.join(segments[:position])}` holds a value, it has no field `{name}`")
            fields = current.model_fields
            if name not in fields:
                raise FactPathError(f"`{path}`: {current.__name__} has no field `{name}` (it has: {', '.join(fields)})")
            current, is_list = unwrap_annotation(fields[name].annotation)
        if flatten and not is_list:
            raise FactPathError(f"`{path}`: `{name}` is not a list, so `[]` does not apply")
        if is_list and not flatten and position < len(segments) - 1:
            raise FactPathError(f"`{path}`: `{name}` is a list; write `{name}[]` to look inside its items")
        if flatten:
            is_list = False
    return current, is_list


def item_type(path: str, roots: dict[str, Any] | None = None) -> Any:
    """The element type of the list a path reaches (the root `item` of an `each` scope)."""
    reached, is_list = resolve_path(path, roots)
    if not is_list:
        raise FactPathError(f"`{path}` is not a list, so a rule cannot judge each of its items")
    return reached
