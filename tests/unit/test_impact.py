"""The impact engine on two trees on disk: which values differ, where they were written, which
stack files are merged, and the formats' limits."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from stack_lsp import gitread, sides
from stack_lsp.cache_dir import cache_dir
from stack_lsp.impact import IMPORTS_CACHE, compare
from stack_lsp.impact_format import MD_MAX_CHARS, MD_MAX_ROWS, affected, markdown, text
from tests.conftest import write_tree

ATMOS = """
base_path: "."
stacks:
  base_path: stacks
  included_paths: ["deploy/**/*"]
  name_pattern: "{stage}"
"""


def stack(stage: str, imports: list[str]) -> str:
    lines = "".join(f"  - {i}\n" for i in imports)
    return f"import:\n{lines}vars:\n  stage: {stage}\ncomponents:\n  terraform:\n    app:\n      vars: {{}}\n"


BASE = {
    "atmos.yaml": ATMOS,
    "stacks/mixins/shared.yaml": "vars:\n  flag: 1\n  ratio: 1\n  name: a\n",
    "stacks/mixins/other.yaml": "vars:\n  other: true\n",
    "stacks/deploy/a.yaml": stack("a", ["mixins/shared"]),
    "stacks/deploy/b.yaml": stack("b", ["mixins/shared"]),
    "stacks/deploy/c.yaml": stack("c", ["mixins/other"]),
}


def trees(tmp_path: Path, changes: dict[str, str]) -> tuple[sides.Side, sides.Side]:
    old = write_tree(tmp_path / "old", dict(BASE))
    new = write_tree(tmp_path / "new", {**BASE, **changes})
    return sides.directory(str(old)), sides.directory(str(new))


def test_types_count_a_true_is_not_a_one(tmp_path: Path) -> None:
    base, head = trees(tmp_path, {"stacks/mixins/shared.yaml": "vars:\n  flag: true\n  ratio: 1.0\n  name: a\n"})
    report = compare(base, head, use_cache=False)
    changes = {(c.path, c.old, c.new, c.new_at) for s in report.stacks for comp in s.components for c in comp.changes}
    assert changes == {("vars.flag", 1, True, "stacks/mixins/shared.yaml:2"),
                       ("vars.ratio", 1, 1.0, "stacks/mixins/shared.yaml:3")}  # fmt: skip
    assert [s.name for s in report.stacks] == ["a", "b"]


def test_only_the_importers_of_a_changed_file_are_merged(tmp_path: Path) -> None:
    base, head = trees(tmp_path, {"stacks/mixins/other.yaml": "vars:\n  other: false\n"})
    report = compare(base, head, use_cache=False)
    assert report.stack_files_merged == 1
    assert report.changed_files == ["mixins/other.yaml"]
    assert [s.name for s in report.stacks] == ["c"]


def test_a_templated_import_may_read_any_change(tmp_path: Path) -> None:
    dynamic = stack("d", ["mixins/{{ .stage_mixin }}"])
    old = write_tree(tmp_path / "old", {**BASE, "stacks/deploy/d.yaml": dynamic})
    new = write_tree(tmp_path / "new", {**BASE, "stacks/deploy/d.yaml": dynamic,
                                        "stacks/mixins/other.yaml": "vars:\n  other: false\n"})  # fmt: skip
    report = compare(sides.directory(str(old)), sides.directory(str(new)), use_cache=False)
    assert report.stack_files_merged == 2  # c imports it; d might


def test_no_change_merges_nothing(tmp_path: Path) -> None:
    base, head = trees(tmp_path, {})
    report = compare(base, head, use_cache=False)
    assert report.empty and report.stack_files_merged == 0
    assert text(report).splitlines()[-1] == f"no final value differs between {base.label} and {head.label}"


@pytest.mark.parametrize("broken", ["{not json", '{"format": 1, "entries": [1]}', "[]"])
def test_import_cache_is_written_and_a_broken_one_is_ignored(tmp_path: Path, broken: str) -> None:
    base, head = trees(tmp_path, {"stacks/mixins/shared.yaml": "vars:\n  flag: 2\n  ratio: 1\n  name: a\n"})
    (cache_dir()).mkdir(parents=True, exist_ok=True)
    (cache_dir() / IMPORTS_CACHE).write_text(broken)
    first = compare(base, head)
    stored = json.loads((cache_dir() / IMPORTS_CACHE).read_text())
    assert ["mixins/shared"] in stored["entries"].values()
    again = compare(base, head)
    assert text(again) == text(first)
    assert [s.name for s in again.stacks] == ["a", "b"]


def test_markdown_is_truncated_for_a_huge_change(tmp_path: Path) -> None:
    files = {f"stacks/deploy/s{i:03d}.yaml": stack(f"s{i:03d}", ["mixins/shared"]) for i in range(300)}
    old = write_tree(tmp_path / "old", {**BASE, **files})
    long = "x" * 5000
    new = write_tree(tmp_path / "new", {**BASE, **files,
                                        "stacks/mixins/shared.yaml": f"vars:\n  flag: 1\n  ratio: 1\n  name: {long}\n"})  # fmt: skip
    report = compare(sides.directory(str(old)), sides.directory(str(new)), use_cache=False)
    assert len(report.stacks) == 302
    md = markdown(report)
    assert len(md) < MD_MAX_CHARS + 2000
    assert f"| … {302 - MD_MAX_ROWS} more stacks | | | |" in md
    assert "more stacks not detailed here" in md
    assert long not in md
    assert len(affected(report)) == 302


def test_blob_ids_are_git_blob_ids(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"vars:\n  a: 1\n")
    expected = subprocess.run(["git", "hash-object", str(path)], capture_output=True, text=True, check=True).stdout.strip()
    assert gitread.blob_id(path.read_bytes()) == expected


def test_tree_paths_that_could_escape_are_not_written() -> None:
    assert gitread.safe_relpath("stacks/a.yaml")
    for bad in ("../x.yaml", "/etc/x.yaml", "stacks/../../x", ".git/config", "a/.GIT/hooks/x", "a//b", ""):
        assert not gitread.safe_relpath(bad), bad


def test_a_huge_blob_is_not_read(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e", *args], cwd=tmp_path,
                              capture_output=True, text=True, check=True).stdout  # fmt: skip

    (tmp_path / "big").write_bytes(b"a" * 5000)
    (tmp_path / "small").write_bytes(b"vars: {}\n")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "x")
    tree = gitread.list_tree(str(tmp_path), "HEAD")
    blobs = gitread.read_blobs(str(tmp_path), [tree["big"].object_id, tree["small"].object_id], 100)
    assert blobs[tree["small"].object_id] == b"vars: {}\n"
    assert blobs[tree["big"].object_id] == b"\0" * 101
