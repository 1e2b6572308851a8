// The till's top level: setup until the terminal is paired and its catalog is in, then the PIN login, then the
// cashier's screens inside the shell. The barcode scanner listens on every screen.
import { parseReceiptNumber } from '../../../shared/model/ids';
import { useAppDispatch, useAppSelector } from './store';
import { useBarcodeScanner } from './scanner';
import { Shell } from './Shell';
import { SetupView } from '../features/setup/SetupView';
import { LoginView } from '../features/session/LoginView';
import { scanCode } from '../features/sale/saleSlice';
import { findReceipt } from '../features/returns/returnsSlice';
import { scanForStock } from '../features/stock/stockSlice';
import { scanForTransfer } from '../features/transfers/transfersSlice';
import { ApprovalDialog } from '../features/approval/ApprovalDialog';

export function App() {
  const dispatch = useAppDispatch();
  const phase = useAppSelector((s) => s.setup.phase);
  const user = useAppSelector((s) => s.session.user);
  const screen = useAppSelector((s) => s.ui.screen);

  useBarcodeScanner((code) => {
    if (!user) return;
    // On the returns screen a scan is the receipt's barcode; a product scanned there still rings it up.
    if (screen === 'returns' && parseReceiptNumber(code.toUpperCase())) void dispatch(findReceipt(code));
    else if (screen === 'stock') dispatch(scanForStock(code));
    else if (screen === 'transfers') dispatch(scanForTransfer(code));
    else dispatch(scanCode(code));
  });

  if (phase !== 'ready') return <SetupView />;
  if (!user) return <LoginView />;
  return (
    <>
      <Shell />
      <ApprovalDialog />
    </>
  );
}
