/**
 * A validator for OCSF events built from the schema's own files (vendored
 * under spec/ocsf from ocsf/ocsf-schema 1.8.0): a class's attributes are its
 * own over its parents' (`extends`), each typed by the dictionary; objects
 * likewise. It reports, with the path: a required attribute missing, an
 * `at_least_one` constraint unmet, an attribute the class or object does not
 * define, a value of the wrong type (scalars by their base type and regex,
 * objects recursively, arrays), an enum id the schema does not list, and a
 * class_uid / type_uid that does not follow from the class and activity.
 * Profiles (`$include`) are not loaded: the export uses none of their
 * attributes, so any of them would show as undefined.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..', 'spec', 'ocsf');

interface AttributeDef {
  readonly type?: string;
  readonly is_array?: boolean;
  readonly requirement?: string;
  readonly enum?: Record<string, unknown>;
}
interface Definition {
  readonly name: string;
  readonly uid?: number;
  readonly category?: string;
  readonly extends?: string;
  readonly attributes: Record<string, AttributeDef>;
  readonly constraints?: { at_least_one?: string[]; just_one?: string[] };
}

function readJson<T>(...parts: string[]): T {
  return JSON.parse(fs.readFileSync(path.join(ROOT, ...parts), 'utf8')) as T;
}

const dictionary = readJson<{ attributes: Record<string, AttributeDef>; types: { attributes: Record<string, { type?: string; regex?: string }> } }>('dictionary.json');
const categories = readJson<{ attributes: Record<string, { uid: number }> }>('categories.json');

function findEventFile(name: string): string[] {
  if (name === 'base_event') return ['events', 'base_event.json'];
  return ['events', 'iam', `${name}.json`];
}

const resolved = new Map<string, Definition>();
function resolve(kind: 'events' | 'objects', name: string): Definition {
  const key = `${kind}/${name}`;
  if (!resolved.has(key)) resolved.set(key, resolveUncached(kind, name));
  return resolved.get(key)!;
}

/** A class or object with its parents' attributes merged under its own (enums merged too). */
function resolveUncached(kind: 'events' | 'objects', name: string): Definition {
  const own = kind === 'events' ? readJson<Definition>(...findEventFile(name)) : readJson<Definition>('objects', `${name}.json`);
  const parent = own.extends && own.extends !== 'object' ? resolve(kind, own.extends) : undefined;
  const attributes: Record<string, AttributeDef> = { ...(parent?.attributes ?? {}) };
  for (const [key, def] of Object.entries(own.attributes ?? {})) {
    if (key === '$include') continue;
    const base = attributes[key] ?? {};
    attributes[key] = { ...base, ...def, ...(base.enum || def.enum ? { enum: { ...(base.enum ?? {}), ...(def.enum ?? {}) } } : {}) };
  }
  return { ...own, category: own.category ?? parent?.category, attributes, constraints: own.constraints ?? parent?.constraints ?? {} } as Definition;
}

/** The dictionary's definition of an attribute, with the class's or object's overrides. */
function attributeDef(name: string, local: AttributeDef): AttributeDef {
  const dict = dictionary.attributes[name] ?? {};
  const merged = { ...dict, ...local };
  return dict.enum || local.enum ? { ...merged, enum: { ...(dict.enum ?? {}), ...(local.enum ?? {}) } } : merged;
}

function baseType(type: string): { base: string; regex?: RegExp } {
  let t = type;
  let regex: RegExp | undefined;
  for (let guard = 0; guard < 5; guard++) {
    const def = dictionary.types.attributes[t];
    if (!def) break;
    if (def.regex && !regex) regex = new RegExp(def.regex);
    if (!def.type) break;
    t = def.type;
  }
  return { base: t, ...(regex ? { regex } : {}) };
}

function checkScalar(value: unknown, type: string, where: string, errors: string[]): void {
  const { base, regex } = baseType(type);
  const ok =
    base === 'string_t' ? typeof value === 'string' && (!regex || regex.test(value))
    : base === 'integer_t' || base === 'long_t' ? Number.isSafeInteger(value)
    : base === 'float_t' ? typeof value === 'number' && Number.isFinite(value)
    : base === 'boolean_t' ? typeof value === 'boolean'
    : base === 'json_t' ? value !== undefined
    : false;
  if (!ok) errors.push(`${where}: ${JSON.stringify(value)} is not a valid ${type}`);
}

