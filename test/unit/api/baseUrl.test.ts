import assert from 'node:assert/strict';
import { DEFAULT_BASE_URL, isLoopbackHost, validateBaseUrl } from '../../../src/core/api';

describe('api/baseUrl: validateBaseUrl', () => {
  it('accepts https anywhere and normalizes the trailing slash', () => {
    assert.deepEqual(validateBaseUrl(DEFAULT_BASE_URL), { ok: true, url: 'https://api.openai.com/v1' });
    assert.deepEqual(validateBaseUrl(' https://API.openai.com/v1/ '), { ok: true, url: 'https://api.openai.com/v1' });
    assert.deepEqual(validateBaseUrl('https://gateway.corp:8443/openai/v1'), { ok: true, url: 'https://gateway.corp:8443/openai/v1' });
    assert.deepEqual(validateBaseUrl('https://api.openai.com'), { ok: true, url: 'https://api.openai.com' });
  });

  it('accepts plain http only to loopback', () => {
    for (const url of ['http://localhost:8080/v1', 'http://127.0.0.1:1234/v1', 'http://127.9.9.9/v1', 'http://[::1]:3000/v1']) {
      assert.equal(validateBaseUrl(url).ok, true, url);
    }
    for (const url of ['http://api.openai.com/v1', 'http://10.0.0.1/v1', 'http://128.0.0.1/v1', 'http://localhost.evil.com/v1', 'http://[::2]/v1']) {
      const result = validateBaseUrl(url);
      assert.equal(result.ok, false, url);
      assert.match(result.ok ? '' : result.reason, /only allowed to this machine/);
    }
  });

  it('refuses credentials, queries, fragments, other schemes and garbage', () => {
    const refused: [string, RegExp][] = [
      ['https://user:pass@api.openai.com/v1', /user name or password/],
      ['https://user@api.openai.com/v1', /user name or password/],
      ['https://api.openai.com/v1?x=1', /query/],
      ['https://api.openai.com/v1#frag', /fragment/],
      ['ftp://api.openai.com/v1', /scheme must be https/],
      ['javascript:alert(1)', /scheme must be https/],
      ['api.openai.com/v1', /not a valid URL/],
      ['', /empty/],
    ];
    for (const [url, reason] of refused) {
      const result = validateBaseUrl(url);
      assert.equal(result.ok, false, url);
      assert.match(result.ok ? '' : result.reason, reason, url);
    }
  });

  it('recognizes loopback hosts', () => {
    for (const host of ['localhost', 'LOCALHOST', 'localhost.', '127.0.0.1', '127.255.0.3', '[::1]', '::1', '[::ffff:7f00:1]', '::ffff:127.0.0.1']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ['0.0.0.0', '10.1.1.1', 'example.com', 'mylocalhost', '::', '[::ffff:a00:1]']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });
});
