"""`stack-lsp validate component COMPONENT -s STACK [--schema NAME]`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from stack_lsp.cli import main

from tests.conftest import write_tree

FILES = {
    "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['deploy/**/*'], "
    "name_pattern: '{stage}'}\nschemas: {jsonschema: {base_path: schemas}}\n",
    "schemas/compliance/soc2.schema.json": json.dumps(
        {"properties": {"vars": {"required": ["audit_logging_enabled"]}}}
    ),
    "schemas/vpc.json": json.dumps({"properties": {"vars": {"required": ["cidr_block"]}}}),
    "stacks/deploy/dev.yaml": """
        vars:
          stage: dev
        settings:
          validation:
            soc2: {schema_type: jsonschema, schema_path: compliance/soc2.schema.json}
            vpc-schema: {schema_type: jsonschema, schema_path: vpc.json}
        components:
          terraform:
            vpc:
              vars:
                cidr_block: 10.0.0.0/16
    """,
}


def run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    write_tree(tmp_path, FILES)
    monkeypatch.chdir(tmp_path)
    code = main(["validate", "component", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_compliance_violation_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(tmp_path, monkeypatch, capsys, "vpc", "-s", "dev", "--schema", "soc2")
    assert code == 1
    assert out.splitlines() == [
        "stacks/deploy/dev.yaml:10:7: error STK302 vars: required key 'audit_logging_enabled' "
        "is missing (component vpc, schema soc2, stack dev)",
        "component 'vpc' in stack 'dev': 1 violation of soc2",
    ]


def test_other_schema_by_file_stem_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(tmp_path, monkeypatch, capsys, "vpc", "-s", "dev", "--schema", "vpc")
    assert (code, out) == (0, "component 'vpc' in stack 'dev': valid against vpc-schema\n")


def test_unknown_schema_stack_or_component(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(tmp_path, monkeypatch, capsys, "vpc", "-s", "dev", "--schema", "hipaa")
    assert code == 2
    assert err == (
        "stack-lsp: no validation 'hipaa' for component 'vpc' in stack 'dev' "
        "(settings.validation has: soc2, vpc-schema)\n"
    )
    code, _, err = run(tmp_path, monkeypatch, capsys, "vpc", "-s", "dve")
    assert code == 2 and "did you mean: dev" in err
    assert run(tmp_path, monkeypatch, capsys, "vpc")[0] == 2
