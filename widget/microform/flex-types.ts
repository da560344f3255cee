/**
 * @module The part of CyberSource's Microform v2 browser API the widget uses (API-FACTS §5.4).
 * The library is third-party code, so what it hands us is narrowed with guards.
 */
import { arr, isRec, str } from '../api/guards.ts';

export type FieldType = 'number' | 'securityCode';

export interface MicroformField {
  load(container: HTMLElement): void;
  on(event: string, listener: (data: unknown) => void): void;
  focus(): void;
  /**
   * New options (`description`: the input's accessible description). [inferred] from MF011's
   * `update` event (API-FACTS §5): optional, so a library without it loses only the description.
   */
  update?(options: Record<string, unknown>): void;
  dispose?(): void;
}

export interface Microform {
  createField(type: FieldType, options: Record<string, unknown>): MicroformField;
  createToken(
    options: { expirationMonth: string; expirationYear: string },
    callback: (error: unknown, token?: unknown) => void,
  ): void;
}

export type FlexConstructor = new (
  captureContext: string,
) => {
  microform(options: Record<string, unknown>): Microform;
};

/** `window.Flex` once the library has run. */
export function getFlex(): FlexConstructor | undefined {
  // Read as `unknown` (the emulated library declares its own type for this global).
  const f = (window as { Flex?: unknown }).Flex;
  // typeof is all that can be checked about a constructor before calling it.
  return typeof f === 'function' ? (f as FlexConstructor) : undefined;
}

export interface FieldState {
  empty: boolean;
  valid: boolean;
  /** Detected networks (`cybsCardType`, else `name`); several for a co-badged card. */
  brands: string[];
}

/** The `change` payload: `{card:[{name,cybsCardType,…}], valid, couldBeValid, empty}`. */
export function parseChange(d: unknown): FieldState {
  const r = isRec(d) ? d : {};
  return {
    empty: r.empty === true,
    valid: r.valid === true,
    brands: arr(r.card).flatMap((c) => (isRec(c) && (str(c.cybsCardType) ?? str(c.name))) || []),
  };
}

export interface MicroformErrorInfo {
  reason: string;
  /** `details[].location`: number, securityCode, expirationMonth… */
  locations: string[];
}

export function parseMicroformError(e: unknown): MicroformErrorInfo {
  const r = isRec(e) ? e : {};
  return {
    reason: str(r.reason) ?? 'UNKNOWN_REASON',
    locations: arr(r.details).flatMap((d) => (isRec(d) && str(d.location)) || []),
  };
}
