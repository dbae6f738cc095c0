// Entry point of the stack-lsp VS Code extension: starts the Python language server
// (`<python> -m stack_lsp serve --stdio`) for the stack tree's YAML files and adds the status bar
// item, the output channel and the commands.
import * as vscode from 'vscode';
import {
  CloseAction,
  DocumentSelector,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  StaticFeature,
  TransportKind,
  WorkDoneProgress,
  WorkDoneProgressBegin,
  WorkDoneProgressCreateParams,
  WorkDoneProgressCreateRequest,
  WorkDoneProgressReport,
} from 'vscode-languageclient/node';
import { checkWorkspace } from './checkWorkspace';
import { ExplorerProvider, VIEW_ID } from './explorer';
import { IMPACT_COMMAND, IMPACT_SCHEME, ImpactProvider, showImpact } from './impactReport';
import { MergedComponentProvider, SCHEME, showMergedComponent } from './mergedComponent';
import {
  installCommand,
  isMissingModule,
  preflight,
  quoteArg,
  resolveServerLaunch,
  ServerLaunch,
} from './serverLaunch';
import { StatusBar } from './status';

/** The files the server handles unless `stackLsp.stackPatterns` says otherwise (package.json). */
const DEFAULT_PATTERNS = [
  '**/stacks/**/*.{yaml,yml}',
  '**/atmos.yaml',
  '**/vendor.yaml',
  '**/components/**/component.yaml',
];
const CLIENT_ID = 'stackLsp'; // also the prefix of `stackLsp.trace.server`
const RED_HAT_YAML = 'redhat.vscode-yaml';
/**
 * Codes of the server's plain YAML syntax diagnostics. Red Hat's YAML extension reports the same
 * errors, so these are dropped while it validates (see `stackLsp.diagnostics.yamlSyntax`).
 */
export const YAML_SYNTAX_CODES = new Set([
  'STK001', // YAML syntax error
  'STK002', // duplicate key
]);

/** Drops the YAML syntax diagnostics while another extension reports them (see README). */
function filterSyntax(diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  if (!hideYamlSyntax()) return diagnostics;
  return diagnostics.filter((d) => !YAML_SYNTAX_CODES.has(diagnosticCode(d) ?? ''));
}

type PulledReport = { kind: string; items?: vscode.Diagnostic[] } | null | undefined;

function filterReport<R>(report: R): R {
  const r = report as PulledReport;
  if (r && r.kind === 'full' && Array.isArray(r.items)) return { ...r, items: filterSyntax(r.items) } as R;
  return report;
}

let controller: Controller | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  controller = new Controller(context);
  await controller.start();
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}

/** Whether stack-lsp's own YAML syntax diagnostics should be hidden right now. */
export function hideYamlSyntax(): boolean {
  const mode = vscode.workspace.getConfiguration('stackLsp').get<string>('diagnostics.yamlSyntax', 'auto');
  if (mode === 'show') return false;
  if (mode === 'hide') return true;
  const yamlExt = vscode.extensions.getExtension(RED_HAT_YAML);
  return !!yamlExt && vscode.workspace.getConfiguration('yaml').get<boolean>('validate', true) !== false;
}

function diagnosticCode(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  if (typeof c === 'object') return String(c.value);
  return String(c);
}

class Controller {
  private client: LanguageClient | undefined;
  private launch: ServerLaunch | undefined;
  private readonly log: vscode.LogOutputChannel;
  private readonly status: StatusBar;
  private readonly merged = new MergedComponentProvider();
  private readonly impact = new ImpactProvider();
  private readonly traceChannel: vscode.LogOutputChannel;
  private stderrTail: string[] = [];
  private starting: Promise<void> | undefined;
  private notifiedFailure = false;
  private readonly explorer: ExplorerProvider;
  private restarts: Promise<void> = Promise.resolve();

