//! Starts `stack-lsp serve --stdio`: the `lsp.stack-lsp.binary` path and arguments of the
//! settings when given, else `stack-lsp` from the worktree's PATH.
use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct StackLsp;

impl zed::Extension for StackLsp {
    fn new() -> Self {
        StackLsp
    }

    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let args = binary
            .as_ref()
            .and_then(|b| b.arguments.clone())
            .unwrap_or_else(|| vec!["serve".into(), "--stdio".into()]);
        let command = match binary.and_then(|b| b.path) {
            Some(path) => path,
            None => worktree.which("stack-lsp").ok_or_else(|| {
                "stack-lsp is not on PATH: pipx install stack-lsp, or set lsp.stack-lsp.binary.path"
                    .to_string()
            })?,
        };
        Ok(zed::Command {
            command,
            args,
            env: worktree.shell_env(),
        })
    }
}

zed::register_extension!(StackLsp);
