/**
 * Driving CyberSource's official Node SDK (`cybersource-rest-client`), unmodified, against the
 * emulator: the configuration for the emulator's sample merchant, signing
 * `apitest.cybersource.com` (its runEnvironment) while connecting through `intermediateHost`,
 * and a promise around the SDK's callback-style methods.
 */
import cybersource from 'cybersource-rest-client';
import { expect } from 'vitest';
import { SAMPLE_MERCHANT } from '../../emulator/config.ts';

export function sdkConfig(intermediateHost: string, overrides: Record<string, unknown> = {}) {
  return {
    authenticationType: 'http_signature',
    runEnvironment: 'apitest.cybersource.com',
    merchantID: SAMPLE_MERCHANT.merchantId,
    merchantKeyId: SAMPLE_MERCHANT.keyId,
    merchantsecretKey: SAMPLE_MERCHANT.secretBase64,
    intermediateHost,
    logConfiguration: { enableLog: false },
    ...overrides,
  };
}

export interface SdkResult {
  error: { status?: number; response?: { text?: string } } | null;
  data: any;
  response: { status: number; text?: string; header?: Record<string, string> } | undefined;
  /** The SDK's client for this call (its `merchantConfig`, e.g. for its own JWT utilities). */
  apiClient: any;
}

/** Calls `new cybersource[Api](config)[method](...args, callback)`; resolves with what the callback got. */
export function callSdk(
  Api: string,
  method: string,
  args: unknown[],
  config: Record<string, unknown>,
): Promise<SdkResult> {
  const apiClient = new cybersource.ApiClient();
  const api = new cybersource[Api](config, apiClient);
  return new Promise((resolve) => {
    api[method](
      ...args,
      (error: SdkResult['error'], data: unknown, response: SdkResult['response']) =>
        resolve({ error, data, response, apiClient }),
    );
  });
}

/** The SDK saw no error and the emulator answered `status`. */
export function expectAnswered(r: SdkResult, status: number): void {
  expect(r.error).toBeNull();
  expect(r.response?.status).toBe(status);
}
