/**
 * Which OCSF 1.8 class and activity each audit-log event type becomes, as
 * data: a type is `<family>.<verb>` (the verb is its last segment), the
 * family picks the class (FAMILY_CLASSES, first match), and the verb picks
 * the activity within that class (each class's VERB_ACTIVITIES). A verb a
 * class has no activity for becomes 99 Other with the verb as its name. A
 * type this build does not know (not in AUDIT_LOG_EVENT_TYPES) becomes the
 * generic Base Event (class 0, activity Other), with the raw event kept.
 * The class numbers and names are those of the vendored schema
 * (spec/ocsf/, checked by test/unit/export/ocsf.test.ts).
 */
import { isKnownEventType } from '../../model';

export const OCSF_VERSION = '1.8.0';

export type OcsfClassKey = 'authentication' | 'account_change' | 'user_access' | 'group_management' | 'entity_management' | 'base_event';

export interface OcsfClass {
  readonly key: OcsfClassKey;
  readonly classUid: number;
  readonly className: string;
  readonly categoryUid: number;
  readonly categoryName: string;
}

const IAM = { categoryUid: 3, categoryName: 'Identity & Access Management' } as const;

export const OCSF_CLASSES: Readonly<Record<OcsfClassKey, OcsfClass>> = {
  account_change: { key: 'account_change', classUid: 3001, className: 'Account Change', ...IAM },
  authentication: { key: 'authentication', classUid: 3002, className: 'Authentication', ...IAM },
  entity_management: { key: 'entity_management', classUid: 3004, className: 'Entity Management', ...IAM },
  user_access: { key: 'user_access', classUid: 3005, className: 'User Access Management', ...IAM },
  group_management: { key: 'group_management', classUid: 3006, className: 'Group Management', ...IAM },
  base_event: { key: 'base_event', classUid: 0, className: 'Base Event', categoryUid: 0, categoryName: 'Uncategorized' },
};

/**
 * Family -> class, first match wins; every other known family is a
 * configuration change (Entity Management): projects, keys, service
 * accounts, allowlists, rate limits, certificates, SCIM, organization and
 * tenant settings, and role definitions (a role is not a user account, and
 * Account Change requires the user whose account changed).
 */
export const FAMILY_CLASSES: ReadonlyArray<readonly [RegExp, OcsfClassKey]> = [
  [/^(login|logout)$/, 'authentication'],
  [/^(user|tenant\.user|tenant\.membership|invite|tenant\.api_organization_invite|tenant\.chatgpt_workspace_invite)$/, 'account_change'],
  [/^(role\.assignment|tenant\.role_assignment|tenant\.resource_role_assignment|tenant\.resource_access|checkpoint\.permission)$/, 'user_access'],
  [/^(group|tenant\.group|tenant\.group\.member)$/, 'group_management'],
];

/** An activity: its id in the class and its name. */
export type OcsfActivity = readonly [id: number, name: string];

/** Verb -> activity, per class (the class's activity_id enum). */
export const VERB_ACTIVITIES: Readonly<Record<OcsfClassKey, Readonly<Record<string, OcsfActivity>>>> = {
  authentication: {},
  account_change: {
    added: [1, 'Create'],
    created: [1, 'Create'],
    invited: [1, 'Create'],
    sent: [1, 'Create'],
    upserted: [1, 'Create'],
    accepted: [2, 'Enable'],
    deleted: [6, 'Delete'],
    removed: [6, 'Delete'],
    revoked: [6, 'Delete'],
  },
  user_access: {
    created: [1, 'Assign Privileges'],
    deleted: [2, 'Revoke Privileges'],
  },
  group_management: {
    created: [6, 'Create'],
    deleted: [5, 'Delete'],
  },
  entity_management: {
    created: [1, 'Create'],
    registered: [1, 'Create'],
    issued: [1, 'Create'],
    provisioned: [1, 'Create'],
    looked_up: [2, 'Read'],
    updated: [3, 'Update'],
    upserted: [3, 'Update'],
    migrated: [3, 'Update'],
    completed: [3, 'Update'],
    resolved: [3, 'Update'],
    attached: [3, 'Update'],
    detached: [3, 'Update'],
    bound_to_resource: [3, 'Update'],
    unbound_from_resource: [3, 'Update'],
    deleted: [4, 'Delete'],
    removed: [4, 'Delete'],
    revoked: [4, 'Delete'],
    archived: [4, 'Delete'],
    enabled: [8, 'Enable'],
    disabled: [9, 'Disable'],
    activated: [10, 'Activate'],
    deactivated: [11, 'Deactivate'],
  },
  base_event: {},
};

/** Authentication's activity comes from the family: login is Logon, logout Logoff. */
const AUTH_ACTIVITIES: Readonly<Record<string, OcsfActivity>> = { login: [1, 'Logon'], logout: [2, 'Logoff'] };
/** Group membership verbs (family `tenant.group.member`). */
const MEMBER_ACTIVITIES: Readonly<Record<string, OcsfActivity>> = { added: [3, 'Add User'], removed: [4, 'Remove User'] };

export interface OcsfMapping {
  readonly ocsfClass: OcsfClass;
  readonly activity: OcsfActivity;
  readonly family: string;
  readonly verb: string;
}

export function splitType(type: string): { family: string; verb: string } {
  const dot = type.lastIndexOf('.');
  return dot < 0 ? { family: type, verb: '' } : { family: type.slice(0, dot), verb: type.slice(dot + 1) };
}

function humanVerb(verb: string): string {
  const words = verb.replace(/_/g, ' ').trim();
  return words === '' ? 'Other' : words.charAt(0).toUpperCase() + words.slice(1);
}

/** The class and activity of an event type (known types by the tables, others as Base Event). */
export function ocsfMappingOf(type: string): OcsfMapping {
  const { family, verb } = splitType(type);
  if (!isKnownEventType(type)) {
    return { ocsfClass: OCSF_CLASSES.base_event, activity: [99, humanVerb(verb)], family, verb };
  }
  const key = FAMILY_CLASSES.find(([pattern]) => pattern.test(family))?.[1] ?? 'entity_management';
  const table = key === 'authentication' ? AUTH_ACTIVITIES : family.endsWith('.member') ? MEMBER_ACTIVITIES : VERB_ACTIVITIES[key];
  const activity = (key === 'authentication' ? table[family] : table[verb]) ?? [99, humanVerb(verb)];
  return { ocsfClass: OCSF_CLASSES[key], activity, family, verb };
}
