# Account IAM baseline: password policy, access analyzer, roles.
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
