"""Doublestar globs as Atmos matches them: `*` within one path segment, `**` across segments."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from operator import attrgetter

MANIFEST_SUFFIXES = (".yaml", ".yml", ".yaml.tmpl", ".yml.tmpl")


def has_magic(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[{")


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """Translate a doublestar pattern (relative, `/`-separated) into an anchored regex."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "{":
            end = pattern.find("}", i)
            if end == -1:
                out.append(re.escape(ch))
                i += 1
            else:
                alts = pattern[i + 1 : end].split(",")
                out.append("(?:" + "|".join(re.escape(a) for a in alts) + ")")
                i = end + 1
        elif ch == "[":
            end = pattern.find("]", i)
            if end == -1:
                out.append(re.escape(ch))
                i += 1
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
        else:
            out.append(re.escape(ch))
            i += 1
    return re.compile("".join(out) + r"\Z")


def matches(pattern: str, rel_path: str) -> bool:
    return compile_glob(pattern).match(rel_path) is not None


_NAME = attrgetter("name")


def inside(path: str, root: str) -> bool:
    """Whether `path`, its symbolic links resolved, is `root` (a real path) or lies under it."""
    real = os.path.realpath(path)
    return real == root or real.startswith(root + os.sep)


def walk_files(
    root: str,
    suffixes: tuple[str, ...] = MANIFEST_SUFFIXES,
    within: str | None = None,
    linked: set[str] | None = None,
) -> list[str]:
    """Every file under `root` with one of `suffixes`, sorted; follows directory symlinks once
    (a symlink loop ends the walk of that branch), but not out of `within` (a real path) when
    given (only paths through a symbolic link can leave it), and skips hidden directories.
    Files that are symbolic links or lie under one are added to `linked` when given."""
    found: list[str] = []
    seen: set[tuple[int, int]] = set()

    def visit(directory: str, through_link: bool) -> None:
        if within is not None and through_link and not inside(directory, within):
            return
        try:
            st = os.stat(directory)
        except OSError:
            return
        ident = (st.st_dev, st.st_ino)
        if ident in seen:
            return
        seen.add(ident)
        try:
            entries = sorted(os.scandir(directory), key=_NAME)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    visit(entry.path, through_link or entry.is_symlink())
                elif entry.is_file() and entry.name.endswith(suffixes):
                    found.append(entry.path)
                    if linked is not None and (through_link or entry.is_symlink()):
                        linked.add(entry.path)
            except OSError:
                continue

    visit(root, False)
    return sorted(found)
