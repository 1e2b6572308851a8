// Requests and answers typed by the HQ route map (shared/api/routes.ts): an endpoint names a route as the
// map spells it and fills its `:params`, so a mistyped path, a wrong method or a route dropped from the API
// is a compile error here rather than a 404 in front of a person; `Result` and `Body` give each endpoint the
// answer and body types the server's handlers are checked against.
import type { BodyOf, HqApi, Method, ParamsOf, ResponseOf } from '../../../../shared/api/routes';
import { fillPath } from '../../../../shared/api/client';

type Key = keyof HqApi & string;
type KeyOf<M extends Method, P extends string> = Extract<Key, `${M} ${P}`>;
export type PathOf<M extends Method> = Extract<Key, `${M} ${string}`> extends `${M} ${infer P}` ? P : never;

/** The answer of a route, as the server's handler is typed to return it. */
export type Result<K extends Key> = ResponseOf<HqApi, K>;
/** The body of a route, as its parser returns it. */
export type Body<K extends Key> = BodyOf<HqApi, K>;

const PREFIX = '/api/v1';

/** `{url, method}` for RTK Query: the route's path with its parameters filled (encoded), under the API base. */
export function hq<M extends Method, P extends PathOf<M>>(
  method: M,
  path: P,
  ...params: keyof ParamsOf<KeyOf<M, P>> extends never ? [] : [ParamsOf<KeyOf<M, P>>]
): { url: string; method: M } {
  return { url: fillPath(path, params[0]).slice(PREFIX.length), method };
}
