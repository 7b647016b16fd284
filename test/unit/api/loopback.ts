/**
 * Small purpose-built HTTP servers on 127.0.0.1 for the client's unit tests,
 * plus builders for audit-log pages in the API's wire format.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { SeededRandom } from '../../../src/core/sample/seededRandom';

export const SECRET_KEY = 'sk-admin-SECRET-abc123';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, index: number) => void;

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** `http://127.0.0.1:<port>/v1`, the base URL to give the client. */
  readonly baseUrl: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts a server that hands each request (with its 0-based index) to `handler`. */
export async function startServer(handler: Handler): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const index = requests.length;
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res, index);
  });
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    baseUrl: `${origin}/v1`,
    port,
    requests,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP server that accepts connections and never says anything. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on which nothing listens (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface WireEvent {
  id: string;
  type: string;
  effective_at: number;
  [key: string]: unknown;
}

export function makeEvent(i: number, effectiveAt = 1_700_000_000 + i): WireEvent {
  return {
    id: `audit_log-${String(i).padStart(5, '0')}`,
    type: 'project.updated',
    effective_at: effectiveAt,
    actor: { type: 'session', session: { user: { id: 'user-1', email: 'a@example.com' }, ip_address: '127.0.0.1' } },
    project: { id: 'proj_1', name: 'Project 1' },
    'project.updated': { id: 'proj_1', changes_requested: { title: `Title ${i}` } },
  };
}

export function pageBody(events: readonly WireEvent[], hasMore: boolean): string {
  return JSON.stringify({
    object: 'list',
    data: events,
    first_id: events[0]?.id ?? null,
    last_id: events[events.length - 1]?.id ?? null,
    has_more: hasMore,
  });
}

export function sendJson(res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendPage(res: http.ServerResponse, events: readonly WireEvent[] = [makeEvent(1)], hasMore = false): void {
  sendJson(res, 200, pageBody(events, hasMore), { 'x-request-id': 'req_test' });
}

export function openAiError(message: string, type: string, param: string | null = null, code: string | null = null): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

/**
 * Serves `events` (newest first) with the API's cursor semantics: `after`
 * returns the events older than the cursor, `before` the events newer than it
 * (the page nearest the cursor, still newest first); `has_more` says whether
 * more exist in the direction of travel. Honours `limit` (default 20).
 */
export function listHandler(events: readonly WireEvent[]): Handler {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const after = url.searchParams.get('after');
    const before = url.searchParams.get('before');
    let page: WireEvent[];
    let hasMore: boolean;
    if (before !== null) {
      const end = events.findIndex((e) => e.id === before);
      const start = Math.max(0, end - limit);
      page = events.slice(start, end);
      hasMore = start > 0;
    } else {
      const start = after === null ? 0 : events.findIndex((e) => e.id === after) + 1;
      page = events.slice(start, start + limit);
      hasMore = start + limit < events.length;
    }
    sendJson(res, 200, pageBody(page, hasMore));
  };
}

/** Deterministic numbers in [0, 1): the sample organization's seeded generator. */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

/** A sleep seam that records the delays and returns at once. */
export function recordingSleep(): { delays: number[]; sleep: (ms: number) => Promise<void> } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms: number) => {
      delays.push(ms);
    },
  };
}

/** Awaits a promise that must reject, returning the rejection. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
