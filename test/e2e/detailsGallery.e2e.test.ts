/**
 * The details panel for the kinds of events an admin meets, in the light,
 * dark and high-contrast default themes (picked as a user does): a failed login without an actor, organization
 * settings changes, a role's permissions and metadata, API key scopes, a
 * project whose name spoofs with a right-to-left override, an event type this
 * build does not know, and a 6,000-address allowlist.
 *
 * For each it checks what a screenshot review found worth keeping true: no
 * value makes the page scroll sideways, and every string from the API is
 * isolated for bidirectional text (a U+202E in a name cannot reorder the text
 * around it). Screenshots go to test-results/details-gallery/ for review; the
 * README's docs/images/event-diff.png is refreshed from the role update with
 * OAL_UPDATE_SCREENSHOTS=1.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { HOSTILE_STRINGS, longDescription } from '../../src/core/sample/hostileStrings';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { REPO_ROOT } from '../harness/vscodeServer';
import { activityBarItem, clipboardWhen, eventPanel, openEventFromPalette, openWorkbench, type WorkbenchSession, selectTheme } from './harness';

const KEY = 'sk-admin-e2e-gallery-0123456789abcdef';
const T0 = 1_760_000_000;
const admin = {
  type: 'session',
  session: {
    user: { id: 'user_grace', email: 'grace.hopper@acme-research.example' },
    ip_address: '2001:db8:85a3::8a2e:370:7334',
    user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    ip_address_details: { country: 'US', city: 'Arlington', region: 'Virginia' },
  },
};
const keyActor = { type: 'api_key', api_key: { id: 'key_pipeline_ci', type: 'service_account', service_account: { id: 'svc_acct_pipeline' } } };
const atlas = { id: 'proj_atlas', name: 'Atlas' };
const spoof = { id: 'proj_spoof', name: HOSTILE_STRINGS.rtlOverrideGroupName };

const EVENTS: Record<string, unknown>[] = [
  {
    id: 'audit_log-org-1',
    type: 'organization.updated',
    effective_at: T0,
    actor: admin,
    'organization.updated': { id: 'org_acme', changes_requested: { title: 'Acme Research', settings: { threads_ui_visibility: 'OWNERS', usage_dashboard_visibility: 'ANY_ROLE' } } },
  },
  {
    id: 'audit_log-org-2',
    type: 'organization.updated',
    effective_at: T0 + 600,
    actor: admin,
    'organization.updated': {
      id: 'org_acme',
      changes_requested: { title: 'Acme Research Labs', description: longDescription(), settings: { threads_ui_visibility: 'NONE', usage_dashboard_visibility: 'OWNERS' } },
    },
  },
  {
    id: 'audit_log-role-1',
    type: 'role.created',
    effective_at: T0 + 1000,
    actor: admin,
    project: atlas,
    'role.created': {
      id: 'role_finetune',
      role_name: 'Fine-tune operators',
      permissions: ['api.fine_tuning.jobs.read', 'api.fine_tuning.jobs.write', 'api.files.read'],
      resource_type: 'api.project',
      resource_id: 'proj_atlas',
      metadata: { ticket: 'SEC-1201' },
    },
  },
  {
    id: 'audit_log-role-2',
    type: 'role.updated',
    effective_at: T0 + 2000,
    actor: admin,
    project: atlas,
    'role.updated': {
      id: 'role_finetune',
      changes_requested: {
        role_name: 'Fine-tune admins',
        description: 'Runs and manages fine-tuning jobs in Atlas.',
        metadata: { ticket: 'SEC-1423' },
        permissions_added: ['api.batch.write', 'api.fine_tuning.checkpoints.write'],
        permissions_removed: ['api.fine_tuning.jobs.read'],
      },
    },
  },
  {
    id: 'audit_log-key-1',
    type: 'api_key.created',
    effective_at: T0 + 3000,
    actor: admin,
    project: atlas,
    'api_key.created': { id: 'key_pipeline_ci', data: { scopes: ['api.model.read', 'api.files.read'] } },
  },
  {
    id: 'audit_log-key-2',
    type: 'api_key.updated',
    effective_at: T0 + 4000,
    actor: keyActor,
    project: atlas,
    'api_key.updated': { id: 'key_pipeline_ci', changes_requested: { scopes: ['api.model.read', 'api.model.request', 'api.responses.write'] } },
  },
  {
    id: 'audit_log-login-failed',
    type: 'login.failed',
    effective_at: T0 + 5000,
    actor: null,
    'login.failed': { error_code: 'invalid_credentials', error_message: HOSTILE_STRINGS.htmlErrorMessage },
  },
  {
    id: 'audit_log-spoof',
    type: 'project.updated',
    effective_at: T0 + 6000,
    actor: admin,
    project: spoof,
    'project.updated': { id: 'proj_spoof', changes_requested: { title: `${HOSTILE_STRINGS.rtlOverrideGroupName} ${HOSTILE_STRINGS.arabicProjectName} ${HOSTILE_STRINGS.emojiGroupName}` } },
  },
  {
    id: 'audit_log-unknown',
    type: 'tenant.quantum_widget.frobnicated',
    effective_at: T0 + 7000,
    actor: admin,
    'tenant.quantum_widget.frobnicated': { id: 'qw_1', flux: { capacitor: 1.21, units: 'GW' }, modes: ['a', 'b'] },
    brand_new_envelope_field: { rolled_out: '2027-01' },
  },
  {
    id: 'audit_log-allowlist',
    type: 'ip_allowlist.updated',
    effective_at: T0 + 8000,
    actor: admin,
    'ip_allowlist.updated': { id: 'ipl_office', name: 'Offices and VPN', allowed_ips: Array.from({ length: 6000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.0/24`) },
  },
];

// A long allowlist changed by a few elements: the diff shows those and folds the rest.
const VPN = Array.from({ length: 3000 }, (_, i) => `172.16.${(i >> 8) & 255}.${i & 255}/32`);
EVENTS.push(
  { id: 'audit_log-vpn-1', type: 'ip_allowlist.created', effective_at: T0 + 8100, actor: admin, 'ip_allowlist.created': { id: 'ipl_vpn', name: 'VPN', allowed_ips: VPN } },
  {
    id: 'audit_log-vpn-2',
    type: 'ip_allowlist.updated',
    effective_at: T0 + 8200,
    actor: admin,
    'ip_allowlist.updated': { id: 'ipl_vpn', allowed_ips: [...VPN.slice(2), '192.0.2.1/32', '192.0.2.2/32', '192.0.2.3/32'] },
  },
);

const SHOTS: [eventId: string, name: string, ready: string][] = [
  ['audit_log-login-failed', 'login-failed-null-actor', '#detail'],
  ['audit_log-org-2', 'organization-settings', 'table.diff tr[data-field="settings.threads_ui_visibility"] td.before .v-string'],
  ['audit_log-role-2', 'role-permissions', 'table.diff tr[data-field="permissions"] .el-added'],
  ['audit_log-key-2', 'api-key-scopes', 'table.diff tr[data-field="scopes"] .el-added'],
  ['audit_log-spoof', 'rtl-override-project', 'table.diff tr[data-field="title"]'],
  ['audit_log-unknown', 'unknown-type', '#extra'],
  ['audit_log-allowlist', 'allowlist-6000', '#detail .array'],
  ['audit_log-vpn-2', 'allowlist-few-changes', 'table.diff tr[data-field="allowed_ips"] .el-added'],
];

const panel = eventPanel;

async function openEvent(page: Page, eventId: string): Promise<void> {
  await openEventFromPalette(page, eventId);
  await panel(page).locator('.event-id', { hasText: eventId }).waitFor({ timeout: 60_000 });
}

/** Themes chosen through the Color Theme picker, as a user does: label, file slug, the workbench's theme class. */
const THEMES: [label: string, slug: string, workbenchClass: string][] = [
  ['Light Modern', 'light', 'light_modern-json'],
  ['Dark Modern', 'dark', 'dark_modern-json'],
  ['Dark High Contrast', 'high-contrast', 'hc_black-json'],
];

