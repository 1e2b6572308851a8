// HTTP API of the day close (thin: parse, authorize, call services/dayClose.ts, answer). A manager's relay
// session (POST /api/v1/auth/login) is required: closing needs 'register.close', reading 'reports.view'.
//   POST /api/v1/day-close        {businessDate?, counts?}  -> 201 {zreport, closes} | 409 {details.zreport}
//                                 | 400 future_business_date / before_store_opened
//   GET  /api/v1/day-close/:date  -> {closed: true, zreport} | {closed: false, preview}
//   GET  /api/v1/zz?from=&to=     -> the Z reports of the period summed
import { Router } from 'express';
import type { Request } from 'express';
import type { CouchHandle } from '../../server-kit/couch';
import { badRequest } from '../../server-kit/errors';
import { mountRoutes } from '../../server-kit/apiRoutes';
import type { Logger } from '../../server-kit/log';
import { isBusinessDate } from '../../shared/model/ids';
import type { Permission } from '../../shared/auth/permissions';
import { checkBusinessDate, closeDay, getZReport, previewDay, readDay, todayIn, zzOf, type DayCloseContext } from '../services/dayClose';
import { RELAY_API } from '../../shared/api/routes';
import { verifyManagerToken } from '../services/terminals';

export interface DayCloseDeps {
  couch: CouchHandle;
  log: Logger;
  /** The provisioned store's code, null before provisioning. */
  storeCode: () => string | null;
  jwtSecret: string;
  /** The store's IANA time zone, for "today" when no business date is given. */
  timeZone: () => string;
  /** The clock (tests pin it); defaults to the system clock. */
  now?: () => Date;
  /**
   * The store's first business day at this relay (the day it was provisioned, in its zone), or null when not
   * known. A day before it is closed only if the store recorded registers that day (history a replacement relay
   * pulled from HQ); an empty day before the store existed would be a permanent, meaningless Z.
   */
  openedOn?: () => string | null;
}

function context(deps: DayCloseDeps): DayCloseContext {
  const storeCode = deps.storeCode();
  if (!storeCode) throw badRequest('not_provisioned', 'This relay is not provisioned yet: start it with a sync token from HQ.');
  return { couch: deps.couch, log: deps.log, storeCode };
}

function authorize(deps: DayCloseDeps, req: Request, permission: Permission): { userId: string; from: string } {
  const storeCode = deps.storeCode();
  if (!storeCode) throw badRequest('not_provisioned', 'This relay is not provisioned yet: start it with a sync token from HQ.');
  const { userId } = verifyManagerToken(deps.jwtSecret, storeCode, req.get('authorization'), permission);
  return { userId, from: req.ip ?? 'unknown' };
}

/** Refuses a day before the store existed here, unless registers were opened that day. */
async function checkStoreExisted(ctx: DayCloseContext, date: string, openedOn: string | null): Promise<void> {
  if (!openedOn || date >= openedOn) return;
  const day = await readDay(ctx, date);
  if (day.shifts.length === 0) {
    throw badRequest('before_store_opened', `businessDate: ${date} is before the store opened here (${openedOn}) and no register was opened that day.`);
  }
}

/** The day close routes; mount with `app.use(dayCloseRouter(deps))` before the relay's /api 404 handler. */
export function dayCloseRouter(deps: DayCloseDeps): Router {
  const router = Router();
  const on = mountRoutes(RELAY_API, router);
  const now = () => (deps.now ? deps.now() : new Date());

  on('POST /api/v1/day-close', async ({ req, body: parsed }) => {
    const actor = authorize(deps, req, 'register.close');
    const ctx = context(deps);
    const body = parsed();
    const at = now();
    const today = todayIn(deps.timeZone(), at);
    const date = checkBusinessDate(body.businessDate ?? today, today);
    await checkStoreExisted(ctx, date, deps.openedOn?.() ?? null);
    return closeDay(ctx, { businessDate: date, actor, now: at, ...(body.counts ? { counts: body.counts } : {}) });
  });

  on('GET /api/v1/day-close/:date', async ({ req, params }) => {
    authorize(deps, req, 'reports.view');
    const ctx = context(deps);
    const date = params.date;
    if (!isBusinessDate(date)) throw badRequest('invalid_business_date', 'A business date is YYYY-MM-DD.');
    const z = await getZReport(ctx, date);
    if (z) return { businessDate: date, closed: true as const, zreport: z };
    return { businessDate: date, closed: false as const, preview: await previewDay(ctx, date, now()) };
  });

  on('GET /api/v1/zz', async ({ req }) => {
    authorize(deps, req, 'reports.view');
    const ctx = context(deps);
    const { from, to } = req.query;
    if (!isBusinessDate(from) || !isBusinessDate(to)) throw badRequest('invalid_business_date', 'Give from and to as YYYY-MM-DD.');
    if (from > to) throw badRequest('invalid_period', 'from must not be after to.');
    return zzOf(ctx, from, to);
  });

  return router;
}