function checkValue(value: unknown, def: AttributeDef, where: string, errors: string[]): void {
  if (def.is_array) {
    if (!Array.isArray(value)) return void errors.push(`${where}: not an array`);
    value.forEach((v, i) => checkValue(v, { ...def, is_array: false }, `${where}[${i}]`, errors));
    return;
  }
  const type = def.type ?? 'string_t';
  if (type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) errors.push(`${where}: not an object`);
  } else if (type.endsWith('_t')) {
    checkScalar(value, type, where, errors);
  } else {
    if (!fs.existsSync(path.join(ROOT, 'objects', `${type}.json`))) return void errors.push(`${where}: object ${type} is not vendored`);
    checkObject(value, resolve('objects', type), where, errors);
  }
  if (def.enum && !Object.prototype.hasOwnProperty.call(def.enum, String(value))) errors.push(`${where}: ${JSON.stringify(value)} is not in its enum`);
}

function checkObject(value: unknown, definition: Definition, where: string, errors: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return void errors.push(`${where}: not an object`);
  const o = value as Record<string, unknown>;
  for (const [key, local] of Object.entries(definition.attributes)) {
    if (local.requirement === 'required' && o[key] === undefined) errors.push(`${where}.${key}: required, missing`);
  }
  const atLeastOne = definition.constraints?.at_least_one;
  if (atLeastOne && !atLeastOne.some((k) => o[k] !== undefined)) errors.push(`${where}: needs at least one of ${atLeastOne.join(', ')}`);
  for (const [key, v] of Object.entries(o)) {
    const local = definition.attributes[key];
    if (!local) errors.push(`${where}.${key}: not an attribute of ${definition.name}`);
    else checkValue(v, attributeDef(key, local), `${where}.${key}`, errors);
  }
}

/** The schema's class files by class_uid (category uid × 1000 + the class's uid; Base Event is 0). */
const CLASS_NAMES = ['base_event', 'account_change', 'authentication', 'entity_management', 'user_access', 'group_management'];
export const CLASSES: ReadonlyMap<number, Definition> = new Map(
  CLASS_NAMES.map((name) => {
    const def = resolve('events', name);
    if (name === 'base_event') return [0, def] as const;
    // As the compiled schema does: a class's class_uid and category_uid enums hold its own ids, not Base Event's 0.
    const category = categories.attributes[def.category!]!.uid;
    const uid = category * 1000 + def.uid!;
    const attributes = { ...def.attributes, class_uid: { ...def.attributes.class_uid, enum: { [uid]: {} } }, category_uid: { ...def.attributes.category_uid, enum: { [category]: {} } } };
    return [uid, { ...def, attributes }] as const;
  }),
);

/** Every problem of one OCSF event against the vendored schema; [] when it is valid. */
export function validateOcsfEvent(event: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const definition = CLASSES.get(event.class_uid as number);
  if (!definition) return [`class_uid ${String(event.class_uid)} is not a vendored class`];
  checkObject(event, definition, definition.name, errors);
  const category = definition.category && definition.category !== 'other' ? categories.attributes[definition.category]?.uid : 0;
  if (event.category_uid !== category) errors.push(`category_uid ${String(event.category_uid)}, expected ${String(category)}`);
  if (event.type_uid !== (event.class_uid as number) * 100 + (event.activity_id as number)) errors.push(`type_uid ${String(event.type_uid)} is not class_uid * 100 + activity_id`);
  const activity = definition.attributes.activity_id?.enum ?? {};
  const activityCaption = (activity[String(event.activity_id)] as { caption?: string } | undefined)?.caption;
  if (event.activity_id !== 99 && event.activity_name !== activityCaption) errors.push(`activity_name ${String(event.activity_name)}, the schema says ${String(activityCaption)}`);
  return errors;
}
