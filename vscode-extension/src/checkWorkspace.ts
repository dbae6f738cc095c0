// "Check workspace": runs the CI checker (`<python> -m stack_lsp --check --format json`) in the
// workspace folder, logs its report to the output channel and shows a one-line summary.
import * as cp from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { ServerLaunch } from './serverLaunch';

/** The argv of the checker for a launch configuration, or undefined if none can be derived. */
export function checkCommand(launch: ServerLaunch): string[] | undefined {
  const checkArgs = ['--check', '--format', 'json'];
  if (launch.python) return [launch.python, '-m', 'stack_lsp', ...checkArgs];
  // A custom server command such as `/venv/bin/python -m stack_lsp serve` or `stack-lsp serve`:
  // reuse what comes before `serve`.
  const argv = [launch.command, ...launch.args];
  const i = argv.indexOf('serve');
  if (i > 0) return [...argv.slice(0, i), ...checkArgs];
  return undefined;
}

/** The workspace folder holding atmos.yaml (closest to the active editor first). */
export function atmosFolder(): vscode.WorkspaceFolder | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const active = vscode.window.activeTextEditor?.document.uri;
  const preferred = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  const ordered = preferred ? [preferred, ...folders.filter((f) => f !== preferred)] : folders;
  return ordered.find((f) => fs.existsSync(path.join(f.uri.fsPath, 'atmos.yaml'))) ?? ordered[0];
}

interface Counts {
  errors: number;
  warnings: number;
  infos: number;
  files: Set<string>;
}

function severityOf(d: Record<string, unknown>): string {
  const s = d.severity ?? d.level;
  if (typeof s === 'number') return ['', 'error', 'warning', 'info', 'hint'][s] ?? 'info';
  return typeof s === 'string' ? s.toLowerCase() : 'error';
}

function collect(node: unknown, counts: Counts, file?: string): void {
  if (Array.isArray(node)) {
    for (const n of node) collect(n, counts, file);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const here = (typeof obj.file === 'string' && obj.file) || (typeof obj.path === 'string' && obj.path) || file;
  if (typeof obj.code === 'string' && (obj.message !== undefined || obj.severity !== undefined)) {
    const sev = severityOf(obj);
    if (sev.startsWith('err')) counts.errors++;
    else if (sev.startsWith('warn')) counts.warnings++;
    else counts.infos++;
    if (here) counts.files.add(here);
    return;
  }
  for (const key of ['diagnostics', 'files', 'results', 'problems']) {
    if (key in obj) collect(obj[key], counts, here || undefined);
  }
}

/**
 * A one-line summary of the checker's JSON report
 * (`{"diagnostics": [...], "summary": {"error", "warning", "info", "hint", "files", "stacks", "seconds"}}`);
 * tolerant of a report without a summary.
 */
export function summarize(report: unknown): string {
  const counts: Counts = { errors: 0, warnings: 0, infos: 0, files: new Set() };
  collect(report, counts);
  const obj = report && typeof report === 'object' && !Array.isArray(report) ? (report as Record<string, unknown>) : {};
  const summary = obj.summary && typeof obj.summary === 'object' ? (obj.summary as Record<string, unknown>) : undefined;
  const num = (...keys: string[]): number | undefined => {
    for (const k of keys) if (summary && typeof summary[k] === 'number') return summary[k] as number;
    return undefined;
  };
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const errors = num('error', 'errors') ?? counts.errors;
  const warnings = num('warning', 'warnings') ?? counts.warnings;
  let line = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  const infos = (num('info', 'infos') ?? 0) + (num('hint', 'hints') ?? 0);
  if (infos) line += `, ${infos} info/hint${infos === 1 ? '' : 's'}`;
  if (counts.files.size) line += ` in ${plural(counts.files.size, 'file')}`;
  const checked: string[] = [];
  const files = num('files');
  const stacks = num('stacks');
  if (files !== undefined) checked.push(plural(files, 'file'));
  if (stacks !== undefined) checked.push(plural(stacks, 'stack'));
  if (checked.length) line += ` (${checked.join(', ')} checked)`;
  return line;
}

export async function checkWorkspace(launch: ServerLaunch | undefined, log: vscode.LogOutputChannel): Promise<void> {
  const folder = atmosFolder();
  if (!folder) {
    void vscode.window.showWarningMessage('stack-lsp: open a folder with an atmos.yaml first.');
    return;
  }
  const argv = launch ? checkCommand(launch) : undefined;
  if (!argv) {
    void vscode.window.showErrorMessage(
      'stack-lsp: cannot derive the checker command from stackLsp.server.command; set stackLsp.server.pythonPath instead.',
    );
    return;
  }
  log.info(`Check workspace: ${argv.join(' ')} (in ${folder.uri.fsPath})`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'stack-lsp: checking the workspace…', cancellable: true },
    (_progress, token) =>
      new Promise<{ code: number | null; stdout: string; stderr: string; error?: Error }>((resolve) => {
        const env = { ...process.env, ...launch?.env };
        const child = cp.spawn(argv[0], argv.slice(1), { cwd: folder.uri.fsPath, windowsHide: true, env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', (error) => resolve({ code: null, stdout, stderr, error }));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        token.onCancellationRequested(() => child.kill());
      }),
  );
  if (result.stderr.trim()) log.info(`checker stderr:\n${result.stderr.trimEnd()}`);
  if (result.error) {
    log.error(`Check workspace could not start ${argv[0]}: ${result.error.message}`);
    void vscode.window.showErrorMessage(`stack-lsp: could not run the checker: ${result.error.message}`, 'Show output').then((c) => {
      if (c) log.show(true);
    });
    return;
  }
  let report: unknown;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    log.error(`Check workspace: exit code ${result.code}, output is not JSON:\n${result.stdout}`);
    void vscode.window
      .showErrorMessage(`stack-lsp: the checker failed (exit code ${result.code}).`, 'Show output')
      .then((c) => {
        if (c) log.show(true);
      });
    return;
  }
  log.info(`checker report (exit code ${result.code}):\n${JSON.stringify(report, null, 2)}`);
  const line = summarize(report);
  const clean = /^0 errors, 0 warnings/.test(line);
  const show = clean ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  const choice = await show(`stack-lsp check: ${line}`, 'Show output', 'Open Problems');
  if (choice === 'Show output') log.show(true);
  else if (choice === 'Open Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
}
