"""The language server (pygls 2): `app.serve()` runs it over stdio or TCP; `app.build()`
registers every feature module on one `server.StackServer`.

One module per feature, each a few thin handlers that locate the cursor, ask the editor-agnostic
core (`locate`, `queries`, `suggest`, `recover`, `validation`) and format the answer:

- `documents`: initialize, workspace folders → projects (one per atmos.yaml), indexing with
  `window/workDoneProgress`, buffers (incremental sync), files on disk (client watcher, else
  polling), `server.StackServer` and `engine.Engine` (the one engine thread, editor work first).
- `diagnostics`: the open stacks' own findings right after an edit, then `validation.check`,
  debounced; pushed, or pulled when the client can be told to re-pull
  (`workspace/diagnostic/refresh`).
- `hover`, `definition`, `references`, `completion`, `symbols`, `links`, `codelens` (clients
  that support it), `inlay` (likewise), `commands` (`stack-lsp.describeComponent`,
  `stack-lsp.showStacks`, `stack-lsp.explorer`, `stack-lsp.showImpact`), `actions` (quick
  fixes, suppressions, fixAll), `rename` (rename, prepareRename, willRenameFiles), `hierarchy`
  (type hierarchy over inherits), `semantic` (semantic tokens), `impact` (live impact of
  unsaved edits), `pull` (pulled and workspace diagnostics).
"""
