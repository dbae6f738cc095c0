// Prepares the workspace the e2e opens (a copy of the repo's atmos.yaml + stack tree in a temp
// dir, so that the broken file added for the diagnostics check never dirties the repo) and picks
// the places in it to hover, jump from, complete in and describe.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './harness.mjs';

export const BROKEN_IMPORT = 'mixins/does-not-exist-e2e';

function read(p) {
  return fs.readFileSync(p, 'utf8');
}

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

/** `stacks.base_path` of an atmos.yaml (top-level `base_path` prefix included), loosely parsed. */
function stacksBasePath(atmosYaml) {
  const text = read(atmosYaml);
  const top = /^base_path:\s*["']?([^"'\n#]*)["']?/m.exec(text)?.[1]?.trim() || '';
  const m = /^stacks:\s*\n(?:[ \t]+.*\n)*?[ \t]+base_path:\s*["']?([^"'\n#]+)["']?/m.exec(text);
  const stacks = m ? m[1].trim() : 'stacks';
  return path.normalize(path.join(top === '.' ? '' : top, stacks));
}

/** Copies the source workspace (default: the repo root) into a temp dir. */
export function prepareWorkspace(source = process.env.STACK_LSP_E2E_WORKSPACE || REPO) {
  const atmos = path.join(source, 'atmos.yaml');
  if (!fs.existsSync(atmos)) throw new Error(`no atmos.yaml in ${source}`);
  const base = stacksBasePath(atmos);
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-lsp-ws-'));
  fs.copyFileSync(atmos, path.join(dest, 'atmos.yaml'));
  const top = base.split(path.sep)[0];
  fs.cpSync(path.join(source, top), path.join(dest, top), { recursive: true });
  // Component folders / schemas the atmos.yaml may point at, when they exist.
  for (const extra of ['components', 'schemas']) {
    if (extra !== top && fs.existsSync(path.join(source, extra))) {
      fs.cpSync(path.join(source, extra), path.join(dest, extra), { recursive: true });
    }
  }
  return { dir: dest, stacksDir: path.join(dest, base), base };
}

function importsOf(text) {
  const lines = text.split('\n');
  const out = [];
  let inImport = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^import:\s*$/.test(line)) {
      inImport = true;
      continue;
    }
    if (inImport) {
      const m = /^(\s*-\s*)["']?([^"'#\s]+)["']?\s*(#.*)?$/.exec(line);
      if (m) out.push({ line: i + 1, column: m[1].length + 1, path: m[2], text: line });
      else if (/^\S/.test(line)) inImport = false;
    }
  }
  return out;
}

function resolveImport(stacksDir, p) {
  for (const cand of [p, `${p}.yaml`, `${p}.yml`]) {
    const full = path.join(stacksDir, cand);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return full;
  }
  return undefined;
}

/**
 * First `key: scalar` under a `vars:` block (with `nested`, only a component's `vars:`, indented
 * under components.terraform.NAME): {line, column} of the value, 1-based.
 */
function findVarValue(text, nested = false) {
  return findVarValues(text, nested)[0];
}

function findVarValues(text, nested = false) {
  const found = [];
  const lines = text.split('\n');
  let varsIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const vars = /^(\s*)vars:\s*$/.exec(line);
    if (vars && (!nested || vars[1].length >= 6)) {
      varsIndent = vars[1].length;
      continue;
    }
    if (varsIndent >= 0) {
      const m = /^(\s*)([A-Za-z_][\w-]*):\s+([^\s#{[|>][^#]*?)\s*(#.*)?$/.exec(line);
      if (m && m[1].length > varsIndent) {
        found.push({ line: i + 1, column: m[1].length + m[2].length + 3, key: m[2], value: m[3] });
        continue;
      }
      if (line.trim() && !line.trim().startsWith('#') && /^(\s*)/.exec(line)[1].length <= varsIndent) varsIndent = -1;
    }
  }
  return found;
}

/** A component key under components.terraform: {line, column, name}. */
function findComponent(text) {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length - 2; i++) {
    if (/^components:\s*$/.test(lines[i])) {
      for (let j = i + 1; j < lines.length; j++) {
        if (/^\s+terraform:\s*$/.test(lines[j])) {
          const m = /^(\s+)([\w./-]+):\s*$/.exec(lines[j + 1] ?? '');
          if (m) return { line: j + 2, column: m[1].length + 1, name: m[2] };
        }
        if (/^\S/.test(lines[j])) break;
      }
    }
  }
  return undefined;
}

