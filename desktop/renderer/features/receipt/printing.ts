// Printing a receipt and opening the drawer. In Electron the receipt goes to the receipt printer as ESC/POS bytes
// through the preload API; in the browser to the system print dialog, where print.css lays the on-screen receipt
// out for 80 mm paper. A printer fault never undoes a sale: the sale is already kept when this runs.
import type { Return, Sale, StoreConfig } from '../../../../shared/model/types';
import { buildReceipt, type ReceiptModel } from '../../../../shared/pos/receipt';
import type { AppThunk } from '../../app/store';
import type { Services } from '../../app/services';
import type { Lang } from '../../app/uiSlice';

/** The receipt model of a sale or return, in the till's language, with tender and cashier names. */
export function receiptModel(doc: Sale | Return, config: StoreConfig, lang: Lang, services: Services, extra: { cashierName?: string; originalSale?: Sale } = {}): ReceiptModel {
  const tenderNames = Object.fromEntries((services.index?.tenders() ?? []).map((t) => [t._id, t.name]));
  return buildReceipt(doc, config, lang, { tenderNames, ...extra });
}

/** Prints `doc`: ESC/POS through the shell, or the browser's print dialog. Resolves to an error code or null. */
export const printReceipt =
  (doc: Sale | Return, originalSale?: Sale): AppThunk<Promise<string | null>> =>
  async (_dispatch, getState, services) => {
    const { catalog, ui, session } = getState();
    const shell = services.preload;
    if (!shell) {
      // print.css shows only the receipt marked for printing; the dialog is modal, so this returns after it.
      window.print();
      return null;
    }
    if (!catalog.config) return 'no_config';
    const cashier = session.users.find((u) => u.userId === doc.cashierId)?.displayName;
    const model = receiptModel(doc, catalog.config, ui.lang, services, { ...(cashier ? { cashierName: cashier } : {}), ...(originalSale ? { originalSale } : {}) });
    // Loaded on first use: the encoder is needed only in the shell, not in every browser till.
    const { encodeEscPos } = await import('../../../../shared/pos/escpos');
    const res = await shell.printReceipt(encodeEscPos(model, 48)).catch((err: unknown) => ({ ok: false, error: String(err) }));
    return res.ok ? null : (res.error ?? 'printer_failed');
  };

/** Opens the cash drawer when a tender of the sale opens it (cash), in the shell; nothing in the browser. */
export const openDrawerFor =
  (sale: Sale): AppThunk<Promise<void>> =>
  async (_dispatch, _getState, services) => {
    const shell = services.preload;
    if (!shell) return;
    const opens = sale.tenders.some((t) => services.index?.tender(t.tenderId)?.opensDrawer);
    if (opens) await shell.openDrawer().catch(() => undefined);
  };
