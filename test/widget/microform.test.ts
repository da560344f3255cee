// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Session } from '../../widget/api/types.ts';
import { tokenProblem } from '../../widget/checkout/reasons.ts';
import { libraryOf } from '../../widget/microform/capture-context.ts';
import { fieldStyles } from '../../widget/microform/field-styles.ts';
import { parseChange, parseMicroformError } from '../../widget/microform/flex-types.ts';
import { isAllowedLibrary } from '../../widget/microform/library-origin.ts';
import { loadFlex } from '../../widget/microform/loader.ts';
import { captureContext } from './harness.ts';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  Reflect.deleteProperty(window, 'Flex');
  Reflect.deleteProperty(window, 'CyberCheckoutLocales');
  document.head.replaceChildren();
});

const session = (over: Partial<Session> = {}): Session => ({
  sessionId: 's',
  captureContext: 'x',
  expiresAt: 0,
  expiresIn: 900,
  environment: 'sandbox',
  requireBillingAddress: false,
  ...over,
});

describe('capture context', () => {
  test('reads clientLibrary and its integrity from the first mf- context, and its lifetime', () => {
    expect(libraryOf(captureContext('https://testflex.cybersource.com/lib.js'))).toEqual({
      clientLibrary: 'https://testflex.cybersource.com/lib.js',
      clientLibraryIntegrity: 'sha256-abc=',
      life: 900_000,
    });
    const noTimes = `x.${btoa('{"ctx":[{"type":"mf-2.0.0","data":{"clientLibrary":"https://x","clientLibraryIntegrity":"s"}}]}')}.y`;
    expect(libraryOf(noTimes)?.life).toBeNaN();
  });

  test.each([
    '',
    'a.b.c',
    'a.!!!.c',
    `x.${btoa('{"ctx":[{"type":"other","data":{}}]}')}.y`,
    `x.${btoa('{"ctx":[{"type":"mf-2.0.0","data":{"clientLibrary":"https://x"}}]}')}.y`,
  ])('refuses %j (no library, or no integrity)', (jwt) => expect(libraryOf(jwt)).toBeUndefined());
});

describe('library origin allow-list', () => {
  test.each([
    ['https://flex.cybersource.com/microform/bundle/v2/flex-microform.min.js', true],
    ['https://testflex.cybersource.com/microform/bundle/v2.0.2/flex-microform.min.js', true],
    ['http://testflex.cybersource.com/microform.js', false],
    ['https://testflex.cybersource.com.evil.example/microform.js', false],
    ['https://evil.example/https://flex.cybersource.com/', false],
    ['not a url', false],
  ])('%s → %s', (url, ok) => expect(isAllowedLibrary(url, session())).toBe(ok));

  test('the one origin the stub declares counts, in any environment (emulator, white-label gateway)', () => {
    const url = 'http://localhost:4010/microform/bundle/v2.0.2/flex-microform.min.js';
    const declared = (libraryOrigin: string) => session({ environment: 'emulator', libraryOrigin });
    expect(isAllowedLibrary(url, declared('http://localhost:4010'))).toBe(true);
    expect(isAllowedLibrary(url, declared('http://localhost:4011'))).toBe(false);
    expect(isAllowedLibrary(url, session({ environment: 'emulator' }))).toBe(false);
    const gateway = 'https://assets.gateway.example/microform/flex-microform.min.js';
    expect(
      isAllowedLibrary(
        gateway,
        session({ environment: 'production', libraryOrigin: 'https://assets.gateway.example' }),
      ),
    ).toBe(true);
    expect(isAllowedLibrary(gateway, session({ environment: 'production' }))).toBe(false);
    // Opaque origins are all "null": declaring one must not let every data: script in.
    expect(isAllowedLibrary('data:text/javascript,alert(1)', declared('data:text/plain,x'))).toBe(
      false,
    );
  });
});

