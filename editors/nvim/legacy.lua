-- stack-lsp for Neovim 0.7 - 0.10 (before vim.lsp.config / vim.lsp.enable).
--
-- Install: copy this file to ~/.config/nvim/lua/stack_lsp_legacy.lua, then in init.lua:
--   require("stack_lsp_legacy").setup()
-- or, without copying:
--   dofile("/path/to/stack-lsp/editors/nvim/legacy.lua").setup()
-- Options (all optional):
--   setup({ cmd = { "stack-lsp", "serve", "--stdio" }, filetypes = { "yaml" },
--           root_markers = { "atmos.yaml" }, settings = {}, on_attach = function(client, bufnr) end })
--
-- On 0.8 - 0.10 it uses vim.lsp.start (one client per root, reused across buffers). On 0.7,
-- which has no vim.lsp.start, it starts the client with vim.lsp.start_client and attaches buffers
-- with vim.lsp.buf_attach_client. Neovim before 0.10 has no pull diagnostics: the server pushes.
local M = {}

local defaults = {
  name = "stack_lsp",
  cmd = { "stack-lsp", "serve", "--stdio" },
  filetypes = { "yaml" },
  root_markers = { "atmos.yaml" },
  settings = { ["stack-lsp"] = {} },
}

-- The nearest directory above `path` that holds one of `markers` (works on 0.7: no vim.fs).
local function find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while true do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return nil
    end
    dir = parent
  end
end
M.find_root = find_root

local clients = {} -- root dir -> client id (0.7 only)

function M.attach(bufnr, opts)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" then
    return nil
  end
  local root = find_root(path, opts.root_markers)
  if root == nil then
    return nil -- not inside an Atmos tree
  end
  local config = {
    name = opts.name,
    cmd = opts.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    settings = opts.settings,
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
  }
  if vim.lsp.start then -- 0.8+
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil or vim.lsp.client_is_stopped(id) then
    id = vim.lsp.start_client(config)
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

function M.setup(user)
  local opts = vim.tbl_deep_extend("force", defaults, user or {})
  local group = vim.api.nvim_create_augroup("stack_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      M.attach(args.buf, opts)
    end,
  })
  -- Buffers already open when setup() runs.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(opts.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr, opts)
    end
  end
  return opts
end

return M
