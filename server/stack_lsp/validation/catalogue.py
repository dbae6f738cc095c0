"""The validation layer's codes, added to the one catalogue in `codes.py`.

STK3xx: schemas (component and compliance schemas from `settings.validation`, and stack-lsp's
own manifest schema); STK4xx: semantic rules the stack engine does not report itself; STK5xx:
the Terraform contract (vars against the module's `variable` blocks, `contract.py`);
STK601-STK619: atmos.yaml; STK620-STK639: workflow manifests; STK640-STK649: vendor manifests.
"""

from __future__ import annotations

from ..codes import CODES, Code, register
from ..diagnostics import Severity

VALIDATION_CODES = (
    Code("STK301", Severity.ERROR, "component schema violation"),
    Code("STK302", Severity.ERROR, "compliance schema violation"),
    Code("STK303", Severity.ERROR, "validation schema cannot be used"),
    Code("STK310", Severity.ERROR, "manifest: wrong type or value"),
    Code("STK311", Severity.ERROR, "manifest: unknown key"),
    Code("STK312", Severity.ERROR, "manifest: missing required key"),
    Code("STK401", Severity.WARNING, "abstract component configured in a stack but never deployed"),
    Code("STK402", Severity.WARNING, "component directory does not exist"),
    Code("STK403", Severity.HINT, "manifest that no stack imports"),
    Code("STK501", Severity.ERROR, "Terraform file of a component does not parse"),
    Code("STK502", Severity.WARNING, "var not declared by the component's Terraform module"),
    Code("STK503", Severity.ERROR, "required Terraform variable not set"),
    Code("STK504", Severity.ERROR, "var does not convert to the Terraform variable's type"),
    Code("STK505", Severity.WARNING, "object attribute the Terraform type does not declare"),
    Code("STK506", Severity.ERROR, "null for a Terraform variable with nullable = false"),
    Code("STK601", Severity.ERROR, "atmos.yaml: wrong type or value"),
    Code("STK602", Severity.WARNING, "atmos.yaml: unknown key"),
    Code("STK603", Severity.ERROR, "atmos.yaml: directory does not exist"),
    Code("STK604", Severity.WARNING, "atmos.yaml: included_paths glob matches nothing"),
    Code("STK605", Severity.ERROR, "atmos.yaml: stacks.name_template does not parse"),
    Code("STK640", Severity.ERROR, "vendor manifest: wrong type, value or missing key"),
    Code("STK641", Severity.WARNING, "vendor manifest: unknown key"),
    Code("STK642", Severity.ERROR, "vendor manifest: component vendored twice"),
    Code("STK620", Severity.ERROR, "workflow manifest: wrong shape"),
    Code("STK621", Severity.ERROR, "workflow step: unknown type"),
    Code("STK622", Severity.WARNING, "workflow step: unknown Atmos command"),
    Code("STK623", Severity.ERROR, "workflow: stack not found"),
    Code("STK624", Severity.ERROR, "workflow step: component not in the stack"),
    Code("STK625", Severity.ERROR, "workflow step: workflow or workflow file not found"),
    Code("STK626", Severity.WARNING, "workflow manifest: unknown key"),
)

for _code in VALIDATION_CODES:
    if _code.code not in CODES:
        register(_code)
