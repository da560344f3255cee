/**
 * @module Widget size for `npm run bench`: builds `dist/widget/` and reports gzipped bytes
 * against the 12 KB budget.
 */
import { buildWidget } from '../widget/build/build.ts';
import { measureWidget, type WidgetSize } from '../widget/build/size.ts';

export async function benchWidgetSize(): Promise<WidgetSize> {
  await buildWidget();
  return measureWidget();
}
