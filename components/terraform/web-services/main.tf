# Web front-end services (Kubernetes deployment + ingress).
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
