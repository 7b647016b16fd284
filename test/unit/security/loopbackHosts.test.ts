/**
 * Plain http:// is allowed only to this machine, because the Admin key then
 * travels unencrypted. `foo.localhost` is loopback only in browsers (RFC 6761
 * says it should be); Node asks the system resolver, which on many systems
 * (glibc with "files dns", no systemd-resolved) asks DNS, so a DNS answer can
 * send the key in clear text to any address. Only names that cannot leave the
 * machine may pass: literal loopback addresses and `localhost` itself.
 */
import * as assert from 'node:assert/strict';
import { isLoopbackHost, validateBaseUrl } from '../../../src/core/api';

describe('security: http:// only to addresses that cannot leave this machine', () => {
  it('refuses http:// to *.localhost names, which Node resolves through DNS', () => {
    for (const url of ['http://evil.localhost/v1', 'http://api.openai.com.localhost:8080/v1', 'http://a.b.localhost./v1']) {
      assert.equal(validateBaseUrl(url).ok, false, url);
    }
  });

  it('still accepts literal loopback addresses and localhost', () => {
    for (const url of ['http://127.0.0.1:8080/v1', 'http://[::1]:8080/v1', 'http://localhost:8080/v1', 'http://127.5.6.7/v1']) {
      assert.equal(validateBaseUrl(url).ok, true, url);
    }
    assert.equal(isLoopbackHost('0.0.0.0'), false);
    assert.equal(validateBaseUrl('http://0.0.0.0:8080/v1').ok, false);
    assert.equal(validateBaseUrl('http://[::ffff:10.0.0.1]/v1').ok, false);
  });
});
