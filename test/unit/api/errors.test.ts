import assert from 'node:assert/strict';
import {
  AuditLogApiError,
  BadRequestError,
  CancelledError,
  EndpointNotFoundError,
  InvalidKeyError,
  NetworkError,
  NotAdminKeyError,
  RateLimitError,
  RedactedCause,
  SchemaMismatchError,
  ServerError,
  TimeoutError,
  isAuditLogApiError,
  isCancelledError,
} from '../../../src/core/api';

describe('api/errors: the error classes', () => {
  it('share a base class, a kind, a name that survives minification and a stack headed by it', () => {
    const errors: [AuditLogApiError, string, string, boolean][] = [
      [new InvalidKeyError(), 'InvalidKeyError', 'invalidKey', false],
      [new NotAdminKeyError(), 'NotAdminKeyError', 'notAdminKey', false],
      [new EndpointNotFoundError('https://api.openai.com/v1'), 'EndpointNotFoundError', 'endpointNotFound', false],
      [new BadRequestError({ message: 'bad' }), 'BadRequestError', 'badRequest', false],
      [new RateLimitError(5), 'RateLimitError', 'rateLimited', true],
      [new ServerError(502, 5), 'ServerError', 'server', true],
      [new NetworkError('reset', 'api.openai.com'), 'NetworkError', 'network', true],
      [new TimeoutError('body', 'api.openai.com', 30_000), 'TimeoutError', 'timeout', true],
      [new SchemaMismatchError('data[0].id', 'expected string'), 'SchemaMismatchError', 'schemaMismatch', false],
      [new CancelledError(), 'CancelledError', 'cancelled', false],
    ];
    for (const [error, name, kind, retryable] of errors) {
      assert.ok(error instanceof AuditLogApiError && error instanceof Error);
      assert.ok(isAuditLogApiError(error));
      assert.equal(error.name, name);
      assert.equal(error.kind, kind);
      assert.equal(error.retryable, retryable, name);
      assert.ok(error.stack?.startsWith(`${name}: ${error.message}`), error.stack);
    }
    assert.ok(isCancelledError(new CancelledError()));
    assert.ok(!isCancelledError(new Error('x')));
  });

  it('write plain messages that say what to do', () => {
    assert.equal(
      new EndpointNotFoundError('https://gateway.example/v1/').message,
      'The audit-log endpoint was not found at https://gateway.example/v1/organization/audit_logs (404). ' +
        'Is the API base URL right (setting openaiAuditLogs.apiBaseUrl, default https://api.openai.com/v1)?',
    );
    assert.match(new TimeoutError('headers', 'api.openai.com', 30_000).message, /^api\.openai\.com did not start answering within 30 s/);
    assert.match(new TimeoutError('body', 'h', 1500).message, /stopped sending the response within 1\.5 s/);
    assert.match(new NetworkError('closed', 'h').message, /closed before the response was complete/);
    assert.match(new RateLimitError(1).message, /after 1 attempt\. Wait a minute/);
  });

  it('copy foreign causes into redacted copies that keep the code, recursively', () => {
    const inner = Object.assign(new Error('inner with sk-admin-TOPSECRET-value'), { code: 'ECONNRESET' });
    const outer = Object.assign(new Error('outer', { cause: inner }), { code: 'UND_ERR_SOCKET', socket: { remote: 'x' } });
    const error = new NetworkError('reset', 'host', { cause: outer, secrets: ['sk-admin-TOPSECRET-value'] });
    const cause = error.cause;
    assert.ok(cause instanceof RedactedCause);
    assert.notEqual(cause, outer, 'the original is not kept');
    assert.equal(cause.code, 'UND_ERR_SOCKET');
    assert.equal((cause as unknown as { socket?: unknown }).socket, undefined);
    const innerCopy = cause.cause;
    assert.ok(innerCopy instanceof RedactedCause);
    assert.equal(innerCopy.code, 'ECONNRESET');
    assert.equal(innerCopy.message, 'inner with [REDACTED]');
    assert.ok(!String(innerCopy.stack).includes('TOPSECRET'));
  });
});
