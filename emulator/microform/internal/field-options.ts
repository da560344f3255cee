/**
 * @module createField / update options, applied to the input inside the iframe.
 *
 * Accepted (API-FACTS §5.4, MF011): placeholder, title, description, aria-label, aria-required,
 * disabled, styles; maxLength on the security code only, 3 or 4. Unknown keys are ignored.
 * Returns what was applied, which the `update` event reports.
 */
import { isRecord, type Json } from '../shared/guards.ts';
import type { FieldType } from '../shared/messages.ts';
import { applyStyles, mergeStyles } from './styles.ts';

const DEFAULT_LABELS: Record<FieldType, string> = {
  number: 'Card number',
  securityCode: 'Card security code',
};

export interface OptionTarget {
  type: FieldType;
  input: HTMLInputElement;
  description: HTMLElement;
  /** Microform-level styles, merged under the field's own. */
  baseStyles: Json;
  setSecurityCodeLength(length: 3 | 4): void;
}

let fieldStyles: Json = {};

export function applyFieldOptions(target: OptionTarget, options: Json): Json {
  const { input, description, type } = target;
  const applied: Json = {};
  if (typeof options.placeholder === 'string') {
    input.placeholder = options.placeholder;
    input.setAttribute('aria-placeholder', options.placeholder);
    applied.placeholder = options.placeholder;
  }
  if (typeof options.title === 'string') {
    if (options.title) input.title = options.title;
    else input.removeAttribute('title');
    applied.title = options.title;
  }
  if (typeof options.description === 'string') {
    description.textContent = options.description;
    if (options.description) input.setAttribute('aria-describedby', description.id);
    else input.removeAttribute('aria-describedby');
    applied.description = options.description;
  }
  const label = options['aria-label'];
  if (typeof label === 'string') {
    input.setAttribute('aria-label', label || DEFAULT_LABELS[type]);
    applied['aria-label'] = label;
  }
  const required = options['aria-required'];
  if (typeof required === 'boolean') {
    input.setAttribute('aria-required', String(required));
    applied['aria-required'] = required;
  }
  if (typeof options.disabled === 'boolean') {
    input.disabled = options.disabled;
    applied.disabled = options.disabled;
  }
  if (type === 'securityCode' && (options.maxLength === 3 || options.maxLength === 4)) {
    target.setSecurityCodeLength(options.maxLength);
    applied.maxLength = options.maxLength;
  }
  if (isRecord(options.styles)) {
    fieldStyles = mergeStyles(fieldStyles, options.styles);
    applied.styles = options.styles;
  }
  applyStyles(mergeStyles(target.baseStyles, fieldStyles));
  return applied;
}

export function defaultLabel(type: FieldType): string {
  return DEFAULT_LABELS[type];
}
