/**
 * One audit-log event as an OCSF 1.8 event (a line of the `ocsf` export):
 * class and activity from ocsfMapping.ts; `metadata.uid` the audit-log id,
 * `time` in milliseconds, the actor's user, IP, geolocation and user agent,
 * status (a `*.failed` verb is a Failure, every other recorded action a
 * Success), severity, the class's required object (the user, privileges,
 * group or managed entity), and the whole original event as `raw_data`
 * (the exact wire text, on one line).
 */
import { describeActor, eventDetail, resourceId, summarizeEvent, type ActorInfo, type ParsedEvent } from '../../model';
import { asRecord, ipAddressDetails, singleLineJson } from '../wireFields';
import { OCSF_VERSION, ocsfMappingOf, type OcsfMapping } from './ocsfMapping';

type Json = Record<string, unknown>;

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
/** Drops undefined members, so absent wire fields leave no key behind. */
function compact(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const EMAIL = /^[a-zA-Z0-9!#$%&'*+\-/=?^_`{|}~.]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$/;
/** An email the OCSF `email_t` accepts, else undefined (a hostile value stays in raw_data only). */
function email(value: unknown): string | undefined {
  const text = asString(value);
  return text !== undefined && EMAIL.test(text) ? text : undefined;
}

function userOfActor(actor: ActorInfo): Json | undefined {
  if (actor.kind === 'service-account-api-key') {
    return compact({ uid: actor.serviceAccountId ?? actor.apiKeyId, type_id: 4, type: 'Service', credential_uid: actor.apiKeyId });
  }
  if (actor.email === undefined && actor.userId === undefined && actor.apiKeyId === undefined) return undefined;
  return compact({
    uid: actor.userId ?? actor.apiKeyId,
    email_addr: email(actor.email),
    name: actor.email,
    type_id: 1,
    type: 'User',
    credential_uid: actor.apiKeyId,
  });
}

function latLong(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

function srcEndpoint(e: ParsedEvent, actor: ActorInfo): Json | undefined {
  if (actor.ipAddress === undefined) return undefined;
  const d = ipAddressDetails(e);
  const location = d
    ? compact({ country: asString(d['country']), city: asString(d['city']), region: asString(d['region']), lat: latLong(d['latitude']), long: latLong(d['longitude']) })
    : undefined;
  const hasPlace = location && (location['country'] ?? location['city'] ?? location['region']) !== undefined;
  return compact({ ip: actor.ipAddress, location: hasPlace ? location : undefined });
}

/** The user an account or access change is about: the detail's user or principal, else its resource. */
function targetUser(e: ParsedEvent, m: OcsfMapping): Json {
  const detail = eventDetail(e.event);
  const data = asRecord(detail?.['data']);
  const mail = email(data?.['email']) ?? email(detail?.['email']);
  const uid = asString(detail?.['user_id']) ?? asString(detail?.['principal_id']) ?? (mail === undefined ? resourceId(e.event) : undefined);
  const user = compact({ uid, email_addr: mail, name: mail, type: asString(detail?.['principal_type']) });
  return user['uid'] !== undefined || user['name'] !== undefined ? user : { name: m.family };
}

/** The required object of the event's class. */
function classObject(e: ParsedEvent, m: OcsfMapping, actorUser: Json | undefined): Json {
  const detail = eventDetail(e.event);
  const data = asRecord(detail?.['data']);
  const id = resourceId(e.event);
  switch (m.ocsfClass.key) {
    case 'authentication':
      return { user: actorUser ?? { name: 'unknown' }, service: { name: 'OpenAI Platform' } };
    case 'account_change':
      return { user: targetUser(e, m) };
    case 'user_access': {
      const privilege = asString(detail?.['role_id']) ?? asString(detail?.['role_name']) ?? asString(detail?.['role']) ?? asString(data?.['role']) ?? m.family;
      return { user: targetUser(e, m), privileges: [privilege] };
    }
    case 'group_management': {
      const group = compact({ uid: asString(detail?.['group_id']) ?? id, name: asString(data?.['group_name']) ?? asString(detail?.['group_name']) });
      const member = m.family.endsWith('.member') ? { user: targetUser(e, m) } : {};
      return { group: group['uid'] !== undefined || group['name'] !== undefined ? group : { name: m.family }, ...member };
    }
    case 'entity_management':
      return { entity: compact({ uid: id, name: asString(data?.['name']) ?? asString(detail?.['role_name']) ?? id ?? m.family, type: m.family }) };
    case 'base_event':
      return {};
  }
}

function severity(m: OcsfMapping, failed: boolean): [number, string] {
  if (failed) return [3, 'Medium'];
  if (m.activity[1].startsWith('Delete') || m.activity[1].startsWith('Revoke')) return [2, 'Low'];
  return [1, 'Informational'];
}

export function toOcsf(e: ParsedEvent, productVersion?: string): Json {
  const event = e.event;
  const m = ocsfMappingOf(event.type);
  const { classUid, className, categoryUid, categoryName } = m.ocsfClass;
  const [activityId, activityName] = m.activity;
  const actor = describeActor(event);
  const actorUser = userOfActor(actor);
  const failed = m.verb === 'failed';
  const [severityId, severityName] = severity(m, failed);
  const millis = Math.round(event.effective_at * 1000);
  const who = compact({
    actor: actorUser ? { user: actorUser } : undefined,
    src_endpoint: srcEndpoint(e, actor),
    http_request: actor.userAgent !== undefined ? { user_agent: actor.userAgent } : undefined,
  });
  return compact({
    class_uid: classUid,
    class_name: className,
    category_uid: categoryUid,
    category_name: categoryName,
    activity_id: activityId,
    activity_name: activityName,
    type_uid: classUid * 100 + activityId,
    type_name: `${className}: ${activityName}`,
    time: Number.isSafeInteger(millis) ? millis : 0,
    severity_id: severityId,
    severity: severityName,
    status_id: failed ? 2 : 1,
    status: failed ? 'Failure' : 'Success',
    message: e.unreadable === undefined ? summarizeEvent(event) : `Unreadable event: ${e.unreadable}`,
    metadata: compact({
      uid: event.id,
      version: OCSF_VERSION,
      product: compact({ name: 'OpenAI Platform', vendor_name: 'OpenAI', version: productVersion }),
      log_name: 'audit_logs',
      event_code: event.type,
      original_time: Number.isFinite(event.effective_at) ? String(event.effective_at) : undefined,
    }),
    // Base Event has no actor or endpoints: for a type this build does not know they go to `unmapped`.
    ...(m.ocsfClass.key === 'base_event' ? { unmapped: compact(who) } : who),
    ...classObject(e, m, actorUser),
    raw_data: singleLineJson(e.raw),
  });
}
