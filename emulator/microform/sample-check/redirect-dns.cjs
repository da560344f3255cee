/**
 * Preloaded into CyberSource's express-microform sample (`NODE_OPTIONS=--require …`): resolves
 * apitest.cybersource.com to loopback for that Node process only, so its SDK reaches the TLS
 * front of the emulator. Not a byte of the sample or its SDK changes; a hosts-file entry
 * would do the same machine-wide.
 */
const dns = require('node:dns');

const original = dns.lookup;
dns.lookup = function lookup(hostname, options, callback, ...rest) {
  if (hostname !== 'apitest.cybersource.com') {
    return original.call(this, hostname, options, callback, ...rest);
  }
  const done = typeof options === 'function' ? options : callback;
  const all = typeof options === 'object' && options !== null && options.all;
  process.nextTick(() =>
    all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4),
  );
};
