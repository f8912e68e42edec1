/** @file The studio's mark: three stacked speed lines in a rounded square, drawn inline (no remote assets). */
import { memo } from 'react';

function BrandMarkView({ size = 22 }: { size?: number }) {
  return (
    <svg className="brand-mark" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
      <rect x="1" y="1" width="22" height="22" rx="6" fill="var(--accent)" />
      <path d="M6 8h9M8 12h10M6 16h7" stroke="#0b0d10" strokeWidth="2.2" strokeLinecap="round" />
    </svg>
  );
}

export const BrandMark = memo(BrandMarkView);
