import * as assert from 'node:assert/strict';
import {
  DEFAULT_ORGANIZATION_ID,
  MAX_LABEL_LENGTH,
  checkOrganizationBaseUrl,
  checkOrganizationLabel,
  isOrganizationId,
  newOrganizationId,
  parseStoredOrganizations,
} from '../../../src/organizations/organization';

describe('organizations: ids, labels, base URLs (plain Node)', () => {
  it('makes ids "org-" and 16 random hex digits, never twice, and recognizes only those and "default"', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newOrganizationId()));
    assert.equal(ids.size, 1000);
    for (const id of ids) {
      assert.match(id, /^org-[0-9a-f]{16}$/);
      assert.ok(isOrganizationId(id));
    }
    assert.ok(isOrganizationId(DEFAULT_ORGANIZATION_ID));
    for (const bad of ['', 'org-', 'org-XYZ', 'org-0123456789abcdef0', 'Default', '../default', 'org-0123456789ABCDEF', 1, undefined, null]) {
      assert.equal(isOrganizationId(bad), false, String(bad));
    }
  });

  it('accepts a trimmed one-line label and refuses empty, too long, taken (any case) and unsafe ones', () => {
    assert.deepEqual(checkOrganizationLabel('  Acme prod  '), { ok: true, value: 'Acme prod' });
    assert.deepEqual(checkOrganizationLabel('x'.repeat(MAX_LABEL_LENGTH)), { ok: true, value: 'x'.repeat(MAX_LABEL_LENGTH) });
    const refused = (input: unknown, taken: string[] = []) => {
      const r = checkOrganizationLabel(input, taken);
      assert.equal(r.ok, false, JSON.stringify(input));
      return r.ok ? '' : r.reason;
    };
    assert.match(refused('   '), /needs a name/);
    assert.match(refused(undefined), /needs a name/);
    assert.match(refused(42), /needs a name/);
    assert.match(refused('x'.repeat(MAX_LABEL_LENGTH + 1)), /too long/);
    assert.match(refused('acme PROD', ['Acme prod']), /already exists/);
    // U+202E would show "prod-acme" reversed in the view's title; line breaks, zero-width and link syntax likewise.
    for (const unsafe of ['evil\u202Eacme', 'two\nlines', 'zero\u200Bwidth', 'tab\there', '[click](command:workbench.action.quit)', 'nul\u0000']) {
      assert.match(refused(unsafe), /one line/, JSON.stringify(unsafe));
    }
  });

  it('checks a base URL exactly like the setting: https, or http only to loopback; empty means none of its own', () => {
    assert.deepEqual(checkOrganizationBaseUrl(undefined), { ok: true, value: undefined });
    assert.deepEqual(checkOrganizationBaseUrl('  '), { ok: true, value: undefined });
    assert.deepEqual(checkOrganizationBaseUrl('https://api.openai.com/v1/'), { ok: true, value: 'https://api.openai.com/v1' });
    assert.deepEqual(checkOrganizationBaseUrl('http://127.0.0.1:8080/v1'), { ok: true, value: 'http://127.0.0.1:8080/v1' });
    assert.deepEqual(checkOrganizationBaseUrl('http://localhost:9/v1'), { ok: true, value: 'http://localhost:9/v1' });
    for (const bad of ['http://example.com', 'http://evil.localhost', 'ftp://127.0.0.1', 'https://user:pw@api.openai.com', 'https://api.openai.com/v1?x=1', 'not a url', 5]) {
      const r = checkOrganizationBaseUrl(bad);
      assert.equal(r.ok, false, String(bad));
      assert.match(r.ok ? '' : r.reason, /API base URL/);
    }
  });

  it('reads the stored list defensively: drops the default, bad ids, repeats, bad labels and URLs that no longer pass', () => {
    const a = newOrganizationId();
    const b = newOrganizationId();
    const stored = [
      { id: a, label: 'A', apiBaseUrl: 'http://127.0.0.1:1/v1' },
      { id: a, label: 'A again' },
      { id: DEFAULT_ORGANIZATION_ID, label: 'Default' },
      { id: 'org-nothex', label: 'Bad id' },
      { id: newOrganizationId(), label: 'a' }, // same label as A, other case
      { id: newOrganizationId(), label: 'Leaky', apiBaseUrl: 'http://example.com/v1' },
      { id: newOrganizationId(), label: '', apiBaseUrl: undefined },
      { id: b, label: 'B', key: 'sk-admin-never-read' },
      null,
      'org-0123456789abcdef',
    ];
    assert.deepEqual(parseStoredOrganizations(stored), [
      { id: a, label: 'A', apiBaseUrl: 'http://127.0.0.1:1/v1' },
      { id: b, label: 'B' },
    ]);
    assert.deepEqual(parseStoredOrganizations(undefined), []);
    assert.deepEqual(parseStoredOrganizations({ id: a, label: 'A' }), []);
  });
});
