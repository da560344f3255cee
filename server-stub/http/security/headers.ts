/**
 * @module Security headers on everything the stub serves: API answers, errors, and whatever the
 * `mount` hook serves (demo page, widget bundle). hono's `secureHeaders` writes them after the
 * handler, so error and 404 answers get them too (RELIABILITY-FACTS §1.3, §3.3).
 *
 * Each response gets a fresh CSP nonce in `c.get('cspNonce')`; an HTML route puts it on its own
 * `<script nonce>` and `<style nonce>` tags (and the widget reads it from its script tag).
 */
import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { type ContentSecurityPolicyOptionHandler, secureHeaders } from 'hono/secure-headers';
import type { StubEnv } from '../env.ts';
import { type CspSettings, cspDirectives } from './csp.ts';

export interface SecurityHeaderSettings extends CspSettings {
  /** The stub's public origin; HSTS only when it is https (a browser ignores it over http). */
  publicOrigin: string;
  /** `CSP_REPORT_ONLY=true`: report violations without blocking, to try a policy first. */
  reportOnly: boolean;
}

/** One year; the page is only ever meant to be reached over https (RELIABILITY-FACTS §1.3). */
const HSTS = 'max-age=31536000; includeSubDomains';

const nonceSource: ContentSecurityPolicyOptionHandler = (ctx) => {
  const nonce: unknown = ctx.get('cspNonce');
  // Set by `securityHeaders` below before hono builds the header; never absent in practice.
  return typeof nonce === 'string' ? `'nonce-${nonce}'` : "'none'";
};

/** Legacy equivalent of frame-ancestors for browsers without CSP level 2, when one exists. */
function xFrameOptions(frameAncestors: readonly string[]): string | false {
  if (frameAncestors.length !== 1) return false;
  if (frameAncestors[0] === "'self'") return 'SAMEORIGIN';
  if (frameAncestors[0] === "'none'") return 'DENY';
  return false;
}

export function securityHeaders(settings: SecurityHeaderSettings): MiddlewareHandler<StubEnv> {
  const csp = cspDirectives(settings, nonceSource);
  const headers = secureHeaders({
    ...(settings.reportOnly
      ? { contentSecurityPolicyReportOnly: csp }
      : { contentSecurityPolicy: csp }),
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'strict-origin-when-cross-origin',
    strictTransportSecurity: settings.publicOrigin.startsWith('https:') ? HSTS : false,
    crossOriginOpenerPolicy: 'same-origin',
    // Not sent: merchant sites on other origins load the widget bundle from the stub.
    crossOriginResourcePolicy: false,
    xFrameOptions: xFrameOptions(settings.frameAncestors),
    removePoweredBy: true,
  });
  return async (c, next) => {
    c.set('cspNonce', randomBytes(16).toString('base64'));
    return headers(c, next);
  };
}
