// A search field for the till's product searches. Barcode scanners type a key every 5-60 ms into whatever field
// has the focus (the scanner hook takes the code back out on Enter, app/scanner.ts): a search of 100k products
// per key would spend the time a scan's line needs on a dozen searches nobody sees. So the field is uncontrolled
// (a keystroke changes the DOM only, no render) and the query to search follows it once typing pauses longer
// than a scanner ever does; clearing the field clears the query at once.
import { useCallback, useEffect, useRef, useState, type ChangeEvent, type RefObject } from 'react';

/** Typing must pause this long before the search runs (a person's pause between keys is longer). */
export const SEARCH_PAUSE_MS = 90;

export interface SearchField {
  /** What to search: the field's text once typing paused. */
  query: string;
  /** For the field's `onChange`. */
  onChange(e: ChangeEvent<HTMLInputElement>): void;
  /** Empties the field and the query. */
  clear(): void;
}

/** Binds an uncontrolled input (`ref` and `defaultValue=""`) to a query that settles after typing pauses. */
export function useSearchField(ref: RefObject<HTMLInputElement | null>): SearchField {
  const [query, setQuery] = useState('');
  const pause = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stop = () => {
    if (pause.current) clearTimeout(pause.current);
    pause.current = null;
  };
  useEffect(() => stop, []);
  const onChange = useCallback((e: ChangeEvent<HTMLInputElement>) => {
    const text = e.currentTarget.value;
    stop();
    if (!text.trim()) setQuery('');
    else pause.current = setTimeout(() => setQuery(text), SEARCH_PAUSE_MS);
  }, []);
  const clear = useCallback(() => {
    if (ref.current) ref.current.value = '';
    stop();
    setQuery('');
  }, [ref]);
  return { query, onChange, clear };
}
