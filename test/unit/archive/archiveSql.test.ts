import * as assert from 'node:assert/strict';
import { AuditArchive, MEMORY } from '../../../src/core/archive';

describe('archive: the SQL door for feature modules', () => {
  it('reads with bound parameters, so a hostile value is a value and not SQL', async () => {
    const archive = await AuditArchive.open(MEMORY);
    try {
      const hostile = "x'); DROP TABLE events; --";
      const row = archive.readSql((sql) => sql.get('SELECT ? AS v, (SELECT count(*) FROM events) AS n', [hostile]));
      assert.deepEqual(row, { v: hostile, n: 0 });
      assert.equal(archive.readSql((sql) => sql.all("SELECT name FROM sqlite_master WHERE name = 'events'")).length, 1);
    } finally {
      archive.close();
    }
  });

  it('refuses writes outside writeSql and rolls a failed writeSql back', async () => {
    const archive = await AuditArchive.open(MEMORY);
    try {
      assert.throws(() => archive.readSql((sql) => sql.run('INSERT INTO coverage (gte, lt) VALUES (1, 2)')), /only available inside/);
      assert.throws(() =>
        archive.writeSql((sql) => {
          sql.run('INSERT INTO coverage (gte, lt) VALUES (?, ?)', [10, 20]);
          throw new Error('feature failed half-way');
        }),
      /half-way/);
      assert.deepEqual(archive.coverage(), []);
      const { changes } = archive.writeSql((sql) => sql.run('INSERT INTO coverage (gte, lt) VALUES (?, ?)', [10, 20]));
      assert.equal(changes, 1);
      assert.deepEqual(archive.coverage(), [{ gte: 10, lt: 20 }]);
    } finally {
      archive.close();
    }
  });
});
