/**
 * @module Names of this machine, shared by the stub (what counts as a local CyberSource, a
 * development page) and the emulator (who may drive its control API).
 */

/**
 * A host name of this machine, as `URL.hostname` writes it: `localhost` and its subdomains, any
 * 127.x address, `[::1]`. The embedded emulator runs there, and development pages are served there.
 */
export const isLoopbackHost = (hostname: string) =>
  /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$|\.localhost$/.test(hostname);
