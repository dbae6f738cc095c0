"""The impact report as text (grouped by stack), JSON (the documented schema, docs/ci.md),
Markdown (a pull-request comment, truncated to fit) and `affected` (the records of
`atmos describe affected --format json` [pkg/schema/schema.go Affected,
internal/exec/describe_affected_deleted.go])."""

from __future__ import annotations

import json
from typing import Any

from .impact import ADDED, CHANGED, REMOVED, RENAMED, Change, ComponentImpact, Report

FORMATS = ("text", "json", "markdown", "affected")
SCHEMA_VERSION = 1

MD_MAX_CHARS = 60_000
"""GitHub refuses a comment over 65,536 characters."""
MD_MAX_ROWS = 200
MD_MAX_DETAIL_STACKS = 50
MD_MAX_CHANGES = 50
MD_MAX_VALUE = 80


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _side(report: Report, which: str) -> dict[str, Any]:
    side = report.base if which == "base" else report.head
    return {"label": side.label, "commit": side.commit}


# ---- text -----------------------------------------------------------------------------------


def _change_line(change: Change) -> str:
    if change.kind == ADDED:
        return f"+ {change.path}: {_value(change.new)}  ({change.new_at})"
    if change.kind == REMOVED:
        return f"- {change.path}: {_value(change.old)}  ({change.old_at})"
    where = (
        change.old_at if change.old_at == change.new_at else f"{change.old_at} → {change.new_at}"
    )
    return f"~ {change.path}: {_value(change.old)} → {_value(change.new)}  ({where})"


def summary(report: Report) -> str:
    n = report.counts()
    if report.empty:
        return f"no final value differs between {report.base.label} and {report.head.label}"
    parts = [
        f"{n['values']} value{'s' if n['values'] != 1 else ''} changed",
        f"{n['components']} component{'s' if n['components'] != 1 else ''}",
        f"{n['stacks']} stack{'s' if n['stacks'] != 1 else ''}",
    ]
    extra = [
        f"{n[k]} {label}"
        for k, label in (
            ("stacks_added", "stacks added"),
            ("stacks_removed", "stacks removed"),
            ("stacks_renamed", "stacks renamed"),
            ("components_added", "components added"),
            ("components_removed", "components removed"),
        )
        if n[k]
    ]
    return ", ".join(parts) + (f" ({', '.join(extra)})" if extra else "")


def text(report: Report) -> str:
    lines = [f"{report.base.label} → {report.head.label}"]
    for stack in report.stacks:
        title = f"stack {stack.name}"
        if stack.status == RENAMED:
            title += f" (renamed from {stack.old_name})"
        elif stack.status in (ADDED, REMOVED):
            title += f" ({stack.status})"
        lines.append(title)
        for comp in stack.components:
            head = f"  {comp.kind}/{comp.component}"
            if comp.status != CHANGED:
                count = len(comp.changes)
                lines.append(f"{head} ({comp.status}, {count} value{'s' if count != 1 else ''})")
                continue
            lines.append(head)
            lines += [f"    {_change_line(c)}" for c in comp.changes]
            lines += [f"    component file changed: {f}" for f in comp.folder_files]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


# ---- json -----------------------------------------------------------------------------------


def _change_json(change: Change) -> dict[str, Any]:
    out: dict[str, Any] = {"path": change.path, "kind": change.kind}
    if change.kind != ADDED:
        out["old"] = change.old
        out["old_source"] = change.old_at
    if change.kind != REMOVED:
        out["new"] = change.new
        out["new_source"] = change.new_at
    return out


def as_data(report: Report) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION,
        "base": _side(report, "base"),
        "head": _side(report, "head"),
        "changed_files": report.changed_files,
        "summary": report.counts(),
        "stacks": [
            {
                "stack": s.name,
                "status": s.status,
                "old_name": s.old_name,
                "components": [
                    {
                        "component": c.component,
                        "component_type": c.kind,
                        "status": c.status,
                        "component_path": c.component_path,
                        "stack_file": c.stack_file,
                        "affected": c.reasons(),
                        "changes": [_change_json(x) for x in c.changes],
                        "component_files_changed": c.folder_files,
                    }
                    for c in s.components
                ],
            }
            for s in report.stacks
        ],
    }


def as_json(report: Report) -> str:
    return json.dumps(as_data(report), indent=2, ensure_ascii=False, default=str) + "\n"


