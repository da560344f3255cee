/**
 * @module Entry of `checkout.js`, the script-tag bundle: defines `window.CyberCheckout` and
 * auto-mounts from the running tag's data-* attributes.
 */
import { mount } from '../mount.tsx';
import { VERSION } from '../version.ts';
import { autoMount } from './script-tag.ts';

import '../global.ts';

window.CyberCheckout ??= { mount, version: VERSION };
void autoMount(document.currentScript);
