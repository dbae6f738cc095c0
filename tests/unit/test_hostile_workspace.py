"""Security and bounds of the engine on hostile trees: imports and `!include` paths that leave
the workspace (`..`, absolute, symlinked files and directories) are not read and get STK105;
symlink loops end; big, binary and non-UTF-8 files, deep nesting and alias bombs on disk are
diagnostics in the full check."""

from __future__ import annotations

import builtins
import os
from pathlib import Path
from typing import Any

import pytest
from stack_lsp import validation
from stack_lsp.config import load_config
from stack_lsp.stacks import Stacks
from stack_lsp.workspace import Workspace

from tests.conftest import write_tree

OUTSIDE = "resolves outside the workspace; it is not read"
BINARY = "binary file (contains NUL bytes); skipped"


def _tree(tmp_path: Path, files: dict[str, str]) -> tuple[Path, Path]:
    """The workspace at tmp_path/ws and a directory beside it, tmp_path/outside, holding a
    readable manifest `secret.yaml`."""
    root = write_tree(tmp_path / "ws", files)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("vars: {secret: leaked}\n")
    return root, outside


def _stacks(root: Path, **kwargs: Any) -> Stacks:
    return Stacks(Workspace(load_config(cwd=str(root)), **kwargs))


def _found(stacks: Stacks, rel: str) -> list[tuple[str, int, int, str]]:
    path = str(stacks.ws.config.stacks_base) + "/" + rel
    return [
        (d.code, d.span.start_line, d.span.start_col, d.message)
        for d in validation.check(stacks)
        if d.file == path
    ]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file opened and every path asked about with isfile, during the test."""
    seen: list[str] = []
    real_open, real_isfile = builtins.open, os.path.isfile

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(os.path.realpath(str(file)))
        return real_open(file, *args, **kwargs)

    def spy_isfile(path: Any) -> bool:
        seen.append(os.path.realpath(str(path)))
        return real_isfile(path)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os.path, "isfile", spy_isfile)
    return seen


def _never_outside(seen: list[str], root: Path) -> None:
    real_root = os.path.realpath(root)
    outside = [p for p in seen if not p.startswith(real_root + os.sep) and "site-packages" not in p]
    outside = [p for p in outside if "/stack_lsp/" not in p and "/python3" not in p]
    assert outside == []


def test_imports_that_leave_the_workspace_are_not_read(tmp_path: Path, reads: list[str]) -> None:
    outside = tmp_path / "outside"
    root, _ = _tree(
        tmp_path,
        {
            "stacks/deploy/dev.yaml": f"""
                import:
                  - ../../../outside/secret
                  - ../../../../../../../../etc/passwd
                  - {outside}/secret
                  - mixins/link
                  - outdir/secret
                  - outdir/*
                vars:
                  stage: dev
                """,
            "stacks/mixins/ok.yaml": "vars: {ok: 1}\n",
        },
    )
    (root / "stacks/mixins/link.yaml").symlink_to(outside / "secret.yaml")
    (root / "stacks/outdir").symlink_to(outside)
    stacks = _stacks(root)
    found = _found(stacks, "deploy/dev.yaml")
    assert found == [
        ("STK105", 1, 4, f"import '../../../outside/secret' {OUTSIDE}"),
        ("STK105", 2, 4, f"import '../../../../../../../../etc/passwd' {OUTSIDE}"),
        ("STK105", 3, 4, f"import '{outside}/secret' {OUTSIDE}"),
        ("STK105", 4, 4, f"import 'mixins/link' {OUTSIDE}"),
        ("STK105", 5, 4, f"import 'outdir/secret' {OUTSIDE}"),
        ("STK105", 6, 4, f"import 'outdir/*' {OUTSIDE}"),
    ]
    component_vars = stacks.stack_file(str(root / "stacks/deploy/dev.yaml")).result.merged
    assert component_vars is not None
    assert component_vars.plain()["vars"] == {"stage": "dev"}  # nothing from outside merged
    _never_outside(reads, tmp_path / "ws")


def test_a_symlinked_manifest_pointing_out_is_reported_on_itself(tmp_path: Path) -> None:
    root, outside = _tree(tmp_path, {"stacks/deploy/dev.yaml": "vars: {stage: dev}\n"})
    (root / "stacks/deploy/prod.yaml").symlink_to(outside / "secret.yaml")
    stacks = _stacks(root)
    found = _found(stacks, "deploy/prod.yaml")
    assert ("STK105", 0, 0, "file is outside the workspace and is not read") in found
    assert "leaked" not in repr(stacks.ws.document(str(root / "stacks/deploy/prod.yaml")))


def test_a_directory_symlink_out_of_the_workspace_is_not_walked(tmp_path: Path) -> None:
    root, outside = _tree(tmp_path, {"stacks/deploy/dev.yaml": "vars: {stage: dev}\n"})
    (root / "stacks/everything").symlink_to("/")
    (root / "stacks/neighbour").symlink_to(outside)
    files = Workspace(load_config(cwd=str(root))).manifest_files()
    assert files == [str(root / "stacks/deploy/dev.yaml")]


def test_glob_imports_end_on_symlink_loops(tmp_path: Path) -> None:
    root, _ = _tree(
        tmp_path,
        {
            "stacks/deploy/dev.yaml": "import: [mixins/**/*]\nvars: {stage: dev}\n",
            "stacks/mixins/a/a.yaml": "vars: {a: 1}\n",
        },
    )
    (root / "stacks/mixins/a/again").symlink_to(root / "stacks/mixins")
    (root / "stacks/mixins/a/self").symlink_to(".")
    (root / "stacks/mixins/up").symlink_to("..")
    stacks = _stacks(root)
    found = _found(stacks, "deploy/dev.yaml")
    assert found == []
    merged = stacks.stack_file(str(root / "stacks/deploy/dev.yaml")).result.merged
    assert merged is not None and merged.plain()["vars"] == {"a": 1, "stage": "dev"}


