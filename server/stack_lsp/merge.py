"""Atmos deep merge over positioned values, keeping provenance.

Semantics follow Atmos's native merge [pkg/merge/merge_native.go]: maps merge recursively; the
later value wins even across types; a list is replaced, appended or merged element-wise by the
list merge strategy (`merge` keeps the earlier list's length and, for scalars at one index, the
earlier value); a map, scalar or null over a list replaces it too, recorded as a conflict for a
hint (Atmos briefly refused it: pkg/merge/merge_type_override_test.go); `!append` concatenates
whatever the strategy and `!unset` deletes a key. Nothing parsed is mutated: merged maps are new
`Value`s whose `history` lists, per key, the values that key shadowed (newest first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .tree import Value

REPLACE, APPEND, MERGE = "replace", "append", "merge"


@dataclass(frozen=True, slots=True)
class MergeConflict:
    """A list overridden by a non-list: the later value wins, as in Atmos."""

    earlier: Value
    later: Value


def merge_all(
    values: Iterable[Value | None],
    strategy: str = REPLACE,
    conflicts: list[MergeConflict] | None = None,
) -> Value | None:
    """Deep-merge `values` in order (later wins). Empty maps and None change nothing."""
    result: Value | None = None
    for value in values:
        if value is None:
            continue
        if result is None:
            result = value
        elif value.is_map and not value.data and result.is_map:
            continue
        else:
            result = merge_two(result, value, strategy, conflicts)
    return result


def conflicts_of(
    values: Iterable[Value | None], strategy: str = REPLACE
) -> list[MergeConflict] | None:
    """The conflicts `merge_all(values, strategy, conflicts)` records (in another order), found
    without building the merge: only keys that several maps write are visited. None for the
    `merge` strategy, whose element-wise list merge this does not follow."""
    if strategy == MERGE:
        return None
    present = [v for v in values if v is not None]
    out: list[MergeConflict] = []
    if len(present) > 1:
        _scan(present, out, top=True)
    return out


def _scan(values: list[Value], out: list[MergeConflict], top: bool) -> None:
    """Follows `_merge` over the values one path receives, in order. The merged value so far is
    either `maps` (the maps merged into it since it last was replaced) or `current`."""
    maps: list[Value] = []
    current: Value | None = None
    for value in values:
        if maps:
            if top and value.is_map and not value.data:
                continue
            if isinstance(value.data, dict) and value.tag is None:
                maps.append(value)
                continue
            _scan_maps(maps, out)
        elif (
            current is not None
            and isinstance(current.data, list)
            and not isinstance(value.data, list)
        ):
            out.append(MergeConflict(current, value))
        maps, current = ([value], None) if isinstance(value.data, dict) else ([], value)
    _scan_maps(maps, out)


def _scan_maps(maps: list[Value], out: list[MergeConflict]) -> None:
    """Only keys that several maps write can conflict; set operations find them."""
    if len(maps) < 2:
        return
    seen = set(maps[0].data)
    shared: set[str] = set()
    for mapping in maps[1:]:
        keys = mapping.data.keys()
        shared |= seen & keys
        seen |= keys
    for key in shared:
        values: list[Value] = []
        for mapping in maps:
            value = mapping.data.get(key)
            if value is None:
                continue
            if value.tag == "!unset":
                values = []
            else:
                values.append(value)
        if len(values) > 1:
            _scan(values, out, top=False)


def merge_two(
    dst: Value, src: Value, strategy: str = REPLACE, conflicts: list[MergeConflict] | None = None
) -> Value:
    """The merge of `src` over `dst`."""
    merged, _ = _merge(dst, src, strategy, conflicts)
    return merged


def _merge(
    dst: Value, src: Value, strategy: str, conflicts: list[MergeConflict] | None
) -> tuple[Value, bool]:
    """Returns the merged value and whether `src` replaced `dst` (rather than combining)."""
    if isinstance(src.data, dict) and src.tag is None and isinstance(dst.data, dict):
        return _merge_maps(dst, src, strategy, conflicts), False
    if isinstance(src.data, list) and src.tag == "!append":
        earlier = dst.data if isinstance(dst.data, list) else []
        return Value([*earlier, *src.data], src.source), False
    if isinstance(dst.data, list):
        if not isinstance(src.data, list):
            if conflicts is not None:
                conflicts.append(MergeConflict(dst, src))
            return src, True
        if strategy == APPEND:
            return Value([*dst.data, *src.data], src.source), False
        if strategy == MERGE:
            return _merge_lists(dst, src, conflicts), False
    return src, True


def _merge_lists(dst: Value, src: Value, conflicts: list[MergeConflict] | None) -> Value:
    items = list(dst.data)
    for i, (a, b) in enumerate(zip(dst.data, src.data, strict=False)):
        if isinstance(a.data, dict) and isinstance(b.data, dict):
            items[i] = _merge_maps(a, b, MERGE, conflicts)
    return Value(items, src.source)


def _merge_maps(
    dst: Value, src: Value, strategy: str, conflicts: list[MergeConflict] | None
) -> Value:
    data = dict(dst.data)
    history = dict(dst.history) if dst.history else {}
    src_history = src.history or {}
    for key, value in src.data.items():
        if value.tag == "!unset":
            data.pop(key, None)
            history.pop(key, None)
            continue
        earlier = data.get(key)
        if earlier is None:
            data[key] = value
            if key in src_history:
                history[key] = src_history[key]
            continue
        merged, replaced = _merge(earlier, value, strategy, conflicts)
        data[key] = merged
        if replaced:
            chain = (*src_history.get(key, ()), earlier, *history.get(key, ()))
            history[key] = tuple(v for v in chain if v.source != value.source)
    return Value(data, src.source, None, history or None)
