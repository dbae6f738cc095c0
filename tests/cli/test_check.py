"""`stack-lsp --check`: exit codes, PATHS, the four output formats, parallel = serial."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from stack_lsp.cli import main
from stack_lsp.config import load_config
from stack_lsp.validation.parallel import check_tree

from tests.conftest import REPO, write_tree

BROKEN = {
    "stacks/deploy/dev.yaml": "vars:\n  stage: dev\nterraform:\n  bogus: 1\n",
    "stacks/deploy/prod.yaml": "vars:\n  stage: prod\ncomponents: 3\n",
}
UNKNOWN = (
    "unknown key 'bogus' in terraform (allowed: auth, backend, backend_type, command, "
    "dependencies, env, flags, generate, hooks, locals, mocks, overrides, providers, provision, "
    "remote_state_backend, remote_state_backend_type, required_providers, required_version, "
    "retry, secrets, settings, source, test, vars)"
)


def run(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_and_exit_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, BROKEN)
    code, out, _ = run(tmp_path, monkeypatch, capsys)
    lines = out.splitlines()
    assert code == 1
    assert lines[:2] == [
        f"stacks/deploy/dev.yaml:4:3: error STK311 {UNKNOWN}",
        "stacks/deploy/prod.yaml:3:13: error STK310 components must be a map, not 3",
    ]
    assert lines[2].startswith("2 errors in 2 files (0 stacks) checked in ")
    code, out, _ = run(tmp_path, monkeypatch, capsys, "stacks/deploy/prod.yaml")
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()[:-1]] == ["stacks/deploy/prod.yaml"]
    assert out.splitlines()[-1].startswith("1 error in 1 files")


def test_clean_warnings_and_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, {"stacks/deploy/dev.yaml": "vars:\n  stage: dev\n"})
    code, out, _ = run(tmp_path, monkeypatch, capsys)
    assert (code, out.split(" checked")[0]) == (0, "no problems in 1 files (0 stacks)")
    write_tree(tmp_path, {"stacks/deploy/dev.yaml": "import: [x/*]\nvars:\n  stage: dev\n"})
    code, out, _ = run(tmp_path, monkeypatch, capsys)
    assert code == 0 and " warning STK103 " in out
    assert run(tmp_path, monkeypatch, capsys, "--strict")[0] == 1


def test_usage_and_configuration_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, BROKEN)
    code, _, err = run(tmp_path, monkeypatch, capsys, "no/such/path")
    assert (code, err.strip()) == (2, "stack-lsp: no such file or directory: no/such/path")
    code, _, err = run(tmp_path, monkeypatch, capsys, "--config", "missing.yaml")
    assert code == 2 and "configuration not found" in err
    assert run(tmp_path, monkeypatch, capsys, "--format", "xml")[0] == 2
    (tmp_path / "atmos.yaml").write_text("settings: {stack_lsp: {severity: {STK311: loud}}}\n")
    code, _, err = run(tmp_path, monkeypatch, capsys)
    assert code == 2 and "STK311: loud" in err


def test_json_and_github_formats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, BROKEN)
    code, out, err = run(tmp_path, monkeypatch, capsys, "--format", "json")
    data = json.loads(out)
    assert code == 1 and err.startswith("2 errors in 2 files")
    assert data["diagnostics"][0] == {
        "file": "stacks/deploy/dev.yaml",
        "range": {"start": {"line": 4, "column": 3}, "end": {"line": 4, "column": 8}},
        "severity": "error",
        "code": "STK311",
        "message": UNKNOWN,
        "related": [],
    }
    assert data["summary"]["error"] == 2
    code, out, _ = run(tmp_path, monkeypatch, capsys, "--format", "github")
    assert out.splitlines() == [
        "::error file=stacks/deploy/dev.yaml,line=4,col=3,endLine=4,endColumn=8,title=STK311::"
        + UNKNOWN,
        "::error file=stacks/deploy/prod.yaml,line=3,col=13,endLine=3,endColumn=14,"
        "title=STK310::components must be a map, not 3",
    ]


# The parts of the SARIF 2.1.0 schema (OASIS, sarif-schema-2.1.0.json) that a log with results
# must satisfy, and what GitHub code scanning reads. No PyPI package ships the schema file.
_MESSAGE = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
_REGION = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        k: {"type": "integer", "minimum": 1}
        for k in ("startLine", "startColumn", "endLine", "endColumn")
    },
}
_LOCATION = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": -1},
        "message": _MESSAGE,
        "physicalLocation": {
            "type": "object",
            "required": ["artifactLocation", "region"],
            "properties": {
                "artifactLocation": {
                    "type": "object",
                    "required": ["uri"],
                    "properties": {
                        "uri": {"type": "string", "format": "uri-reference"},
                        "uriBaseId": {"type": "string"},
                    },
                },
                "region": _REGION,
            },
        },
    },
}
SARIF_SUBSET: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name", "rules"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "informationUri": {"type": "string", "format": "uri"},
                                    "rules": {
                                        "type": "array",
                                        "uniqueItems": True,
                                        "items": {
                                            "type": "object",
                                            "required": ["id", "shortDescription"],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "name": {"type": "string"},
                                                "shortDescription": _MESSAGE,
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "properties": {
                                                        "level": {
                                                            "enum": [
                                                                "none",
                                                                "note",
                                                                "warning",
                                                                "error",
                                                            ]
                                                        }
                                                    },
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "originalUriBaseIds": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "required": ["uri"],
                            "properties": {"uri": {"type": "string", "pattern": "^file://.*/$"}},
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message", "ruleId", "locations"],
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": 0},
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": _MESSAGE,
                                "locations": {"type": "array", "minItems": 1, "items": _LOCATION},
                                "relatedLocations": {"type": "array", "items": _LOCATION},
                            },
                        },
                    },
                },
            },
        },
    },
}


def test_sarif_output_is_valid_sarif_2_1_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, BROKEN)
    code, out, _ = run(tmp_path, monkeypatch, capsys, "--format", "sarif")
    log = json.loads(out)
    validator = Draft202012Validator(
        SARIF_SUBSET, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(log)] == []
    run0 = log["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    first = run0["results"][0]
    assert code == 1
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "STK311"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "stacks/deploy/dev.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 4, "startColumn": 3, "endLine": 4, "endColumn": 8},
    }
    assert first["level"] == "error"


def test_parallel_run_equals_serial_run(tree_files: dict[str, str], tmp_path: Path) -> None:
    write_tree(tmp_path, tree_files)
    config = load_config(cwd=str(tmp_path))
    serial = check_tree(config, jobs=1).findings
    parallel = check_tree(config, jobs=2, threshold=0).findings
    assert [d.code for d in serial] == ["STK403", "STK301", "STK311", "STK311", "STK101"]
    assert "(component vpc, schema v, 5 stacks: s0, s1, s2, …)" in serial[1].message
    assert parallel == serial


@pytest.fixture
def tree_files() -> dict[str, str]:
    catalog = (
        "components:\n  terraform:\n    vpc:\n      settings:\n        validation:\n"
        "          v: {schema_type: jsonschema, schema_path: v.json}\n"
        "      vars: {count: x}\n"
    )
    files = {
        "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['deploy/**/*'], "
        "name_pattern: '{stage}'}\nschemas: {jsonschema: {base_path: s}}\n",
        "s/v.json": '{"properties": {"vars": {"properties": {"count": {"type": "integer"}}}}}',
        "stacks/catalog/vpc.yaml": catalog,
        "stacks/catalog/unused.yaml": "vars: {}\n",
    }
    for i in range(5):
        extra = "terraform: {bogus: 1}\n" if i % 2 else ""
        files[f"stacks/deploy/s{i}.yaml"] = f"import: [catalog/vpc]\nvars: {{stage: s{i}}}\n{extra}"
    files["stacks/deploy/s4.yaml"] = files["stacks/deploy/s4.yaml"].replace("vpc]", "vpc, nope]")
    return files


def test_example_tree_is_clean(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not (REPO / "stacks").is_dir():
        pytest.skip("the example tree stacks/ is not in this checkout")
    code, out, _ = run(REPO, monkeypatch, capsys, "stacks")
    assert code == 0, out
    assert " error " not in out and " warning " not in out


def test_sarif_output_validates_against_the_official_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The OASIS SARIF 2.1.0 schema (sarif-2.1.0-rtm.5.json, shipped in the npm package
    @microsoft/jest-sarif, which scripts/test.sh unpacks and names in STACK_LSP_SARIF_SCHEMA)."""
    import os

    from jsonschema import Draft4Validator

    schema_file = os.environ.get("STACK_LSP_SARIF_SCHEMA")
    if not schema_file or not Path(schema_file).is_file():
        pytest.skip("STACK_LSP_SARIF_SCHEMA is not set (scripts/test.sh provides the schema)")
    schema = json.loads(Path(schema_file).read_text())
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    write_tree(tmp_path, BROKEN)
    code, out, _ = run(tmp_path, monkeypatch, capsys, "--format", "sarif")
    log = json.loads(out)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft4Validator(schema).iter_errors(log)]
    assert code == 1 and log["runs"][0]["results"]
    assert errors == []


