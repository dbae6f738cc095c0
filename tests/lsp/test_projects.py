"""The server's projects (no LSP): routing files to the atmos.yaml whose stacks hold them,
buffers, cached findings, and the early findings a file shows before the tree is checked."""

from __future__ import annotations

from pathlib import Path

from stack_lsp.lsp.projects import Projects

from tests.conftest import write_tree
from tests.lsp.trees import SMALL

PROD = "stacks/deployments/acme/prod.yaml"


def test_files_go_to_the_project_whose_stacks_hold_them(tmp_path: Path) -> None:
    one = write_tree(tmp_path / "one", dict(SMALL))
    two = write_tree(tmp_path / "nested" / "two", dict(SMALL))
    projects = Projects()
    added = projects.add_folder(str(tmp_path))
    assert sorted(p.config.config_file for p in added) == sorted(
        [str(one / "atmos.yaml"), str(two / "atmos.yaml")]
    )
    first = projects.for_path(str(one / PROD))
    second = projects.for_path(str(two / PROD))
    assert first is not None and second is not None and first is not second
    assert projects.for_path(str(tmp_path / "elsewhere.yaml")) is None
    assert projects.add_folder(str(one)) == []  # known already


def test_a_file_outside_the_folders_loads_its_own_project(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "late", dict(SMALL))
    projects = Projects()
    found = projects.for_path(str(root / PROD))
    assert found is not None and found.config.config_file == str(root / "atmos.yaml")


def test_buffers_findings_and_early_findings(tmp_path: Path) -> None:
    root = write_tree(tmp_path, dict(SMALL))
    projects = Projects()
    projects.add_folder(str(root))
    path = str(root / PROD)
    project = projects.for_path(path)
    assert project is not None
    generation = project.ws.generation
    project.set_buffer(path, (root / PROD).read_text())
    assert project.ws.generation == generation  # the same text changes nothing
    assert project.findings_for({path}) == {path: []}
    broken = (root / PROD).read_text().replace("./overrides/vpc", "./overrides/vpcx")
    broken += "  bad: [unclosed\n"
    project.set_buffer(path, broken)
    early = project.early_findings(path)
    assert [d.code for d in early] == ["STK001", "STK101"]
    assert [d.code for d in project.findings_for({path})[path]] == ["STK001", "STK101"]
    suppressed = broken.replace(
        "- ./overrides/vpcx", "- ./overrides/vpcx  # stack-lsp: ignore[STK101]"
    )
    project.set_buffer(path, suppressed)
    assert [d.code for d in project.early_findings(path)] == ["STK001"]
    project.close_buffer(path)
    assert project.early_findings(path) == []
