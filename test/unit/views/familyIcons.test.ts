import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AUDIT_LOG_EVENT_TYPES } from '../../../src/core/model';
import { UNKNOWN_FAMILY_ICON, familyIconId } from '../../../src/views/familyIcons';

const codiconsCss = path.join(__dirname, '..', '..', '..', 'node_modules', '@vscode', 'codicons', 'dist', 'codicon.css');

describe('views: an icon per event family', () => {
  it('gives every known event type a family icon, none the generic one', () => {
    const generic = AUDIT_LOG_EVENT_TYPES.filter((t) => familyIconId(t) === UNKNOWN_FAMILY_ICON);
    assert.deepEqual(generic, []);
  });

  it('reads tenant families by their words', () => {
    assert.equal(familyIconId('tenant.admin_api_key.created'), 'key');
    assert.equal(familyIconId('tenant.billing.info.updated'), 'credit-card');
    assert.equal(familyIconId('tenant.user.added'), 'person');
    assert.equal(familyIconId('tenant.custom_role.created'), 'shield');
    assert.equal(familyIconId('api_key.created'), 'key');
  });

  it('falls back to the generic icon for a type nobody knows, hostile or not', () => {
    assert.equal(familyIconId('zzz.happened'), UNKNOWN_FAMILY_ICON);
    assert.equal(familyIconId('<b>\u202E</b>'), UNKNOWN_FAMILY_ICON);
  });

  it('uses only icons that exist in the codicon font', function () {
    if (!fs.existsSync(codiconsCss)) this.skip();
    const css = fs.readFileSync(codiconsCss, 'utf8');
    const used = new Set([...AUDIT_LOG_EVENT_TYPES.map(familyIconId), UNKNOWN_FAMILY_ICON]);
    for (const icon of used) assert.ok(css.includes(`.codicon-${icon}:before`), `codicon ${icon}`);
  });
});
