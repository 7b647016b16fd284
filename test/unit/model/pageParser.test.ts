import { strict as assert } from 'node:assert';
import {
  AUDIT_LOG_DETAIL_SCHEMAS,
  AUDIT_LOG_EVENT_TYPES,
  PageNotJsonError,
  PageSchemaError,
  ParsedAuditEvent,
  parseAuditEvent,
  parseAuditLogPage,
  resourceId,
  summarizeEvent,
  UNREADABLE_TYPE,
  unreadableEventNotes,
  unreadableId,
} from '../../../src/core/model';
import { allTypesEvents, exampleResponseText, minimalEvent, pageText, randomJsonText, realisticEvent, rng } from './fixtures';

function schemaError(fn: () => unknown): PageSchemaError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PageSchemaError, `expected PageSchemaError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a PageSchemaError');
}

describe('parseAuditLogPage', () => {
  it("parses the spec's example response", () => {
    const page = parseAuditLogPage(exampleResponseText());
    assert.equal(page.has_more, true);
    assert.equal(page.first_id, 'audit_log-xxx__20240101');
    assert.equal(page.last_id, 'audit_log_yyy__20240101');
    assert.deepEqual(
      page.data.map((p) => [p.event.id, p.event.type, p.event.effective_at]),
      [
        ['audit_log-xxx_yyyymmdd', 'project.archived', 1722461446],
        ['audit_log-yyy__20240101', 'api_key.updated', 1720804190],
      ],
    );
    const second = page.data[1]!;
    assert.deepEqual(JSON.parse(second.raw), second.event);
    assert.ok(second.raw.startsWith('{\n            "id": "audit_log-yyy__20240101"'));
    assert.ok(second.raw.endsWith('}'));
    // Fields beyond the contract (ja3, ip_address_details) are kept.
    assert.equal((second.event.actor?.session?.['ip_address_details'] as { city: string }).city, 'San Francisco');
    assert.deepEqual(second.warnings, []);
  });

  it('parses one event of every one of the 145 types, conforming to the generated schemas', () => {
    const events = allTypesEvents();
    assert.equal(events.length, 145);
    const page = parseAuditLogPage(pageText(events));
    assert.equal(page.data.length, 145);
    page.data.forEach((p, i) => {
      const type = AUDIT_LOG_EVENT_TYPES[i]!;
      assert.equal(p.event.type, type);
      assert.deepEqual(p.event, events[i]);
      assert.deepEqual(p.warnings, [], `${type}: ${p.warnings?.join('; ')}`);
      assert.deepEqual(JSON.parse(p.raw), events[i]);
      if (type in AUDIT_LOG_DETAIL_SCHEMAS && 'id' in (events[i]![type] as object)) {
        assert.equal(resourceId(p.event), `obj_${i}`);
      }
      assert.ok(summarizeEvent(p.event).length > 0);
    });
  });

  it('keeps an unknown type, unknown fields, a null or missing actor and a missing project', () => {
    const body = JSON.stringify({
      object: 'list',
      data: [
        { id: 'e1', type: 'quantum.entangled', effective_at: 1, 'quantum.entangled': { id: 'q_1', spin: 'up' }, surprise: [1, 2] },
        { id: 'e2', type: 'project.created', effective_at: 2, actor: null },
        { id: 'e3', type: 'login.succeeded', effective_at: 3, project: null, actor: { type: 'robot', robot: { id: 'r' } } },
      ],
      has_more: false,
      future_envelope_field: { x: 1 },
    });
    const page = parseAuditLogPage(body);
    assert.equal(page.first_id, null);
    assert.equal(page.last_id, null);
    assert.equal(page.data.length, 3);
    assert.deepEqual(page.data[0]!.event['surprise'], [1, 2]);
    assert.deepEqual(page.data[0]!.event['quantum.entangled'], { id: 'q_1', spin: 'up' });
    assert.equal(page.data[1]!.event.actor, null);
    assert.equal(page.data[1]!.event.project, undefined);
    for (const p of page.data) assert.deepEqual(p.warnings, []);
  });

  it('keeps an event whose typed detail does not match its schema, with a warning naming the field', () => {
    const bad = {
      ...minimalEvent('rate_limit.updated', 1),
      'rate_limit.updated': { id: 'rl_1', changes_requested: { max_requests_per_1_minute: 'five hundred' } },
    };
    const notAnObject: Record<string, unknown> = { ...minimalEvent('login.failed', 2), 'login.failed': 'nope', actor: 'someone' };
    const page = parseAuditLogPage(pageText([bad, notAnObject]));
    assert.equal(page.data.length, 2);
    assert.deepEqual(page.data[0]!.warnings?.length, 1);
    assert.match(page.data[0]!.warnings![0]!, /^"rate_limit\.updated"\.changes_requested\.max_requests_per_1_minute: .*expected number/);
    assert.equal(page.data[1]!.event.id, notAnObject['id']);
    assert.deepEqual(
      page.data[1]!.warnings!.map((w) => w.split(':')[0]),
      ['actor', '"login.failed"'],
    );
  });

  it('rejects a bad envelope with a PageSchemaError naming the field', () => {
    const cases: Array<[unknown, string]> = [
      [[], '(page): expected object, got array'],
      [null, '(page): expected object, got null'],
      [{ data: [], has_more: false }, 'object: expected "list", but the field is missing'],
      [{ object: 'page', data: [], has_more: false }, 'object: expected "list", got string of 4 characters'],
      [{ object: 'list', has_more: false }, 'data: expected array, but the field is missing'],
      [{ object: 'list', data: {}, has_more: false }, 'data: expected array, got object'],
      [{ object: 'list', data: [] }, 'has_more: expected boolean, but the field is missing'],
      [{ object: 'list', data: [], has_more: 'yes' }, 'has_more: expected boolean, got string'],
      [{ object: 'list', data: [], has_more: false, first_id: 7 }, 'first_id: expected string or null, got number'],
      [{ object: 'list', data: [], has_more: false, last_id: {} }, 'last_id: expected string or null, got object'],
    ];
    for (const [body, message] of cases) {
      const error = schemaError(() => parseAuditLogPage(JSON.stringify(body)));
      assert.equal(error.message, message);
    }
    assert.equal(schemaError(() => parseAuditLogPage('{"object":"list","data":[]}')).path, 'has_more');
  });

  it('keeps every valid event of a page when one lacks id or has type null, and that one as an unreadable event', () => {
    const events: unknown[] = [];
    for (let k = 0; k < 100; k++) events.push(minimalEvent('project.created', k));
    const { id: _id, ...noId } = minimalEvent('api_key.updated', 40) as Record<string, unknown>;
    events[40] = noId;
    events[70] = { ...minimalEvent('project.created', 70), type: null };
    const body = pageText(events);
    const page = parseAuditLogPage(body);
    assert.equal(page.data.length, 100);
    page.data.forEach((p, i) => {
      if (i === 40 || i === 70) return;
      assert.equal(p.unreadable, undefined);
      assert.deepEqual(p.event, events[i]);
    });
    const missingId = page.data[40]!;
    assert.equal(missingId.unreadable, 'id: expected string, but the field is missing');
    assert.match(missingId.event.id, /^unreadable:[0-9a-f]{16}$/);
    assert.equal(missingId.event.id, unreadableId(missingId.raw));
    assert.equal(missingId.event.type, 'api_key.updated');
    assert.equal(missingId.event.effective_at, (noId as { effective_at: number }).effective_at);
    assert.deepEqual(JSON.parse(missingId.raw), noId);
    assert.equal(missingId.warnings![0], 'Unreadable event: id: expected string, but the field is missing');
    const nullType = page.data[70]!;
    assert.equal(nullType.unreadable, 'type: expected string, got null');
    assert.equal(nullType.event.id, (events[70] as { id: string }).id, 'a usable original id is kept');
    assert.equal(nullType.event.type, UNREADABLE_TYPE);
    assert.deepEqual(JSON.parse(nullType.raw), events[70]);
    // The same text always gets the same id: a refresh does not duplicate it.
    assert.equal(parseAuditLogPage(body).data[40]!.event.id, missingId.event.id);
    assert.deepEqual(unreadableEventNotes(page.data), [
      `data[40] "${missingId.event.id}": id: expected string, but the field is missing`,
      `data[70] "${nullType.event.id}": type: expected string, got null`,
    ]);
  });

  it('names every problem of an unreadable event and gives it string id and type and a number time', () => {
    const good = minimalEvent('project.created', 0);
    const cases: Array<[unknown, string]> = [
      [{ ...good, effective_at: '1720000000' }, 'effective_at: expected number, got string'],
      [{ ...good, effective_at: undefined }, 'effective_at: expected number, but the field is missing'],
      [{ ...good, id: 42 }, 'id: expected string, got number'],
      [{ ...good, type: null }, 'type: expected string, got null'],
      [{ ...good, id: null, type: 7, effective_at: [] }, 'id: expected string, got null; type: expected string, got number; effective_at: expected number, got array'],
      ['event', 'expected an object, got string'],
      [[good], 'expected an object, got array'],
      [null, 'expected an object, got null'],
    ];
    for (const [bad, reason] of cases) {
      const page = parseAuditLogPage(pageText([good, good, good, bad, good]));
      assert.equal(page.data.length, 5);
      const p = page.data[3]!;
      assert.equal(p.unreadable, reason);
      assert.equal(typeof p.event.id, 'string');
      assert.equal(typeof p.event.type, 'string');
      assert.ok(Number.isFinite(p.event.effective_at));
      assert.deepEqual(JSON.parse(p.raw), JSON.parse(JSON.stringify(bad)));
      for (const i of [0, 1, 2, 4]) assert.equal(page.data[i]!.unreadable, undefined);
    }
    const huge = parseAuditLogPage(pageText([good]).replace('"effective_at": 1720000000', '"effective_at": 1e999')).data[0]!;
    assert.equal(huge.unreadable, 'effective_at: expected finite number, got a number out of range');
    assert.equal(huge.event.effective_at, 0);
    assert.match(huge.raw, /"effective_at": 1e999/);
  });

  it('keeps a fractional, negative or millisecond-looking effective_at, with a warning saying which', () => {
    const at = (effective_at: number): Record<string, unknown> => ({ ...minimalEvent('project.created', 0), effective_at });
    const page = parseAuditLogPage(pageText([at(1720000000.5), at(-5), at(1720000000123), at(1720000000)]));
    assert.deepEqual(
      page.data.map((p) => [p.event.effective_at, p.unreadable, p.warnings]),
      [
        [1720000000.5, undefined, ['effective_at: 1720000000.5 is not a whole number of seconds']],
        [-5, undefined, ['effective_at: -5 is negative (before 1970), expected Unix seconds']],
        [1720000000123, undefined, ['effective_at: 1720000000123 looks like milliseconds, expected Unix seconds']],
        [1720000000, undefined, []],
      ],
    );
  });

  it('throws PageNotJsonError for a body that is not JSON, without echoing a long body', () => {
    for (const body of ['', '<html>502 Bad Gateway</html>', '{"object":"list","data":[', 'x'.repeat(10_000)]) {
      assert.throws(
        () => parseAuditLogPage(body),
        (e: unknown) => e instanceof PageNotJsonError && e.bodyLength === body.length && e.message.length < 300,
      );
    }
  });

  it('accepts a byte-order mark before the JSON', () => {
    const page = parseAuditLogPage('\uFEFF' + pageText([minimalEvent('project.created', 0)]));
    assert.equal(page.data[0]!.event.type, 'project.created');
  });
});

describe('raw event text', () => {
  const tricky =
    '{"id":"e1","type":"x.y","effective_at":1.0,"2":"b","1":"a","big":12345678901234567890123,' +
    '"s":"\\u00e9\\"\\\\/ \\ud83d\\ude00 ] } ,","n":[[1,[2,[]]],{}],"f":-0.0e+0,"e":1E+2}';
  const second = '{ "id" : "e2" ,\n\t"type":"project.created" , "effective_at" :  1720000000 ,"project.created":{"id":"proj_1","data":{"title":"T\\u00edtulo"}}\r\n}';

  it('is exactly the substring the API sent, whatever the formatting', () => {
    const body = `\n {"has_more":false ,"object":"list","note":"\\"data\\": [{}]", "data" :[ ${tricky} ,\n\t${second}\n ], "first_id":"e1","last_id":"e2"}\n`;
    const page = parseAuditLogPage(body);
    assert.equal(page.data[0]!.raw, tricky);
    assert.equal(page.data[1]!.raw, second);
    // What JSON round-tripping would have broken:
    assert.notEqual(JSON.stringify(page.data[0]!.event), tricky);
    assert.equal(page.data[0]!.event.effective_at, 1);
    assert.equal(page.data[1]!.event.effective_at, 1720000000);
  });

  it('finds the data array under an escaped key, and the last of duplicated keys (as JSON.parse does)', () => {
    const escaped = `{"object":"list","d\\u0061ta":[${tricky}],"has_more":false}`;
    assert.equal(parseAuditLogPage(escaped).data[0]!.raw, tricky);
    const duplicated = `{"object":"list","data":[${second}],"data":[${tricky}],"has_more":false}`;
    const page = parseAuditLogPage(duplicated);
    assert.equal(page.data.length, 1);
    assert.equal(page.data[0]!.raw, tricky);
  });

  it('matches randomly formatted events exactly (200 random pages)', () => {
    const next = rng(7);
    for (let p = 0; p < 200; p++) {
      const elements: string[] = [];
      const count = Math.floor(next() * 5);
      for (let k = 0; k < count; k++) {
        const extra = randomJsonText(next);
        elements.push(`{"id":"e${k}", "x": ${extra} ,"type":"t.u","effective_at":${k}.0,"y":${randomJsonText(next)}}`);
      }
      const body = `{"pre":${randomJsonText(next)},"object":"list", "data":[${elements.join(' ,\n')}] ,"post":${randomJsonText(next)},"has_more":true}`;
      const page = parseAuditLogPage(body);
      assert.deepEqual(
        page.data.map((d) => d.raw),
        elements,
        `page ${p}`,
      );
    }
  });

  it('serializes a parsed event with its raw text', () => {
    const page = parseAuditLogPage(`{"object":"list","data":[${tricky}],"has_more":false}`);
    const copy = JSON.parse(JSON.stringify(page.data[0])) as { raw: string };
    assert.equal(copy.raw, tricky);
    assert.ok(page.data[0] instanceof ParsedAuditEvent);
  });
});

describe('parseAuditEvent', () => {
  it('parses one event and keeps its text', () => {
    const parsed = parseAuditEvent(`  ${'{"id":"a","type":"t","effective_at":5,"1":2,"0":1}'}\n`);
    assert.equal(parsed.raw, '{"id":"a","type":"t","effective_at":5,"1":2,"0":1}');
    assert.equal(parsed.event.id, 'a');
  });

  it('keeps JSON that is not a readable event as an unreadable one, and rejects non-JSON', () => {
    const noTime = parseAuditEvent('{"id":"a","type":"t"}');
    assert.equal(noTime.unreadable, 'effective_at: expected number, but the field is missing');
    assert.deepEqual([noTime.event.id, noTime.event.type, noTime.event.effective_at, noTime.raw], ['a', 't', 0, '{"id":"a","type":"t"}']);
    const array = parseAuditEvent(' [1] ');
    assert.equal(array.unreadable, 'expected an object, got array');
    assert.deepEqual([array.event.id, array.event.type, array.raw], [unreadableId('[1]'), UNREADABLE_TYPE, '[1]']);
    assert.deepEqual(JSON.parse(JSON.stringify(array)), { event: array.event, raw: '[1]', unreadable: 'expected an object, got array' });
    assert.throws(() => parseAuditEvent('{'), PageNotJsonError);
  });
});

describe('parse performance (measurement, not an assertion)', () => {
  it('parses 100,000 realistic events in pages of 100', function () {
    this.timeout(60_000);
    const pages: string[] = [];
    for (let p = 0; p < 1000; p++) {
      const events = [];
      for (let k = 0; k < 100; k++) events.push(realisticEvent(p * 100 + k));
      pages.push(pageText(events, { hasMore: true, indent: 2 }));
    }
    const megabytes = pages.reduce((n, s) => n + s.length, 0) / 1e6;
    const time = (fn: () => void): number => {
      const t0 = performance.now();
      fn();
      return performance.now() - t0;
    };
    parseAuditLogPage(pages[0]!); // warm up
    const kept: unknown[] = [];
    const tJson = time(() => pages.forEach((b) => kept.push(JSON.parse(b))));
    kept.length = 0;
    const parsed = pages.map(() => undefined as unknown as ReturnType<typeof parseAuditLogPage>);
    const tParse = time(() => pages.forEach((b, i) => (parsed[i] = parseAuditLogPage(b))));
    let rawChars = 0;
    const tRaw = time(() => parsed.forEach((page) => page.data.forEach((e) => (rawChars += e.raw.length))));
    let warnings = 0;
    const tWarn = time(() => parsed.forEach((page) => page.data.forEach((e) => (warnings += e.warnings!.length))));
    assert.equal(warnings, 0);
    assert.ok(rawChars > 0);
    console.log(
      `      100,000 events, ${megabytes.toFixed(1)} MB: JSON.parse alone ${tJson.toFixed(0)} ms; ` +
        `parseAuditLogPage ${tParse.toFixed(0)} ms; + raw of every event ${tRaw.toFixed(0)} ms; ` +
        `+ schema warnings of every event ${tWarn.toFixed(0)} ms`,
    );
  });
});
