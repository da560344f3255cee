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
  // widget.css puts the resolved --cc-danger and --cc-muted here (never drawn on .cc).
  const danger = css.getPropertyValue('column-rule-color');
  const muted = css.getPropertyValue('text-decoration-color');
  return {
    input,
    // The browser's default placeholder grey is 3.7:1 on the dark theme; muted is over 4.5.
    '::placeholder': muted ? { color: muted } : {},
    ':disabled': { cursor: 'not-allowed', opacity: '0.6' },
    invalid: danger ? { color: danger } : {},
  };
}
