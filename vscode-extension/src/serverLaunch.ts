// Works out how to start the stack-lsp server and checks, before starting it, that the
// interpreter exists and has the package installed, so that the user gets one clear message
// instead of a crashed language client. By default the server runs from the Python packages
// bundled in the extension (bundled/libs, on PYTHONPATH) with any Python >= 3.11 found, as
// Microsoft's Python tools extension template does; `stackLsp.server.importStrategy:
// fromEnvironment` prefers an installed stack-lsp.
import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

export interface ServerLaunch {
  /** Executable to spawn. */
  command: string;
  /** Arguments before the `--stdio` that the language client appends. */
  args: string[];
  /** The Python interpreter, when the server runs as `<python> -m stack_lsp serve`. */
  python?: string;
  /** Variables added to the environment of the server and the checker (the bundled libs). */
  env?: Record<string, string>;
  /** Where the command came from, for the output channel and error messages. */
  source: 'stackLsp.server.command' | 'stackLsp.server.pythonPath' | 'ms-python.python' | 'PATH' | 'bundled';
}

/** The server's Python packages shipped in the extension (`scripts/build.sh` fills them in). */
export const BUNDLED_LIBS = path.join(__dirname, '..', 'bundled', 'libs');

/** Interpreters tried, in order, for the bundled server when none is configured. */
const PYTHON_CANDIDATES =
  process.platform === 'win32'
    ? ['python', 'py']
    : ['python3', 'python3.14', 'python3.13', 'python3.12', 'python3.11', 'python'];

/** Whether `python` runs and is Python 3.11 or newer. */
function isPython311(python: string): Promise<boolean> {
  return new Promise((resolve) => {
    cp.execFile(
      python,
      ['-c', 'import sys; sys.exit(sys.version_info < (3, 11))'],
      { timeout: 15000, windowsHide: true },
      (error) => resolve(!error),
    );
  });
}

/** The first of `candidates` that is a Python >= 3.11. */
async function firstPython311(candidates: string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    if (await isPython311(candidate)) return candidate;
  }
  return undefined;
}

/** An executable named `name` on PATH, if any. */
function onPath(name: string): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const ext of exts) {
      const file = path.join(dir, name + ext);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export type PreflightResult =
  | { ok: true; detail: string }
  | { ok: false; kind: 'noInterpreter' | 'noPackage' | 'broken'; detail: string };

export const DEFAULT_PYTHON = process.platform === 'win32' ? 'python' : 'python3';

/** Splits a command line given as one string, honouring simple single and double quotes. */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let has = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
    }
  }
  if (has || cur) out.push(cur);
  return out;
}

/** Expands `~` and `${workspaceFolder}` in a path from the settings. */
export function expandPath(p: string, folder?: vscode.WorkspaceFolder): string {
  let out = p.trim();
  if (folder) out = out.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath);
  if (out === '~' || out.startsWith('~/')) out = path.join(os.homedir(), out.slice(1));
  return out;
}

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment(
      env: { id: string; path: string } | string,
    ): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

/** The Python extension's active interpreter for `folder`, when that extension is installed. */
async function pythonFromPythonExtension(
  folder: vscode.WorkspaceFolder | undefined,
  log: vscode.LogOutputChannel,
): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!ext) return undefined;
  try {
    const api = ext.isActive ? ext.exports : await withTimeout(ext.activate(), 15000);
    const envs = api?.environments;
    if (!envs) return undefined;
    const envPath = envs.getActiveEnvironmentPath(folder?.uri);
    const resolved = await withTimeout(envs.resolveEnvironment(envPath), 10000);
    return resolved?.executable?.uri?.fsPath ?? envPath.path;
  } catch (err) {
    log.warn(`Could not ask the Python extension for its interpreter: ${String(err)}`);
    return undefined;
  }
}

