// The receipt as printed (shared/pos/receipt.ts, 48 columns of 80 mm paper), shown on screen. A printable
// preview also puts a copy straight under <body>, outside any dialog: print.css prints only that copy, so
// the dialog's position, transforms and scroll area never move or clip the paper.
import { useMemo } from 'react';
import { createPortal } from 'react-dom';
import type { Return, Sale } from '../../../../shared/model/types';
import { renderText } from '../../../../shared/pos/receipt';
import { useServices } from '../../app/servicesContext';
import { useAppSelector } from '../../app/store';
import { receiptModel } from './printing';

export function ReceiptPreview({ doc, originalSale, printable = true, label }: { doc: Sale | Return; originalSale?: Sale; printable?: boolean; label: string }) {
  const services = useServices();
  const config = useAppSelector((s) => s.catalog.config);
  const lang = useAppSelector((s) => s.ui.lang);
  const users = useAppSelector((s) => s.session.users);
  const text = useMemo(() => {
    if (!config) return '';
    const cashier = users.find((u) => u.userId === doc.cashierId)?.displayName;
    return renderText(receiptModel(doc, config, lang, services, { ...(cashier ? { cashierName: cashier } : {}), ...(originalSale ? { originalSale } : {}) }), 48);
  }, [doc, originalSale, config, lang, users, services]);
  return (
    <div className="caja-receipt-fit">
      <pre className="caja-receipt" aria-label={label} role="document">
        {text}
      </pre>
      {printable &&
        createPortal(
          <pre className="caja-print-area" data-print="receipt" aria-label={label} role="document">
            {text}
          </pre>,
          document.body,
        )}
    </div>
  );
}
