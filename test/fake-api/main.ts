/**
 * The fake audit-log API with the sample organization, for manual use:
 *
 *   npx tsx test/fake-api/main.ts --port 0 --events 400 --key sk-admin-demo
 *
 * Options: --port N (0 = any free port), --events N, --seed N, --span-days N,
 * --key KEY (omit to accept any key; --no-auth does the same), --latency MS,
 * --fault-every N (a 503 on every N-th request). Prints the base URL and runs
 * until Ctrl+C.
 */
import { SAMPLE_DEMO_EVENT_COUNT, generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer } from '../../src/core/sample/loopbackServer';

interface CliOptions {
  port: number;
  events: number;
  seed?: number;
  spanDays?: number;
  key?: string;
  latency: number;
  faultEvery?: number;
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { port: 0, events: SAMPLE_DEMO_EVENT_COUNT, key: 'sk-admin-demo', latency: 0 };
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a non-negative number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--port':
        options.port = number(flag, argv[++i]);
        break;
      case '--events':
        options.events = number(flag, argv[++i]);
        break;
      case '--seed':
        options.seed = number(flag, argv[++i]);
        break;
      case '--span-days':
        options.spanDays = number(flag, argv[++i]);
        break;
      case '--latency':
        options.latency = number(flag, argv[++i]);
        break;
      case '--fault-every':
        options.faultEvery = number(flag, argv[++i]);
        break;
      case '--key': {
        const key = argv[++i];
        if (!key) throw new Error('--key needs a value');
        options.key = key;
        break;
      }
      case '--no-auth':
        delete options.key;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2));
  const started = performance.now();
  const sample = generateSampleOrganization({ eventCount: options.events, seed: options.seed, spanDays: options.spanDays });
  const generatedMs = performance.now() - started;
  const server = await startFakeAuditLogServer({
    events: sample.events,
    apiKey: options.key,
    latencyMs: options.latency,
    port: options.port,
    faults: options.faultEvery ? { every: options.faultEvery, fault: { kind: '503' } } : undefined,
  });
  process.stdout.write(
    `Fake OpenAI audit-log API: ${server.url}\n` +
      `  ${sample.events.length} events of ${sample.org.name} (${generatedMs.toFixed(0)} ms to generate), ` +
      `${options.key ? `Admin key: ${options.key}` : 'any key accepted'}\n` +
      `  try: curl -H "Authorization: Bearer ${options.key ?? 'sk-admin-anything'}" "${server.url}/organization/audit_logs?limit=2"\n` +
      `Ctrl+C to stop.\n`,
  );
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
