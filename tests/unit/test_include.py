"""`!include` evaluated at load time for files inside the repository; remote sources never fetched.

Atmos reads the file when it loads the manifest, relative to the manifest, then to the base
path, and parses it by extension [pkg/utils/yaml_include_by_extension.go,
website/docs/functions/yaml/include.mdx]; remote stack imports are fetched with go-getter
[pkg/stack/imports/uri.go] — stack-lsp never fetches, it says so.
"""

from __future__ import annotations

import os
from typing import Any

from stack_lsp.stacks import Stacks
from stack_lsp.validation import check

from tests.conftest import TreeFactory


def merged(stacks: Stacks, rel: str) -> Any:
    stack = stacks.stack_file(str(stacks.ws.config.stacks_base) + "/" + rel)
    assert stack.result.merged is not None
    return stack.result.merged


def findings(stacks: Stacks) -> list[tuple[str, int, str, str, str]]:
    rel = stacks.ws.config.rel
    return [
        (rel(d.file), d.span.start_line + 1, d.severity.label, d.code, d.message)
        for d in check(stacks)
    ]


def test_yaml_json_hcl_and_text_files_are_included_with_their_provenance(
    tree: TreeFactory,
) -> None:
    # include.mdx "Examples": a path relative to the manifest, one relative to base_path, a
    # `.tfvars` varfile as HCL, JSON, a Markdown file as a string, and yq paths.
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        vars:
          stage: dev
        components:
          terraform:
            vpc:
              vars: !include ../catalog/vpc.yaml .vars
            app:
              vars:
                tfvars: !include config/dev.tfvars
                port: !include config/app.json .ports[0]
                user: !include ../catalog/vpc.yaml .settings.owner.name
                absent: !include ../catalog/vpc.yaml .vars.nope
                description: !include ./README.md
                raw: !include.raw ../catalog/small.yaml
    """,
            "stacks/catalog/vpc.yaml": """
        vars:
          cidr: 10.0.0.0/16
          azs: [a, b]
        settings:
          owner: {name: platform}
    """,
            "stacks/catalog/small.yaml": "a: 1\n",
            "stacks/deploy/README.md": "# App\nThe app.\n",
            "config/dev.tfvars": 'name = "app"\nreplicas = 3\ntags = { team = "core" }\n',
            "config/app.json": '{"ports": [8080, 9090]}',
        }
    )
    root = merged(stacks, "deploy/dev.yaml")
    vpc = root.find(("components", "terraform", "vpc", "vars"))
    assert vpc.plain() == {"cidr": "10.0.0.0/16", "azs": ["a", "b"]}
    cidr = vpc.get("cidr")
    assert stacks.ws.config.rel(cidr.source.file) == "catalog/vpc.yaml"
    assert cidr.source.span.start_line + 1 == 2
    app = root.find(("components", "terraform", "app", "vars")).plain()
    assert app == {
        "tfvars": {"name": "app", "replicas": 3, "tags": {"team": "core"}},
        "port": 8080,
        "user": "platform",
        "absent": None,
        "description": "# App\nThe app.\n",
        "raw": "a: 1\n",
    }
    assert findings(stacks) == []


def test_an_import_list_can_be_included(tree: TreeFactory) -> None:
    # include.mdx: `import: !include config/import.yaml` (relative to base_path).
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        import: !include config/imports.yaml
        vars:
          stage: dev
    """,
            "config/imports.yaml": "- catalog/base\n",
            "stacks/catalog/base.yaml": "vars: {region: us-east-1}\n",
        }
    )
    assert merged(stacks, "deploy/dev.yaml").plain()["vars"] == {
        "region": "us-east-1",
        "stage": "dev",
    }
    assert findings(stacks) == []