def test_files_no_stack_imports_are_checked_like_atmos_validate_stacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `atmos validate stacks` processes every YAML file under the stacks base that no other
    # file imports, `.tmpl` files aside [internal/exec/validate_stacks.go ValidateStacks]: a
    # catalog no stack imports still gets its syntax, schema and missing-import errors; what it
    # imports is checked through it, once.
    write_tree(
        tmp_path,
        {
            "stacks/deploy/dev.yaml": "vars:\n  stage: dev\n",
            "stacks/catalog/orphan.yaml": "import:\n  - catalog/nope\n  - catalog/child\n",
            "stacks/catalog/child.yaml": "import: [catalog/gone]\nterraform: []\n",
            "stacks/catalog/broken.yaml": "vars: [\n",
            "stacks/catalog/later.yaml.tmpl": "import: [catalog/{{ .x }}]\n",
        },
    )
    code, out, _ = run(tmp_path, monkeypatch, capsys)
    found = [line for line in out.splitlines() if " error " in line]
    assert code == 1
    assert [line.split(": error ")[0] + " " + line.split()[2] for line in found] == [
        "stacks/catalog/broken.yaml:2:1 STK001",
        "stacks/catalog/child.yaml:1:10 STK101",
        "stacks/catalog/child.yaml:2:12 STK201",
        "stacks/catalog/orphan.yaml:2:5 STK101",
    ]
    assert "import 'catalog/nope' not found in catalog/orphan.yaml" in found[3]


