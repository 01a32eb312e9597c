import { useDirection } from '@mantine/core';
import { useEffect } from 'react';

/** Mantine's DirectionProvider only takes an initial value; this keeps it in step with the language. */
export function DirectionSync({ dir }: { dir: 'ltr' | 'rtl' }) {
  const { setDirection } = useDirection();
  useEffect(() => setDirection(dir), [dir, setDirection]);
  return null;
}
