"""Deterministic, seed-shaped Atmos trees of a given size, for benchmarks.

    python benchmarks/generate.py OUT_DIR --stacks 1000

Layout follows the seed architecture: `_globals/`, `mixins/{accounts,regions,tenants}`,
`catalogs/<component>/{defaults,production,development}.yaml` and
`deployments/<tenant>/<account>/<region>/<env>/_stack.yaml` with `_defaults.yaml` per account and
region; every stack imports the globals, its tenant, account and region mixins and 8 catalog
components, so mixins and catalogs are imported by many stacks.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SIZES = {"S": 100, "M": 1_000, "L": 10_000}
ACCOUNTS = ("production", "staging", "development", "sandbox")
REGIONS = ("us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1")
COMPONENTS = tuple(f"comp{i:02d}" for i in range(24))
PER_STACK = 8

ATMOS = """base_path: "."
components:
  terraform:
    base_path: components/terraform
stacks:
  base_path: stacks
  included_paths: ["deployments/**/_stack.yaml"]
  excluded_paths: ["**/_defaults.yaml"]
  name_template: "{{ .vars.tenant }}-{{ .vars.account }}-{{ .vars.region }}-{{ .vars.environment }}"
"""


# The Terraform module of every component: what the stacks set, with real types (the
# Terraform contract checks each stack's vars against it).
VARIABLES = {
    "namespace": ("string", None),
    "tenant": ("string", None),
    "account": ("string", None),
    "region": ("string", None),
    "environment": ("string", None),
    "tags": ("map(string)", "{}"),
    "log_retention_days": ("number", "30"),
    "availability_zones": ("list(string)", "[]"),
    "enabled": ("bool", "true"),
    "size": ("number", None),
    "encryption": ("bool", "true"),
    "retention_days": ("number", "30"),
    "labels": ("list(string)", "[]"),
    "flavour": ("string", '"development"'),
}


def variables_tf() -> str:
    blocks = []
    for name, (kind, default) in VARIABLES.items():
        extra = f"  default = {default}\n" if default is not None else ""
        blocks.append(f'variable "{name}" {{\n  type    = {kind}\n{extra}}}\n')
    return "\n".join(blocks)


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def generate(root: Path, stacks: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    write(root, "atmos.yaml", ATMOS)
    s = "stacks/"
    write(root, s + "_globals/globals.yaml",
          "vars:\n  namespace: bench\n  tags:\n    ManagedBy: atmos\n    Owner: platform\n"
          "settings:\n  spacelift:\n    workspace_enabled: true\n")
    for account in ACCOUNTS:
        write(root, s + f"mixins/accounts/{account}.yaml",
              f"vars:\n  account: {account}\n  tags:\n    Account: {account}\n"
              f"  log_retention_days: {rnd.choice([30, 90, 365])}\n")
    for region in REGIONS:
        write(root, s + f"mixins/regions/{region}.yaml",
              f"vars:\n  region: {region}\n  availability_zones: [{region}a, {region}b, {region}c]\n")
    tenants = [f"t{i:03d}" for i in range(max(1, stacks // 100))]
    for tenant in tenants:
        write(root, s + f"mixins/tenants/{tenant}.yaml", f"vars:\n  tenant: {tenant}\n  tags:\n    Tenant: {tenant}\n")
    for comp in COMPONENTS:
        write(root, f"components/terraform/{comp}/variables.tf", variables_tf())
        base = f"catalogs/{comp}/"
        write(root, s + base + "defaults.yaml",
              f"components:\n  terraform:\n    {comp}/defaults:\n      metadata:\n        type: abstract\n"
              f"        component: {comp}\n      vars:\n        enabled: true\n        size: 1\n"
              f"        encryption: true\n        retention_days: 30\n        labels: [a, b]\n"
              f"      settings:\n        depends_on: {{}}\n")
        for flavour, size in (("production", 3), ("development", 1)):
            write(root, s + base + f"{flavour}.yaml",
                  f"import:\n  - {base}defaults\ncomponents:\n  terraform:\n    {comp}:\n"
                  f"      metadata:\n        component: {comp}\n        inherits: [{comp}/defaults]\n"
                  f"      vars:\n        size: {size}\n        flavour: {flavour}\n")
    count = 0
    env_index = 0
    while count < stacks:
        for tenant in tenants:
            for account in ACCOUNTS:
                for region in REGIONS:
                    if count >= stacks:
                        return
                    env = f"env-{env_index:05d}"
                    env_index += 1
                    acct_dir = f"deployments/{tenant}/{account}/"
                    region_dir = f"{acct_dir}{region}/"
                    write(root, s + acct_dir + "_defaults.yaml",
                          f"import:\n  - _globals/globals\n  - mixins/tenants/{tenant}\n"
                          f"  - mixins/accounts/{account}\n")
                    write(root, s + region_dir + "_defaults.yaml",
                          f"import:\n  - ../_defaults\n  - mixins/regions/{region}\n")
                    flavour = "production" if account == "production" else "development"
                    chosen = rnd.sample(COMPONENTS, PER_STACK)
                    imports = "".join(f"  - catalogs/{c}/{flavour}\n" for c in chosen)
                    overrides = "".join(
                        f"    {c}:\n      vars:\n        retention_days: {rnd.choice([7, 30, 90, 365])}\n"
                        for c in chosen[:3]
                    )
                    write(root, s + region_dir + f"{env}/_stack.yaml",
                          f"import:\n  - ../_defaults\n{imports}vars:\n  environment: {env}\n"
                          f"components:\n  terraform:\n{overrides}")
                    count += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--size", choices=sorted(SIZES), default="S")
    group.add_argument("--stacks", type=int)
    args = parser.parse_args()
    generate(args.out, args.stacks or SIZES[args.size])


if __name__ == "__main__":
    main()
