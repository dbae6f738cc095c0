// "Show impact of unsaved edits": asks the server (`workspace/executeCommand`
// `stack-lsp.showImpact`) for the `stack-lsp diff` report between the saved files and the open
// buffers and shows it as a read-only virtual document (scheme `stack-lsp-impact`). The code lens
// "changes N values in M stacks" runs the same command.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';

export const IMPACT_SCHEME = 'stack-lsp-impact';
export const IMPACT_COMMAND = 'stack-lsp.showImpact';

interface ImpactResult {
  text?: string;
  summary?: string;
}

export class ImpactProvider implements vscode.TextDocumentContentProvider {
  private text = '# stack-lsp: run "Show impact of unsaved edits" again to refresh this view\n';
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  readonly uri = vscode.Uri.from({ scheme: IMPACT_SCHEME, path: '/impact-of-unsaved-edits.txt' });

  provideTextDocumentContent(): string {
    return this.text;
  }

  set(text: string): vscode.Uri {
    this.text = text;
    this.changed.fire(this.uri);
    return this.uri;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export async function showImpact(
  client: LanguageClient | undefined,
  provider: ImpactProvider,
  log: vscode.LogOutputChannel,
  uri?: string,
): Promise<void> {
  if (!client || !client.isRunning()) {
    void vscode.window.showErrorMessage('stack-lsp: the server is not running.', 'Show output').then((choice) => {
      if (choice) log.show(true);
    });
    return;
  }
  const editor = vscode.window.activeTextEditor;
  const target =
    uri ??
    (editor && editor.document.uri.scheme === 'file'
      ? client.code2ProtocolConverter.asUri(editor.document.uri)
      : undefined);
  const base = vscode.workspace.getConfiguration('stackLsp').get<string>('impact.base', 'saved');
  try {
    const result = (await client.sendRequest(ExecuteCommandRequest.type, {
      command: IMPACT_COMMAND,
      arguments: target ? [{ uri: target, base }] : [{ base }],
    })) as ImpactResult | null;
    const shown = provider.set(result?.text ?? '# stack-lsp: no answer from the server\n');
    const doc = await vscode.workspace.openTextDocument(shown);
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`${IMPACT_COMMAND} failed: ${message}`);
    void vscode.window
      .showErrorMessage(`stack-lsp: Show impact failed: ${message}`, 'Show output')
      .then((choice) => {
        if (choice) log.show(true);
      });
  }
}