# ---- markdown -------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_value(change: Change, which: str) -> str:
    if change.kind == (ADDED if which == "old" else REMOVED):
        return "—"
    value = change.old if which == "old" else change.new
    shown = _md_cell(_short(_value(value), MD_MAX_VALUE))
    fence = "``" if "`" in shown else "`"
    return f"{fence} {shown} {fence}" if fence == "``" else f"`{shown}`"


def _md_component(comp: ComponentImpact) -> list[str]:
    title = f"**{comp.kind}/{comp.component}**"
    if comp.status != CHANGED:
        return [f"{title} — {comp.status} ({len(comp.changes)} values)", ""]
    lines = [title, "", "| path | old | new | written at |", "|---|---|---|---|"]
    for change in comp.changes[:MD_MAX_CHANGES]:
        where = change.new_at or change.old_at or ""
        lines.append(
            f"| `{_md_cell(change.path)}` | {_md_value(change, 'old')} | "
            f"{_md_value(change, 'new')} | `{_md_cell(where)}` |"
        )
    if len(comp.changes) > MD_MAX_CHANGES:
        lines.append(f"| … {len(comp.changes) - MD_MAX_CHANGES} more | | | |")
    lines += [f"- component file changed: `{f}`" for f in comp.folder_files]
    return [*lines, ""]


def markdown(report: Report) -> str:
    heading = f"### stack-lsp diff: `{report.base.label}` → `{report.head.label}`"
    if report.empty:
        return f"{heading}\n\nNo final value of any stack changes.\n"
    out = [heading, "", summary(report), ""]
    out += ["| stack | status | components | values |", "|---|---|---|---:|"]
    for stack in report.stacks[:MD_MAX_ROWS]:
        names = ", ".join(c.component for c in stack.components)
        status = stack.status + (f" (from `{stack.old_name}`)" if stack.old_name else "")
        values = sum(len(c.changes) for c in stack.components if c.status == CHANGED)
        out.append(
            f"| `{_md_cell(stack.name)}` | {status} | {_md_cell(_short(names, 120))} | {values} |"
        )
    if len(report.stacks) > MD_MAX_ROWS:
        out.append(f"| … {len(report.stacks) - MD_MAX_ROWS} more stacks | | | |")
    out.append("")
    size = sum(len(line) + 1 for line in out)
    shown = 0
    for stack in report.stacks[:MD_MAX_DETAIL_STACKS]:
        block = [f"<details><summary><code>{stack.name}</code> — {stack.status}</summary>", ""]
        for comp in stack.components:
            block += _md_component(comp)
        block += ["</details>", ""]
        cost = sum(len(line) + 1 for line in block)
        if size + cost > MD_MAX_CHARS:
            break
        out += block
        size += cost
        shown += 1
    if shown < len(report.stacks):
        out.append(
            f"_{len(report.stacks) - shown} more stacks not detailed here; "
            "run `stack-lsp diff` for the full report._"
        )
    return "\n".join(out) + "\n"


# ---- atmos describe affected ------------------------------------------------------------------

CONTEXT_VARS = ("namespace", "tenant", "environment", "stage")


def affected(report: Report) -> list[dict[str, Any]]:
    """One record per affected component, with Atmos's field names and reasons."""
    records = []
    for stack in report.stacks:
        for comp in stack.components:
            record: dict[str, Any] = {
                "component": comp.component,
                "component_type": comp.kind,
                "component_path": comp.component_path,
            }
            for name in CONTEXT_VARS:
                value = comp.vars.get(name)
                if isinstance(value, str) and value:
                    record[name] = value
            record["stack"] = stack.name
            record["stack_slug"] = f"{stack.name}-{comp.component.replace('/', '-')}"
            if comp.status == REMOVED:
                reason = "deleted.stack" if stack.status == REMOVED else "deleted"
                record.update(
                    affected=reason,
                    affected_all=[reason],
                    deleted=True,
                    deletion_type="stack" if stack.status == REMOVED else "component",
                )
            else:
                reasons = comp.reasons() or ["stack.metadata"]
                record.update(affected=reasons[0], affected_all=reasons)
            record["dependents"] = []
            record["included_in_dependents"] = False
            record["settings"] = comp.settings
            records.append(record)
    return records


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return as_json(report)
    if fmt == "markdown":
        return markdown(report)
    if fmt == "affected":
        return json.dumps(affected(report), indent=2, ensure_ascii=False, default=str) + "\n"
    return text(report)
