"""After an edit, only the stacks whose import closure read the edited file are merged again."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import TreeFactory, load_stacks

FILES = {
    "stacks/deploy/a.yaml": "import: [m/shared, m/only-a]\nvars: {stage: a}\ncomponents: {terraform: {c: {vars: {}}}}\n",
    "stacks/deploy/b.yaml": "import: [m/shared]\nvars: {stage: b}\ncomponents: {terraform: {c: {vars: {}}}}\n",
    "stacks/m/shared.yaml": "vars: {size: 1}\n",
    "stacks/m/only-a.yaml": "vars: {extra: 1}\n",
}


def test_edit_reaches_exactly_the_importers(tree: TreeFactory, tmp_path: Path) -> None:
    stacks = tree(FILES)
    a_path, b_path = (str(tmp_path / f"stacks/deploy/{n}.yaml") for n in "ab")
    a, b = stacks.stack_file(a_path), stacks.stack_file(b_path)
    assert stacks.find("a", "c").plain("vars") == {"size": 1, "extra": 1, "stage": "a"}

    stacks.ws.set_buffer(str(tmp_path / "stacks/m/only-a.yaml"), "vars: {extra: 2}\n")
    assert stacks.stack_file(b_path) is b  # b never read only-a.yaml: kept as merged
    assert stacks.stack_file(a_path) is not a
    assert stacks.find("a", "c").plain("vars") == {"size": 1, "extra": 2, "stage": "a"}

    b = stacks.stack_file(b_path)
    stacks.ws.set_buffer(str(tmp_path / "stacks/m/shared.yaml"), "vars: {size: 3}\n")
    assert stacks.stack_file(b_path) is not b
    assert stacks.find("b", "c").plain("vars") == {"size": 3, "stage": "b"}
    assert stacks.find("a", "c").plain("vars")["size"] == 3


def test_a_new_file_can_change_any_stack(tree: TreeFactory, tmp_path: Path) -> None:
    stacks = tree({**FILES, "stacks/deploy/b.yaml": "import: [m/*]\nvars: {stage: b}\ncomponents: {terraform: {c: {vars: {}}}}\n"})
    assert "late" not in stacks.find("b", "c").plain("vars")  # type: ignore[operator]
    new = tmp_path / "stacks/m/zz-late.yaml"
    new.write_text("vars: {late: true}\n")
    stacks.ws.file_changed(str(new), created_or_deleted=True)
    assert stacks.find("b", "c").plain("vars")["late"] is True  # type: ignore[index]


def test_check_stacks_reports_what_the_chosen_stacks_show(tree: TreeFactory, tmp_path: Path) -> None:
    """What the server shows first after an edit: the open stack's own findings, none of the
    whole-tree judgements (an unused mixin is not unused just because one stack was checked)."""
    from stack_lsp import validation

    stacks = tree({
        **FILES,
        "stacks/deploy/a.yaml": "import: [m/shared, m/gone]\nvars: {stage: a}\ncomponents: {terraform: {c: {vars: {}}}}\n",
        "stacks/deploy/b.yaml": "import: [m/shared, m/also-gone]\nvars: {stage: b}\ncomponents: {terraform: {c: {vars: {}}}}\n",
    })  # fmt: skip
    a_path = str(tmp_path / "stacks/deploy/a.yaml")
    quick = validation.check_stacks(stacks, [a_path])
    assert [(d.code, d.message.split(";")[0]) for d in quick] == [
        ("STK101", "import 'm/gone' not found in deploy/a.yaml")
    ]
    full = validation.check(stacks)
    assert sorted(d.code for d in full) == ["STK101", "STK101", "STK403"]  # only-a.yaml: unused
    assert [d for d in full if d.file == a_path] == quick


def test_the_import_graph_follows_edits_as_a_fresh_one(tree: TreeFactory, tmp_path: Path) -> None:
    """The reverse import graph is updated by the edited file's own entries: after edits that
    drop, add and restore imports (twice before asking, and once after the old entries were
    read again), every file's importers are those a new workspace finds."""
    stacks = tree(FILES)
    ws = stacks.ws
    a_path = str(tmp_path / "stacks/deploy/a.yaml")
    shared, only_a = (str(tmp_path / f"stacks/m/{n}.yaml") for n in ("shared", "only-a"))
    assert ws.importers(only_a) == {a_path}
    ws.set_buffer(a_path, "import: [m/shared]\nvars: {stage: a}\n")
    ws.set_buffer(a_path, "import: [m/only-a]\nvars: {stage: a}\n")
    assert ws.importers(only_a) == {a_path} and a_path not in ws.importers(shared)
    ws.set_buffer(a_path, "import: [m/shared, m/shared]\nvars: {stage: a}\n")
    ws.links(a_path)
    ws.set_buffer(only_a, "import: [m/shared]\n")
    assert ws.importers(shared) == {a_path, str(tmp_path / "stacks/deploy/b.yaml"), only_a}
    fresh = load_stacks(tmp_path).ws
    for path, text in ((a_path, ws.text(a_path)[0]), (only_a, ws.text(only_a)[0])):
        fresh.set_buffer(path, text or "")
    for path in ws.manifest_files():
        assert ws.importers(path) == fresh.importers(path), path


def test_stale_merges_are_freed_only_when_released(tree: TreeFactory, tmp_path: Path) -> None:
    import time

    stacks = tree(FILES)
    a_path = str(tmp_path / "stacks/deploy/a.yaml")
    old = stacks.stack_file(a_path)
    stacks.ws.set_buffer(str(tmp_path / "stacks/m/shared.yaml"), "vars: {size: 3}\n")
    assert stacks.find("a", "c").plain("vars")["size"] == 3  # the edit is seen at once
    kept = stacks.builder.discarded
    assert any(item is old for item in kept)  # the stale merge waits for a background job
    assert stacks.release(time.perf_counter() + 60) is False
    assert kept == []