{
  describe('e2e: event details gallery', function () {
    this.timeout(240_000);
    let session: WorkbenchSession;
    let server: FakeAuditLogServer;
    const outDir = path.join(REPO_ROOT, 'test-results', 'details-gallery');
    const slug = 'default';

    before(async () => {
      fs.mkdirSync(outDir, { recursive: true });
      server = await startFakeAuditLogServer({ events: EVENTS, apiKey: KEY });
      session = await openWorkbench({
        userSettings: { 'openaiAuditLogs.apiBaseUrl': server.url },
        env: { OPENAI_ADMIN_KEY: KEY },
      });
      await activityBarItem(session.page).click();
      await session.page.locator('.sidebar .monaco-list-row').first().waitFor({ timeout: 60_000 });
    });
    after(async () => {
      await session?.close();
      await server?.close();
    });

    it('shows the right-to-left override in a project name as a visible marker, not applied', async () => {
      const { page } = session;
      await openEvent(page, 'audit_log-spoof');
      const name = panel(page).locator('.project-name');
      assert.equal(await name.locator('.ctrl').innerText(), 'U+202E');
      assert.equal(await name.innerText(), 'Research Team U+202Etxt.exe');
      assert.match((await name.locator('.ctrl').getAttribute('title')) ?? '', /RIGHT-TO-LEFT OVERRIDE/);
    });

    it('cuts a 6,000-character value in the diff and folds long lists', async () => {
      const { page } = session;
      await openEvent(page, 'audit_log-org-2');
      const description = panel(page).locator('table.diff tr[data-field="description"] td.after');
      await description.waitFor({ timeout: 60_000 });
      assert.ok((await description.locator('.v-string').innerText()).length <= 400);
      await description.getByRole('button', { name: /show all 6,\d{3} characters/ }).waitFor();
      for (const field of ['settings.threads_ui_visibility', 'settings.usage_dashboard_visibility']) {
        await panel(page).locator(`table.diff tr[data-field="${field}"]`).waitFor();
      }
      assert.equal((await panel(page).locator('tr[data-field="settings.threads_ui_visibility"] td.before').innerText()).trim(), 'OWNERS');
      assert.equal((await panel(page).locator('tr[data-field="settings.threads_ui_visibility"] td.after').innerText()).trim(), 'NONE');
      await openEvent(page, 'audit_log-allowlist');
      const ips = panel(page).locator('table.diff tr[data-field="allowed_ips"] td.after');
      await ips.getByRole('button', { name: '▸ 6,000 items' }).waitFor({ timeout: 60_000 });
      assert.equal(await ips.locator('li').count(), 0);

      // 3,000 addresses, 2 removed and 3 added: those 5 are shown, the 2,998 others folded.
      await openEvent(page, 'audit_log-vpn-2');
      const vpn = panel(page).locator('table.diff tr[data-field="allowed_ips"] td.after');
      await vpn.locator('.el-added').first().waitFor({ timeout: 60_000 });
      assert.deepEqual(await vpn.locator('li.el-removed').allInnerTexts().then((t) => t.map((x) => x.replace(/^−\s*/, '').trim())), ['172.16.0.0/32', '172.16.0.1/32']);
      assert.equal(await vpn.locator('li.el-added').count(), 3);
      assert.equal(await vpn.locator('li.el-kept').count(), 0);
      const before = panel(page).locator('table.diff tr[data-field="allowed_ips"] td.before');
      await before.getByRole('button', { name: '▸ 3,000 items' }).waitFor();
      await vpn.getByRole('button', { name: '▸ 2,998 unchanged elements' }).click();
      assert.equal(await vpn.locator('li.el-kept').count(), 100, 'opened in slices');
    });

    it('shows the role\'s history: created, then updated, with the state after each', async () => {
      const { page } = session;
      await openEvent(page, 'audit_log-role-2');
      await panel(page).getByRole('button', { name: 'History of this resource' }).click();
      const entries = panel(page).locator('#history ol.timeline > li');
      await entries.nth(1).waitFor({ timeout: 60_000 });
      assert.deepEqual(await entries.evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.eventId)), ['audit_log-role-1', 'audit_log-role-2']);
      await panel(page).locator('#history').scrollIntoViewIfNeeded();
      await page.locator('.part.editor').screenshot({ path: path.join(outDir, `role-history-${slug}.png`) });
      // The update shows what it changed as before → after; the whole state after it is folded below.
      await entries.nth(1).locator('table.diff.step tr[data-field="role_name"]').waitFor();
      await entries.nth(1).locator('.state-after .toggle').click();
      // The fields the update set are marked in the state after it; the others are not.
      assert.deepEqual(
        (await entries.nth(1).locator('.state-after table.kv > tbody > tr.changed-here > th').allInnerTexts()).sort(),
        ['description', 'metadata', 'permissions', 'role_name'],
      );
      const permissions = entries.nth(1).locator('.state-after table.kv > tbody > tr', { has: panel(page).locator('th', { hasText: /^permissions$/ }) });
      assert.deepEqual(
        (await permissions.locator('td li').allInnerTexts()).map((t) => t.trim()),
        ['api.fine_tuning.jobs.write', 'api.files.read', 'api.batch.write', 'api.fine_tuning.checkpoints.write'],
      );
    });

    it('reaches the toolbar from the keyboard with a visible focus outline, and runs a button with Enter', async () => {
      const { page } = session;
      await openEvent(page, 'audit_log-role-2');
      await panel(page).locator('h1.type').click();
      await page.keyboard.press('Tab');
      const focused = await panel(page)
        .locator('body')
        .evaluate((body) => {
          const active = body.ownerDocument.activeElement as HTMLElement | null;
          const style = active ? getComputedStyle(active) : undefined;
          return { text: active?.textContent, tag: active?.tagName, outline: style?.outlineStyle, width: style?.outlineWidth };
        });
      assert.deepEqual(focused, { text: 'Copy JSON', tag: 'BUTTON', outline: 'solid', width: '1px' });
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter'); // Copy ID
      await clipboardWhen(page, 'the event id copied by Enter on Copy ID', (t) => t === 'audit_log-role-2');
    });

    for (const [label, themeSlug, workbenchClass] of THEMES) {
      describe(`in ${label}`, () => {
        before(async () => {
          await selectTheme(session.page, label, workbenchClass);
        });

        for (const [eventId, name, ready] of SHOTS) {
          it(`${name}: fits the panel's width and isolates API strings (${label})`, async () => {
            const { page } = session;
            await openEvent(page, eventId);
            await panel(page).locator(ready).first().waitFor({ timeout: 60_000 });
            const layout = await panel(page)
              .locator('body')
              .evaluate(async (body) => {
                await body.ownerDocument.fonts.ready;
                const doc = body.ownerDocument.documentElement;
                const strings = [...body.querySelectorAll('.v-string, .part, code, th.key, .field-name, .project-name')];
                return {
                  overflow: doc.scrollWidth - doc.clientWidth,
                  // The toolbar's icons come from the codicon font copied into dist/.
                  codicons: body.ownerDocument.fonts.check('14px codicon') && [...body.ownerDocument.fonts].some((f) => f.family.replace(/"/g, '') === 'codicon' && f.status === 'loaded'),
                  notIsolated: strings.filter((s) => !/isolate/.test(getComputedStyle(s).unicodeBidi)).map((s) => s.className),
                };
              });
            await page.locator('.part.editor').screenshot({ path: path.join(outDir, `${name}-${themeSlug}.png`) });
            if (name === 'role-permissions' && themeSlug === 'dark' && process.env.OAL_UPDATE_SCREENSHOTS === '1') {
              await page.screenshot({ path: path.join(REPO_ROOT, 'docs', 'images', 'event-diff.png') });
            }
            assert.ok(layout.overflow <= 1, `the page scrolls sideways by ${layout.overflow}px`);
            assert.ok(layout.codicons, 'the codicon font loaded');
            assert.deepEqual([...new Set(layout.notIsolated)], [], 'strings without bidi isolation');
          });
        }
      });
    }
  });
}
