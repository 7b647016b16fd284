/**
 * Installs (once, cached outside the repository: see {@link serverCacheDir}) and starts a real VS Code
 * server (code-server from the npm registry) that the integration and end-to-end tiers and `npm start`
 * drive through a browser. Nothing here downloads from outside the npm
 * registry: code-server's own postinstall would fetch ripgrep from GitHub, so we
 * run the install steps ourselves and link Debian's `rg` instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Where the server is installed: `$OAL_VSCODE_SERVER_CACHE`, else `$XDG_CACHE_HOME/openai-audit-logs-vscode`
 * (`~/.cache/…`). Never inside the extension's folder: VS Code (1.100, web) takes every theme found under
 * the extension-development folder for the developed extension's own and applies the first one of the
 * current (light, in a browser) kind, so with the server's built-in themes under the repository
 * `npm start` and the tests came up Light+ whatever `workbench.colorTheme` said.
 */
export function serverCacheDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const dir = env['OAL_VSCODE_SERVER_CACHE'] || path.join(env['XDG_CACHE_HOME'] || path.join(home, '.cache'), 'openai-audit-logs-vscode');
  const resolved = path.resolve(dir);
  const inRepo = path.relative(REPO_ROOT, resolved);
  if (inRepo === '' || (!inRepo.startsWith('..') && !path.isAbsolute(inRepo))) {
    throw new Error(`The VS Code server cache (${resolved}) must be outside the extension's folder (${REPO_ROOT}): its built-in themes would be taken for the extension's own.`);
  }
  return resolved;
}

const CACHE_DIR = serverCacheDir();
const INSTALL_DIR = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
const READY_MARK = path.join(INSTALL_DIR, '.install-complete');
/** Where earlier versions of this harness installed the server (inside the repository); moved out when found. */
const OLD_INSTALL_DIR = path.join(REPO_ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);

