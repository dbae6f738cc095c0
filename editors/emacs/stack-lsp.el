;;; stack-lsp.el --- Eglot setup for stack-lsp (Atmos stack configurations)  -*- lexical-binding: t; -*-

;; Works with Emacs 28 plus the eglot package (Debian 12: apt install emacs elpa-eglot
;; elpa-yaml-mode) and with Emacs >= 29, where eglot is built in.

;;; Commentary:

;; Usage, in your init file:
;;
;;   (add-to-list 'load-path "/path/to/stack-lsp/editors/emacs")
;;   (require 'stack-lsp)
;;   (stack-lsp-setup)
;;
;; Then open any YAML file under a directory with an atmos.yaml: eglot starts `stack-lsp' with the
;; atmos.yaml directory as the project root.  Hover with eldoc (or M-x eldoc-doc-buffer), go to
;; definition with M-., complete with C-M-i (completion-at-point), and read the diagnostics with
;; flymake (M-x flymake-show-buffer-diagnostics).  Outside an Atmos tree nothing changes.

;;; Code:

(require 'eglot)
(require 'project)

(defgroup stack-lsp nil
  "The stack-lsp language server for Atmos stack configurations."
  :group 'tools)

(defcustom stack-lsp-command '("stack-lsp" "serve" "--stdio")
  "How to start the server: the program and its arguments."
  :type '(repeat string))

(defcustom stack-lsp-modes '(yaml-mode yaml-ts-mode)
  "Major modes of the files stack-lsp serves."
  :type '(repeat symbol))

(defun stack-lsp-root (&optional dir)
  "The directory holding the nearest atmos.yaml at or above DIR, or nil."
  (let ((found (locate-dominating-file (or dir default-directory) "atmos.yaml")))
    (and found (file-name-as-directory (expand-file-name found)))))

(defun stack-lsp-project-find (dir)
  "For `project-find-functions': in a stack-lsp buffer, the project is the atmos.yaml tree."
  (let ((root (and (apply #'derived-mode-p stack-lsp-modes) (stack-lsp-root dir))))
    (and root (cons 'transient root))))

(defun stack-lsp-maybe-start ()
  "Start (or join) the stack-lsp eglot session when this file is inside an Atmos tree."
  (when (and buffer-file-name (stack-lsp-root))
    (eglot-ensure)))

;;;###autoload
(defun stack-lsp-setup ()
  "Register stack-lsp with eglot for `stack-lsp-modes', rooted at the nearest atmos.yaml."
  (interactive)
  (add-to-list 'eglot-server-programs
               (cons stack-lsp-modes (lambda (&rest _) stack-lsp-command)))
  (add-hook 'project-find-functions #'stack-lsp-project-find)
  (dolist (mode stack-lsp-modes)
    (add-hook (intern (format "%s-hook" mode)) #'stack-lsp-maybe-start)))

(provide 'stack-lsp)
;;; stack-lsp.el ends here