def test_include_paths_that_leave_the_workspace_are_reported_and_kept(
    tmp_path: Path, reads: list[str]
) -> None:
    outside = tmp_path / "outside"
    root, _ = _tree(
        tmp_path,
        {
            "stacks/deploy/dev.yaml": f"""
                vars:
                  stage: dev
                  a: !include ../../../../../../../etc/passwd
                  b: !include {outside}/secret.yaml
                  c: !include.raw ../../outside/secret.yaml .vars
                  d: !include stacks/mixins/link.yaml
                  e: !include https://example.com/config.yaml
                  f: !include git::https://github.com/acme/infra//vars.yaml?ref=v1
                  g: !include ../../atmos.yaml
                  h: !include stacks/mixins/ok.yaml .vars
                """,
            "stacks/mixins/ok.yaml": "vars: {ok: 1}\n",
        },
    )
    (root / "stacks/mixins/link.yaml").symlink_to(outside / "secret.yaml")
    stacks = _stacks(root)
    found = [f for f in _found(stacks, "deploy/dev.yaml") if f[0] == "STK105"]
    assert found == [
        ("STK105", 2, 5, f"!include '../../../../../../../etc/passwd' {OUTSIDE}"),
        ("STK105", 3, 5, f"!include '{outside}/secret.yaml' {OUTSIDE}"),
        ("STK105", 4, 5, f"!include.raw '../../outside/secret.yaml' {OUTSIDE}"),
        ("STK105", 5, 5, f"!include 'stacks/mixins/link.yaml' {OUTSIDE}"),
    ]
    doc = stacks.ws.document(str(root / "stacks/deploy/dev.yaml"))
    assert doc.root is not None
    a = doc.root.data["vars"].data["a"]
    assert (a.tag, a.data) == ("!include", "../../../../../../../etc/passwd")  # as written
    e = doc.root.data["vars"].data["e"]
    assert (e.tag, e.data) == ("!include", "https://example.com/config.yaml")
    _never_outside(reads, tmp_path / "ws")


def test_files_over_the_size_limit_are_skipped_with_a_diagnostic(tmp_path: Path) -> None:
    big = "vars:\n" + "".join(f"  k{i}: {i}\n" for i in range(200))
    root, _ = _tree(tmp_path, {"stacks/deploy/dev.yaml": big})
    size = (root / "stacks/deploy/dev.yaml").stat().st_size
    found = _found(_stacks(root, max_file_bytes=1000), "deploy/dev.yaml")
    assert found == [
        (
            "STK004",
            0,
            0,
            f"file is {size:,} bytes, over the 1,000-byte limit; it is skipped (raise the "
            "limit with `--max-file-bytes` or the `maxFileBytes` setting)",
        )
    ]
    assert [f for f in _found(_stacks(root, max_file_bytes=size), "deploy/dev.yaml")] == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b"vars:\n  a: 1\x00\x00\x01\n",
            ("STK004", 0, 0, "binary file (contains NUL bytes); skipped"),
        ),
        (
            b"vars:\n  stage: dev\n  a: \xff\xfe\n",
            ("STK004", 2, 0, "file is not valid UTF-8 (byte 24); save it as UTF-8"),
        ),
        (bytes(range(256)) * 8, ("STK004", 0, 0, BINARY)),
    ],
)
def test_binary_and_non_utf8_files_get_a_diagnostic(
    tmp_path: Path, raw: bytes, expected: tuple[str, int, int, str]
) -> None:
    root, _ = _tree(tmp_path, {"stacks/deploy/ok.yaml": "vars: {stage: ok}\n"})
    (root / "stacks/deploy/dev.yaml").write_bytes(raw)
    stacks = _stacks(root)
    assert _found(stacks, "deploy/dev.yaml") == [expected]
    assert _found(stacks, "deploy/ok.yaml") == []


def test_deep_nesting_and_alias_bombs_on_disk_are_diagnostics(tmp_path: Path) -> None:
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        bomb.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 10) + "]")
    root, _ = _tree(
        tmp_path,
        {
            "stacks/deploy/deep.yaml": "vars:\n  x: " + "[" * 50_000 + "]" * 50_000 + "\n",
            "stacks/deploy/dashes.yaml": "vars:\n  x:\n" + "    " + "- " * 50_000 + "x\n",
            "stacks/deploy/bomb.yaml": "\n".join(bomb) + "\n",
            "stacks/mixins/m.yaml": "import: [deploy/deep, deploy/bomb]\n",
        },
    )
    stacks = _stacks(root)
    assert [f[:3] for f in _found(stacks, "deploy/deep.yaml")] == [("STK005", 1, 5 + 199)]
    assert [f[:3] for f in _found(stacks, "deploy/dashes.yaml")] == [("STK005", 2, 4 + 2 * 199)]
    [(code, line, _, message)] = _found(stacks, "deploy/bomb.yaml")
    assert (code, line, message) == ("STK005", 5, "more than 200,000 values after alias expansion")
