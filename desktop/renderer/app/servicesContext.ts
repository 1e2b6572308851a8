// The services (catalog index, database) for components that read memory directly, such as product search over
// the in-memory index. Writes still go through thunks; this is read access, the way selectors read the store.
import { createContext, useContext } from 'react';
import type { Services } from './services';

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('ServicesContext is missing');
  return s;
}
