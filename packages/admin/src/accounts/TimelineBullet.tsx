import { useT } from '../i18n/LocaleProvider';

/**
 * The timeline's bullet: a person for a staff action, a pencil for a platform's deal correction,
 * the plain coloured dot for the engine's own breaches and passes.
 */
export function TimelineBullet({ source }: { source: 'engine' | 'staff' | 'correction' }) {
  const t = useT();
  if (source === 'engine') return null;
  const label = t(source === 'staff' ? 'timeline.staffBullet' : 'timeline.correctionBullet');
  return (
    <svg
      width="12"
      height="12"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      role="img"
      aria-label={label}
      data-testid={`timeline-bullet-${source}`}
    >
      <title>{label}</title>
      {source === 'staff' ? (
        <>
          <circle cx="12" cy="8" r="4" />
          <path d="M4 21c0-4 3.6-7 8-7s8 3 8 7" />
        </>
      ) : (
        <>
          <path d="M4 20h4L19 9l-4-4L4 16z" />
          <path d="M13.5 6.5l4 4" />
        </>
      )}
    </svg>
  );
}
