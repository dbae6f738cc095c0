"""Deterministic, seed-shaped Atmos trees of a given size, for benchmarks.

    python benchmarks/generate.py OUT_DIR --stacks 1000 [--shape seed]

Layout follows the seed architecture: `_globals/`, `mixins/{accounts,regions,tenants}`,
`catalogs/<component>/{defaults,production,development}.yaml` and
`deployments/<tenant>/<account>/<region>/<env>/_stack.yaml` with `_defaults.yaml` per account and
region; every stack imports the globals, its tenant, account and region mixins and 8 catalog
components, so mixins and catalogs are imported by many stacks. The `seed` shape
(`generate_seed`) is the other shape the numbers are given for.
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


SEED_TENANTS = tuple(f"tenant{i}" for i in range(5))
SEED_ACCOUNTS = ("prod", "staging", "dev", "sandbox")
SEED_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2")
SEED_COMPONENTS = ("vpc", "eks", "rds", "s3", "iam", "kms", "sqs", "lambda")
ENVIRONMENT = {"prod": "production", "staging": "production", "dev": "development",
               "sandbox": "development"}  # fmt: skip
COMPLIANCE = ("pci", "sox", "none")

SEED_ATMOS = """base_path: "."
components:
  terraform:
    base_path: components/terraform
stacks:
  base_path: stacks
  included_paths: ["orgs/**/*"]
  excluded_paths: ["**/_defaults.yaml"]
  name_template: "{{ .vars.tenant }}-{{ .vars.account }}-{{ .vars.region }}-{{ .vars.stage }}"
"""


def generate_seed(root: Path, stacks: int, seed: int = 7) -> None:
    """The independent seed shape (issue 18): five tenants x four accounts x five regions, a
    `_defaults` chain with relative `../_defaults` imports at the account and region levels, a
    catalog of 8 components (an abstract `defaults` with 20 vars that inherits the common
    abstract `base`, and two variants that inherit it), the base in a mixin every stack reaches
    through its tenant `_defaults`, and environment and compliance mixins. Each stack deploys
    every component, so inherits chains are three deep and catalogs wide."""
    rnd = random.Random(seed)
    write(root, "atmos.yaml", SEED_ATMOS)
    s = "stacks/"
    for comp in SEED_COMPONENTS:
        write(root, f"components/terraform/{comp}/main.tf", f'resource "null_resource" "{comp}" {{}}\n')
    write(root, s + "mixins/base.yaml",
          "vars:\n  namespace: seed\n  tags:\n    ManagedBy: atmos\n"
          "components:\n  terraform:\n    base:\n      metadata:\n        type: abstract\n"
          "      vars:\n        enabled: true\n        labels: [a, b]\n        tags:\n"
          "          Layer: base\n      settings:\n        spacelift:\n"
          "          workspace_enabled: true\n")
    for env in sorted(set(ENVIRONMENT.values())):
        write(root, s + f"mixins/environments/{env}.yaml",
              f"vars:\n  environment: {env}\n  log_retention_days: {rnd.choice([30, 90, 365])}\n")
    for rule in COMPLIANCE:
        write(root, s + f"mixins/compliance/{rule}.yaml",
              f"vars:\n  compliance: {rule}\n  tags:\n    Compliance: {rule}\n")
    for comp in SEED_COMPONENTS:
        base = f"catalog/{comp}/"
        variables = "".join(f"        {comp}_var{i:02d}: {i}\n" for i in range(20))
        write(root, s + base + "defaults.yaml",
              f"components:\n  terraform:\n    {comp}/defaults:\n      metadata:\n"
              f"        type: abstract\n        component: {comp}\n        inherits: [base]\n"
              f"      vars:\n{variables}")
        for variant, size in (("small", 1), ("large", 3)):
            write(root, s + base + f"{variant}.yaml",
                  f"import:\n  - {base}defaults\ncomponents:\n  terraform:\n    {comp}:\n"
                  f"      metadata:\n        component: {comp}\n        inherits: [{comp}/defaults]\n"
                  f"      vars:\n        size: {size}\n        variant: {variant}\n")
    regions = [(t, a, r) for t in SEED_TENANTS for a in SEED_ACCOUNTS for r in SEED_REGIONS]
    per_region = max(1, -(-stacks // len(regions)))
    count = 0
    for tenant, account, region in regions:
        tenant_dir = f"orgs/{tenant}/"
        write(root, s + tenant_dir + "_defaults.yaml",
              f"import:\n  - mixins/base\nvars:\n  tenant: {tenant}\n")
        write(root, s + tenant_dir + f"{account}/_defaults.yaml",
              f"import:\n  - ../_defaults\n  - mixins/environments/{ENVIRONMENT[account]}\n"
              f"vars:\n  account: {account}\n")
        region_dir = f"{tenant_dir}{account}/{region}/"
        write(root, s + region_dir + "_defaults.yaml",
              f"import:\n  - ../_defaults\nvars:\n  region: {region}\n")
        variant = "large" if account == "prod" else "small"
        for n in range(per_region):
            if count >= stacks:
                return
            imports = "".join(f"  - catalog/{c}/{variant}\n" for c in SEED_COMPONENTS)
            overrides = "".join(
                f"    {c}:\n      vars:\n        {c}_var00: {rnd.randrange(100)}\n"
                for c in rnd.sample(SEED_COMPONENTS, 3)
            )
            write(root, s + region_dir + f"stage{n:03d}.yaml",
                  f"import:\n  - ./_defaults\n  - mixins/compliance/{rnd.choice(COMPLIANCE)}\n"
                  f"{imports}vars:\n  stage: s{n:03d}\ncomponents:\n  terraform:\n{overrides}")
            count += 1


SHAPES = {"bench": generate, "seed": generate_seed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--size", choices=sorted(SIZES), default="S")
    group.add_argument("--stacks", type=int)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="bench")
    args = parser.parse_args()
    SHAPES[args.shape](args.out, args.stacks or SIZES[args.size])


if __name__ == "__main__":
    main()
