"""Differential: 1,000 seeded random edits sent to one server — incremental changes that leave
buffers half-typed and broken, and manifests created, changed and deleted on disk with
`workspace/didChangeWatchedFiles` — then the same final files given to a fresh server. Both
must publish exactly the same diagnostics and answer every hover the same way."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient
from stack_lsp.parsing import parse
from stack_lsp.recover import recover

from tests.conftest import write_tree
from tests.lsp.conftest import Session, publishes, start
from tests.lsp.trees import SMALL

SEED = 9
EDITS = 1_000
CHECK_EVERY = 250  # compare with a fresh server after this many edits
OPEN = [
    "stacks/deployments/acme/prod.yaml",
    "stacks/deployments/acme/_defaults.yaml",
    "stacks/catalog/vpc/production.yaml",
]
EXTRA = [f"stacks/mixins/extra{i}.yaml" for i in range(3)]
SNIPPETS = [
    "", "", "x", "\n", "  ", ":", ": ", "- ", "[", "]", "{", "}", "'", '"', "\t", "#", "&a ", "*a",
    "vars:\n  tenant: acme\n", "import:\n  - mixins/extra1\n", "  - mixins/extra0\n",
    "  - ./_defaults\n", "nat_gateway_count: 5", "stage: prod", "!exec rm -rf /", "!include ../x",
    "{{ .vars.tenant }}", "components:\n  terraform:\n    vpc:\n      vars: {a: 1}\n",
]  # fmt: skip
DISK = [
    "vars:\n  tenant: acme\n",
    "vars: {region: eu-west-1, stage: qa}\n",
    "import: [mixins/extra1]\n",
    "import: [mixins/extra2]\nvars: {x: 1}\n",
    "broken: [\n",
    "components:\n  terraform:\n    vpc:\n      vars:\n        nat_gateway_count: 9\n",
]
VALUE = re.compile(r"^( *[\w/.-]+: )([\w./-]+)$", re.MULTILINE)
MAP_LINE = re.compile(r"^( *)(vars|terraform|components|vpc):\n", re.MULTILINE)
VALUES = ["1", "2", "3", "acme", "dev", "prod", "10.0.0.0/16", "us-east-1", "true", "vpc"]
KEYS = ["tenant", "stage", "region", "nat_gateway_count", "cidr_block", "extra_key"]
DEFAULTS = """
    import:
      - mixins/region
      - mixins/extra0
      - mixins/extra*
    vars:
      tenant: acme
    """
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "stack_lsp"])


def _files() -> dict[str, str]:
    """The small tree, its region defaults importing the files created and deleted on disk."""
    return {**SMALL, "stacks/deployments/acme/_defaults.yaml": DEFAULTS}


def _position(text: str, offset: int) -> lsp.Position:
    line = text.count("\n", 0, offset)
    return lsp.Position(line, offset - (text.rfind("\n", 0, offset) + 1))


async def _quiet(client: LanguageClient, uri: str, seconds: float = 1.5) -> None:
    """Until no diagnostics have been published for `seconds` (after a request, which the
    server handles after every notification sent before it)."""
    await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(0, 0))
    )
    await publishes(client).quiet(seconds)


async def _session(root: Path) -> tuple[LanguageClient, Session]:
    client = await SERVER.start()
    return client, await start(client, root, "visual-studio-code")


def _diagnostics(client: LanguageClient, uri: str) -> list[tuple[object, ...]]:
    return sorted(
        (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character,
         str(d.code), d.severity, d.message)
        for d in client.diagnostics.get(uri, [])
    )  # fmt: skip


async def _hovers(s: Session, uri: str, text: str) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for line, body in enumerate(text.split("\n")):
        for col in sorted({0, 2, 4, 6, 8, 12, len(body)} & set(range(len(body) + 1))):
            h = await s.hover(uri, line, col)
            value = (
                h.contents.value
                if h is not None and isinstance(h.contents, lsp.MarkupContent)
                else h
            )
            out.append((line, col, value, h.range if h is not None else None))
    return out


async def test_random_edits_end_where_a_fresh_server_starts(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    root = write_tree(tmp_path / "edited", _files())
    client, s = await _session(root)
    texts = {rel: (root / rel).read_text() for rel in OPEN}
    versions = dict.fromkeys(OPEN, 1)
    uris = {rel: await s.open(rel, texts[rel]) for rel in OPEN}
    typos: dict[str, tuple[int, int]] = {}  # a doc's last typo, undone by its next edit

    def change(rel: str, start: int, end: int, new: str) -> None:
        text = texts[rel]
        where = lsp.Range(_position(text, start), _position(text, end))
        texts[rel] = text[:start] + new + text[end:]
        versions[rel] += 1
        s.edit(uris[rel], versions[rel], where, new)

    for n in range(EDITS):
        roll = rng.random()
        rel = rng.choice(OPEN)
        if rel in typos:  # the user fixes what they broke
            at, length = typos.pop(rel)
            change(rel, at, at + length, "")
        elif roll < 0.4:  # a half-typed edit: YAML is broken until the next edit of this doc
            at = rng.randint(0, len(texts[rel]))
            new = rng.choice(SNIPPETS)
            typos[rel] = (at, len(new))
            change(rel, at, at, new)
        elif roll < 0.7:  # a value changed
            spots = [m for m in VALUE.finditer(texts[rel])]
            if spots:
                m = rng.choice(spots)
                change(rel, m.start(2), m.end(2), rng.choice(VALUES))
        elif roll < 0.8:  # a line added under a map
            spots = [m for m in MAP_LINE.finditer(texts[rel])]
            if spots:
                m = rng.choice(spots)
                indent = " " * (len(m.group(1)) + 2)
                line = f"{indent}{rng.choice(KEYS)}: {rng.choice(VALUES)}\n"
                change(rel, m.end(), m.end(), line)
        else:  # a manifest created, changed or deleted on disk
            path = root / rng.choice(EXTRA)
            if path.exists() and rng.random() < 0.5:
                path.unlink()
                kind = lsp.FileChangeType.Deleted
            else:
                kind = lsp.FileChangeType.Changed if path.exists() else lsp.FileChangeType.Created
                path.write_text(rng.choice(DISK))
            client.workspace_did_change_watched_files(
                lsp.DidChangeWatchedFilesParams([lsp.FileEvent(path.as_uri(), kind)])
            )
        if (n + 1) % CHECK_EVERY == 0:
            await _same_as_fresh(
                tmp_path / f"fresh{n + 1}", root, client, s, uris, texts, n + 1 == EDITS
            )
    await client.shutdown_session()
    await client.stop()


async def _same_as_fresh(
    fresh_root: Path,
    root: Path,
    client: LanguageClient,
    s: Session,
    uris: dict[str, str],
    texts: dict[str, str],
    hovers: bool,
) -> None:
    """A fresh server on the same files (on disk for the closed ones, buffers for the open ones)
    publishes the same diagnostics and, when `hovers`, answers every hover the same way."""
    await _quiet(client, uris[OPEN[0]])
    edited = {rel: _diagnostics(client, uris[rel]) for rel in OPEN}
    write_tree(fresh_root, _files())
    for rel in EXTRA:
        if (root / rel).exists():
            (fresh_root / rel).write_text((root / rel).read_text())
    fresh, fs = await _session(fresh_root)
    try:
        fresh_uris = {rel: await fs.open(rel, texts[rel]) for rel in OPEN}
        await _quiet(fresh, fresh_uris[OPEN[0]])
        for rel in OPEN:
            assert _diagnostics(fresh, fresh_uris[rel]) == edited[rel], rel
            assert edited[rel] != [] or rel != OPEN[1] or (root / EXTRA[0]).exists()
        if not hovers:
            return
        for rel in OPEN:
            if parse(rel, recover(rel, texts[rel])[0]).root is None:
                continue  # unrepairable: the edited server keeps hovering its last good tree
            expected = [
                (line, col, _relocate(value, root, fresh_root), where)
                for line, col, value, where in await _hovers(s, uris[rel], texts[rel])
            ]
            answered = await _hovers(fs, fresh_uris[rel], texts[rel])
            assert answered == expected, rel
            assert sum(h[2] is not None for h in answered) > 10  # the comparison is not vacuous
    finally:
        await fresh.shutdown_session()
        await fresh.stop()


def _relocate(value: object, old: Path, new: Path) -> object:
    if isinstance(value, str):
        return value.replace(old.as_uri(), new.as_uri()).replace(str(old), str(new))
    return value
