"""Go templates in merged component sections, rendered as Atmos renders them after the merge
[internal/exec/describe_stacks.go processComponentSectionTemplates, template_utils.go
ProcessTmplWithDatasources] when `templates.settings.enabled` is on in atmos.yaml.

The data is the component's whole section (`vars`, `settings`, `env`, `backend`, `metadata`,
`atmos_component`, `atmos_stack`, `workspace` …, plus its resolved `locals`); every section is
rendered, `templates.settings.evaluations` times. Only strings containing `{{` cost anything,
and stacks whose files hold no `{{` are never visited. A value that cannot be rendered stays as
written, with a finding at its position; rendered values keep their source, so provenance and
hovers point where they were written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from . import templates
from .codes import severity_of
from .components import Assembler, Component
from .config import AtmosConfig
from .diagnostics import Diagnostic
from .imports import import_name
from .locals import FileLocals, component_locals, file_locals, has_locals
from .tree import Value

Problem = tuple[Value, "templates.Rendered | templates.TemplateSyntaxError"]
Renderer = Callable[[Component, str, Assembler], Component]

_PLAIN_SECTIONS = ("vars", "settings", "env", "providers", "hooks", "metadata", "overrides",
                   "backend", "remote_state_backend", "auth", "generate")  # fmt: skip
_TEXT_SECTIONS = ("backend_type", "remote_state_backend_type", "command")


def settings_of(config: AtmosConfig) -> tuple[bool, int]:
    """`templates.settings.enabled` and `evaluations` from atmos.yaml."""
    section = config.raw.get("templates")
    settings = section.get("settings") if isinstance(section, Mapping) else None
    if not isinstance(settings, Mapping):
        return False, 1
    evaluations = settings.get("evaluations")
    passes = evaluations if isinstance(evaluations, int) and evaluations > 0 else 1
    return settings.get("enabled") is True, min(passes, 10)


def render_tree(
    value: Value, data: Mapping[str, Any], passes: int, problems: list[Problem]
) -> Value:
    """`value` with every templated string rendered; the same object when nothing changed
    (only containers and strings holding `{{` are visited)."""
    raw = value.data
    if isinstance(raw, dict | list):
        changed: Any = None
        pairs = raw.items() if isinstance(raw, dict) else enumerate(raw)
        for key, child in pairs:
            if _visit(child):
                done = render_tree(child, data, passes, problems)
                if done is not child:
                    changed = changed if changed is not None else type(raw)(raw)
                    changed[key] = done
        return value if changed is None else Value(changed, value.source, value.tag, value.history)
    if not _visit(value):
        return value
    text = raw
    for _ in range(passes):
        try:
            rendered = templates.render(text, data)
        except templates.TemplateSyntaxError as exc:
            problems.append((value, exc))
            return value
        if not rendered.complete or rendered.undefined:
            problems.append((value, rendered))
            return value
        text = rendered.text
        if "{{" not in text:
            break
    return Value(text, value.source, None, value.history) if text != raw else value


def _visit(value: Value) -> bool:
    raw = value.data
    if isinstance(raw, str):
        return value.tag is None and "{{" in raw
    return isinstance(raw, dict | list)


def findings(problems: list[Problem], what: str) -> list[Diagnostic]:
    """One finding per problem, at the value that holds the template."""
    out = []
    for value, problem in problems:
        code, message = _describe(problem, what)
        span = value.source.span
        out.append(Diagnostic(value.source.file, span, severity_of(code), code, message))
    return out


def _describe(
    problem: templates.Rendered | templates.TemplateSyntaxError, what: str
) -> tuple[str, str]:
    if isinstance(problem, templates.TemplateSyntaxError):
        return "STK106", f"invalid Go template: {problem}; Atmos cannot render {what}"
    if problem.failed:
        return "STK108", f"template fails: {problem.failed[0][0]}"
    if problem.bound:
        return "STK109", f"template not rendered: {problem.bound}"
    if problem.errors:
        return "STK111", f"template error: {problem.errors[0][0]}; Atmos stops here"
    if problem.unsupported:
        return "STK112", (
            f"template left as written: {problem.unsupported[0][0]} (it reaches outside the "
            "repository)"
        )
    names = ", ".join(sorted({n for n, _ in problem.undefined}))
    return "STK107", (
        f"template refers to {names}, which {what} does not define; Atmos stops with "
        "'map has no entry for key'"
    )


def workspace_of(stack_name: str, component: Component) -> str:
    """The Terraform workspace: the stack name with `/` → `-`, plus `-<component>` when the
    component uses another Terraform directory."""
    workspace = stack_name.replace("/", "-")
    if component.terraform_component != component.name:
        workspace = f"{workspace}-{component.name}"
    return workspace


class ComponentData(Mapping[str, Any]):
    """What a template in a component section sees: the section as `describe component` shows
    it, with its locals; each section made plain only when a template reads it."""

    def __init__(
        self,
        component: Component,
        stack_name: str,
        stack_file: str,
        locals_values: dict[str, Any],
    ) -> None:
        self.component = component
        self.known: dict[str, Any] = {
            "atmos_component": component.name,
            "atmos_stack": stack_name,
            "stack": stack_name,
            "atmos_stack_file": stack_file,
            "atmos_manifest": stack_file,
            "component": component.terraform_component,
            "workspace": workspace_of(stack_name, component),
            "inheritance": list(reversed(component.bases)),
            "locals": locals_values,
        }

    def __getitem__(self, key: str) -> Any:
        found = self.known.get(key, _UNSET)
        if found is not _UNSET:
            return found
        if key in _PLAIN_SECTIONS:
            found = self.component.plain(key)
        elif key in _TEXT_SECTIONS:
            value = self.component.sections.get(key)
            found = value.plain() if value is not None else ""
        else:
            raise KeyError(key)
        self.known[key] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self.known, *_PLAIN_SECTIONS, *_TEXT_SECTIONS]))

    def __len__(self) -> int:
        return sum(1 for _ in self)


_UNSET = object()


class ComponentRenderer:
    """Renders the components of one stack file; made only when templates are on and the stack's
    files hold a template."""

    def __init__(self, config: AtmosConfig, passes: int, root_of: Callable[[str], Value | None]):
        self.config = config
        self.passes = passes
        self.root_of = root_of
        self._files: dict[str, FileLocals | None] = {}
        self._names: dict[str, str] = {}

    def _file(self, path: str) -> FileLocals | None:
        if path not in self._files:
            root = self.root_of(path)
            self._files[path] = file_locals(root) if root is not None and has_locals(root) else None
        return self._files[path]

    def __call__(self, component: Component, stack_name: str, assembler: Assembler) -> Component:
        # The stack's locals, then those of the file that defines the component, then the
        # component-level ones along its bases [internal/exec/utils.go ProcessComponentConfig].
        parent: dict[str, Any] = {}
        context: dict[str, Any] = {}
        for path in dict.fromkeys((component.stack_file, component.own.source.file)):
            found = self._file(path)
            if found is not None:
                parent.update(found.by_scope.get(component.kind, {}))
                context = found.context
        comps = assembler.components(component.kind)
        levels = [comps[base].get("locals") for base in component.bases if base in comps]
        levels.append(component.own.get("locals"))
        resolved = component_locals(parent, context, levels)
        stack_file = self._names.get(component.stack_file)
        if stack_file is None:
            stack_file = import_name(component.stack_file, self.config.stacks_base)
            self._names[component.stack_file] = stack_file
        data = ComponentData(component, stack_name, stack_file, resolved.values)
        problems: list[Problem] = []
        sections = {
            key: render_tree(value, data, self.passes, problems) if value is not None else None
            for key, value in component.sections.items()
        }
        own_keys = [k for level in levels if level is not None and level.is_map for k in level.data]
        if own_keys:
            # Component-level locals show in the output, resolved; the stack's do not.
            where = component.own.get("locals") or component.own
            shown = {k: resolved.values[k] for k in dict.fromkeys(own_keys) if k in resolved.values}
            sections["locals"] = _as_value(shown, where)
        diagnostics = [*component.diagnostics, *resolved.diagnostics]
        diagnostics += findings(problems, f"component '{component.name}'")
        return dataclasses.replace(component, sections=sections, diagnostics=diagnostics)


def _as_value(data: Any, where: Value) -> Value:
    """Plain data as a value tree placed where `where` was written."""
    if isinstance(data, dict):
        return Value({k: _as_value(v, where) for k, v in data.items()}, where.source)
    if isinstance(data, list):
        return Value([_as_value(v, where) for v in data], where.source)
    return Value(data, where.source)


@lru_cache(maxsize=8192)
def _has_template(text: str) -> bool:
    """Cached by the text itself: every stack of a tree asks about the same catalog files."""
    return "{{" in text


def renderer(
    config: AtmosConfig,
    files: list[str],
    text_of: Callable[[str], str],
    root_of: Callable[[str], Value | None],
) -> Renderer | None:
    """The renderer for a stack whose merge read `files`, or None when there is nothing to do
    (templates off, or no `{{` in any of its files)."""
    enabled, passes = settings_of(config)
    if not enabled or not any(_has_template(text_of(f)) for f in files):
        return None
    return ComponentRenderer(config, passes, root_of)


FileScope = tuple[dict[str, Any], Value, list[Diagnostic]]


def file_scope(root: Value, context: Mapping[str, Any]) -> FileScope:
    """A file with `locals` as Atmos reads it [stack_processor_utils.go
    extractAndAddLocalsToContext]: the template context it gives its own text and its imports
    (`locals`, and its `settings`, `vars`, `env` rendered with them), the root with those three
    sections rendered (a section that does not render whole stays as written), and the findings
    of resolving its locals."""
    resolved = file_locals(root)
    scope = {k: v for k, v in context.items() if k != "locals"}
    scope["locals"] = resolved.flat
    sections: dict[str, Value] = {}
    for key in ("settings", "vars", "env"):
        section = root.get(key)
        if section is None or not section.is_map:
            continue
        problems: list[Problem] = []
        rendered = render_tree(section, scope, 1, problems)
        if problems:
            rendered = section
        sections[key] = rendered
        scope[key] = rendered.plain()
    if sections:
        root = Value({**root.data, **sections}, root.source, root.tag, root.history)
    return scope, root, resolved.diagnostics


def manifest_name(root: Value) -> Value | None:
    """The manifest's `name`; in a file with `locals`, rendered with them (and its settings,
    vars, env) as Atmos renders the file's text; as written when that fails."""
    name = root.get("name")
    if name is None or not isinstance(name.data, str) or "{{" not in name.data:
        return name
    if not has_locals(root):
        return name
    problems: list[Problem] = []
    rendered = render_tree(name, file_scope(root, {})[0], 1, problems)
    return name if problems else rendered
