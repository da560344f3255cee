/**
 * @module Narrowing a stored number back to a status Hono accepts, without a cast.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';

const CONTENTLESS = new Set([101, 204, 205, 304]);

export function contentfulStatus(status: number): ContentfulStatusCode {
  return isContentful(status) ? status : 500;
}

function isContentful(status: number): status is ContentfulStatusCode {
  return Number.isInteger(status) && status >= 200 && status <= 599 && !CONTENTLESS.has(status);
}
