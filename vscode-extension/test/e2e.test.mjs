// End-to-end test of the packaged extension in a real VS Code (code-server) against the real
// server, driven through the UI in headless Chromium. The server runs in bundled mode, as a user
// who installed only the .vsix gets it: the packages bundled in the extension, run by a Python
// that has no site-packages at all (`python3 -S`), so nothing installed can stand in for them.
// Run by `npm test` (scripts/test.sh), which builds the platform's .vsix first (scripts/build.sh).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ARTIFACTS, EXT_DIR, ensureDeps, launchBrowser, startCodeServer, Workbench } from './harness.mjs';
import { BROKEN_IMPORT, pickTargets, prepareWorkspace } from './workspace.mjs';

const VSIX =
  process.env.STACK_LSP_VSIX ?? path.join(EXT_DIR, '..', 'dist', `stack-lsp-${process.platform}-${process.arch}.vsix`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A Python >= 3.11 without site-packages: it can import stack_lsp only from the bundled libs. */
function barePython(dir) {
  const python = path.join(dir, 'python-without-stack-lsp');
  fs.writeFileSync(python, '#!/bin/sh\nexec python3 -S "$@"\n', { mode: 0o755 });
  const probe = spawnSync(python, ['-c', 'import stack_lsp'], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: '' } });
  assert.notEqual(probe.status, 0, `${python} imports stack_lsp by itself: the test would not show the bundled mode`);
  return python;
}

/** The settings of the run: the bundled server with a bare Python, or a server command for
 * harness development. */
function serverSettings(python) {
  const settings = { 'stackLsp.trace.server': 'messages' };
  if (process.env.STACK_LSP_E2E_SERVER_COMMAND) {
    settings['stackLsp.server.command'] = JSON.parse(process.env.STACK_LSP_E2E_SERVER_COMMAND);
  } else {
    settings['stackLsp.server.pythonPath'] = python;
  }
  return settings;
}

