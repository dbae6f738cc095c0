"""The example tree in stacks/: what a user sees from the CLI on it.

Pins the stack names, the five-layer chain of vpc.vars.flow_log_retention_days in
fnx-production-us-west-2-prod-01, the naming vars, the address plan, the schemas and the
Terraform inputs, and checks that a schema catches a bad value written into an overrides file.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
STACKS = REPO / "stacks"
SCHEMAS = STACKS / "_globals" / "schemas"
PROD01 = "fnx-production-us-west-2-prod-01"

EXPECTED_STACKS = [
    "acme-development-eu-west-2-dev-eu",
    "acme-development-us-east-1-dev-01",
    "acme-development-us-east-2-dev-02",
    "acme-production-eu-central-1-prod-eu-dr",
    "acme-production-eu-west-1-prod-eu",
    "acme-production-us-east-1-prod-01",
    "acme-production-us-east-1-prod-data",
    "acme-staging-eu-west-1-staging-eu",
    "acme-staging-us-east-1-staging-01",
    "core-management-global-organizations",
    "core-management-us-west-2-control-tower",
    "core-networking-us-east-1-transit-hub-dr",
    "core-networking-us-west-2-transit-hub",
    "core-security-us-east-1-backup-logging",
    "core-security-us-west-2-central-logging",
    "fnx-development-us-east-1-dr-env",
    "fnx-development-us-west-2-testenv-01",
    "fnx-development-us-west-2-testenv-02",
    "fnx-production-us-east-1-prod-dr",
    "fnx-production-us-west-2-prod-01",
    "fnx-production-us-west-2-prod-02",
    "fnx-staging-us-east-1-staging-dr",
    "fnx-staging-us-west-2-staging-01",
]

CATALOG = {
    "infrastructure/networking": ["vpc", "security-groups", "dns", "load-balancers"],
    "infrastructure/compute": ["eks", "ec2", "lambda", "ecs"],
    "infrastructure/data": ["rds", "s3", "elasticache", "opensearch"],
    "infrastructure/security": ["iam", "kms", "secrets-manager", "certificate-manager"],
    "infrastructure/monitoring": ["cloudwatch", "prometheus", "grafana"],
    "platform": ["backstage", "argocd", "vault", "external-secrets"],
    "applications": ["web-services", "apis", "data-pipelines", "ml-workloads"],
}
ALL_COMPONENTS = [c for group in CATALOG.values() for c in group]

# (file relative to stacks/, value), newest first: what hover shows for prod-01's VPC.
FLOW_LOG_CHAIN = [
    ("deployments/fnx/production/us-west-2/prod-01/overrides/vpc.yaml", 731),
    ("deployments/fnx/production/us-west-2/_defaults.yaml", 545),
    ("deployments/fnx/production/_defaults.yaml", 400),
    ("catalogs/infrastructure/networking/vpc/production.yaml", 365),
    ("catalogs/infrastructure/networking/vpc/defaults.yaml", 30),
]


def run_cli(*args: str, cwd: Path = REPO, expect: int = 0) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATMOS_")}
    proc = subprocess.run(
        [sys.executable, "-m", "stack_lsp", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == expect, (
        f"stack-lsp {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    )
    return proc.stdout


FINDING = re.compile(
    r"^(?P<file>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>\w+) (?P<code>STK\d{3}) "
)


def check_findings(cwd: Path, expect: int) -> list[dict[str, str]]:
    out = run_cli("--check", "--strict", cwd=cwd, expect=expect)
    return [m.groupdict() for m in map(FINDING.match, out.splitlines()) if m]


def describe_component(component: str, stack: str, cwd: Path = REPO) -> dict[str, Any]:
    out = run_cli(
        "describe", "component", component, "-s", stack, "--format", "json", "--provenance", cwd=cwd
    )
    return json.loads(out)


def real_components(described: dict[str, Any]) -> dict[str, dict[str, Any]]:
    comps = described["components"]["terraform"]
    return {n: c for n, c in comps.items() if (c.get("metadata") or {}).get("type") != "abstract"}


def schema_errors(component: dict[str, Any], schemas: Path = SCHEMAS) -> dict[str, list[str]]:
    """Validate a described component against every schema in its settings.validation."""
    found: dict[str, list[str]] = {}
    for name, spec in (component["settings"].get("validation") or {}).items():
        assert spec["schema_type"] == "jsonschema"
        schema = json.loads((schemas / spec["schema_path"]).read_text())
        errors = [
            f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
            for e in Draft202012Validator(schema).iter_errors(component)
        ]
        if errors:
            found[name] = errors
    return found


@pytest.fixture(scope="module")
def all_stacks() -> dict[str, Any]:
    return json.loads(run_cli("describe", "stacks", "--format", "json"))


@pytest.fixture(scope="module")
def prod01_vpc() -> dict[str, Any]:
    return describe_component("vpc", PROD01)


# --------------------------------------------------------------------------- names


def test_list_stacks_gives_every_deployment_of_the_seed() -> None:
    assert json.loads(run_cli("list", "stacks", "--format", "json")) == EXPECTED_STACKS
    assert run_cli("list", "stacks").split() == EXPECTED_STACKS


def test_describe_stacks_filter_by_tenant(all_stacks: dict[str, Any]) -> None:
    fnx = json.loads(run_cli("describe", "stacks", "--format", "json", "--filter", "tenant=fnx"))
    assert sorted(fnx) == [s for s in EXPECTED_STACKS if s.startswith("fnx-")]
    assert sorted(all_stacks) == EXPECTED_STACKS


def test_every_component_carries_the_four_naming_vars(all_stacks: dict[str, Any]) -> None:
    for stack, described in all_stacks.items():
        comps = real_components(described)
        assert comps, f"{stack} has no deployable component"
        for name, comp in comps.items():
            v = comp["vars"]
            built = f"{v['tenant']}-{v['account']}-{v['region']}-{v['environment']}"
            assert built == stack, f"{stack}/{name} names itself {built}"


# --------------------------------------------------------------------------- the chain


def test_flow_log_retention_chain_for_prod01_vpc(prod01_vpc: dict[str, Any]) -> None:
    assert prod01_vpc["vars"]["flow_log_retention_days"] == 731
    prov = prod01_vpc["provenance"]["vars.flow_log_retention_days"]
    layers = [(prov["file"], 731, prov["line"])] + [
        (s["file"], s["value"], s["line"]) for s in prov["shadowed"]
    ]
    assert [(f, v) for f, v, _ in layers] == FLOW_LOG_CHAIN
    # Each layer points at the line that wrote the value.
    for file, value, line in layers:
        text = (STACKS / file).read_text().splitlines()[line - 1]
        assert f"flow_log_retention_days: {value}" in text, f"{file}:{line} is {text!r}"
    # The catalog defaults arrive through metadata.inherits, the rest are vpc's own section.
    assert prov["shadowed"][-1]["layer"] != prov["layer"]


def test_chain_stops_earlier_in_sibling_stacks(all_stacks: dict[str, Any]) -> None:
    def retention(stack: str) -> int:
        vpc = all_stacks[stack]["components"]["terraform"]["vpc"]
        return int(vpc["vars"]["flow_log_retention_days"])

    assert retention("fnx-production-us-west-2-prod-02") == 545  # region default
    assert retention("fnx-production-us-east-1-prod-dr") == 400  # account default
    assert retention("fnx-staging-us-west-2-staging-01") == 365  # production catalog
    assert retention("fnx-development-us-west-2-testenv-01") == 14  # development catalog


def test_prod01_vpc_is_built_from_catalog_and_overrides(prod01_vpc: dict[str, Any]) -> None:
    assert prod01_vpc["component"] == "vpc"
    assert prod01_vpc["metadata"]["inherits"] == ["vpc/defaults"]
    v = prod01_vpc["vars"]
    assert v["cidr_block"] == "10.30.0.0/16"
    assert (v["availability_zone_count"], v["nat_gateway_count"]) == (3, 3)
    assert prod01_vpc["provenance"]["vars.cidr_block"]["file"] == FLOW_LOG_CHAIN[0][0]
    assert set(prod01_vpc["settings"]["validation"]) == {"vpc-schema", "soc2", "pci-dss"}


# --------------------------------------------------------------------------- realistic content


def test_vpc_cidrs_do_not_overlap_within_an_account(all_stacks: dict[str, Any]) -> None:
    by_account: dict[tuple[str, str], list[tuple[str, ipaddress.IPv4Network]]] = defaultdict(list)
    for stack, described in all_stacks.items():
        vpc = real_components(described).get("vpc")
        if vpc:
            v = vpc["vars"]
            by_account[(v["tenant"], v["account"])].append(
                (stack, ipaddress.IPv4Network(v["cidr_block"]))
            )
    assert sum(len(n) for n in by_account.values()) == 21  # every stack but two management ones
    for account, nets in by_account.items():
        for i, (s1, n1) in enumerate(nets):
            for s2, n2 in nets[i + 1 :]:
                assert not n1.overlaps(n2), f"{account}: {s1} {n1} overlaps {s2} {n2}"


def test_production_is_multi_az_and_encrypted(all_stacks: dict[str, Any]) -> None:
    for stack, described in all_stacks.items():
        comps = real_components(described)
        account_type = next(iter(comps.values()))["settings"]["account_type"]
        for name, comp in comps.items():
            v = comp["vars"]
            for flag in ("encryption_at_rest_enabled", "encryption_in_transit_enabled"):
                assert v.get(flag, True) is True, f"{stack}/{name}.{flag}"
            if account_type != "production":
                continue
            if name == "vpc":
                assert v["availability_zone_count"] >= 3, stack
            if name == "rds" and v["replication_role"] == "primary":
                assert v["multi_az"] is True, stack


def test_standard_tags_reach_every_component(all_stacks: dict[str, Any]) -> None:
    for stack, described in all_stacks.items():
        for name, comp in real_components(described).items():
            tags = comp["vars"]["tags"]
            assert tags["ManagedBy"] == "atmos", f"{stack}/{name}"  # _globals/settings/tags.yaml
            assert tags["Tenant"] == comp["vars"]["tenant"]
            assert tags["Environment"] == comp["vars"]["environment"]
            assert tags["Component"] == name


# --------------------------------------------------------------------------- schemas


def test_check_reports_nothing_on_the_tree() -> None:
    assert check_findings(REPO, expect=0) == []


def test_schema_files_are_valid_draft_2020_12() -> None:
    files = sorted(SCHEMAS.rglob("*.json"))
    names = {p.relative_to(SCHEMAS).as_posix() for p in files}
    assert names == {f"component-schemas/{c}.schema.json" for c in ALL_COMPONENTS} | {
        f"stack-schemas/compliance/{fw}.schema.json"
        for fw in ("soc2", "pci-dss", "hipaa", "iso27001")
    }
    for path in files:
        schema = json.loads(path.read_text())
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", path
        Draft202012Validator.check_schema(schema)


def test_every_stack_passes_its_attached_schemas(all_stacks: dict[str, Any]) -> None:
    failures = {}
    for stack, described in all_stacks.items():
        for name, comp in real_components(described).items():
            assert f"{name}-schema" in comp["settings"]["validation"], f"{stack}/{name}"
            errors = schema_errors(comp)
            if errors:
                failures[f"{stack}/{name}"] = errors
    assert failures == {}


def test_compliance_schemas_attached_where_the_frameworks_apply(all_stacks: dict[str, Any]) -> None:
    def frameworks(stack: str) -> set[str]:
        comp = next(iter(real_components(all_stacks[stack]).values()))
        return {k for k in comp["settings"]["validation"] if not k.endswith("-schema")}

    assert frameworks(PROD01) == {"soc2", "pci-dss"}
    assert frameworks("acme-production-us-east-1-prod-01") == {"soc2", "hipaa"}
    assert frameworks("acme-production-eu-west-1-prod-eu") == {"soc2", "iso27001"}
    assert frameworks("core-networking-us-west-2-transit-hub") == {"soc2", "iso27001"}
    assert frameworks("fnx-staging-us-west-2-staging-01") == {"soc2"}
    assert frameworks("fnx-development-us-west-2-testenv-01") == set()


def _tree_copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "atmos.yaml", root / "atmos.yaml")
    shutil.copytree(STACKS, root / "stacks")
    shutil.copytree(REPO / "components", root / "components")
    return root


@pytest.mark.parametrize(
    ("old", "new", "rejected_by"),
    [
        # not a retention CloudWatch accepts, and below what SOC 2 and PCI-DSS ask
        (
            "flow_log_retention_days: 731",
            "flow_log_retention_days: 45",
            {"vpc-schema", "soc2", "pci-dss"},
        ),
        # a valid CIDR, but wider than AWS allows for a VPC
        ("cidr_block: 10.30.0.0/16", "cidr_block: 10.0.0.0/8", {"vpc-schema"}),
        # a misspelt variable is not silently passed to Terraform
        ("flow_log_retention_days: 731", "flow_log_retention_dayz: 731", {"vpc-schema"}),
    ],
)
def test_component_schema_rejects_bad_value_in_override_file(
    tmp_path: Path, old: str, new: str, rejected_by: set[str]
) -> None:
    root = _tree_copy(tmp_path)
    override = root / "stacks/deployments/fnx/production/us-west-2/prod-01/overrides/vpc.yaml"
    text = override.read_text()
    assert old in text
    override.write_text(text.replace(old, new))

    vpc = describe_component("vpc", PROD01, cwd=root)
    errors = schema_errors(vpc, root / "stacks/_globals/schemas")
    assert set(errors) == rejected_by
    var = new.split(":")[0]
    assert any(var in e for e in errors["vpc-schema"])
    assert vpc["provenance"][f"vars.{var}"]["file"] == FLOW_LOG_CHAIN[0][0]

    # `--check` puts every finding on the line of the override that wrote the bad value.
    line = override.read_text().splitlines().index("        " + new) + 1
    found = check_findings(root, expect=1)
    findings = [f for f in found if f["code"].startswith("STK3")]
    assert len(findings) == len(rejected_by)
    # the Terraform contract sees the misspelt variable too, where it is written (the catalog
    # still sets the real one)
    contract = sorted((f["code"], f["file"].endswith(FLOW_LOG_CHAIN[0][0])) for f in found)
    if var.endswith("dayz"):
        assert [c for c in contract if c[0].startswith("STK5")] == [("STK502", True)]
    else:
        assert all(not f["code"].startswith("STK5") for f in found)
    for f in findings:
        assert f["file"].endswith(FLOW_LOG_CHAIN[0][0]), f
        assert (int(f["line"]), f["sev"]) == (line, "error"), f
    assert {f["code"] for f in findings} == (
        {"STK301"} | ({"STK302"} if rejected_by - {"vpc-schema"} else set())
    )


def test_hipaa_rejects_an_aws_managed_key_in_override_file(tmp_path: Path) -> None:
    root = _tree_copy(tmp_path)
    override = root / "stacks/deployments/acme/production/us-east-1/prod-01/overrides/rds.yaml"
    override.write_text(override.read_text() + "        kms_key_alias: alias/aws/rds\n")

    rds = describe_component("rds", "acme-production-us-east-1-prod-01", cwd=root)
    assert rds["vars"]["kms_key_alias"] == "alias/aws/rds"
    errors = schema_errors(rds, root / "stacks/_globals/schemas")
    assert list(errors) == ["hipaa"]  # a valid alias for the rds schema, not for HIPAA
    assert "kms_key_alias" in errors["hipaa"][0]


# --------------------------------------------------------------------------- tree shape


def test_catalog_has_every_component_of_the_seed() -> None:
    for group, names in CATALOG.items():
        for name in names:
            folder = STACKS / "catalogs" / group / name
            assert (folder / "defaults.yaml").is_file(), folder
            assert (folder / "production.yaml").is_file(), folder
            assert (folder / "development.yaml").is_file(), folder
    variants = {
        "infrastructure/networking/vpc": {"single-az", "multi-az", "transit-gateway"},
        "infrastructure/compute/eks": {"standard", "gpu-enabled", "arm-based"},
    }
    for folder, expected in variants.items():
        found = {p.stem for p in (STACKS / "catalogs" / folder / "variants").glob("*.yaml")}
        assert expected <= found, folder


def test_terraform_inputs_match_what_the_stacks_pass(all_stacks: dict[str, Any]) -> None:
    passed: dict[str, set[str]] = defaultdict(set)
    for stack, described in all_stacks.items():
        for name, comp in real_components(described).items():
            tf = comp["component"]
            variables = REPO / "components/terraform" / tf / "variables.tf"
            declared = set(re.findall(r'^variable "([a-z0-9_]+)"', variables.read_text(), re.M))
            missing = set(comp["vars"]) - declared
            assert not missing, f"{stack}/{name}: {variables} lacks {sorted(missing)}"
            passed[tf] |= set(comp["vars"])
    assert sorted(passed) == sorted(ALL_COMPONENTS)  # every catalog component is deployed
    for tf, used in passed.items():
        text = (REPO / "components/terraform" / tf / "variables.tf").read_text()
        declared = set(re.findall(r'^variable "([a-z0-9_]+)"', text, re.M))
        assert declared == used, f"{tf}: declared but never passed: {sorted(declared - used)}"
