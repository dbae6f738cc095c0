// The "Atmos stacks" view in the explorer side bar: the repository as the server sees it
// (`workspace/executeCommand` `stack-lsp.explorer`): component kind → component → the stacks
// that deploy it and its abstract bases; stacks → components; workflows → file → workflow →
// steps. A click opens where the node is written; the view refreshes after edits and saves.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';

export const EXPLORER_COMMAND = 'stack-lsp.explorer';
export const VIEW_ID = 'stackLsp.explorer';

interface Position {
  line: number;
  character: number;
}

export interface ExplorerNode {
  label: string;
  kind: string;
  detail?: string;
  location?: { uri: string; range: { start: Position; end: Position } };
  children?: ExplorerNode[];
}

interface ExplorerResult {
  projects: { root: string; config: string | null; nodes: ExplorerNode[] }[];
}

const ICONS: Record<string, string> = {
  kind: 'symbol-namespace',
  component: 'symbol-class',
  abstract: 'symbol-interface',
  stack: 'layers',
  stacks: 'layers',
  project: 'root-folder',
  workflows: 'run-all',
  'workflow-file': 'file',
  workflow: 'play',
  step: 'debug-step-over',
};

/** Fetches the tree from the server; keeps the last answer until asked to refresh. */
export class ExplorerProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Promise<ExplorerNode[]> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  refresh(): void {
    this.roots = undefined;
    this.changed.fire(undefined);
  }

  /** Refresh once edits settle (a burst of keystrokes asks the server once). */
  refreshSoon(delayMs = 1000): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), delayMs);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const collapsed = node.children?.length
      ? node.kind === 'kind' || node.kind === 'project'
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, collapsed);
    item.description = node.detail;
    item.contextValue = node.kind;
    item.iconPath = new vscode.ThemeIcon(ICONS[node.kind] ?? 'circle-outline');
    if (node.location) {
      const { start, end } = node.location.range;
      const selection = new vscode.Range(start.line, start.character, end.line, end.character);
      const uri = vscode.Uri.parse(node.location.uri);
      item.tooltip = `${vscode.workspace.asRelativePath(uri)}:${start.line + 1}`;
      item.command = {
        command: 'vscode.open',
        title: 'Open',
        arguments: [uri, { selection: new vscode.Range(selection.start, selection.start) }],
      };
    }
    return item;
  }

  getChildren(node?: ExplorerNode): vscode.ProviderResult<ExplorerNode[]> {
    if (node) return node.children ?? [];
    this.roots ??= this.fetch();
    return this.roots;
  }

  private async fetch(): Promise<ExplorerNode[]> {
    const client = this.client();
    if (!client?.isRunning()) return [];
    try {
      const result = (await client.sendRequest(ExecuteCommandRequest.type, {
        command: EXPLORER_COMMAND,
        arguments: [],
      })) as ExplorerResult | null;
      const projects = result?.projects ?? [];
      if (projects.length === 1) return projects[0].nodes;
      return projects.map((p) => ({
        label: vscode.workspace.asRelativePath(vscode.Uri.parse(p.root)) || p.root,
        kind: 'project',
        children: p.nodes,
      }));
    } catch (err) {
      this.log.error(`explorer: ${err instanceof Error ? err.message : String(err)}`);
      return [];
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}
