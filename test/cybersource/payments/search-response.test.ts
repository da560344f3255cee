/**
 * The reconciler's every lookup parses a Transaction Search answer: one that fails to parse is a
 * failed lookup, and an unknown sale then gets a timeout void. So only the summaries are read
 * strictly; the echo around them is read softly.
 */
import { describe, expect, it } from 'vitest';
import { SearchResponse } from '../../../cybersource/payments/index.ts';

/** The createSearch example of CyberSource's REST spec (SPEC2020), shortened to one summary. */
const SPEC_EXAMPLE = {
  searchId: '87e1e4bd-cac2-49b1-919a-4d5e29a2e55d',
  save: 'false',
  name: 'Search By Code',
  timezone: 'America/Chicago',
  query: 'clientReferenceInformation.code:12345 AND submitTimeUtc:[NOW/DAY-7DAYS TO NOW/DAY+1DAY}',
  offset: 0,
  limit: 2000,
  sort: 'id:asc, submitTimeUtc:asc',
  count: 22,
  totalCount: 22,
  status: 'status',
  submitTimeUtc: '2018-09-18T16:59:28Z',
  _embedded: {
    transactionSummaries: [
      {
        id: '5217848115816817001541',
        submitTimeUtc: '2018-03-23T06:00:11Z',
        merchantId: 'sandeep_wf',
        clientReferenceInformation: { code: '12345' },
      },
    ],
  },
};

describe('SearchResponse', () => {
  it("reads the spec's own example, whose save is the string 'false'", () => {
    const r = SearchResponse.parse(SPEC_EXAMPLE);
    expect(r.save).toBe('false');
    expect(r._embedded?.transactionSummaries.map((t) => t.id)).toEqual(['5217848115816817001541']);
  });

  it('drops an echo of an unexpected type rather than fail the lookup', () => {
    const r = SearchResponse.parse({ ...SPEC_EXAMPLE, save: 0, count: '22', _links: [] });
    expect([r.save, r.count, r._links]).toEqual([undefined, undefined, undefined]);
    expect(r._embedded?.transactionSummaries).toHaveLength(1);
  });

  it('still refuses summaries it cannot read: a lookup must not pass over a hit', () => {
    const broken = {
      ...SPEC_EXAMPLE,
      _embedded: { transactionSummaries: [{ submitTimeUtc: 'x' }] },
    };
    expect(SearchResponse.safeParse(broken).success).toBe(false);
  });
});
