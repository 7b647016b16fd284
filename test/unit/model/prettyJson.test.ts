import { strict as assert } from 'node:assert';
import { prettyRawJson } from '../../../src/core/model';
import { allTypesEvents, exampleResponseText, randomJsonText, rng } from './fixtures';

describe('prettyRawJson', () => {
  it('equals JSON.stringify(JSON.parse(x), null, 2) for ordinary input', () => {
    const inputs = [
      exampleResponseText(),
      JSON.stringify(allTypesEvents()),
      '{}',
      '[]',
      '{"a":{},"b":[],"c":[{}],"d":[[]],"e":null,"f":true,"g":"s"}',
      ' [ 1 , [ 2 , { "k" : [ ] } ] ]\n',
      '"just a string"',
      '42',
    ];
    for (const input of inputs) assert.equal(prettyRawJson(input), JSON.stringify(JSON.parse(input), null, 2));
  });

  it('honours other indents like JSON.stringify, including compact output for 0', () => {
    const input = JSON.stringify({ a: [1, { b: 'c' }], d: {} });
    for (const indent of [0, 1, 4, '\t', '']) {
      assert.equal(prettyRawJson(input, indent), JSON.stringify(JSON.parse(input), null, indent));
    }
  });

  it('keeps key order, number lexemes and string escapes', () => {
    const raw = '{"2":"b","1":"a","big":12345678901234567890123,"f":1.0,"e":-2.5E-7,"s":"\\u00e9\\/\\"x\\" ] {","t":"é"}';
    assert.equal(
      prettyRawJson(raw),
      [
        '{',
        '  "2": "b",',
        '  "1": "a",',
        '  "big": 12345678901234567890123,',
        '  "f": 1.0,',
        '  "e": -2.5E-7,',
        '  "s": "\\u00e9\\/\\"x\\" ] {",',
        '  "t": "é"',
        '}',
      ].join('\n'),
    );
  });

  it('is idempotent and value-preserving on random JSON text', () => {
    const next = rng(11);
    for (let k = 0; k < 500; k++) {
      const text = randomJsonText(next);
      const pretty = prettyRawJson(text);
      assert.deepEqual(JSON.parse(pretty), JSON.parse(text));
      assert.equal(prettyRawJson(pretty), pretty);
      // Re-indenting never changes the order of tokens: stripping whitespace outside strings gives the same text.
      assert.equal(prettyRawJson(pretty, 0), prettyRawJson(text, 0));
    }
  });

  it('rejects text that is not JSON', () => {
    assert.throws(() => prettyRawJson('{"a":'), SyntaxError);
    assert.throws(() => prettyRawJson('{"a":1}}'), SyntaxError);
  });
});
