import * as assert from 'node:assert/strict';
import { clip, endsLtr, quickPickText } from '../../../src/core/text/oneLine';
import { formatClock, shortActorLabel } from '../../../src/views/format';

describe('views: clip (one safe line of the tree)', () => {
  it('removes bidi overrides, isolates, marks and zero-width characters, so a name cannot reorder what follows', () => {
    assert.equal(clip('Research Team \u202Etxt.exe'), 'Research Team txt.exe');
    assert.equal(clip('a\u2067b\u2069c\u200Fd\u200Be\uFEFFf'), 'abcdef');
  });

  it('puts a multi-line value on one line and collapses runs of spaces', () => {
    assert.equal(clip('a\nb\r\n\tc   d\u2028e'), 'a b c d e');
  });

  it('truncates a 5,000-character value to the limit, ending with an ellipsis', () => {
    const out = clip('x'.repeat(5_000), 80);
    assert.equal([...out].length, 80);
    assert.ok(out.endsWith('…'));
  });

  it('never cuts a character in half', () => {
    const out = clip('😀'.repeat(100), 10);
    assert.equal(out, `${'😀'.repeat(9)}…`);
  });

  it('leaves markup as text: tree items render no HTML', () => {
    assert.equal(clip('<img src=x onerror=alert(1)>'), '<img src=x onerror=alert(1)>');
  });
});

describe('views: endsLtr', () => {
  it('ends a right-to-left value with a left-to-right mark, and leaves others alone', () => {
    assert.equal(endsLtr('مشروع الواحة'), 'مشروع الواحة\u200E');
    assert.equal(endsLtr('Launchpad'), 'Launchpad');
  });
});

describe('views: formatClock (rows under a day group)', () => {
  it('drops the date the group already shows, keeping the zone', () => {
    assert.equal(formatClock(1_750_000_000, 'utc'), '15:06:40 UTC');
    assert.match(formatClock(1_750_000_000, 'local'), /^\d{2}:\d{2}:\d{2}$/);
  });
});

describe('quickPickText', () => {
  it('keeps an API string to one safe line where $(icon) syntax does not take effect', () => {
    const out = quickPickText('$(terminal) run me\u202Etxt.exe\nnext line');
    assert.doesNotMatch(out, /\$\(/);
    assert.doesNotMatch(out, /[\u202a-\u202e\n]/);
    assert.match(out, /terminal\) run me/);
  });
});

describe('views: shortActorLabel (actor groups in a 300 px sidebar)', () => {
  it("an email's name part as the label, its domain for after the count", () => {
    assert.deepEqual(shortActorLabel('ada.okafor@acme-research.example'), { name: 'ada.okafor', domain: 'acme-research.example' });
  });

  it('an id or a long name part cut to 28 characters; labels without a usable @ kept whole', () => {
    assert.deepEqual(shortActorLabel('svc_acct_SZ5kItnbrAyJ0pDsAA3VhlEi'), { name: 'svc_acct_SZ5kItnbrAyJ0pDsAA…' });
    assert.deepEqual(shortActorLabel('key_VfrdNxcBOoq7nnbw'), { name: 'key_VfrdNxcBOoq7nnbw' });
    assert.deepEqual(shortActorLabel('No actor'), { name: 'No actor' });
    assert.deepEqual(shortActorLabel('@handle'), { name: '@handle' });
    assert.deepEqual(shortActorLabel('trailing@'), { name: 'trailing@' });
    assert.equal([...shortActorLabel(`${'n'.repeat(5_000)}@x.example`).name].length, 28);
  });

  it('a hostile email stays one safe line on both sides', () => {
    const { name, domain } = shortActorLabel(`evil\u202Emoc.liame\n@${'A'.repeat(5_000)}.example`);
    assert.equal(name, 'evilmoc.liame');
    assert.equal([...domain!].length, 60);
  });
});
