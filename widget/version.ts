/** Bumped with each release; published URLs and SRI hashes are per version (README "CSP"). */
export const VERSION = '0.1.0';
