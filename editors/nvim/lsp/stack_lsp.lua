-- stack-lsp for Neovim >= 0.11 (vim.lsp.config / vim.lsp.enable).
--
-- Install: put this file on your 'runtimepath' as lsp/stack_lsp.lua, e.g.
--   cp editors/nvim/lsp/stack_lsp.lua ~/.config/nvim/lsp/stack_lsp.lua
-- then, in init.lua:
--   vim.lsp.enable("stack_lsp")
-- Override anything with vim.lsp.config("stack_lsp", { ... }) before enabling, e.g.
--   vim.lsp.config("stack_lsp", { cmd = { "/path/to/venv/bin/stack-lsp" } })
--
-- The server attaches to YAML buffers inside a tree with an atmos.yaml (the root). It needs
-- nothing beyond Neovim's own client: hover (K), definition (gd; since 0.11 also <C-]>),
-- completion (<C-x><C-o>, or vim.lsp.completion.enable for autotrigger), and diagnostics, which
-- Neovim pulls (textDocument/diagnostic) or receives pushed.
---@type vim.lsp.Config
return {
  cmd = { "stack-lsp", "serve", "--stdio" },
  filetypes = { "yaml" },
  root_markers = { "atmos.yaml" },
  -- Only start inside an Atmos tree: without an atmos.yaml above the file, do not attach.
  workspace_required = true,
  settings = {
    ["stack-lsp"] = {},
  },
}
