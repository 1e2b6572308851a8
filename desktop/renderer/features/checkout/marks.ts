// Performance marks on the till's hot paths (a scan taken, a commit's start, write and end), for the browser's
// profiler and `caja bench terminal`, which reads them with a PerformanceObserver to say where a scan's or a
// commit's time went. Only the latest mark of each name is kept, so a till open all day holds a handful.
export type TillMark = 'caja:scan' | 'caja:commit:start' | 'caja:commit:put' | 'caja:commit:written';

export function tillMark(name: TillMark): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  performance.clearMarks(name);
  performance.mark(name);
}
