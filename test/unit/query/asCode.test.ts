import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { compileQuery, queryAsCode } from '../../../src/core/query';
import { NOW } from './fixtures';

const api = (q: string) => {
  const c = compileQuery(q, { nowSeconds: NOW });
  if (!c.ok) throw new Error(c.error.message);
  return c.query.api;
};
const BASE = 'https://api.openai.com/v1';

describe('copy query as code', () => {
  it('cURL: the API part as parameters, the key as $OPENAI_ADMIN_KEY, the local-only terms in a comment', () => {
    const text = queryAsCode('curl', api('type:login.failed last:24h ip:198.51.100.23'), BASE);
    assert.match(text, /^# Only the archive can apply these terms \(the API has no parameter for them\): ip:198\.51\.100\.23$/m);
    assert.match(text, /curl -sS -G 'https:\/\/api\.openai\.com\/v1\/organization\/audit_logs'/);
    assert.match(text, /-H "Authorization: Bearer \$OPENAI_ADMIN_KEY"/);
    assert.match(text, /--data-urlencode 'event_types\[\]=login\.failed'/);
    assert.match(text, new RegExp(`--data-urlencode 'effective_at\\[gte\\]=${NOW - 86_400}'`));
    assert.doesNotMatch(text, /sk-/);
  });

  it('Python and Node carry the same parameters as string literals', () => {
    const py = queryAsCode('python', api('actor:ada@acme.example'), BASE);
    assert.match(py, /\("actor_emails\[\]", "ada@acme\.example"\),/);
    assert.match(py, /os\.environ\['OPENAI_ADMIN_KEY'\]/);
    const js = queryAsCode('node', api('actor:ada@acme.example'), BASE);
    assert.match(js, /\["actor_emails\[\]", "ada@acme\.example"\],/);
    assert.match(js, /process\.env\.OPENAI_ADMIN_KEY/);
    assert.doesNotMatch(js, /Only the archive/, 'no local-only comment when everything is pushed');
  });

  it('a hostile value cannot leave its quotes or its comment', () => {
    const q = `resource:"x'; rm -rf ~; echo '" "a\nb"`;
    const sh = queryAsCode('curl', api(q), BASE);
    // The shell sees the value as one argument: run the generated words through sh's own parser.
    const arg = /--data-urlencode ('(?:[^']|'\\'')*'(?:\\''[^']*')*)/.exec(sh)![1]!;
    assert.equal(execFileSync('sh', ['-c', `printf %s ${arg}`]).toString(), `resource_ids[]=x'; rm -rf ~; echo '`);
    assert.equal(sh.split('\n').filter((l) => l.startsWith('#')).length, 2, 'the newline in the phrase stays inside one comment line');
    const js = queryAsCode('node', api(q), BASE);
    assert.ok(js.includes(JSON.stringify(`x'; rm -rf ~; echo '`)));
  });
});