def test_remote_sources_are_kept_as_written_and_said_so(tree: TreeFactory) -> None:
    # Remote `!include` (go-getter) and remote imports (pkg/stack/imports/uri.go HasSchemeSeparator,
    # IsGitURI): an info finding, never an error, never fetched.
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        import:
          - git::https://github.com/acme/infra.git//stacks/base.yaml?ref=v1
          - github.com/acme/infra//stacks/mixins/region
        vars:
          stage: dev
          shared: !include https://example.com/vars.yaml .vars
    """,
        }
    )
    vars_ = merged(stacks, "deploy/dev.yaml").get("vars")
    assert vars_.plain()["shared"] == "!include https://example.com/vars.yaml .vars"
    assert findings(stacks) == [
        (
            "deploy/dev.yaml",
            2,
            "info",
            "STK130",
            "import 'git::https://github.com/acme/infra.git//stacks/base.yaml?ref=v1' is remote: "
            "not fetched, so its content is not in this stack",
        ),
        (
            "deploy/dev.yaml",
            3,
            "info",
            "STK130",
            "import 'github.com/acme/infra//stacks/mixins/region' is remote: not fetched, so its "
            "content is not in this stack",
        ),
        (
            "deploy/dev.yaml",
            6,
            "info",
            "STK131",
            "!include 'https://example.com/vars.yaml' is remote: not fetched, kept as written",
        ),
    ]


def test_a_missing_file_is_an_error_and_a_yq_program_is_left_as_written(
    tree: TreeFactory,
) -> None:
    # yaml_include_by_extension.go: a local file that is not found is an error
    # (ErrIncludeYamlFunctionInvalidFile); more than two arguments is an error; a yq
    # expression beyond a path is Atmos's, not ours: kept as written, said so.
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        vars:
          stage: dev
          a: !include stacks/catalog/nope.yaml
          b: !include ../catalog/x.yaml '.vars | keys'
          c: !include ../catalog/x.yaml .vars extra
          d: !include ../catalog/broken.json
    """,
            "stacks/catalog/x.yaml": "vars: {k: 1}\n",
            "stacks/catalog/broken.json": '{"a": [1,\n',
        }
    )
    found = findings(stacks)
    assert [f[:4] for f in found] == [
        ("deploy/dev.yaml", 3, "error", "STK132"),
        ("deploy/dev.yaml", 4, "info", "STK134"),
        ("deploy/dev.yaml", 5, "error", "STK133"),
        ("deploy/dev.yaml", 6, "error", "STK133"),
    ]
    assert found[0][4] == (
        "!include: file 'stacks/catalog/nope.yaml' not found (looked relative to this manifest and "
        "to the base path)"
    )
    assert found[1][4].startswith("!include '../catalog/x.yaml': yq expression '.vars | keys'")
    assert merged(stacks, "deploy/dev.yaml").plain()["vars"]["b"] == (
        "!include ../catalog/x.yaml '.vars | keys'"
    )


def test_an_edit_to_an_included_file_reaches_the_stack(tree: TreeFactory) -> None:
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": "vars: !include ../catalog/v.yaml\n",
            "stacks/catalog/v.yaml": "stage: dev\n",
        }
    )
    assert merged(stacks, "deploy/dev.yaml").plain()["vars"] == {"stage": "dev"}
    included = str(stacks.ws.config.stacks_base) + "/catalog/v.yaml"
    stacks.ws.set_buffer(included, "stage: prod\n")
    assert merged(stacks, "deploy/dev.yaml").plain()["vars"] == {"stage": "prod"}


def test_an_import_list_that_is_not_read_is_no_error(tree: TreeFactory) -> None:
    # `import: !include <remote>` is fetched by Atmos; here it is kept and said so, and the
    # import section is not judged (pkg/datafetcher/schema/atmos/manifest/1.0.json allows
    # an `!include` string as `import`).
    stacks = tree(
        {
            "stacks/deploy/dev.yaml": """
        import: !include https://example.com/imports.yaml
        vars:
          stage: dev
    """,
        }
    )
    assert [f[2:4] for f in findings(stacks)] == [("info", "STK131")]


def test_findings_follow_the_included_file(tree: TreeFactory) -> None:
    # relative to the base path [yaml_include_by_extension.go findLocalFile]
    stacks = tree({"stacks/deploy/dev.yaml": "vars: !include stacks/catalog/v.yaml\n"})
    assert [f[3] for f in findings(stacks)] == ["STK132"]
    included = str(stacks.ws.config.stacks_base) + "/catalog/v.yaml"
    os.makedirs(os.path.dirname(included))
    with open(included, "w") as handle:
        handle.write("stage: dev\n")
    stacks.ws.file_changed(included, created_or_deleted=True)
    assert findings(stacks) == []
    assert merged(stacks, "deploy/dev.yaml").plain()["vars"] == {"stage": "dev"}
