/**
 * @module Widget size for `npm run bench`: builds `dist/widget/` and reports gzipped bytes
 * with the CI gate (`budget`) and issue 5's 12 KB target (`target`).
 */
import { buildWidget } from '../widget/build/build.ts';
import { measureWidget, type WidgetSize } from '../widget/build/size.ts';

export async function benchWidgetSize(): Promise<WidgetSize> {
  await buildWidget();
  return measureWidget();
}
