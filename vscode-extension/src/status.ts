// The status bar item: server state, indexing progress (server work-done progress) and the
// number of errors and warnings that the server currently reports.
import * as vscode from 'vscode';

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

interface ProgressEntry {
  title: string;
  message?: string;
  percentage?: number;
}

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: ServerState = 'stopped';
  private failure?: string;
  private readonly progress = new Map<string, ProgressEntry>();
  private errors = 0;
  private warnings = 0;

  constructor() {
    this.item = vscode.window.createStatusBarItem('stackLsp.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'stack-lsp';
    this.render();
    this.item.show();
  }

  setState(state: ServerState, failure?: string): void {
    this.state = state;
    this.failure = failure;
    if (state !== 'running') this.progress.clear();
    this.render();
  }

  progressBegin(token: string, title: string, message?: string, percentage?: number): void {
    title = title.replace(/^stack-lsp:\s*/i, ''); // the item already says stack-lsp
    this.progress.set(token, { title, message, percentage });
    this.render();
  }

  progressReport(token: string, message?: string, percentage?: number): void {
    const entry = this.progress.get(token);
    if (!entry) return;
    if (message !== undefined) entry.message = message;
    if (percentage !== undefined) entry.percentage = percentage;
    this.render();
  }

  progressEnd(token: string): void {
    this.progress.delete(token);
    this.render();
  }

  setCounts(errors: number, warnings: number): void {
    this.errors = errors;
    this.warnings = warnings;
    this.render();
  }

  private render(): void {
    const item = this.item;
    item.backgroundColor = undefined;
    const counts = `${this.errors} error${this.errors === 1 ? '' : 's'}, ${this.warnings} warning${this.warnings === 1 ? '' : 's'}`;
    if (this.state === 'failed') {
      item.text = '$(error) stack-lsp: not running';
      item.tooltip = `stack-lsp server is not running${this.failure ? `: ${this.failure}` : ''}\nClick to show the output.`;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      item.command = 'stack-lsp.showOutput';
      return;
    }
    if (this.state === 'stopped') {
      item.text = '$(circle-slash) stack-lsp';
      item.tooltip = 'stack-lsp server is stopped. Click to show the output.';
      item.command = 'stack-lsp.showOutput';
      return;
    }
    if (this.state === 'starting') {
      item.text = '$(sync~spin) stack-lsp: starting';
      item.tooltip = 'Starting the stack-lsp server…';
      item.command = 'stack-lsp.showOutput';
      return;
    }
    const active = [...this.progress.values()].pop();
    if (active) {
      const pct = active.percentage !== undefined ? ` ${Math.round(active.percentage)}%` : '';
      item.text = `$(sync~spin) stack-lsp: ${active.title}${pct}`;
      item.tooltip = `${active.title}${active.message ? ` — ${active.message}` : ''}${pct}\n${counts}`;
      item.command = 'stack-lsp.showOutput';
      return;
    }
    if (this.errors > 0) {
      item.text = `$(error) ${this.errors} stack-lsp`;
    } else if (this.warnings > 0) {
      item.text = `$(warning) ${this.warnings} stack-lsp`;
    } else {
      item.text = '$(check) stack-lsp';
    }
    item.tooltip = `stack-lsp: ${counts} in the stack tree.\nClick to open the Problems panel.`;
    item.command = 'workbench.actions.view.problems';
  }

  dispose(): void {
    this.item.dispose();
  }
}