describe('loader (stripe-js style)', () => {
  /** Keeps injected tags out of the document, so nothing tries to fetch them. */
  function captureInjections() {
    const tags: HTMLScriptElement[] = [];
    vi.spyOn(document.head, 'appendChild').mockImplementation(<T extends Node>(n: T) => {
      if (n instanceof HTMLScriptElement) tags.push(n);
      return n;
    });
    return tags;
  }
  const SRC = 'https://testflex.cybersource.com/microform/bundle/v2.0.2/flex-microform.min.js';

  test('one tag with integrity and crossorigin, shared by concurrent calls', async () => {
    const tags = captureInjections();
    const a = loadFlex(SRC, 'sha256-xyz=');
    const b = loadFlex(SRC, 'sha256-xyz=');
    expect(tags).toHaveLength(1);
    expect(tags[0]?.src).toBe(SRC);
    expect(tags[0]?.integrity).toBe('sha256-xyz=');
    expect(tags[0]?.crossOrigin).toBe('anonymous');
    const Flex = function Flex() {};
    Reflect.set(window, 'Flex', Flex);
    tags[0]?.dispatchEvent(new Event('load'));
    expect(await a).toBe(Flex);
    expect(await b).toBe(Flex);
    expect(await loadFlex(SRC, 'sha256-xyz=')).toBe(Flex);
    expect(tags).toHaveLength(1);
  });

  test('a failed load gives undefined, and the next call injects a fresh tag', async () => {
    const SRC = 'https://testflex.cybersource.com/microform/bundle/v2.0.3/flex-microform.min.js';
    const tags = captureInjections();
    const first = loadFlex(SRC, 'sha256-1=');
    tags[0]?.dispatchEvent(new Event('error'));
    await expect(first).resolves.toBeUndefined();
    const second = loadFlex(SRC, 'sha256-1=');
    expect(tags).toHaveLength(2);
    Reflect.set(window, 'Flex', () => {});
    tags[1]?.dispatchEvent(new Event('load'));
    await expect(second).resolves.toBeTypeOf('function');
  });

  test('a language file (script-tag build) is one tag beside checkout.js, pinned by its baked SRI hash', async () => {
    // The build defines __LOCALE_SRI__ (vite.config.ts; bundle.test.ts checks each hash is the
    // file's), and load-script.ts reads checkout.js's own URL as it runs.
    vi.stubGlobal('__LOCALE_SRI__', { fr: 'sha256-fr=', de: 'sha256-de=' });
    const own = document.createElement('script');
    own.src = 'https://cdn.shop.example/checkout/0.1.0/checkout.js';
    Object.defineProperty(document, 'currentScript', { value: own, configurable: true });
    vi.resetModules();
    const { loadMessages } = await import('../../widget/i18n/load-script.ts');
    Reflect.deleteProperty(document, 'currentScript');
    const tags = captureInjections();
    const fr = loadMessages('fr');
    expect(loadMessages('fr')).toBe(fr);
    expect(tags).toHaveLength(1);
    expect(tags[0]?.src).toBe('https://cdn.shop.example/checkout/0.1.0/checkout.fr.js');
    expect(tags[0]?.integrity).toBe('sha256-fr=');
    expect(tags[0]?.crossOrigin).toBe('anonymous');
    const { fr: messages } = await import('../../widget/i18n/fr.ts');
    window.CyberCheckoutLocales = { fr: messages };
    tags[0]?.dispatchEvent(new Event('load'));
    expect(await fr).toEqual(messages);
    // No hash baked for a language, no tag: English.
    expect(await loadMessages('es')).toBeUndefined();
    expect(tags).toHaveLength(1);
  });

  test('a script that loads without defining Flex is a failure', async () => {
    const SRC = 'https://testflex.cybersource.com/microform/bundle/v2.0.4/flex-microform.min.js';
    const tags = captureInjections();
    const p = loadFlex(SRC, 'sha256-2=');
    tags[0]?.dispatchEvent(new Event('load'));
    await expect(p).resolves.toBeUndefined();
  });
});

