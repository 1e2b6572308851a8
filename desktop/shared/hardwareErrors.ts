// The messages a cashier or manager reads when a printer or the drawer fails, in both languages, each saying what
// to do next. One table keyed by error code: a new code without its message is a type error.
import type { I18nText } from '../../shared/model/types';
import type { HardwareError, HardwareErrorCode } from './ipc';

const MESSAGES: Record<HardwareErrorCode, I18nText> = {
  not_configured: {
    en: 'No receipt printer is set up. A manager can choose one in Printer settings.',
    es: 'No hay impresora de tickets configurada. Un gerente puede elegirla en Ajustes de impresora.',
  },
  offline: {
    en: 'The printer is off or disconnected. Turn it on, check its cable or network, then try again.',
    es: 'La impresora está apagada o desconectada. Enciéndala, revise el cable o la red y vuelva a intentarlo.',
  },
  timeout: {
    en: 'The printer did not answer. Check that it is on and not showing an error light, then try again.',
    es: 'La impresora no respondió. Revise que esté encendida y sin luz de error, y vuelva a intentarlo.',
  },
  paper_out: {
    en: 'The printer is out of paper. Load a new roll, close the cover, then try again.',
    es: 'La impresora no tiene papel. Coloque un rollo nuevo, cierre la tapa y vuelva a intentarlo.',
  },
  no_permission: {
    en: 'This computer does not allow the app to use the USB printer. Ask a manager to check the printer setup.',
    es: 'Este equipo no permite a la aplicación usar la impresora USB. Pida a un gerente que revise la instalación.',
  },
  unsupported: {
    en: 'This kind of printer connection is not available on this computer. Choose another in Printer settings.',
    es: 'Este tipo de conexión de impresora no está disponible en este equipo. Elija otra en Ajustes de impresora.',
  },
  io_error: {
    en: 'The printer stopped answering while printing. Check it, then try again.',
    es: 'La impresora dejó de responder mientras imprimía. Revísela y vuelva a intentarlo.',
  },
  invalid_input: {
    en: 'The app sent the printer something it cannot print. Try again; if it happens again, tell a manager.',
    es: 'La aplicación envió algo que no se puede imprimir. Vuelva a intentarlo; si se repite, avise a un gerente.',
  },
  forbidden: {
    en: 'This page may not use the printer.',
    es: 'Esta página no puede usar la impresora.',
  },
  internal: {
    en: 'Something went wrong with the printer connection. Try again; if it happens again, tell a manager.',
    es: 'Algo falló en la conexión con la impresora. Vuelva a intentarlo; si se repite, avise a un gerente.',
  },
};

// Added after a failed receipt so the cashier knows nothing is lost: the sale was committed before printing.
const RECEIPT_NOTE: I18nText = {
  en: 'The sale is saved; reprint the receipt from the journal.',
  es: 'La venta está guardada; reimprima el ticket desde el diario.',
};
// Added after a failed drawer kick: the cashier still has to give change.
const DRAWER_NOTE: I18nText = {
  en: 'Open the drawer with its key.',
  es: 'Abra el cajón con su llave.',
};

export type HardwareContext = 'receipt' | 'drawer' | 'other';

/** The cashier's message for an error code, with the note that fits what was being done. */
export function hardwareMessage(code: HardwareErrorCode, context: HardwareContext = 'other'): I18nText {
  const base = MESSAGES[code];
  const note = context === 'receipt' ? RECEIPT_NOTE : context === 'drawer' ? DRAWER_NOTE : null;
  if (!note) return { ...base };
  return { en: `${base.en} ${note.en}`, es: `${base.es} ${note.es}` };
}

/** A HardwareError with its message. */
export function hardwareError(code: HardwareErrorCode, detail: string, context: HardwareContext = 'other'): HardwareError {
  return { code, message: hardwareMessage(code, context), detail };
}