def test_what_atmos_accepts_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A base named like the component itself is skipped [internal/exec/stack_processor_utils.go
    # processBaseComponentConfigInternal: `if component == baseComponent { return nil }`]; a
    # list replaced by a map, a scalar or null takes the later value
    # [pkg/merge/merge_type_override_test.go TestDeepMergeNative_TypeOverride]; with
    # name_pattern, a file whose components lack the name vars is named after the file
    # [internal/exec/describe_stacks_component_processor.go resolveStackName].
    write_tree(
        tmp_path,
        {
            "stacks/deploy/dev.yaml": (
                "import: [catalog/vpc]\nvars:\n  stage: dev\ncomponents:\n  terraform:\n"
                "    vpc:\n      metadata:\n        inherits: [vpc]\n      vars:\n"
                "        accounts: {}\n        cidrs: 10.99.0.0/16\n        rules: null\n"
            ),
            "stacks/catalog/vpc.yaml": (
                "components:\n  terraform:\n    vpc:\n      vars:\n        accounts: [a, b]\n"
                "        cidrs: [10.0.0.0/16]\n        rules: [allow]\n"
            ),
            "stacks/deploy/catalog-like.yaml": "components: {terraform: {c: {vars: {a: 1}}}}\n",
        },
    )
    code, out, _ = run(tmp_path, monkeypatch, capsys, "--format", "json")
    found = json.loads(out)
    assert code == 0
    assert sorted(
        (d["code"], d["severity"], d["range"]["start"]["line"]) for d in found["diagnostics"]
    ) == [
        ("STK135", "info", 1),
        ("STK204", "hint", 10),
        ("STK204", "hint", 11),
        ("STK204", "hint", 12),
    ]
    stacks = check_tree(load_config(cwd=str(tmp_path)), jobs=1).stacks
    assert stacks.names() == ["deploy/catalog-like", "dev"]
    vpc = stacks.find("dev", "vpc")
    assert vpc.plain("vars") == {
        "stage": "dev",
        "accounts": {},
        "cidrs": "10.99.0.0/16",
        "rules": None,
    }


def test_what_atmos_refuses_stays_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A two-component inheritance cycle is an error [processBaseComponentConfigInternal's
    # visited set], as is an unknown base.
    write_tree(
        tmp_path,
        {
            "stacks/deploy/dev.yaml": (
                "vars:\n  stage: dev\ncomponents:\n  terraform:\n"
                "    a:\n      metadata:\n        inherits: [b]\n"
                "    b:\n      metadata:\n        inherits: [a, nope]\n"
            ),
        },
    )
    code, out, _ = run(tmp_path, monkeypatch, capsys)
    codes = sorted(line.split()[2] for line in out.splitlines() if " error " in line)
    assert code == 1
    assert "STK203" in codes and "STK202" in codes
