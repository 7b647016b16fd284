/**
 * `npm start`: the extension running in a real VS Code (the cached code-server,
 * VS Code 1.100) with the sample organization, no key needed. Prints the URL to
 * open in a browser and runs until Ctrl+C.
 */
import { DEMO_ENV, DEMO_USER_SETTINGS } from '../test/harness/demoWorkbench';
import { REPO_ROOT, freePort, startVSCodeServer } from '../test/harness/vscodeServer';

async function main(): Promise<void> {
  const wanted = Number(process.env.PORT ?? 8765);
  const port = (await isFree(wanted)) ? wanted : await freePort();
  const server = await startVSCodeServer({
    port,
    // Sample mode: the extension shows the built-in sample organization when no key is set.
    env: { ...DEMO_ENV },
    userSettings: { ...DEMO_USER_SETTINGS },
  });
  const url = server.pageUrl({ extensionDevelopmentPath: REPO_ROOT });
  process.stdout.write(`\nOpenAI Audit Logs is running in VS Code ${'1.100'} with the sample organization.\n`);
  process.stdout.write(`Open this URL in a browser (the shield icon in the activity bar opens the Events view):\n\n  ${url}\n\nPress Ctrl+C to stop.\n`);
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function isFree(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
