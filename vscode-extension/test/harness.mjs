// Drives a real VS Code (code-server from npm) in headless Chromium through playwright-core.
// Used by e2e.test.mjs; every helper acts as a person would: keyboard, quick open, command
// palette, and reads what is on the screen (hover widget, Problems panel, suggest widget, tabs).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const EXT_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const REPO = path.resolve(EXT_DIR, '..');
export const ARTIFACTS = path.join(EXT_DIR, 'test-artifacts');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs scripts/e2e-vscode-deps.sh (installs chromium, Node 24, code-server when missing). */
export function ensureDeps() {
  const res = spawnSync('bash', [path.join(REPO, 'scripts', 'e2e-vscode-deps.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (res.status !== 0) throw new Error(`scripts/e2e-vscode-deps.sh failed with ${res.status}`);
  const vars = Object.fromEntries(
    res.stdout
      .trim()
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { node24: vars.NODE24, codeServer: vars.CODE_SERVER };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Installs the .vsix into a fresh user-data/extensions dir and starts code-server on `folder`
 * in its own process group. `stop()` kills the whole group (extension hosts outlive the page).
 */
export async function startCodeServer({ deps, vsix, folder, settings = {}, logFile }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-lsp-vscode-'));
  const userData = path.join(root, 'user-data');
  const extensions = path.join(root, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(path.join(userData, 'Machine'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  const base = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'files.autoSave': 'off',
    'editor.hover.delay': 200,
    'editor.quickSuggestions': { other: false, comments: false, strings: false },
    'window.commandCenter': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.layoutControl.enabled': false,
    'git.enabled': false,
    ...settings,
  };
  // User settings, and the remote machine's (machine-scoped settings such as
  // stackLsp.server.pythonPath are only read from there in code-server).
  const setSettings = (extra) => {
    const json = JSON.stringify({ ...base, ...extra }, null, 2);
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), json);
    fs.writeFileSync(path.join(userData, 'Machine', 'settings.json'), json);
  };
  setSettings({});
  const env = {
    ...process.env,
    PATH: `${path.dirname(deps.node24)}:${process.env.PATH}`,
    // code-server reads no config file of the user's
    CODE_SERVER_CONFIG: path.join(root, 'config.yaml'),
  };
  fs.writeFileSync(env.CODE_SERVER_CONFIG, 'auth: none\ncert: false\n');
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  const inst = spawnSync(deps.codeServer, [...common, '--install-extension', vsix], { env, encoding: 'utf8' });
  if (inst.status !== 0 || !/successfully installed/i.test(inst.stdout + inst.stderr)) {
    throw new Error(`installing ${vsix} failed:\n${inst.stdout}\n${inst.stderr}`);
  }
  const port = await freePort();
  const out = fs.openSync(logFile, 'w');
  const child = spawn(
    deps.codeServer,
    [
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      folder,
    ],
    { env, detached: true, stdio: ['ignore', out, out] },
  );
  const stop = async () => {
    for (const sig of ['SIGTERM', 'SIGKILL']) {
      try {
        process.kill(-child.pid, sig);
      } catch {
        return; // group gone
      }
      await sleep(sig === 'SIGTERM' ? 1500 : 200);
    }
  };
  const deadline = Date.now() + 60000;
  for (;;) {
    const log = fs.readFileSync(logFile, 'utf8');
    if (/HTTP server listening/.test(log)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not start:\n${log}`);
    }
    await sleep(200);
  }
  return { url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`, root, userData, stop, setSettings, pid: child.pid };
}

export async function launchBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-lsp-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1500, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { context, profile };
}

/** A page of VS Code, with helpers that act through the UI. */
export class Workbench {
  constructor(page) {
    this.page = page;
    this.shot = 0;
  }

  async open(url) {
    // Record every text the extension's status bar item shows (indexing progress is brief).
    await this.page.addInitScript(() => {
      window.__stackLspStatus = [];
      setInterval(() => {
        const el = document.querySelector('.statusbar-item[id*="stackLsp.status"]');
        const text = el ? el.innerText.trim() : '';
        const seen = window.__stackLspStatus;
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      }, 25);
    });
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    // The explorer shows the folder once the remote file system is up.
    await this.page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60000 });
    await sleep(1000);
  }

  async screenshot(name) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${String(++this.shot).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async escape(times = 1) {
    for (let i = 0; i < times; i++) await this.page.keyboard.press('Escape');
  }

  /** Runs a command from the command palette by its label (e.g. "stack-lsp: Restart server"). */
  async command(label) {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${label}`);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: 20000 });
    await sleep(200);
    await input.press('Enter');
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its tab. */
  async openFile(relPath) {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relPath);
    const base = path.basename(relPath);
    const row = this.page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: base })
      .filter({ hasText: path.dirname(relPath) })
      .first();
    await row.waitFor({ state: 'visible', timeout: 30000 });
    await row.click();
    await this.waitForActiveTab(base);
    await this.parkMouse();
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
    await sleep(300);
  }

  activeTab() {
    return this.page.locator('.editor-group-container.active .tabs-container .tab.active').first();
  }

  async activeTabLabel() {
    return (await this.activeTab().getAttribute('aria-label')) ?? '';
  }

  async waitForActiveTab(text, timeout = 30000) {
    const deadline = Date.now() + timeout;
    let label = '';
    while (Date.now() < deadline) {
      label = await this.activeTabLabel().catch(() => '');
      if (label.includes(text)) return label;
      await sleep(200);
    }
    throw new Error(`active tab is "${label}", expected it to contain "${text}"`);
  }

  /** The active editor's focused text area (for typing). */
  editor() {
    return this.page.locator('.editor-group-container.active .monaco-editor textarea.inputarea, .editor-group-container.active .monaco-editor .native-edit-context').first();
  }

  async focusEditor() {
    await this.command('View: Focus Active Editor Group');
    await sleep(200);
  }

  /** Moves the cursor to 1-based line and column with Go to Line (Ctrl+G). */
  async gotoLine(line, column) {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`); // the ":" prefix selects Go to Line
    await sleep(150);
    await input.press('Enter');
    await sleep(250);
  }

  /** Moves the mouse out of the way (tooltips of tabs and tree items). */
  async parkMouse() {
    const box = await this.page.locator('.part.statusbar').boundingBox();
    if (box) await this.page.mouse.move(box.x + box.width - 5, box.y - 40);
  }

  /** Hovers the mouse over the text at the cursor and returns the editor hover's text. */
  async hoverText({ contains, timeout = 30000 } = {}) {
    const hover = this.page.locator('.editor-group-container.active .monaco-editor .monaco-hover:not(.hidden)').first();
    const cursor = this.page.locator('.editor-group-container.active .monaco-editor .cursor').first();
    const deadline = Date.now() + timeout;
    let text = '';
    while (Date.now() < deadline) {
      await this.parkMouse();
      await sleep(300);
      const box = await cursor.boundingBox();
      if (box) await this.page.mouse.move(box.x + 6, box.y + box.height / 2, { steps: 3 });
      try {
        await hover.waitFor({ state: 'visible', timeout: 4000 });
        await sleep(300);
        text = await hover.innerText();
        if (!contains || contains.test(text)) return text;
      } catch {
        // not yet: the server may still be indexing
      }
      await sleep(1000);
    }
    throw new Error(`no hover${contains ? ` matching ${contains}` : ''}; last hover text: ${JSON.stringify(text)}`);
  }

  /** Triggers suggestions (Ctrl+Space) and returns the labels in the suggest widget. */
  async suggestions({ contains, timeout = 30000 } = {}) {
    const rows = this.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
    const deadline = Date.now() + timeout;
    let labels = [];
    while (Date.now() < deadline) {
      await this.page.keyboard.press('Control+Space');
      try {
        await rows.first().waitFor({ state: 'visible', timeout: 3000 });
        await sleep(300);
        labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') || e.textContent || ''));
        if (!contains || labels.some((l) => contains.test(l))) return labels;
      } catch {
        // no suggestions yet
      }
      await this.page.keyboard.press('Escape');
      await sleep(1000);
    }
    throw new Error(`no suggestion${contains ? ` matching ${contains}` : ''}; last: ${JSON.stringify(labels)}`);
  }

  /** Opens the Problems panel and returns the text of its rows once one matches `contains`. */
  async problems({ contains, timeout = 60000 } = {}) {
    await this.command('View: Focus Problems (Errors, Warnings, Infos)').catch(async () => {
      await this.page.keyboard.press('Control+Shift+M');
    });
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    const deadline = Date.now() + timeout;
    let texts = [];
    while (Date.now() < deadline) {
      texts = await rows
        .evaluateAll((els) => els.map((e) => `${e.textContent || ''} | ${e.getAttribute('aria-label') || ''}`))
        .catch(() => []);
      if (texts.length && (!contains || texts.some((t) => contains.test(t)))) return texts;
      await sleep(500);
    }
    throw new Error(`Problems panel has no row${contains ? ` matching ${contains}` : ''}; rows: ${JSON.stringify(texts)}`);
  }

  /** Text of the visible lines of the active editor. */
  async visibleEditorText() {
    return this.page
      .locator('.editor-group-container.active .monaco-editor .view-lines')
      .first()
      .evaluate((el) => [...el.querySelectorAll('.view-line')]
        .map((l) => ({ top: parseFloat(l.style.top) || 0, text: l.textContent.replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text)
        .join('\n'));
  }

  /** Text of the status bar item of the extension. */
  async statusText() {
    const item = this.page.locator('.statusbar-item[id*="stackLsp.status"]').first();
    return (await item.innerText().catch(() => '')).trim();
  }

  /** Every text the status bar item has shown since the page loaded. */
  async statusHistory() {
    return this.page.evaluate(() => window.__stackLspStatus ?? []);
  }

  /** Texts of the visible notification toasts. */
  async notifications() {
    return this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts().catch(() => []);
  }
}
