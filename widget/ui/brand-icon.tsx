/**
 * @module Inline SVG brand marks: a coloured card with the network's label, or two overlapping
 * circles for Mastercard and Maestro. Presentation attributes only (no `style=`), so a strict
 * CSP without 'unsafe-inline' still renders them. Drawn in pixels: 40×24, no viewBox needed.
 */
import { network } from './networks.ts';

/** `decorative`: the text beside it already names the brand (saved cards), so screen readers skip it. */
export function brandIcon(brand: string, decorative?: boolean) {
  const [key, label = '', color] = network(brand) ?? [];
  return (
    key && (
      <svg
        class="cc-brand"
        width={40}
        height={24}
        role={decorative ? undefined : 'img'}
        aria-label={decorative ? undefined : label}
        aria-hidden={decorative}
        data-brand={key}
      >
        <rect width={40} height={24} rx={4} fill={`#${color}`} />
        {/^MA(STERCARD|ESTRO)$/.test(key) ? (
          <>
            <circle cx={16} cy={12} r={7} fill="#eb001b" />
            <circle
              cx={24}
              cy={12}
              r={7}
              fill={key === 'MAESTRO' ? '#00a2e5' : '#f79e1b'}
              fill-opacity={0.8}
            />
          </>
        ) : (
          <text
            x={20}
            y={16}
            text-anchor="middle"
            font-family="Arial,sans-serif"
            font-weight={700}
            font-size={Math.min(9, 50 / label.length)}
            fill="#fff"
          >
            {label}
          </text>
        )}
      </svg>
    )
  );
}
