import * as assert from 'node:assert/strict';
import { HostMessageSchema, parsePageMessage } from '../../../src/webviews/insights/protocol';

describe('insights: the page protocol', () => {
  it('accepts the allowlisted messages and nothing else', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parsePageMessage({ type: 'brush', start: 10, end: 20 }), { type: 'brush', start: 10, end: 20 });
    assert.deepEqual(parsePageMessage({ type: 'filterFacet', facet: 'ip', value: '10.0.0.1', exclude: true }), { type: 'filterFacet', facet: 'ip', value: '10.0.0.1', exclude: true });
    for (const bad of [
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'brush', start: -1, end: 20 },
      { type: 'brush', start: 1.5, end: 20 },
      { type: 'brush', start: 1, end: 2, extra: 'x' },
      { type: 'filterFacet', facet: 'apiKey', value: 'k', exclude: false },
      { type: 'filterFacet', facet: 'ip', value: 'x'.repeat(5000), exclude: false },
      { type: 'stateAsOf', resourceId: '', time: 1 },
      'ready',
      null,
    ]) {
      assert.equal(parsePageMessage(bad), undefined, JSON.stringify(bad).slice(0, 80));
    }
  });

  it('the host\'s own messages are checked before they leave', () => {
    assert.equal(HostMessageSchema.safeParse({ type: 'resources', resources: [{ id: 'r', kind: 'project', name: null, events: 1, newest: 5 }] }).success, true);
    assert.equal(HostMessageSchema.safeParse({ type: 'resources', resources: [{ id: 'r', kind: 'project', name: null, events: -1, newest: 5 }] }).success, false);
    assert.equal(HostMessageSchema.safeParse({ type: 'eval', code: '1' }).success, false);
  });
});
