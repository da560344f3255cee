/**
 * @module The theme, copied into Microform `styles` so the iframe fields match the page.
 * Iframes cannot inherit CSS, so resolved computed values of the widget root are passed, and
 * only in properties Microform accepts (API-FACTS §5.4: color, font-*, line-height, opacity,
 * cursor…; anything else makes it warn). test/widget checks the output against that list.
 */
export function fieldStyles(root: Element): Record<string, Record<string, string>> {
  const css = getComputedStyle(root.firstElementChild ?? root);
  const input: Record<string, string> = { 'line-height': '1.5' };
  for (const name of ['color', 'font-family', 'font-size']) {
    const v = css.getPropertyValue(name);
    if (v) input[name] = v;
  }
  // widget.css puts the resolved --cc-danger here (column-rule-color is never drawn).
  const danger = css.getPropertyValue('column-rule-color');
  return {
    input,
    ':disabled': { cursor: 'not-allowed', opacity: '0.6' },
    invalid: danger ? { color: danger } : {},
  };
}
