/**
 * @module Ids the stub mints. `transactionId` must be unique for 180 days, it is how a timeout
 * reversal finds an authorization (RELIABILITY-FACTS §3.6); 96 random bits are plenty.
 */
import { randomBytes } from 'node:crypto';

export const newId = (prefix: 'pay' | 'ref' | 'sub' | 'cs' | 'shp') =>
  `${prefix}_${randomBytes(12).toString('base64url')}`;

export const newTransactionId = () => randomBytes(12).toString('hex');
