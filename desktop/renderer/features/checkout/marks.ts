// Performance marks on the till's hot paths (a scan taken, a commit's start, write and end), for the browser's
// profiler and `caja bench terminal`, which reads them with a PerformanceObserver to say where a scan's or a
// commit's time went. Only the latest mark of each name is kept, so a till open all day holds a handful.
export type TillMark = 'caja:scan' | 'caja:commit:start' | 'caja:commit:put' | 'caja:commit:durable' | 'caja:commit:written';

/** Marks now, or at `at` (the page's clock) for a moment known after the fact (the journal's write on disk). */
export function tillMark(name: TillMark, at?: number): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  performance.clearMarks(name);
  performance.mark(name, at === undefined ? undefined : { startTime: at });
}
