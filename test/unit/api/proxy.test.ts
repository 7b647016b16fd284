import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { request } from 'undici';
import {
  AuditLogClient,
  NetworkError,
  ProxyConfigError,
  TlsError,
  createDispatcher,
  displayProxyUrl,
  matchesNoProxy,
  resolveProxyRoute,
  timeoutsFromSeconds,
} from '../../../src/core/api';
import { SECRET_KEY, rejectionOf, sendPage, startServer } from './loopback';

const API = 'https://api.openai.com/v1';

interface TunnelProxy {
  readonly url: string;
  readonly connects: { target: string; proxyAuthorization?: string }[];
  close(): Promise<void>;
}

/**
 * A CONNECT proxy on loopback that records each tunnel's target and sends
 * every tunnel to `upstreamPort` on 127.0.0.1, whatever host was asked for.
 */
async function startTunnelProxy(upstreamPort: number, status = 200): Promise<TunnelProxy> {
  const connects: TunnelProxy['connects'] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push({
      target: req.url ?? '',
      ...(req.headers['proxy-authorization'] ? { proxyAuthorization: req.headers['proxy-authorization'] } : {}),
    });
    sockets.add(client);
    client.on('error', () => undefined);
    if (status !== 200) {
      client.end(`HTTP/1.1 ${status} Nope\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const upstream = net.connect(upstreamPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('api/proxy', () => {
  describe('resolveProxyRoute', () => {
    it('goes direct when nothing is configured', () => {
      assert.deepEqual(resolveProxyRoute(API, { env: {} }), { kind: 'direct', why: 'no proxy configured' });
    });

    it("prefers VS Code's http.proxy over the environment", () => {
      assert.deepEqual(resolveProxyRoute(API, { proxyUrl: 'http://setting:3128', env: { HTTPS_PROXY: 'http://env:8080' } }), {
        kind: 'proxy',
        proxyUrl: 'http://setting:3128',
        source: 'setting',
      });
    });

    it('reads https_proxy, HTTPS_PROXY, ALL_PROXY, then HTTP_PROXY for https targets', () => {
      const route = (env: Record<string, string>) => resolveProxyRoute(API, { env });
      assert.deepEqual(route({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:1' }), { kind: 'proxy', proxyUrl: 'http://a:1', source: 'env', variable: 'https_proxy' });
      assert.deepEqual(route({ HTTPS_PROXY: 'http://b:1', HTTP_PROXY: 'http://c:1' }), { kind: 'proxy', proxyUrl: 'http://b:1', source: 'env', variable: 'HTTPS_PROXY' });
      assert.deepEqual(route({ ALL_PROXY: 'http://d:1', HTTP_PROXY: 'http://c:1' }), { kind: 'proxy', proxyUrl: 'http://d:1', source: 'env', variable: 'ALL_PROXY' });
      assert.deepEqual(route({ HTTP_PROXY: 'http://c:1' }), { kind: 'proxy', proxyUrl: 'http://c:1', source: 'env', variable: 'HTTP_PROXY' });
      assert.deepEqual(route({ https_proxy: '  ' }), { kind: 'direct', why: 'no proxy configured' });
    });

    it('honours NO_PROXY and http.noProxy for the API host', () => {
      const env = { HTTPS_PROXY: 'http://proxy:1' };
      for (const noProxy of ['*', 'api.openai.com', 'openai.com', '.openai.com', '*.openai.com', 'api.openai.com:443', 'x.org, openai.com']) {
        assert.deepEqual(resolveProxyRoute(API, { env: { ...env, NO_PROXY: noProxy } }), { kind: 'direct', why: 'no_proxy' }, noProxy);
      }
      assert.deepEqual(resolveProxyRoute(API, { env: { ...env, no_proxy: 'openai.com' } }).kind, 'direct');
      assert.deepEqual(resolveProxyRoute(API, { env, noProxy: ['openai.com'] }).kind, 'direct');
      for (const noProxy of ['notopenai.com', 'api.openai.com:8443', 'openai.co', '']) {
        assert.equal(resolveProxyRoute(API, { env: { ...env, NO_PROXY: noProxy } }).kind, 'proxy', noProxy);
      }
    });

    it('matches NO_PROXY CIDR and port entries', () => {
      assert.equal(matchesNoProxy('https://10.1.2.3/v1', ['10.0.0.0/8']), true);
      assert.equal(matchesNoProxy('https://11.1.2.3/v1', ['10.0.0.0/8']), false);
      assert.equal(matchesNoProxy('https://gw.corp:8443/v1', ['gw.corp:8443']), true);
      assert.equal(matchesNoProxy('https://gw.corp/v1', ['gw.corp:8443']), false);
    });

    it('never proxies loopback', () => {
      assert.deepEqual(resolveProxyRoute('http://127.0.0.1:8080/v1', { proxyUrl: 'http://proxy:1' }), { kind: 'direct', why: 'loopback' });
      assert.deepEqual(resolveProxyRoute('http://localhost:8080/v1', { env: { HTTP_PROXY: 'http://proxy:1' } }), { kind: 'direct', why: 'loopback' });
    });

    it('refuses an unusable proxy without echoing it', () => {
      assert.throws(() => resolveProxyRoute(API, { proxyUrl: 'socks5://u:hunter22@proxy:1080' }), ProxyConfigError);
      assert.throws(
        () => resolveProxyRoute(API, { proxyUrl: 'http://u:hunter22@[oops' }),
        (e: unknown) => e instanceof ProxyConfigError && !e.message.includes('hunter22'),
      );
      assert.equal(resolveProxyRoute(API, { proxyUrl: 'proxy.corp:3128' }).kind, 'proxy', 'a scheme-less proxy means http://');
    });

    it('shows a proxy without its credentials', () => {
      assert.equal(displayProxyUrl('http://user:hunter22@proxy.corp:3128'), 'http://proxy.corp:3128');
    });

    it('maps requestTimeoutSeconds onto the three phases', () => {
      assert.deepEqual(timeoutsFromSeconds(60), { connectMs: 10_000, headersMs: 60_000, bodyMs: 60_000 });
      assert.deepEqual(timeoutsFromSeconds(5), { connectMs: 5000, headersMs: 5000, bodyMs: 5000 });
    });
  });

  describe('createDispatcher', () => {
    it('sends requests for a proxied host through the proxy (CONNECT), with proxy credentials', async () => {
      const api = await startServer((_q, res) => sendPage(res));
      const proxy = await startTunnelProxy(api.port);
      const target = `http://api.example.test:${api.port}`;
      const dispatcher = createDispatcher({ targetUrl: target, proxyUrl: proxy.url.replace('//', '//alice:s3cret@'), env: {} });
      try {
        const response = await request(`${target}/v1/organization/audit_logs`, { dispatcher });
        assert.equal(response.statusCode, 200);
        await response.body.text();
        assert.deepEqual(proxy.connects, [
          { target: `api.example.test:${api.port}`, proxyAuthorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}` },
        ]);
        assert.equal(api.requests[0]?.headers.host, `api.example.test:${api.port}`);
      } finally {
        await dispatcher.destroy();
        await proxy.close();
        await api.close();
      }
    });

    it('goes direct for hosts in NO_PROXY', async () => {
      const api = await startServer((_q, res) => sendPage(res));
      const proxy = await startTunnelProxy(api.port);
      const dispatcher = createDispatcher({
        targetUrl: 'https://nonexistent.invalid/v1',
        env: { HTTPS_PROXY: proxy.url, NO_PROXY: '.invalid' },
      });
      try {
        await assert.rejects(request('https://nonexistent.invalid/v1', { dispatcher }), { code: 'ENOTFOUND' });
        assert.equal(proxy.connects.length, 0);
      } finally {
        await dispatcher.destroy();
        await proxy.close();
        await api.close();
      }
    });

    it('lets the client reach an https API through the proxy configured in its options', async () => {
      const silentTls = await startServer(() => undefined); // plain HTTP: the TLS handshake through the tunnel fails
      const proxy = await startTunnelProxy(silentTls.port);
      const client = new AuditLogClient({
        baseUrl: 'https://api.example.test/v1',
        apiKey: SECRET_KEY,
        proxy: { env: { HTTPS_PROXY: proxy.url } },
        maxRetries: 0,
      });
      try {
        const error = await rejectionOf(client.listPage());
        assert.ok(error instanceof TlsError, String(error));
        assert.deepEqual(proxy.connects.map((c) => c.target), ['api.example.test:443']);
        assert.equal(silentTls.requests.length, 0, 'nothing was sent in clear text');
      } finally {
        await client.close();
        await proxy.close();
        await silentTls.close();
      }
    });

    it('reports a proxy that refuses the tunnel as NetworkError(proxy), without its password', async () => {
      const proxy = await startTunnelProxy(1, 407);
      const client = new AuditLogClient({
        baseUrl: 'https://api.example.test/v1',
        apiKey: SECRET_KEY,
        proxy: { proxyUrl: proxy.url.replace('//', '//bob:pr0xy-pw@'), env: {} },
        maxRetries: 0,
      });
      try {
        const error = await rejectionOf(client.listPage());
        assert.ok(error instanceof NetworkError, String(error));
        assert.equal(error.reason, 'proxy');
        assert.match(error.message, /proxy refused the connection to api\.example\.test.*407/);
        assert.ok(!JSON.stringify([error.message, error.stack]).includes('pr0xy-pw'));
      } finally {
        await client.close();
        await proxy.close();
      }
    });
  });
});
