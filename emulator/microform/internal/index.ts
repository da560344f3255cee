/**
 * @module Entry of the field iframe script: runs on the emulator's origin, inside the
 * merchant page's iframe, and is the only code that ever sees card data.
 *
 * Start-up refuses to run unless (1) the capture context parses and has an `mf-` entry,
 * (2) every embedding origin is in its `targetOrigins`, (3) it has not expired and (4) its
 * signature verifies (API-FACTS §5.2). Then it builds the input and says `load`.
 */
import { isExpired, readCaptureContext } from '../shared/capture-context.ts';
import { errorData } from '../shared/errors.ts';
import { isRecord, type Json } from '../shared/guards.ts';
import type { Command, Envelope, FieldBoot } from '../shared/messages.ts';
import { addAutofillCompanions } from './autofill.ts';
import { readBoot } from './boot.ts';
import { applyFieldOptions, defaultLabel } from './field-options.ts';
import { allowedNetworks, numberInput } from './number-input.ts';
import { checkEmbeddingOrigins } from './origin-check.ts';
import { type ParentLink, parentLink } from './parent-link.ts';
import { openPeers, type Peers, type Snapshot } from './peers.ts';
import { refuse } from './refusal.ts';
import { securityCodeInput } from './security-code-input.ts';
import { verifyCaptureContext } from './signature.ts';
import { tokenize } from './tokenize.ts';

interface Controller {
  snapshot(): Snapshot;
  clear(): void;
  setSecurityCodeLength(length: 3 | 4): void;
}

async function start(): Promise<void> {
  const boot = readBoot(window.location.hash);
  if (!boot) {
    refuse(errorData('IFRAME_UNSUPPORTED_FIELD_TYPE', { message: 'Error loading iframe.' }));
    return;
  }
  const read = readCaptureContext(boot.captureContext);
  if (!read.ok) {
    refuse(errorData('CAPTURE_CONTEXT_INVALID'), boot.fieldId);
    return;
  }
  const context = read.context;
  const ancestors = window.location.ancestorOrigins
    ? Array.from(window.location.ancestorOrigins)
    : undefined;
  const origins = checkEmbeddingOrigins(context.targetOrigins, ancestors, boot.parentOrigin);
  if (!origins.ok) {
    refuse(errorData('CAPTURE_CONTEXT_INVALID', { message: origins.message }), boot.fieldId);
    return;
  }
  if (isExpired(context, Date.now())) {
    refuse(errorData('CAPTURE_CONTEXT_EXPIRED'), boot.fieldId);
    return;
  }
  if (!(await verifyCaptureContext(context))) {
    refuse(errorData('IFRAME_JWT_VALIDATION_FAILED'), boot.fieldId);
    return;
  }

  const link = parentLink(boot.fieldId, origins.parentOrigin);
  const peers = openPeers(boot.microformId, boot.fieldId);
  const { input, description, root, controller } = build(
    boot,
    context.allowedCardNetworks,
    link,
    peers,
  );
  const target = {
    type: boot.fieldType,
    input,
    description,
    baseStyles: isRecord(boot.microformOptions.styles) ? boot.microformOptions.styles : {},
    setSecurityCodeLength: controller.setSecurityCodeLength,
  };
  applyFieldOptions(target, boot.fieldOptions);

  peers.subscribe((message) => {
    if (message.topic === 'dataCollect') {
      peers.publish({
        topic: 'collected',
        tokenizationId: message.tokenizationId,
        snapshot: controller.snapshot(),
      });
    } else if (message.topic === 'securityCodeLength') {
      controller.setSecurityCodeLength(message.length);
    }
  });

  let tokenizing = false;
  link.onCommand((command: Envelope<Command>) => {
    const { data } = command;
    switch (command.event) {
      case 'update': {
        const applied = applyFieldOptions(target, data);
        if (Object.keys(applied).length > 0) link.send('update', applied);
        return;
      }
      case 'clear':
        controller.clear();
        return;
      case 'focus':
        input.focus();
        return;
      case 'blur':
        input.blur();
        return;
      case 'tokenize': {
        const requestId = typeof data.requestId === 'string' ? data.requestId : '';
        if (tokenizing) {
          link.send('tokenizeResult', {
            requestId,
            error: { ...errorData('CREATE_TOKEN_UNABLE_TO_START') },
          });
          return;
        }
        tokenizing = true;
        void tokenize(data, context, controller.snapshot(), peers).then((outcome) => {
          tokenizing = false;
          link.send(
            'tokenizeResult',
            'token' in outcome
              ? { requestId, token: outcome.token }
              : { requestId, error: { ...outcome.error } },
          );
        });
        return;
      }
    }
  });

  document.body.appendChild(root);
  link.send('load');
}

function build(boot: FieldBoot, allowedNames: readonly string[], link: ParentLink, peers: Peers) {
  const isNumber = boot.fieldType === 'number';
  const root = document.createElement(isNumber ? 'form' : 'div');
  root.className = 'field-root';
  const input = document.createElement('input');
  input.className = 'field';
  input.type = 'tel';
  input.name = boot.fieldType;
  input.id = boot.fieldType;
  input.inputMode = 'numeric';
  input.autocomplete = isNumber ? 'cc-number' : 'cc-csc';
  input.spellcheck = false;
  input.setAttribute('autocorrect', 'off');
  input.setAttribute('autocapitalize', 'none');
  input.setAttribute('aria-label', defaultLabel(boot.fieldType));
  input.setAttribute('aria-invalid', 'false');
  const description = document.createElement('div');
  description.className = 'field-description';
  description.id = `field-description-${boot.fieldType}`;
  root.append(input, description);

  input.addEventListener('focus', () => link.send('focus'));
  input.addEventListener('blur', () => link.send('blur'));
  input.addEventListener('keyup', (event) => {
    if (event.key === 'Enter') link.send('inputSubmitRequest');
  });

  let controller: Controller;
  if (root instanceof HTMLFormElement) {
    // Enter in a one-input form would submit (navigate) the iframe.
    root.addEventListener('submit', (event) => event.preventDefault());
    addAutofillCompanions(root, (data: Json) => link.send('autocomplete', data));
    let securityCodeLength = 3;
    const field = numberInput(
      input,
      allowedNetworks(allowedNames),
      boot.fieldOptions.autoformat !== false,
      (state) => {
        const needed =
          state.card.reduce((max, c) => Math.max(max, c.securityCode.length), 3) === 4 ? 4 : 3;
        if (needed !== securityCodeLength) {
          securityCodeLength = needed;
          peers.publish({ topic: 'securityCodeLength', length: needed });
        }
        link.send('change', { ...state });
      },
    );
    controller = { snapshot: field.snapshot, clear: field.clear, setSecurityCodeLength: () => {} };
  } else {
    const field = securityCodeInput(input, (state) => link.send('change', { ...state }));
    controller = {
      snapshot: field.snapshot,
      clear: field.clear,
      setSecurityCodeLength: field.setLength,
    };
  }
  return { input, description, root, controller };
}

void start();