describe('stack-lsp in VS Code (code-server)', { timeout: 600000 }, () => {
  let server;
  let browser;
  let wb;
  let ws;
  let targets;
  let bare;
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run scripts/build.sh first`);
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    bare = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-lsp-python-'));
    const settings = serverSettings(barePython(bare));
    const deps = ensureDeps();
    ws = prepareWorkspace();
    targets = pickTargets(ws);
    fs.writeFileSync(path.join(ARTIFACTS, 'targets.json'), JSON.stringify({ workspace: ws.dir, ...targets }, null, 2));
    server = await startCodeServer({
      deps,
      vsix: VSIX,
      folder: ws.dir,
      settings,
      logFile: path.join(ARTIFACTS, 'code-server.log'),
    });
    console.log(`# code-server up at ${server.url} (${elapsed()})`);
    browser = await launchBrowser();
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(30000);
    wb = new Workbench(page);
    await wb.open(server.url);
    console.log(`# workbench loaded (${elapsed()})`);
  });

  after(async () => {
    if (wb) await wb.screenshot('final').catch(() => undefined);
    // Keep the extension host's logs (the stack-lsp output channel is among them).
    if (server) {
      const logs = path.join(server.userData, 'logs');
      if (fs.existsSync(logs)) fs.cpSync(logs, path.join(ARTIFACTS, 'vscode-logs'), { recursive: true });
    }
    await browser?.context.close().catch(() => undefined);
    await server?.stop();
    if (browser) fs.rmSync(browser.profile, { recursive: true, force: true });
    if (server) fs.rmSync(server.root, { recursive: true, force: true });
    if (ws) fs.rmSync(ws.dir, { recursive: true, force: true });
    if (bare) fs.rmSync(bare, { recursive: true, force: true });
  });

  it('activates on atmos.yaml and starts the server (status bar item)', async () => {
    await wb.openFile(targets.stack.file);
    const deadline = Date.now() + 90000;
    let status = '';
    while (Date.now() < deadline) {
      status = await wb.statusText();
      if (status && !/starting|not running/.test(status) && !/sync~spin|Indexing|indexing/i.test(status)) break;
      if (/not running/.test(status)) break;
      await sleep(500);
    }
    await wb.screenshot('status-bar');
    const notes = await wb.notifications();
    assert.ok(status.includes('stack-lsp'), `status bar item: ${JSON.stringify(status)}`);
    assert.ok(!/not running/.test(status), `server not running: ${status}; notifications: ${JSON.stringify(notes)}`);
    const history = await wb.statusHistory();
    console.log(`# status bar item showed: ${JSON.stringify(history)}`);
    assert.ok(
      history.some((t) => /stack-lsp: indexing/i.test(t)),
      `indexing progress in the status bar: ${JSON.stringify(history)}`,
    );
  });

  it('hovering a value shows its source layer', async () => {
    const h = targets.hover;
    await wb.openFile(h.file);
    await wb.gotoLine(h.line, h.column);
    const text = await wb.hoverText({ contains: /\.ya?ml(:\d+)?/ });
    await wb.screenshot('hover');
    console.log(`# hover on ${h.key} in ${h.file}:${h.line}: ${JSON.stringify(text.slice(0, 400))}`);
    assert.match(text, new RegExp(h.key.replace(/[-]/g, '\\-')));
    // The source: the layer's file and line, as a path relative to the stacks base path.
    const source = h.file.split('/').slice(1).join('/');
    assert.ok(text.includes(`${source}:${h.line}`), `hover names the source ${source}:${h.line}`);
    // The Terraform variable the value feeds: its type and where it is declared.
    assert.match(text, new RegExp(`variable ${h.key} — type \\S+`), 'the declaration');
    assert.match(text, /variables\.tf:\d+/, 'a link to the variable block');
    await wb.escape();
  });

  it('hovering a map names the layer of each of its values', async () => {
    const h = targets.hover;
    const lines = fs.readFileSync(path.join(ws.dir, h.file), 'utf8').split('\n');
    let line = h.line - 1;
    while (line > 0 && !/^\s+vars:\s*$/.test(lines[line])) line -= 1;
    assert.ok(line > 0, `a vars: map above ${h.file}:${h.line}`);
    await wb.openFile(h.file);
    await wb.gotoLine(line + 1, lines[line].indexOf('vars') + 2);
    const text = await wb.hoverText({ contains: /merged from \d+ files/ });
    await wb.screenshot('hover-map');
    console.log(`# hover on vars: in ${h.file}:${line + 1}: ${JSON.stringify(text.slice(0, 600))}`);
    const files = new Set([...text.matchAll(/([\w./-]+\.ya?ml):\d+/g)].map((m) => m[1]));
    assert.ok(files.size >= 2, `several layers named: ${[...files].join(', ')}`);
    await wb.escape();
  });

  it('go to definition on an import opens that file', async () => {
    const d = targets.definition;
    await wb.openFile(d.file);
    await wb.gotoLine(d.line, d.column);
    await wb.page.keyboard.press('F12');
    const label = await wb.waitForActiveTab(path.basename(d.target));
    await sleep(500);
    await wb.screenshot('definition');
    const crumbs = await wb.page.locator('.editor-group-container.active .breadcrumbs-control').first().innerText().catch(() => '');
    console.log(`# F12 on ${d.path} -> tab ${JSON.stringify(label)} breadcrumbs ${JSON.stringify(crumbs)}`);
    const dirs = path.dirname(d.target).split(path.sep).slice(-2);
    for (const part of dirs) assert.ok(crumbs.includes(part) || label.includes(part), `breadcrumbs ${crumbs} lack ${part}`);
  });

  it('completion in an import list offers a mixin', async () => {
    const c = targets.completion;
    await wb.openFile(c.file);
    await wb.gotoLine(c.line, 1);
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('Home'); // drop auto-indent: type our own indentation
    await wb.page.keyboard.press('Shift+End');
    await wb.page.keyboard.type('  - mixins/');
    await sleep(300);
    const labels = await wb.suggestions({ contains: /mixins\// });
    await wb.screenshot('completion');
    console.log(`# completion offers ${labels.length}: ${JSON.stringify(labels.slice(0, 5))}`);
    assert.ok(labels.some((l) => /mixins\/[\w-]+/.test(l)), `no mixin in ${JSON.stringify(labels)}`);
    await wb.escape();
    // Leave the file as it was.
    await wb.command('File: Revert File');
  });

  it('a broken stack that is not open shows its diagnostic in the Problems panel', async () => {
    // Workspace diagnostics (workspace/diagnostic): the whole tree's findings, files never opened.
    // The next test is the first to open the broken stack.
    const rows = await wb.problems({ contains: /does-not-exist-e2e/ });
    const row = rows.find((r) => r.includes('does-not-exist-e2e'));
    assert.match(row, /STK101/, `the closed stack's missing import: ${row}`);
    await wb.escape();
  });

  it('a broken file shows its diagnostic in the Problems panel', async () => {
    await wb.openFile(targets.broken.file);
    const rows = await wb.problems({ contains: /does-not-exist-e2e/ });
    await wb.screenshot('problems');
    console.log(`# problems: ${JSON.stringify(rows.slice(0, 5))}`);
    const row = rows.find((r) => r.includes('does-not-exist-e2e'));
    assert.match(row, /STK\d{3}/, `diagnostic has a stable STK code: ${row}`);
    assert.ok(row.includes(BROKEN_IMPORT));
    // The status bar item counts the server's errors.
    const deadline = Date.now() + 15000;
    let status = await wb.statusText();
    while (!/\d+ stack-lsp/.test(status) && Date.now() < deadline) {
      await sleep(500);
      status = await wb.statusText();
    }
    assert.match(status, /[1-9]\d* stack-lsp/, `status bar shows the error count: ${status}`);
    await wb.escape();
  });

  it('Check workspace runs the checker and shows its summary', async () => {
    await wb.command('stack-lsp: Check workspace');
    const message = wb.page.locator('.notification-toast .notification-list-item-message', { hasText: 'stack-lsp check:' });
    await message.first().waitFor({ state: 'visible', timeout: 60000 });
    await sleep(600); // let the toast finish fading in for the screenshot
    const text = await message.first().innerText();
    await wb.screenshot('check-workspace');
    console.log(`# ${text}`);
    assert.match(text, /stack-lsp check: [1-9]\d* errors?, \d+ warnings?/);
    assert.match(text, /stacks? checked/);
    await wb.command('Notifications: Clear All Notifications').catch(() => undefined);
  });

  it('Show impact of unsaved edits opens the report after a mixin edit', async () => {
    const rel = 'stacks/mixins/regions/us-west-2.yaml';
    const lines = fs.readFileSync(path.join(ws.dir, rel), 'utf8').split('\n');
    const line = lines.findIndex((l) => /^\s+short_name:\s*usw2\s*$/.test(l));
    assert.ok(line >= 0, `short_name in ${rel}`);
    await wb.openFile(rel);
    await wb.gotoLine(line + 1, 1);
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.type('x'); // usw2 -> usw2x, unsaved
    await sleep(500);
    await wb.command('stack-lsp: Show impact of unsaved edits');
    const deadline = Date.now() + 60000;
    let label = '';
    let text = '';
    while (Date.now() < deadline) {
      label = await wb.activeTabLabel().catch(() => '');
      text = label.includes('impact') ? await wb.visibleEditorText().catch(() => '') : '';
      if (text.includes('usw2x')) break;
      await sleep(500);
    }
    await wb.screenshot('impact');
    console.log(`# impact tab ${JSON.stringify(label)}:\n${text.split('\n').slice(0, 8).join('\n')}`);
    assert.ok(label.includes('impact'), `active tab ${label}`);
    assert.match(text, /stack \S+/, 'the report names the stacks the edit changes');
    assert.match(text, /short_name: "usw2" → "usw2x"/, 'old → new value');
    // Leave the mixin as it was.
    await wb.openFile(rel);
    await wb.command('File: Revert File');
  });

  it('Show merged component opens the virtual document', async () => {
    const c = targets.component;
    await wb.openFile(c.file);
    await wb.gotoLine(c.line, c.column + 1);
    await wb.command('stack-lsp: Show merged component');
    // Either a quick pick of stacks (component in a shared file) or the document directly.
    const pick = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
    const deadline = Date.now() + 60000;
    let label = '';
    while (Date.now() < deadline) {
      label = await wb.activeTabLabel().catch(() => '');
      if (label.includes(`${c.name}.merged.yaml`)) break;
      if (await pick.isVisible().catch(() => false)) {
        await wb.screenshot('merged-quick-pick');
        const stack = await pick.getAttribute('aria-label');
        console.log(`# quick pick offers stacks, picking ${stack}`);
        await wb.page.keyboard.press('Enter');
      }
      await sleep(300);
    }
    await sleep(800);
    await wb.screenshot('merged-component');
    const text = await wb.visibleEditorText();
    console.log(`# merged document tab ${JSON.stringify(label)}:\n${text.split('\n').slice(0, 12).join('\n')}`);
    assert.ok(label.includes(`${c.name}.merged.yaml`), `active tab ${label}`);
    assert.match(text, /#.*\.ya?ml:\d+/, 'provenance comments (# file:line)');
    // Read-only: typing does nothing to a virtual document.
    const before = text;
    await wb.page.keyboard.type('x');
    await sleep(300);
    assert.equal(await wb.visibleEditorText(), before);
  });

  it('YAML syntax errors: shown without Red Hat YAML, hidden with stackLsp.diagnostics.yamlSyntax=hide', async () => {
    await wb.openFile(targets.syntax.file);
    const rows = await wb.problems({ contains: /STK001/ });
    await wb.screenshot('syntax-error');
    console.log(`# syntax: ${JSON.stringify(rows.filter((r) => r.includes('STK001')).map((r) => r.split(' | ')[0]))}`);
    server.setSettings({ 'stackLsp.diagnostics.yamlSyntax': 'hide' }); // restarts the server
    const deadline = Date.now() + 60000;
    let texts = rows;
    while (Date.now() < deadline) {
      await sleep(1000);
      const status = await wb.statusText();
      texts = await wb.page
        .locator('.markers-panel .monaco-list-row')
        .evaluateAll((els) => els.map((e) => e.textContent || ''))
        .catch(() => []);
      if (!/starting/.test(status) && !texts.some((t) => t.includes('STK001'))) break;
    }
    assert.ok(!texts.some((t) => t.includes('STK001')), `STK001 still shown: ${JSON.stringify(texts)}`);
    server.setSettings({});
    await wb.escape();
  });

  it('preferring an installed stack-lsp that is not there gives the install command; back to bundled recovers', async () => {
    // The same bare Python, now asked to have the package itself.
    server.setSettings({ 'stackLsp.server.importStrategy': 'fromEnvironment' });
    const toast = wb.page.locator('.notification-toast', { hasText: 'is not installed' }).first();
    await toast.waitFor({ state: 'visible', timeout: 60000 });
    await sleep(600);
    await wb.screenshot('missing-package');
    const text = await toast.innerText();
    console.log(`# ${text.replace(/\s+/g, ' ')}`);
    assert.match(text, /pip install/);
    assert.match(text, /python-without-stack-lsp -m pip install stack-lsp/);
    assert.match(await wb.statusText(), /not running/);
    await toast.getByRole('button', { name: 'Show output' }).click();
    const output = wb.page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first();
    await output.waitFor({ state: 'visible', timeout: 15000 });
    await wb.screenshot('missing-package-output');

    // Back to the bundled server: the settings change restarts the server; so does the command.
    server.setSettings({});
    await wb.command('stack-lsp: Restart server');
    const deadline = Date.now() + 60000;
    let status = '';
    while (Date.now() < deadline) {
      status = await wb.statusText();
      if (/stack-lsp/.test(status) && !/not running|starting/.test(status)) break;
      await sleep(500);
    }
    assert.ok(!/not running|starting/.test(status), `status after restart: ${status}`);
  });
});
