import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILTIN_RULE_IDS, parseRules } from '../../../src/core/findings';

const README = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
const section = README.slice(README.indexOf('## Findings'), README.indexOf('\n## ', README.indexOf('## Findings') + 5));

describe('findings: the README', () => {
  it('lists every built-in rule by id in its table', () => {
    const listed = [...section.matchAll(/^\| `([a-z-]+)` \|/gmu)].map((m) => m[1]);
    assert.deepEqual(listed, [...BUILTIN_RULE_IDS]);
  });

  it('shows a user rule that validates', () => {
    const json = /```json\n([\s\S]+?)\n```/u.exec(section)?.[1];
    assert.ok(json, 'the example');
    const { rules, problems } = parseRules([JSON.parse(json)], 'README');
    assert.deepEqual(problems, []);
    assert.equal(rules.length, 1);
  });
});