describe('Microform payloads', () => {
  test('change: networks by cybsCardType, else name; flags', () => {
    expect(
      parseChange({
        card: [{ name: 'cartesbancaires', cybsCardType: '036' }, { name: 'visa' }, 7],
        valid: true,
        empty: false,
      }),
    ).toEqual({ empty: false, valid: true, brands: ['036', 'visa'] });
    expect(parseChange('junk')).toEqual({ empty: false, valid: false, brands: [] });
  });

  test('MicroformError: reason and locations', () => {
    expect(
      parseMicroformError({
        reason: 'CREATE_TOKEN_VALIDATION_FIELDS',
        details: [{ location: 'number' }, {}],
      }),
    ).toEqual({
      reason: 'CREATE_TOKEN_VALIDATION_FIELDS',
      locations: ['number'],
    });
    expect(parseMicroformError(undefined)).toEqual({ reason: 'UNKNOWN_REASON', locations: [] });
  });

  test.each([
    ['CAPTURE_CONTEXT_EXPIRED', [], 'expired'],
    ['CAPTURE_CONTEXT_INVALID', [], 'other'],
    ['CREATE_TOKEN_CAPTURE_CONTEXT_USED_TOO_MANY_TIMES', [], 'expired'],
    ['CREATE_TOKEN_CAPTURE_CONTEXT_NOT_FOUND', [], 'expired'],
    ['CREATE_TOKEN_TIMEOUT', [], 'network'],
    ['CREATE_TOKEN_XHR_ERROR', [], 'network'],
    ['API_GATEWAY_ERROR', [], 'network'],
    ['CREATE_TOKEN_VALIDATION_FIELDS', ['number', 'securityCode'], ['number', 'cvv']],
    ['CREATE_TOKEN_VALIDATION_PARAMS', ['expirationMonth', 'expirationYear'], ['expiry']],
    ['CREATE_TOKEN_VALIDATION_SERVERSIDE', ['captureData.securityCode'], ['cvv']],
    ['CREATE_TOKEN_NO_FIELDS_LOADED', [], ['number']],
    ['CREATE_TOKEN_DECRYPTION', [], 'other'],
  ])('%s %j → %j', (reason, locations, want) =>
    expect(tokenProblem({ reason, locations })).toEqual(want),
  );
});

test('field styles use only properties Microform allows (API-FACTS §5.4)', () => {
  const ALLOWED = new Set(
    'color cursor font font-family font-kerning font-size font-size-adjust font-stretch font-style font-variant-alternates font-variant-caps font-variant-east-asian font-variant-ligatures font-variant-numeric font-variant font-weight line-height opacity text-rendering text-shadow transition -moz-osx-font-smoothing -moz-tap-highlight-color -moz-transition -o-transition -webkit-font-smoothing -webkit-tap-highlight-color -webkit-transition'.split(
      ' ',
    ),
  );
  const root = document.createElement('div');
  root.innerHTML = '<div class="cc"></div>';
  const computed: Record<string, string> = {
    color: 'rgb(31, 35, 40)',
    'font-family': 'system-ui',
    'font-size': '16px',
    'column-rule-color': 'rgb(180, 35, 24)',
    'text-decoration-color': 'rgb(89, 99, 110)',
  };
  vi.spyOn(window, 'getComputedStyle').mockReturnValue({
    getPropertyValue: (name: string) => computed[name] ?? '',
  } as CSSStyleDeclaration);
  const styles = fieldStyles(root);
  expect(styles).toEqual({
    input: {
      'line-height': '1.5',
      color: 'rgb(31, 35, 40)',
      'font-family': 'system-ui',
      'font-size': '16px',
    },
    '::placeholder': { color: 'rgb(89, 99, 110)' },
    ':disabled': { cursor: 'not-allowed', opacity: '0.6' },
    invalid: { color: 'rgb(180, 35, 24)' },
  });
  for (const rules of Object.values(styles))
    for (const prop of Object.keys(rules)) expect(ALLOWED.has(prop), prop).toBe(true);
});
