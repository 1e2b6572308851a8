// Mounts route handlers through a route map (shared/api/routes.ts): a handler is registered by its route key
// (`'POST /api/v1/stores'`), gets the path parameters the key names and the route's body parser, and returns
// the answer the map declares, which is sent with the map's success status. A key the map lacks, a handler
// answering another shape or a router mounted at the wrong prefix is a compile error, not a drift to find
// in production.
import type { Request, RequestHandler, Response, Router } from 'express';
import { parse } from '../shared/api/parse';
import type { Parser } from '../shared/api/parse';
import type { BodyOf, ParamsOf, ResponseOf, RouteKey, RouteTable } from '../shared/api/routes';
import { splitKey } from '../shared/api/routes';
import { route } from './http';

/** What a handler is given: the request and response, the path parameters, and its body parsed. */
export interface Call<Api, K extends RouteKey<Api>> {
  req: Request;
  res: Response;
  params: ParamsOf<K>;
  /** The body parsed by the route's parser (an ApiError 400 naming the field when it does not parse). */
  body(): BodyOf<Api, K>;
}

export type Handler<Api, K extends RouteKey<Api>> = (call: Call<Api, K>) => Promise<ResponseOf<Api, K>> | ResponseOf<Api, K>;

/** The keys of a map under a path prefix (what a router mounted at that prefix may register). */
export type KeyUnder<Api, Prefix extends string> = Extract<RouteKey<Api>, `${string} ${Prefix}${string}`>;

export interface Mount<Api, Prefix extends string> {
  <K extends KeyUnder<Api, Prefix>>(key: K, handler: Handler<Api, K>): void;
  <K extends KeyUnder<Api, Prefix>>(key: K, before: RequestHandler[], handler: Handler<Api, K>): void;
}

const METHODS = { GET: 'get', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'delete' } as const;

/**
 * Registers handlers of `table`'s routes on `router`, which is mounted at `prefix` (`app.use(prefix, router)`;
 * '' for a router mounted at the root). `before` runs first (authentication, permissions).
 */
export function mountRoutes<Api, Prefix extends string = ''>(table: RouteTable<Api>, router: Router, prefix?: Prefix): Mount<Api, Prefix> {
  const under = prefix ?? '';
  return <K extends KeyUnder<Api, Prefix>>(key: K, ...args: [Handler<Api, K>] | [RequestHandler[], Handler<Api, K>]) => {
    const [before, handler] = args.length === 1 ? [[], args[0]] : args;
    const { method, path } = splitKey(key);
    if (!path.startsWith(under)) throw new Error(`${key} is not under ${under}`);
    const status = table.docs[key].status ?? 200;
    const parser = (table.bodies as Partial<Record<string, Parser<unknown>>>)[key];
    router[METHODS[method]](
      path.slice(under.length) || '/',
      ...before,
      route(async (req, res) => {
        const answer = await handler({
          req,
          res,
          params: req.params as ParamsOf<K>,
          body: () => {
            if (!parser) throw new Error(`${key} takes no body`);
            return parse(parser, req.body ?? {}) as BodyOf<Api, K>;
          },
        });
        res.status(status).json(answer);
      }),
    );
  };
}
