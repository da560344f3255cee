/**
 * @module What the library (merchant page) and the field iframes say to each other.
 *
 * Only non-sensitive data ever crosses this boundary: options, `change` state (brands and
 * validity, never digits), focus and errors, and finally the transient-token JWT. Card data
 * stays inside the iframes' origin (RELIABILITY-FACTS §1.3). Every message is checked on
 * arrival: origin, source window and shape (`parseEnvelope`).
 */
import { isRecord, isString, type Json } from './guards.ts';

export const FIELD_TYPES = ['number', 'securityCode'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export function isFieldType(value: unknown): value is FieldType {
  return value === 'number' || value === 'securityCode';
}

/** Events integrators can subscribe to (MF011 constants, API-FACTS §5.4). */
export const FIELD_EVENTS = [
  'autocomplete',
  'blur',
  'change',
  'error',
  'focus',
  'inputSubmitRequest',
  'load',
  'unload',
  'update',
] as const;
export type FieldEvent = (typeof FIELD_EVENTS)[number];

export function isFieldEvent(value: unknown): value is FieldEvent {
  return FIELD_EVENTS.some((e) => e === value);
}

/** Parent → iframe commands. */
const COMMANDS = ['update', 'clear', 'focus', 'blur', 'tokenize'] as const;
export type Command = (typeof COMMANDS)[number];

/** Iframe → parent notifications: the public events plus the tokenization answer. */
const NOTIFICATIONS = [
  'autocomplete',
  'blur',
  'change',
  'error',
  'focus',
  'inputSubmitRequest',
  'load',
  'update',
  'tokenizeResult',
] as const;
export type Notification = (typeof NOTIFICATIONS)[number];

/** Marks our messages among whatever else the page posts. */
export const PROTOCOL = 'flex-microform-emulator/1';

export interface Envelope<E extends string = string> {
  protocol: typeof PROTOCOL;
  fieldId: string;
  event: E;
  data: Json;
}

export function envelope<E extends string>(
  fieldId: string,
  event: E,
  data: Json = {},
): Envelope<E> {
  return { protocol: PROTOCOL, fieldId, event, data };
}

function oneOf<E extends string>(list: readonly E[]) {
  return (value: unknown): value is E => list.some((item) => item === value);
}

function parseEnvelope<E extends string>(
  value: unknown,
  isEvent: (v: unknown) => v is E,
): Envelope<E> | undefined {
  if (!isRecord(value) || value.protocol !== PROTOCOL) return undefined;
  const { fieldId, event, data } = value;
  if (!isString(fieldId) || !isEvent(event) || !isRecord(data)) return undefined;
  return { protocol: PROTOCOL, fieldId, event, data };
}

export function parseCommand(value: unknown): Envelope<Command> | undefined {
  return parseEnvelope(value, oneOf(COMMANDS));
}

export function parseNotification(value: unknown): Envelope<Notification> | undefined {
  return parseEnvelope(value, oneOf(NOTIFICATIONS));
}

/**
 * What the library hands a field iframe in its URL fragment (never sent to a server).
 * `parentOrigin` is only a fallback for browsers without `location.ancestorOrigins`.
 */
export interface FieldBoot {
  microformId: string;
  fieldId: string;
  fieldType: FieldType;
  captureContext: string;
  parentOrigin: string;
  /** `flex.microform(options)`: shared styles. */
  microformOptions: Json;
  /** `createField(type, options)`. */
  fieldOptions: Json;
}

export function parseFieldBoot(value: unknown): FieldBoot | undefined {
  if (!isRecord(value)) return undefined;
  const { microformId, fieldId, fieldType, captureContext, parentOrigin } = value;
  const { microformOptions, fieldOptions } = value;
  if (
    !isString(microformId) ||
    !isString(fieldId) ||
    !isFieldType(fieldType) ||
    !isString(captureContext) ||
    !isString(parentOrigin) ||
    !isRecord(microformOptions) ||
    !isRecord(fieldOptions)
  ) {
    return undefined;
  }
  return {
    microformId,
    fieldId,
    fieldType,
    captureContext,
    parentOrigin,
    microformOptions,
    fieldOptions,
  };
}

/** Path of the field iframe page on the emulator's origin. */
export const FIELD_PAGE_PATH = '/microform/v2/iframe/field.html';
