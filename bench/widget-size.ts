/**
 * @module Widget size for `npm run bench`: builds `dist/widget/` and reports gzipped bytes
 * with the CI gate (`budget`) and issue 5's 12 KB target (`target`), and the bytes a browser
 * receives when the stub serves the bundle (`/widget/checkout.js`, compressed as it negotiates).
 */
import { widgetRoutes } from '../server-stub/http/routes/widget.ts';
import { buildWidget, OUT } from '../widget/build/build.ts';
import { measureWidget, type WidgetSize } from '../widget/build/size.ts';

/** What Chromium sends for a script over HTTPS. */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

export interface WidgetSizeBench extends WidgetSize {
  /** checkout.js as the stub answers a browser for it: the coding chosen, and the bytes sent. */
  served: { coding: string; bytes: number };
}

export async function benchWidgetSize(): Promise<WidgetSizeBench> {
  await buildWidget();
  const res = await widgetRoutes(OUT).request('/checkout.js', {
    headers: { 'accept-encoding': BROWSER_ACCEPT_ENCODING },
  });
  if (res.status !== 200) throw new Error(`the stub answered ${res.status} for checkout.js`);
  const served = {
    coding: res.headers.get('content-encoding') ?? 'none',
    bytes: (await res.arrayBuffer()).byteLength,
  };
  return { ...(await measureWidget()), served };
}
