/**
 * A few security incidents in the sample organization, so `npm start` shows real findings (issue 13). One
 * story, placed at fractions of the window like the scripted history: someone tries leaked passwords on one
 * member's account from many addresses, gets in from a country the member never used, deletes a dozen of
 * that member's API keys within minutes and invites an outside owner. It uses no randomness (fixed
 * addresses, the member's first session profile), so the rest of the sample is drawn as before.
 *
 * What the findings should say about it: credential-stuffing (the failures), brute-force-success (the
 * failures and the login), new-country-for-actor (the login), mass-deletion (the deletions),
 * admin-role-granted at critical (the owner invite).
 */
import type { SampleActor, SampleIpAddressDetails, SampleUser } from './sampleTypes';
import type { SampleWorld } from './sampleWorld';

/** Where the attacker's requests come from (the IPv6 documentation range, shaped unlike the roster's addresses so none collides). */
const ATTACKER_DETAILS: SampleIpAddressDetails = {
  country: 'RO',
  city: 'Bucharest',
  region: 'Bucuresti',
  region_code: 'B',
  asn: '64511',
  latitude: '44.4268',
  longitude: '26.1025',
};
export const ATTACKER_IP = '2001:db8:0:bad::1';
export const INCIDENT_INVITE_EMAIL = 'it-support-backup@proton.example';
const KEYS = 12;

export function writeIncidents(w: SampleWorld): void {
  const created = w.at(0.55);
  const attack = w.at(0.93);
  const victim = w.roster.users.find((u) => !w.roster.adminUserIds.includes(u.id) && w.isUserActive(u, created) && w.isUserActive(u, w.endTime));
  if (!victim) return;
  const project = w.defaultProject;
  const keys = Array.from({ length: KEYS }, (_, i) => `key_incident${String(i).padStart(4, '0')}`);
  keys.forEach((id, i) => w.add(created + i * 60, 'api_key.created', { id, data: { scopes: ['api.model.read'] } }, w.session(victim, 0), project));

  for (let i = 0; i < 6; i++) {
    w.add(attack + i * 75, 'login.failed', { error_code: 'invalid_credentials', error_message: 'Invalid email or password.' }, attacker(w, victim, `2001:db8:0:bad::${41 + i}`));
  }
  const inside = attack + 600;
  w.add(inside, 'login.succeeded', {}, attacker(w, victim, ATTACKER_IP));
  keys.forEach((id, i) => w.add(inside + 120 + i * 20, 'api_key.deleted', { id }, attacker(w, victim, ATTACKER_IP), project));
  w.add(inside + 480, 'invite.sent', { id: 'invite-incident0001', data: { email: INCIDENT_INVITE_EMAIL, role: 'owner' } }, attacker(w, victim, ATTACKER_IP));
}

/** The victim's session as the attacker has it: the victim's account, another address and country. */
function attacker(w: SampleWorld, victim: SampleUser, ip: string): SampleActor {
  const actor = w.session(victim, 0);
  if (actor.type === 'session') {
    actor.session.ip_address = ip;
    actor.session.ip_address_details = { ...ATTACKER_DETAILS };
  }
  return actor;
}
