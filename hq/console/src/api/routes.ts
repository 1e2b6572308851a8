// Request paths typed by the HQ route map (shared/api/routes.ts): an endpoint names a route as the map
// spells it and fills its `:params`, so a mistyped path, a wrong method or a route dropped from the API is a
// compile error here rather than a 404 in front of a person. The console's own read/edit routes
// (hq/routes/console.ts) are listed beside the map's.
import type { HQ_ROUTES, Method } from '../../../../shared/api/routes';

type ConsoleRoutes =
  | { method: 'GET'; path: '/api/v1/console/products' }
  | { method: 'PATCH'; path: '/api/v1/console/products/:sku' };

type Route = (typeof HQ_ROUTES)[number] | ConsoleRoutes;
export type PathOf<M extends Method> = Extract<Route, { method: M }>['path'];

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? Name | ParamNames<`/${Rest}`> : P extends `${string}:${infer Name}` ? Name : never;
export type Params<P extends string> = { [K in ParamNames<P>]: string };

const PREFIX = '/api/v1';

/** `{url, method}` for RTK Query: the route's path with its parameters filled (encoded), under the API base. */
export function hq<M extends Method, P extends PathOf<M>>(method: M, path: P, ...params: ParamNames<P> extends never ? [] : [Params<P>]): { url: string; method: M } {
  const values = (params[0] ?? {}) as Record<string, string>;
  const filled = path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(values[name] ?? ''));
  return { url: filled.slice(PREFIX.length), method };
}
