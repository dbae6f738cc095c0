"""The editor recipes in editors/ that no editor here can load (Helix, Sublime Text, JetBrains
LSP4IJ, Zed, mason.nvim): each parses, starts the command our own parser takes for `serve`, and
attaches to YAML; the mason package names the version and script pyproject.toml builds."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from stack_lsp.cli import parser
from stack_lsp.cli import serve as serve_command

from tests.conftest import REPO

EDITORS = REPO / "editors"
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def jsonc(path: Path) -> Any:
    """JSON with whole-line // comments, as Sublime Text and Zed read it."""
    lines = path.read_text().splitlines()
    return json.loads("\n".join(line for line in lines if not line.lstrip().startswith("//")))


def helix() -> list[str]:
    config = tomllib.loads((EDITORS / "helix/languages.toml").read_text())
    server = config["language-server"]["stack-lsp"]
    yaml = next(lang for lang in config["language"] if lang["name"] == "yaml")
    assert "stack-lsp" in yaml["language-servers"] and yaml["roots"] == ["atmos.yaml"]
    assert server["required-root-patterns"] == ["atmos.yaml"]
    return [server["command"], *server["args"]]


def sublime() -> list[str]:
    client = jsonc(EDITORS / "sublime/LSP.sublime-settings")["clients"]["stack-lsp"]
    assert client["enabled"] is True and client["selector"] == "source.yaml"
    return list(client["command"])


def jetbrains() -> list[str]:
    template = json.loads((EDITORS / "jetbrains/stack-lsp/template.json").read_text())
    assert template["fileTypeMappings"] == [{"fileType": {"name": "YAML"}, "languageId": "yaml"}]
    return shlex.split(template["programArgs"]["default"])


def zed() -> list[str]:
    extension = tomllib.loads((EDITORS / "zed/extension.toml").read_text())
    settings = jsonc(EDITORS / "zed/settings.json")
    assert extension["language_servers"]["stack-lsp"]["languages"] == ["YAML"]
    assert settings["languages"]["YAML"]["language_servers"] == ["stack-lsp", "..."]
    source = (EDITORS / "zed/src/lib.rs").read_text()
    default = re.search(r"unwrap_or_else\(\|\| vec!\[(.*?)\]\)", source, re.S)
    assert default is not None
    assert re.findall(r'"([^"]+)"\.into\(\)', default.group(1)) == ["serve", "--stdio"]
    binary = settings["lsp"]["stack-lsp"]["binary"]
    return [binary["path"], *binary["arguments"]]


@pytest.mark.parametrize("recipe", [helix, sublime, jetbrains, zed], ids=lambda f: f.__name__)
def test_recipe_starts_the_language_server_over_stdio(recipe: Any) -> None:
    command, *args = recipe()
    assert command == "stack-lsp"
    parsed = parser().parse_args(args)
    assert (parsed.run, parsed.stdio, parsed.tcp) == (serve_command.run, True, None)


def test_mason_package_installs_this_version_and_script() -> None:
    package = YAML(typ="safe").load((EDITORS / "mason/stack-lsp/package.yaml").read_text())
    assert package["source"]["id"] == f"pkg:pypi/{PROJECT['name']}@{PROJECT['version']}"
    assert package["bin"] == {"stack-lsp": f"pypi:{PROJECT['name']}"}
    assert "stack-lsp" in PROJECT["scripts"]
    assert package["licenses"] == [PROJECT["license"]["text"]]
    assert package["languages"] == ["YAML"] and "LSP" in package["categories"]