  constructor(context: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('stack-lsp', { log: true });
    this.status = new StatusBar();
    const trace = settingTraceChannel(this.log);
    this.traceChannel = trace.channel;
    this.explorer = new ExplorerProvider(() => this.client, this.log);
    context.subscriptions.push(
      this.explorer,
      vscode.window.registerTreeDataProvider(VIEW_ID, this.explorer),
      vscode.commands.registerCommand('stack-lsp.refreshExplorer', () => this.explorer.refresh()),
      vscode.workspace.onDidSaveTextDocument(() => this.explorer.refreshSoon()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.languageId === 'yaml' && e.contentChanges.length) this.explorer.refreshSoon();
      }),
      this.log,
      trace,
      this.status,
      this.merged,
      this.impact,
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this.merged),
      vscode.workspace.registerTextDocumentContentProvider(IMPACT_SCHEME, this.impact),
      vscode.commands.registerCommand('stack-lsp.restartServer', () => this.restart()),
      vscode.commands.registerCommand('stack-lsp.showOutput', () => this.log.show(true)),
      vscode.commands.registerCommand('stack-lsp.showMergedComponent', () =>
        showMergedComponent(this.client, this.merged, this.log),
      ),
      vscode.commands.registerCommand('stack-lsp.showImpactReport', () =>
        showImpact(this.client, this.impact, this.log),
      ),
      vscode.commands.registerCommand('stack-lsp.checkWorkspace', async () => {
        const launch = this.launch ?? (await resolveServerLaunch(this.folder(), this.log));
        await checkWorkspace(launch, this.log);
      }),
      vscode.languages.onDidChangeDiagnostics(() => this.updateCounts()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (
          e.affectsConfiguration('stackLsp.server') ||
          e.affectsConfiguration('stackLsp.stackPatterns') ||
          e.affectsConfiguration('stackLsp.diagnostics')
        ) {
          this.log.info('Configuration changed; restarting the server.');
          void this.restart();
        }
      }),
    );
    void vscode.commands.executeCommand('setContext', 'stackLsp.active', true);
  }

  private folder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
  }

  private selector(): DocumentSelector {
    const patterns = vscode.workspace
      .getConfiguration('stackLsp', this.folder()?.uri)
      .get<string[]>('stackPatterns', DEFAULT_PATTERNS);
    return patterns.map((pattern) => ({ scheme: 'file', language: 'yaml', pattern }));
  }

  async start(): Promise<void> {
    if (this.starting) return this.starting;
    this.starting = this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(): Promise<void> {
    this.status.setState('starting');
    this.notifiedFailure = false;
    this.stderrTail = [];
    const folder = this.folder();
    const launch = await resolveServerLaunch(folder, this.log);
    this.launch = launch;
    const shown = [launch.command, ...launch.args, '--stdio'].map(quoteArg).join(' ');
    this.log.info(`Starting the server: ${shown}  (from ${launch.source})`);

    if (launch.env) this.log.info(`with ${Object.entries(launch.env).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    if (launch.python) {
      const check = await preflight(launch, folder?.uri.fsPath);
      if (!check.ok) {
        this.log.error(`Preflight of ${launch.python} failed (${check.kind}):\n${check.detail}`);
        this.failed(check.kind === 'noInterpreter' ? 'noInterpreter' : check.kind === 'noPackage' ? 'noPackage' : 'crash', check.detail);
        return;
      }
      this.log.info(`Using ${check.detail.split('\n').join(', stack_lsp from ')}`);
    }

    const serverOptions: ServerOptions = {
      command: launch.command,
      args: launch.args,
      transport: TransportKind.stdio,
      options: { cwd: folder?.uri.fsPath, env: { ...process.env, ...launch.env, PYTHONUNBUFFERED: '1' } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: this.selector(),
      outputChannel: this.log,
      traceOutputChannel: this.traceChannel,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // No `synchronize.fileEvents`: the server registers its file watchers itself
      // (workspace/didChangeWatchedFiles, dynamic registration).
      stdioOptions: {
        stdout: () => undefined, // stdout carries the protocol
        stderr: (input, channel) => {
          let buf = '';
          input.on('data', (chunk: Buffer) => {
            buf += chunk.toString();
            const lines = buf.split(/\r?\n/);
            buf = lines.pop() ?? '';
            for (const line of lines) {
              channel.info(`[server] ${line}`);
              this.stderrTail.push(line);
              if (this.stderrTail.length > 50) this.stderrTail.shift();
            }
          });
        },
      },
      initializationFailedHandler: (error) => {
        this.log.error(`Server initialization failed: ${String(error)}`);
        return false;
      },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue, handled: true }),
        closed: () => {
          const tail = this.stderrTail.join('\n');
          this.log.error('The server process exited.');
          this.failed(isMissingModule(tail) ? 'noPackage' : 'crash', tail);
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
      middleware: {
        // The impact code lens's command opens the report instead of discarding the answer.
        executeCommand: (command, args, next) =>
          command === IMPACT_COMMAND
            ? showImpact(this.client, this.impact, this.log, typeof args[0] === 'string' ? args[0] : undefined)
            : next(command, args),
        // Pushed diagnostics (textDocument/publishDiagnostics) …
        handleDiagnostics: (uri, diagnostics, next) => next(uri, filterSyntax(diagnostics)),
        // … and pulled ones (textDocument/diagnostic, workspace/diagnostic).
        provideDiagnostics: async (document, previousResultId, token, next) =>
          filterReport(await next(document, previousResultId, token)),
        provideWorkspaceDiagnostics: async (resultIds, token, resultReporter, next) => {
          const report = await next(resultIds, token, (chunk) =>
            resultReporter(chunk ? { ...chunk, items: chunk.items.map(filterReport) } : chunk),
          );
          return report ? { ...report, items: report.items.map(filterReport) } : report;
        },
      },
    };

    const client = new QuietLanguageClient(CLIENT_ID, 'stack-lsp', serverOptions, clientOptions);
    client.registerFeature(new ProgressToStatusBar(client, this.status));
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) this.status.setState('running');
      else if (e.newState === State.Starting) this.status.setState('starting');
    });
    this.client = client;
    try {
      await client.start();
      this.log.info('The server is running.');
      this.status.setState('running');
      this.explorer.refresh();
      this.updateCounts();
    } catch (err) {
      const tail = this.stderrTail.join('\n');
      this.log.error(`The server could not start: ${err instanceof Error ? err.message : String(err)}`);
      const enoent = /ENOENT/.test(String(err));
      this.failed(enoent ? 'noInterpreter' : isMissingModule(tail) ? 'noPackage' : 'crash', tail || String(err));
    }
  }

  /** One clear notification per start attempt, with the install command when that's the cause. */
  private failed(kind: 'noInterpreter' | 'noPackage' | 'crash', detail: string): void {
    const launch = this.launch;
    this.status.setState('failed', kind === 'noPackage' ? 'the stack-lsp package is not installed' : detail.split('\n').pop());
    if (this.notifiedFailure) return;
    this.notifiedFailure = true;
    const install = installCommand(launch?.python ?? launch?.command);
    let message: string;
    if (launch?.source === 'bundled') {
      const last = detail.split('\n').filter(Boolean).pop() ?? 'no output';
      message = `stack-lsp: the bundled server does not run with ${launch.python} (${last}). Set "stackLsp.server.pythonPath" to a Python 3.11 or newer, or install stack-lsp (${install}) and set "stackLsp.server.importStrategy" to "fromEnvironment".`;
    } else if (kind === 'noPackage') {
      message = `stack-lsp: the Python package is not installed for ${launch?.python ?? launch?.command}. Install it with: ${install}`;
    } else if (kind === 'noInterpreter') {
      message = `stack-lsp: cannot start the server: "${launch?.command}" was not found. Set "stackLsp.server.pythonPath" to a Python that has stack-lsp (${install}).`;
    } else {
      message = `stack-lsp: the server could not start or stopped (${detail.split('\n').filter(Boolean).pop() ?? 'no output'}). If the package is missing: ${install}`;
    }
    this.log.error(message);
    void vscode.window.showErrorMessage(message, 'Show output', 'Copy install command', 'Open settings').then((choice) => {
      if (choice === 'Show output') this.log.show(true);
      else if (choice === 'Copy install command') void vscode.env.clipboard.writeText(install);
      else if (choice === 'Open settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'stackLsp.server');
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        if (client.isRunning()) await client.stop(5000);
        else await client.dispose(2000);
      } catch (err) {
        this.log.warn(`Stopping the server: ${String(err)}`);
      }
    }
    this.status.setState('stopped');
  }

  /** Restarts, one restart at a time (a settings change and the command may coincide). */
  restart(): Promise<void> {
    this.restarts = this.restarts.then(async () => {
      this.log.info('Restarting the server.');
      if (this.starting) await this.starting.catch(() => undefined);
      await this.stop();
      await this.start();
    });
    return this.restarts;
  }

  /** Errors and warnings of stack-lsp, pushed or pulled (both end up in VS Code's list). */
  private updateCounts(): void {
    let errors = 0;
    let warnings = 0;
    if (this.client?.isRunning()) {
      for (const [, list] of vscode.languages.getDiagnostics()) {
        for (const d of list) {
          if (d.source !== 'stack-lsp' && !/^STK\d+$/.test(diagnosticCode(d) ?? '')) continue;
          if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
          else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
        }
      }
    }
    this.status.setCounts(errors, warnings);
  }
}

/**
 * The trace channel handed to the language client. vscode-languageclient traces only when its
 * channel's log level is Trace; this view of the "stack-lsp" channel reports level Trace while
 * `stackLsp.trace.server` is not "off" and writes the trace at info level, so the setting alone
 * turns the protocol trace on, in the same output channel.
 */
function settingTraceChannel(log: vscode.LogOutputChannel): vscode.Disposable & { channel: vscode.LogOutputChannel } {
  const changed = new vscode.EventEmitter<vscode.LogLevel>();
  const setting = () => vscode.workspace.getConfiguration('stackLsp').get<string>('trace.server', 'off');
  const level = () => (setting() !== 'off' ? vscode.LogLevel.Trace : log.logLevel);
  const subs = [
    changed,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('stackLsp.trace.server')) changed.fire(level());
    }),
    log.onDidChangeLogLevel(() => changed.fire(level())),
  ];
  const channel = new Proxy(log, {
    get(target, prop) {
      if (prop === 'logLevel') return level();
      if (prop === 'onDidChangeLogLevel') return changed.event;
      if (prop === 'trace') {
        return (message: string, ...args: unknown[]) =>
          setting() !== 'off' ? target.info(message, ...args) : target.trace(message, ...args);
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { channel, dispose: () => subs.forEach((s) => s.dispose()) };
}

/**
 * A LanguageClient that logs start failures without its own "couldn't create connection"
 * notification: the controller shows one clearer notification (with the install command).
 */
class QuietLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, showNotification === 'force' ? false : showNotification);
  }
}

/**
 * Replaces the client's default handling of server-created work-done progress (a notification)
 * with the status bar item: "indexing 40%".
 */
class ProgressToStatusBar implements StaticFeature {
  constructor(
    private readonly client: LanguageClient,
    private readonly status: StatusBar,
  ) {}

  fillClientCapabilities(capabilities: { window?: { workDoneProgress?: boolean } }): void {
    capabilities.window = capabilities.window ?? {};
    capabilities.window.workDoneProgress = true;
  }

  getState(): { kind: 'static' } {
    return { kind: 'static' };
  }

  initialize(): void {
    this.client.onRequest(WorkDoneProgressCreateRequest.type, (params: WorkDoneProgressCreateParams) => {
      const token = String(params.token);
      const sub = this.client.onProgress(WorkDoneProgress.type, params.token, (value) => {
        if (value.kind === 'begin') {
          const v = value as WorkDoneProgressBegin;
          this.status.progressBegin(token, v.title, v.message, v.percentage);
        } else if (value.kind === 'report') {
          const v = value as WorkDoneProgressReport;
          this.status.progressReport(token, v.message, v.percentage);
        } else {
          this.status.progressEnd(token);
          sub.dispose();
        }
      });
    });
  }

  clear(): void {}
}
