"""stack-lsp: language server and CI checker for Atmos stack configurations."""

__version__ = "0.1.0"