function run(cmd: string, args: string[], cwd: string, allowFailure = false): void {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, npm_config_yes: 'true' } });
  if (r.status !== 0 && !allowFailure) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${r.status}):\n${(r.stderr || r.stdout).slice(-4000)}`);
  }
  log(`  ${cmd} ${args.join(' ')} (${((Date.now() - started) / 1000).toFixed(1)} s${r.status !== 0 ? `, exit ${r.status}, tolerated` : ''})`);
}

function log(line: string): void {
  process.stderr.write(`[vscode-server] ${line}\n`);
}

function findRipgrep(): string {
  for (const candidate of ['/usr/bin/rg', '/usr/local/bin/rg']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error("ripgrep ('rg') is missing: install Debian's package with `apt-get install -y ripgrep`.");
}

/** Returns the code-server folder, installing it on first use. */
export function ensureVSCodeServer(): string {
  if (fs.existsSync(READY_MARK)) return INSTALL_DIR;
  if (moveOldInstall()) return INSTALL_DIR;
  log(`installing code-server ${CODE_SERVER_VERSION} (VS Code 1.100) into ${INSTALL_DIR} — first run only`);
  fs.rmSync(INSTALL_DIR, { recursive: true, force: true });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const work = fs.mkdtempSync(path.join(CACHE_DIR, 'pack-'));
  try {
    run('npm', ['pack', `code-server@${CODE_SERVER_VERSION}`, '--silent'], work);
    const tgz = fs.readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error('npm pack produced no tarball');
    run('tar', ['xzf', tgz], work);
    fs.renameSync(path.join(work, 'package'), INSTALL_DIR);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const vscodeDir = path.join(INSTALL_DIR, 'lib', 'vscode');
  const npmInstall = ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
  run('npm', npmInstall, INSTALL_DIR);
  run('npm', npmInstall, vscodeDir);
  run('npm', npmInstall, path.join(vscodeDir, 'extensions'));
  run('npm', ['rebuild', 'argon2'], INSTALL_DIR);
  // node-pty's extra post-install step fails after pty.node is built; the build is what matters.
  run('npm', ['rebuild', 'kerberos', '@vscode/spdlog', 'native-watchdog', 'node-pty'], vscodeDir, true);
  const ptyBuilt = path.join(vscodeDir, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node');
  if (!fs.existsSync(ptyBuilt)) throw new Error(`node-pty did not build (${ptyBuilt} missing)`);
  const rgBin = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  fs.mkdirSync(rgBin, { recursive: true });
  fs.rmSync(path.join(rgBin, 'rg'), { force: true });
  fs.symlinkSync(findRipgrep(), path.join(rgBin, 'rg'));
  const asar = path.join(vscodeDir, 'node_modules.asar');
  if (!fs.existsSync(asar)) fs.symlinkSync('node_modules', asar);
  fs.writeFileSync(READY_MARK, new Date().toISOString());
  return INSTALL_DIR;
}

/** An install left inside the repository by an earlier harness moves to the cache (same file system only). */
function moveOldInstall(): boolean {
  if (!fs.existsSync(path.join(OLD_INSTALL_DIR, '.install-complete'))) return false;
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    fs.rmSync(INSTALL_DIR, { recursive: true, force: true });
    fs.renameSync(OLD_INSTALL_DIR, INSTALL_DIR);
    log(`moved code-server ${CODE_SERVER_VERSION} from ${path.relative(REPO_ROOT, OLD_INSTALL_DIR)} to ${INSTALL_DIR}`);
    return true;
  } catch {
    return false; // another file system: install afresh
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface VSCodeServerOptions {
  /** User settings written to <user-data-dir>/User/settings.json before start. */
  userSettings?: Record<string, unknown>;
  /** Extra environment for the server (and so for the extension host). */
  env?: Record<string, string | undefined>;
  /** Folder to install a .vsix into before start. */
  installVsix?: string;
  /** Echo the server's output (for `npm start`). */
  verbose?: boolean;
  port?: number;
  /**
   * A folder to keep user data, extensions and workspace in, so a second server started on it finds the
   * first one's state (globalStorage, settings, workspace). Created when missing; stop() leaves it, and
   * the caller removes it. Without it each server gets a fresh temporary folder that stop() removes.
   */
  baseDir?: string;
}

export interface RunningVSCodeServer {
  readonly url: string;
  readonly port: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly workspaceDir: string;
  /** The server's process id (the leader of its process group; extension hosts are its descendants). */
  readonly pid: number;
  /** Browser URL that opens the workspace, optionally running an extension in development mode and a test suite. */
  pageUrl(opts?: { extensionDevelopmentPath?: string; extensionTestsPath?: string; folder?: string }): string;
  stop(): Promise<void>;
}

export async function startVSCodeServer(options: VSCodeServerOptions = {}): Promise<RunningVSCodeServer> {
  const root = ensureVSCodeServer();
  const port = options.port ?? (await freePort());
  const base = options.baseDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'oal-vscode-'));
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  const workspaceDir = path.join(base, 'workspace');
  for (const d of [path.join(userDataDir, 'User'), extensionsDir, workspaceDir]) fs.mkdirSync(d, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    'workbench.enableExperiments': false,
    'chat.disableAIFeatures': true,
    ...options.userSettings,
  };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const entry = path.join(root, 'out', 'node', 'entry.js');
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  if (options.installVsix) {
    run(process.execPath, [entry, ...common, '--install-extension', options.installVsix], REPO_ROOT);
  }
  const args = [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, ...common,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'];
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const [k, v] of Object.entries(options.env ?? {})) if (v === undefined) delete env[k];
  // Its own process group: the server forks extension hosts and watchers that outlive it (a remote
  // extension host waits hours for its window to reconnect), so stop() ends the whole group.
  const child: ChildProcess = spawn(process.execPath, args, { cwd: workspaceDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  const killOnExit = () => killGroup('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  const collect = (b: Buffer) => {
    const s = b.toString();
    output = (output + s).slice(-20000);
    if (options.verbose) process.stderr.write(s);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url + '/healthz', child, () => output);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    // Whatever the server forked and left behind (extension host, file watcher, pty host).
    killGroup('SIGKILL');
    process.removeListener('exit', killOnExit);
    if (!options.baseDir) fs.rmSync(base, { recursive: true, force: true, maxRetries: 3 });
  };
  return {
    url,
    port,
    userDataDir,
    extensionsDir,
    workspaceDir,
    pid: child.pid!,
    pageUrl(opts = {}) {
      const folder = opts.folder ?? workspaceDir;
      const payload: [string, string][] = [['skipWelcome', 'true']];
      if (opts.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${opts.extensionDevelopmentPath}`]);
      if (opts.extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${opts.extensionTestsPath}`]);
      return `${url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
    stop,
  };
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`code-server did not answer at ${url} within 60 s:\n${output()}`);
}
