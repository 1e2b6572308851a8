// Printing a receipt and opening the drawer. In Electron the receipt model goes to the shell, which encodes it as
// ESC/POS for the configured printer and kicks the drawer in the same job (desktop/shared/ipc.ts printReceipt); in
// the browser it goes to the system print dialog, where print.css lays the receipt out for 80 mm paper. A printer
// fault never undoes a sale: the sale is already kept when this runs.
import type { I18nText, Return, Sale, StoreConfig } from '../../../../shared/model/types';
import { buildReceipt, type ReceiptModel } from '../../../../shared/pos/receipt';
import type { AppThunk } from '../../app/store';
import type { Services } from '../../app/services';
import type { Lang } from '../../app/uiSlice';

/**
 * The receipt model of a sale or return, in the till's language, with tender and cashier names. A return line
 * carries only its SKU: its name comes from the original sale when it is at hand, else from the local catalog
 * (a reprint from the journal names its products as the first print did), and is the SKU only for a product
 * the catalog no longer has.
 */
export function receiptModel(doc: Sale | Return, config: StoreConfig, lang: Lang, services: Services, extra: { cashierName?: string; originalSale?: Sale } = {}): ReceiptModel {
  const tenderNames = Object.fromEntries((services.index?.tenders() ?? []).map((t) => [t._id, t.name]));
  return buildReceipt(doc, config, lang, { tenderNames, ...(doc.type === 'return' ? { productNames: catalogNames(doc, services) } : {}), ...extra });
}

/** The catalog's names of a return's products, by product id (a product gone from the catalog has none). */
function catalogNames(doc: Return, services: Services): Record<string, I18nText> {
  const names: Record<string, I18nText> = {};
  for (const l of doc.lines) {
    const p = services.index?.lookupSku(l.sku)?.product;
    if (p && p._id === l.productId) names[l.productId] = p.name;
  }
  return names;
}

/** Whether a sale was paid with a tender that opens the drawer (cash). */
function opensDrawer(doc: Sale | Return, services: Services): boolean {
  const tenders = doc.type === 'sale' ? doc.tenders : doc.refunds;
  return tenders.some((t) => services.index?.tender(t.tenderId)?.opensDrawer);
}

/**
 * Prints `doc`: through the shell (with the drawer kick when a cash tender asks for it), or the browser's print
 * dialog. Resolves to the message to show the cashier when the printer failed, else null.
 */
export const printReceipt =
  (doc: Sale | Return, opts: { originalSale?: Sale; kickDrawer?: boolean } = {}): AppThunk<Promise<string | null>> =>
  async (_dispatch, getState, services) => {
    const { catalog, ui, session } = getState();
    const shell = services.preload;
    if (!shell) {
      // print.css prints only the receipt kept for printing; the dialog is modal, so this returns after it.
      window.print();
      return null;
    }
    if (!catalog.config) return null;
    const cashier = session.users.find((u) => u.userId === doc.cashierId)?.displayName;
    const receipt = receiptModel(doc, catalog.config, ui.lang, services, { ...(cashier ? { cashierName: cashier } : {}), ...(opts.originalSale ? { originalSale: opts.originalSale } : {}) });
    const res = await shell.printReceipt({ receipt, openDrawer: opts.kickDrawer === true && opensDrawer(doc, services) });
    return res.ok ? null : res.error.message[ui.lang];
  };