/** Picks the e2e's targets in the stack tree. */
export function pickTargets(ws) {
  const files = walk(ws.stacksDir);
  const rel = (p) => path.relative(ws.dir, p);
  const stackFiles = files.filter((f) => /_stack\.ya?ml$/.test(f) && f.includes(`${path.sep}deployments${path.sep}`));
  const preferred = path.join(ws.stacksDir, 'deployments/fnx/production/us-west-2/prod-01/_stack.yaml');
  const ordered = [preferred, ...stackFiles.filter((f) => f !== preferred)].filter((f) => fs.existsSync(f));
  // Stack file with an import that exists, preferring one that imports a mixin.
  let stack;
  for (const f of ordered) {
    const imps = importsOf(read(f)).filter((i) => resolveImport(ws.stacksDir, i.path));
    if (imps.length) {
      stack = { file: f, imports: imps };
      break;
    }
  }
  if (!stack) throw new Error(`no stack file with resolvable imports under ${ws.stacksDir}`);
  const definition = stack.imports.find((i) => i.path.startsWith('mixins/')) ?? stack.imports[0];
  definition.target = resolveImport(ws.stacksDir, definition.path);

  // A value to hover: in the stack file, its overrides, or the files it imports.
  const candidates = [
    stack.file,
    ...walk(path.dirname(stack.file)).filter((f) => f !== stack.file),
    ...stack.imports.map((i) => resolveImport(ws.stacksDir, i.path)),
  ];
  // Prefer a component var in the environment's overrides (several layers under it).
  const overrides = candidates.filter((f) => f.includes(`${path.sep}overrides${path.sep}`)).sort((a, b) =>
    path.basename(a) === 'vpc.yaml' ? -1 : path.basename(b) === 'vpc.yaml' ? 1 : a.localeCompare(b),
  );
  // Best: a var that a catalog file also sets (the hover then lists the layers it overrode).
  const catalogText = files.filter((f) => f.includes(`${path.sep}catalogs${path.sep}`)).map(read).join('\n');
  let hover;
  for (const f of overrides) {
    const v = findVarValues(read(f), true).find((x) => new RegExp(`^\\s+${x.key}:`, 'm').test(catalogText));
    if (v) {
      hover = { file: f, ...v };
      break;
    }
  }
  for (const [f, nested] of [...overrides.map((f) => [f, true]), ...candidates.map((f) => [f, true]), ...candidates.map((f) => [f, false])]) {
    const v = hover ? undefined : findVarValue(read(f), nested);
    if (v) {
      hover = { file: f, ...v };
      break;
    }
  }
  if (!hover) throw new Error('no vars value to hover');

  // A component to describe: a catalog file (many stacks: quick pick) or the stack file.
  let component;
  const catalogs = files.filter((f) => f.includes(`${path.sep}catalogs${path.sep}`)).sort();
  for (const f of [...stack.imports.map((i) => resolveImport(ws.stacksDir, i.path)), ...catalogs, stack.file]) {
    const c = findComponent(read(f));
    if (c) {
      component = { file: f, ...c };
      break;
    }
  }
  if (!component) throw new Error('no component under components.terraform found');

  // The import list to complete in: the stack file's last import line.
  const last = stack.imports[stack.imports.length - 1];

  // A broken stack: a copy of the stack file under another environment name whose first import
  // does not exist (relative imports of the original that would not resolve from there dropped).
  const brokenDir = path.join(path.dirname(stack.file), '..', 'e2e-broken');
  fs.mkdirSync(brokenDir, { recursive: true });
  const brokenFile = path.join(brokenDir, path.basename(stack.file));
  const unresolvedRelative = (l) => {
    const m = /^\s*-\s*["']?(\.{1,2}\/[^"'#\s]*)/.exec(l);
    return m && !['', '.yaml', '.yml'].some((ext) => fs.existsSync(path.join(brokenDir, m[1] + ext)) && fs.statSync(path.join(brokenDir, m[1] + ext)).isFile());
  };
  const brokenText = read(stack.file)
    .split('\n')
    .filter((l) => !unresolvedRelative(l))
    .join('\n')
    .replace(/^import:\s*\n/m, `import:\n  - ${BROKEN_IMPORT}\n`)
    .replace(/^(\s+environment:\s*)\S+/m, '$1e2e-broken');
  fs.writeFileSync(brokenFile, brokenText);

  // A file with a YAML syntax error (STK001), for the Red Hat YAML split.
  const syntaxFile = path.join(ws.stacksDir, 'mixins', 'e2e-syntax-error.yaml');
  fs.writeFileSync(syntaxFile, 'vars:\n  zones: [a, b\n');

  return {
    syntax: { file: rel(syntaxFile) },
    stack: { file: rel(stack.file) },
    definition: { file: rel(stack.file), line: definition.line, column: definition.column + 2, path: definition.path, target: rel(definition.target) },
    hover: { ...hover, file: rel(hover.file) },
    completion: { file: rel(stack.file), line: last.line },
    broken: { file: rel(brokenFile) },
    component: { ...component, file: rel(component.file) },
  };
}
