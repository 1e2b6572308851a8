// The charts of the report pages, loaded on first use (their code is mostly the chart library), with a
// skeleton of the chart's size while the chunk arrives.
import { Skeleton } from '@mantine/core';
import { lazy, Suspense, type ComponentProps } from 'react';

const LazySeries = lazy(async () => ({ default: (await import('./Charts')).SeriesChart }));
const LazyBars = lazy(async () => ({ default: (await import('./Charts')).BarsChart }));

export function SeriesChart(props: ComponentProps<typeof LazySeries>) {
  return (
    <Suspense fallback={<Skeleton h={260} />}>
      <LazySeries {...props} />
    </Suspense>
  );
}

export function BarsChart(props: ComponentProps<typeof LazyBars>) {
  return (
    <Suspense fallback={<Skeleton h={260} />}>
      <LazyBars {...props} />
    </Suspense>
  );
}
