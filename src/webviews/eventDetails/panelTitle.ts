/**
 * The editor tab's title of a details panel: which event it is, so two open
 * panels are not both "api_key.deleted". The type, then the resource's name
 * (as the event carries it), else its id, else the actor. One safe line
 * (core/text clip: no control, bidi or invisible characters, no line break),
 * short enough for a tab. No VS Code here.
 */
import { describeActor, eventDetail, resourceId, type AuditEvent } from '../../core/model';
import { clip } from '../../core/text/oneLine';

const TYPE_MAX = 40;
const WHAT_MAX = 32;
/** Fields that name a resource, most telling first (a project's title before its slug). */
const NAME_FIELDS = ['title', 'name', 'role_name', 'group_name', 'display_name', 'email'] as const;

function nameIn(source: unknown): string | undefined {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return undefined;
  for (const key of NAME_FIELDS) {
    const v = (source as Record<string, unknown>)[key];
    if (typeof v === 'string' && clip(v, WHAT_MAX) !== '') return v;
  }
  return undefined;
}

/** The resource's name in the event: its creation data, the change it requests, or the detail itself. */
function resourceName(e: AuditEvent): string | undefined {
  const detail = eventDetail(e);
  return detail ? (nameIn(detail['data']) ?? nameIn(detail['changes_requested']) ?? nameIn(detail)) : undefined;
}

/** `api_key.deleted · key_abc`, `project.updated · Atlas Prime`, `login.failed · ada@example.com`, or the type alone. */
export function panelTitle(e: AuditEvent): string {
  const type = clip(typeof e.type === 'string' ? e.type : '', TYPE_MAX);
  const actor = describeActor(e);
  const what = [resourceName(e), resourceId(e), actor.kind === 'none' ? undefined : actor.label]
    .map((v) => (v === undefined ? '' : clip(v, WHAT_MAX)))
    .find((v) => v !== '');
  return what ? `${type} · ${what}` : type;
}