function withTimeout<T>(p: Thenable<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

export async function resolveServerLaunch(
  folder: vscode.WorkspaceFolder | undefined,
  log: vscode.LogOutputChannel,
): Promise<ServerLaunch> {
  const cfg = vscode.workspace.getConfiguration('stackLsp', folder?.uri);
  const command = cfg.get<string[] | string | null>('server.command');
  let argv: string[] = [];
  if (Array.isArray(command)) argv = command.filter((a) => typeof a === 'string');
  else if (typeof command === 'string') argv = splitCommandLine(command);
  if (argv.length > 0 && argv[0].trim() !== '') {
    return {
      command: expandPath(argv[0], folder),
      args: argv.slice(1).map((a) => (folder ? a.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath) : a)),
      source: 'stackLsp.server.command',
    };
  }
  const configured = cfg.get<string | null>('server.pythonPath');
  const pythonPath = configured && configured.trim() !== '' ? expandPath(configured, folder) : undefined;
  const serve = ['-m', 'stack_lsp', 'serve'];
  const bundled = cfg.get<string>('server.importStrategy', 'useBundled') === 'useBundled';
  if (bundled && fs.existsSync(path.join(BUNDLED_LIBS, 'stack_lsp'))) {
    const fromExt = pythonPath ? undefined : await pythonFromPythonExtension(folder, log);
    const candidates = fromExt ? [fromExt, ...PYTHON_CANDIDATES] : PYTHON_CANDIDATES;
    // A configured interpreter is used as it is: the preflight says why if it is too old.
    const python = pythonPath ?? (await firstPython311(candidates)) ?? DEFAULT_PYTHON;
    const env = { PYTHONPATH: BUNDLED_LIBS, PYTHONNOUSERSITE: '1' };
    return { command: python, args: serve, python, env, source: 'bundled' };
  }
  if (bundled) log.warn(`No bundled server in ${BUNDLED_LIBS}; looking for an installed stack-lsp.`);
  if (pythonPath) {
    return { command: pythonPath, args: serve, python: pythonPath, source: 'stackLsp.server.pythonPath' };
  }
  const installed = onPath('stack-lsp');
  if (installed) return { command: installed, args: ['serve'], source: 'PATH' };
  const fromExt = await pythonFromPythonExtension(folder, log);
  if (fromExt) {
    return { command: fromExt, args: serve, python: fromExt, source: 'ms-python.python' };
  }
  return { command: DEFAULT_PYTHON, args: serve, python: DEFAULT_PYTHON, source: 'PATH' };
}

/** The probe of the preflight: the version first (an old Python fails on stack-lsp's syntax). */
const PROBE = [
  'import sys',
  'sys.version_info >= (3, 11) or sys.exit("stack-lsp needs Python 3.11 or newer; %s is %s" % (sys.executable, sys.version.split()[0]))',
  'import stack_lsp',
  'print(sys.executable)',
  'print(stack_lsp.__file__)',
].join('\n');

/** Runs `<python> -c "import stack_lsp"` (with the launch's environment) to tell a missing
 * interpreter from a missing package or a Python too old for it. */
export function preflight(launch: ServerLaunch, cwd: string | undefined): Promise<PreflightResult> {
  const python = launch.python ?? launch.command;
  return new Promise((resolve) => {
    cp.execFile(
      python,
      ['-c', PROBE],
      { cwd, timeout: 30000, windowsHide: true, env: { ...process.env, ...launch.env } },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ ok: true, detail: stdout.trim() });
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES') {
          resolve({ ok: false, kind: 'noInterpreter', detail: error.message });
        } else if (isMissingModule(stderr)) {
          resolve({ ok: false, kind: 'noPackage', detail: stderr.trim() });
        } else {
          resolve({ ok: false, kind: 'broken', detail: (stderr || error.message).trim() });
        }
      },
    );
  });
}

export function isMissingModule(text: string): boolean {
  // `No module named 'stack_lsp'` (not `'stack_lsp.lsp.server'`: that is a broken install)
  return /No module named '?stack_lsp'?(\s|$)/m.test(text);
}

/** A checkout of this project in the workspace (for the `pip install -e` hint), if any. */
export function findProjectCheckout(): string | undefined {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    let dir = folder.uri.fsPath;
    for (let i = 0; i < 4; i++) {
      try {
        const text = fs.readFileSync(path.join(dir, 'pyproject.toml'), 'utf8');
        if (/^name\s*=\s*["']stack-lsp["']/m.test(text)) return dir;
      } catch {
        // not here
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

export function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** The install command to show for `python` (`pip install stack-lsp`, or `-e <checkout>`). */
export function installCommand(python: string | undefined): string {
  const py = quoteArg(python ?? DEFAULT_PYTHON);
  const checkout = findProjectCheckout();
  return checkout ? `${py} -m pip install -e ${quoteArg(checkout)}` : `${py} -m pip install stack-lsp`;
}
