"""Vendor manifests (STK640-STK642): vendor.yaml and component.yaml against what Atmos reads,
targets resolved relative to the manifest, nothing fetched.

Atmos reference: pkg/datafetcher/schema/vendor/package/1.0.json and pkg/schema (AtmosVendorConfig,
VendorComponentConfig); internal/exec/vendor_utils.go (source and targets required, targets
joined to the manifest's directory and rendered with .Component and .Version, duplicate
components refused).
"""

from __future__ import annotations

from pathlib import Path

from stack_lsp.config import load_config
from stack_lsp.validation.vendoring import check_vendoring
from stack_lsp.vendoring import read_sources
from stack_lsp.workspace import Workspace

from tests.conftest import REPO, write_tree

VENDOR = """
apiVersion: atmos/v1
kind: AtmosVendorConfig
metadata:
  name: demo
spec:
  sources:
    - component: vpc
      source: github.com/acme/vpc.git//src?ref={{ .Version }}
      version: 1.2
      targets: ["components/terraform/{{ .Component }}"]
    - component: vpc
      source: github.com/acme/vpc2.git
      targets: components/terraform/vpc2
    - component: eks
      targets: ["components/terraform/eks"]
kindd: x
"""

COMPONENT = """
apiVersion: atmos/v1
kind: ComponentVendorConfig
spec:
  source:
    type: git
    version: 1.0.0
  mixins:
    - uri: https://example.com/context.tf
"""


def findings(root: Path) -> list[tuple[str, int, int, str, str]]:
    ws = Workspace(load_config(cwd=str(root)))
    return sorted(
        (
            Path(d.file).name,
            d.span.start_line + 1,
            d.span.start_col + 1,
            d.code,
            d.message,
        )
        for d in check_vendoring(ws)
    )


def test_vendor_and_component_manifests_are_checked(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "vendor.yaml": VENDOR,
            "components/terraform/vpc/component.yaml": COMPONENT,
            "stacks/deploy/dev.yaml": "vars: {}\n",
        },
    )
    assert findings(root) == [
        ("component.yaml", 4, 3, "STK640", "spec.source: required key 'uri' is missing"),
        ("component.yaml", 8, 7, "STK640", "spec.mixins[0]: required key 'filename' is missing"),
        ("vendor.yaml", 11, 18, "STK642", "component 'vpc' is already vendored at line 7; "
         "Atmos refuses duplicate components"),
        ("vendor.yaml", 13, 16, "STK640", 'spec.sources[1].targets must be a list, not '
         '"components/terraform/vpc2"'),
        ("vendor.yaml", 14, 7, "STK640", "spec.sources[2]: required key 'source' is missing"),
        ("vendor.yaml", 16, 1, "STK641", "unknown key 'kindd' in the top level; did you mean "
         "'kind'?"),
    ]  # fmt: skip


def test_targets_are_resolved_next_to_the_manifest(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"vendor.yaml": VENDOR, "stacks/deploy/dev.yaml": "vars: {}\n"})
    ws = Workspace(load_config(cwd=str(root)))
    sources = read_sources(ws.document(str(root / "vendor.yaml")))
    assert [(s.component, s.version, [t.directory for t in s.targets]) for s in sources] == [
        ("vpc", "1.2", [str(root / "components/terraform/vpc")]),
        ("vpc", "", []),
        ("eks", "", [str(root / "components/terraform/eks")]),
    ]


def test_the_bundled_vendor_yaml_is_clean() -> None:
    assert findings(REPO) == []
