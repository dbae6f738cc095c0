"""A real Emacs (`emacs --batch`) with eglot and editors/emacs/stack-lsp.el against a copy of the
example tree: attach, hover, go to definition (M-.), completion in the import list, and the
flymake diagnostics of two broken stacks. One Emacs session runs DRIVER (below) and writes what it
saw to a JSON file after every step; the tests assert on that file.

Debian 12 has Emacs 28 with eglot 1.9 (elpa-eglot); the same driver works with Emacs >= 29."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

SESSION_TIMEOUT = 60  # seconds, for the whole Emacs session

DRIVER = r"""
;;; -*- lexical-binding: t; -*-
(require 'json)
(require 'cl-lib)
(setq spec (let ((json-object-type 'alist) (json-array-type 'list) (json-key-type 'symbol))
             (json-read-file (getenv "STACK_LSP_SPEC"))))
(defun spec (key) (alist-get key spec))
(defvar out (list (cons 'emacs emacs-version) (cons 'errors nil)))
(defvar timeout (/ (spec 'timeout_ms) 1000.0))

(defun out-put (key value) (setf (alist-get key out) value))
(defun save ()
  (with-temp-file (spec 'out)
    (insert (let ((json-encoding-pretty-print nil)) (json-encode out)))))
(defmacro step (name &rest body)
  `(progn
     (condition-case err (progn ,@body)
       (error (out-put 'errors (cons (cons ,name (format "%S" err)) (alist-get 'errors out)))))
     (save)))

(defun wait-for (pred)
  "Process events until PRED is true or the timeout passes; non-nil when PRED came true."
  (let ((deadline (+ (float-time) timeout)) done)
    (while (and (not (setq done (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    done))

(setq eglot-sync-connect timeout
      eglot-autoreconnect nil
      flymake-no-changes-timeout nil
      make-backup-files nil)
(ignore-errors (require 'yaml-mode))
(unless (fboundp 'yaml-mode)  ; no yaml-mode installed: a stand-in so the setup has a mode
  (define-derived-mode yaml-mode text-mode "YAML")
  (add-to-list 'auto-mode-alist '("\\.ya?ml\\'" . yaml-mode)))
(out-put 'eglot (locate-library "eglot"))

(add-to-list 'load-path (expand-file-name "emacs" (spec 'editors)))
(require 'stack-lsp)
(setq stack-lsp-command (spec 'cmd))
(stack-lsp-setup)

(defun request (method params)
  (let ((server (eglot--current-server-or-lose)))
    (eglot--signal-textDocument/didChange)  ; send pending edits first, as eglot's commands do
    (if (fboundp 'eglot--request)
        (eglot--request server method params)
      (jsonrpc-request server method params))))

(defun at (pos)
  (list :textDocument (eglot--TextDocumentIdentifier)
        :position (list :line (alist-get 'line pos) :character (alist-get 'character pos))))

(defun goto (pos)
  (goto-char (point-min))
  (forward-line (alist-get 'line pos))
  (forward-char (alist-get 'character pos)))

(defun visit (file)
  "Open FILE the way a user does (find-file, then the command loop's post-command-hook, where
eglot-ensure connects) and wait until eglot manages the buffer."
  (find-file file)
  (run-hooks 'post-command-hook)
  (unless (wait-for (lambda () (and (eglot-current-server) eglot--managed-mode)))
    (error "eglot did not connect for %s (major mode %s)" file major-mode))
  (current-buffer))

(defvar stack-buffer nil)
(step "attach"
  (setq stack-buffer (visit (spec 'stack)))
  (let ((server (eglot-current-server)))
    (out-put 'attach (list (cons 'mode (symbol-name major-mode))
                           (cons 'root (expand-file-name (project-root (eglot--project server))))
                           (cons 'capabilities
                                 (cl-loop for (k _v) on (eglot--capabilities server) by #'cddr
                                          collect (substring (symbol-name k) 1)))))))

(step "hover"
  (with-current-buffer stack-buffer
    (out-put 'hover (request :textDocument/hover (at (spec 'hover))))))

(step "definition"
  (with-current-buffer stack-buffer
    (out-put 'definition (request :textDocument/definition (at (spec 'definition))))
    ;; M-.: xref-find-definitions through eglot's xref backend, then see where we landed.
    (switch-to-buffer stack-buffer)
    (goto (spec 'definition))
    (call-interactively #'xref-find-definitions)
    (out-put 'jumped_to (buffer-file-name (window-buffer (selected-window))))
    (switch-to-buffer stack-buffer)))

(step "completion"
  (with-current-buffer stack-buffer
    (goto-char (point-min))
    (forward-line (1+ (spec 'completion_after)))
    (insert (spec 'completion_text) "\n")
    (forward-line -1)
    (end-of-line)
    (let* ((pos (list (cons 'line (1- (line-number-at-pos)))
                      (cons 'character (length (spec 'completion_text)))))
           (result (request :textDocument/completion (at pos)))
           (items (if (vectorp result) result (plist-get result :items))))
      (out-put 'completion (cl-loop for item across items collect (plist-get item :label)))
      ;; completion-at-point's view: eglot's capf table, as C-M-i would offer it.
      (let ((capf (eglot-completion-at-point)))
        (out-put 'capf (and capf (all-completions "" (nth 2 capf))))))
    (set-buffer-modified-p nil)))

(step "diagnostics"
  (let (all)
    (dolist (file (spec 'broken))
      (with-current-buffer (visit file)
        (wait-for (lambda () (flymake-start) (flymake-diagnostics)))
        (push (cons file
                    (mapcar (lambda (d)
                              (let ((lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d)))
                                    (beg (flymake-diagnostic-beg d)))
                                (list (cons 'line (1- (line-number-at-pos beg)))
                                      (cons 'type (symbol-name (flymake-diagnostic-type d)))
                                      (cons 'text (flymake-diagnostic-text d))
                                      (cons 'code (plist-get lsp :code)))))
                            (flymake-diagnostics)))
              all)))
    (out-put 'diagnostics all)))

(out-put 'done t)
(save)
(ignore-errors (eglot-shutdown (eglot-current-server)))
(kill-emacs 0)
"""


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory, kit: Any) -> Any:
    emacs = kit.emacs()
    if emacs is None:
        pytest.skip(f"Emacs is not installed; {kit.INSTALL_HINT}")
    probe = subprocess.run(
        [emacs, "--batch", "--eval", '(progn (require \'eglot) (princ "ok"))'],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if probe.stdout.strip() != "ok":
        pytest.skip(f"eglot is not available to Emacs; {kit.INSTALL_HINT}: {probe.stderr[-500:]}")
    work = tmp_path_factory.mktemp("emacs")
    root = work / "tree"
    root.mkdir()
    tree = kit.make_tree(root)
    driver = work / "driver.el"
    driver.write_text(DRIVER)
    extra = {"editors": str(kit.EDITORS), "timeout_ms": 15000}
    result = kit.run_session(
        [emacs, "--batch", "-l", str(driver)], tree, work, extra, SESSION_TIMEOUT
    )
    return tree, result


def explain(result: dict[str, Any]) -> str:
    return (
        f"Emacs {result.get('emacs')}, eglot {result.get('eglot')}, "
        f"{result.get('_seconds')}s; step errors: {result.get('errors')}; "
        f"output:\n{result.get('_output')}"
    )


def test_session_completes(session: Any) -> None:
    _, result = session
    assert result.get("done") and not result.get("errors"), explain(result)


def test_eglot_attaches_at_the_atmos_root(session: Any) -> None:
    tree, result = session
    attach = result.get("attach")
    assert attach, explain(result)
    assert Path(attach["root"]) == tree.root
    assert {"hoverProvider", "definitionProvider", "completionProvider"} <= set(
        attach["capabilities"]
    )


def test_hover_shows_final_value_and_source(session: Any) -> None:
    tree, result = session
    hover = result.get("hover") or {}
    contents = hover.get("contents")
    text = contents.get("value", "") if isinstance(contents, dict) else str(contents)
    assert tree.hover_value in text, explain(result)
    assert tree.hover_source in text


def test_definition_on_import_lands_in_the_file(session: Any) -> None:
    tree, result = session
    locations = result.get("definition")
    assert locations, explain(result)
    if isinstance(locations, dict):
        locations = [locations]
    assert tree.definition_target.as_uri() in [loc.get("uri") for loc in locations]
    assert Path(result.get("jumped_to") or "") == tree.definition_target, explain(result)


def test_completion_in_import_list_offers_mixins(session: Any, kit: Any) -> None:
    _, result = session
    labels = result.get("completion") or []
    assert kit.COMPLETION_EXPECTED in labels, explain(result)
    assert kit.COMPLETION_EXPECTED in (result.get("capf") or []), result.get("capf")


def test_flymake_diagnostics_of_broken_files(session: Any, kit: Any) -> None:
    tree, result = session
    diagnostics = result.get("diagnostics") or {}
    missing = diagnostics.get(str(tree.broken_import)) or []
    assert any(d["code"] == "STK101" and d["line"] == tree.broken_import_line for d in missing), (
        explain(result)
    )
    assert any(kit.MISSING_IMPORT in d["text"] for d in missing)
    syntax = diagnostics.get(str(tree.broken_syntax)) or []
    assert any(d["code"] == "STK001" for d in syntax), explain(result)
