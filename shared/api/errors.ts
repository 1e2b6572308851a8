// The one table of errors the HQ and relay APIs answer with (pouchdb-errors style): each code has its HTTP
// status and a message for people in every language the apps speak. Routes throw ApiError with a code from
// this table (and a reason naming what was wrong); server-kit/errors.ts turns it into `{error, reason}`; the apps
// show `message[lang]` for the code. A code missing here is a type error, so no module can invent one.
// Pure: no I/O, runs in Node, the browser and the CLI.

/** Text for people, in each language the apps speak. */
export interface ErrorMessage {
  en: string;
  es: string;
}

interface Spec {
  status: number;
  message: ErrorMessage;
}

const SPECS = {
  // ---- request shape (the parsing kit, shared/api/parse.ts) ----
  invalid_input: { status: 400, message: { en: 'A field has a value that is not accepted.', es: 'Un campo tiene un valor no aceptado.' } },
  unknown_field: { status: 400, message: { en: 'The request has a field that cannot be set here.', es: 'La solicitud tiene un campo que no se puede usar aquí.' } },
  bad_json: { status: 400, message: { en: 'The request body is not valid JSON.', es: 'El cuerpo de la solicitud no es JSON válido.' } },
  bad_request: { status: 400, message: { en: 'The request could not be read.', es: 'No se pudo leer la solicitud.' } },
  too_large: { status: 413, message: { en: 'The request body is too large.', es: 'El cuerpo de la solicitud es demasiado grande.' } },
  nothing_to_change: { status: 400, message: { en: 'The request changes nothing.', es: 'La solicitud no cambia nada.' } },
  not_found: { status: 404, message: { en: 'No such API endpoint.', es: 'No existe ese punto de la API.' } },
  conflict: { status: 409, message: { en: 'Someone else changed this at the same moment; try again.', es: 'Alguien más lo cambió al mismo tiempo; inténtelo de nuevo.' } },
  internal: { status: 500, message: { en: 'An unexpected error happened; it was logged.', es: 'Ocurrió un error inesperado; quedó registrado.' } },
  unavailable: { status: 503, message: { en: 'The service is not available right now.', es: 'El servicio no está disponible ahora.' } },

  // ---- sign-in and sessions ----
  unauthenticated: { status: 401, message: { en: 'Sign in first.', es: 'Inicie sesión primero.' } },
  missing_credentials: { status: 400, message: { en: 'Give a username and a password or PIN.', es: 'Indique usuario y contraseña o NIP.' } },
  invalid_credentials: { status: 401, message: { en: 'Wrong username, password or PIN.', es: 'Usuario, contraseña o NIP incorrectos.' } },
  too_many_attempts: { status: 429, message: { en: 'Too many failed sign-ins; wait and try again.', es: 'Demasiados intentos fallidos; espere e inténtelo de nuevo.' } },
  user_locked: { status: 429, message: { en: 'Too many wrong PINs; this user is locked for a while.', es: 'Demasiados NIP incorrectos; el usuario está bloqueado un tiempo.' } },
  user_inactive: { status: 401, message: { en: 'This account is deactivated.', es: 'Esta cuenta está desactivada.' } },
  token_expired: { status: 401, message: { en: 'The session has expired; sign in again.', es: 'La sesión expiró; inicie sesión de nuevo.' } },
  token_invalid: { status: 401, message: { en: 'The token is not valid.', es: 'El token no es válido.' } },
  refresh_invalid: { status: 401, message: { en: 'The session cannot be renewed; sign in again.', es: 'La sesión no se puede renovar; inicie sesión de nuevo.' } },
  refresh_expired: { status: 401, message: { en: 'The session has expired; sign in again.', es: 'La sesión expiró; inicie sesión de nuevo.' } },
  permission_denied: { status: 403, message: { en: 'You do not have permission to do this.', es: 'No tiene permiso para hacer esto.' } },

  // ---- staff and roles ----
  invalid_username: { status: 400, message: { en: 'A username is 2 to 32 of a-z, 0-9, dot, dash or underscore.', es: 'Un usuario tiene de 2 a 32 caracteres a-z, 0-9, punto, guion o guion bajo.' } },
  username_taken: { status: 409, message: { en: 'That username is taken.', es: 'Ese nombre de usuario ya existe.' } },
  weak_password: { status: 400, message: { en: 'A password has 10 to 256 characters.', es: 'Una contraseña tiene de 10 a 256 caracteres.' } },
  invalid_pin: { status: 400, message: { en: 'A PIN is 4 to 6 digits.', es: 'Un NIP tiene de 4 a 6 dígitos.' } },
  user_not_found: { status: 404, message: { en: 'No such user.', es: 'No existe ese usuario.' } },
  unknown_role: { status: 400, message: { en: 'A role given does not exist.', es: 'Un rol indicado no existe.' } },
  invalid_role_code: { status: 400, message: { en: 'A role code is 2 to 32 of a-z, 0-9 or underscore.', es: 'Un código de rol tiene de 2 a 32 caracteres a-z, 0-9 o guion bajo.' } },
  unknown_permission: { status: 400, message: { en: 'A permission given does not exist.', es: 'Un permiso indicado no existe.' } },
  invalid_discount_limit: { status: 400, message: { en: 'A discount limit is 0 to 10000 basis points.', es: 'Un límite de descuento es de 0 a 10000 puntos base.' } },
  invalid_store_roles: { status: 400, message: { en: 'Store roles map store codes to lists of role ids.', es: 'Los roles por tienda asocian códigos de tienda a listas de roles.' } },
  unknown_store: { status: 400, message: { en: 'A store given does not exist.', es: 'Una tienda indicada no existe.' } },

  // ---- stores and provisioning ----
  invalid_store_code: { status: 400, message: { en: 'A store code is 2 to 12 letters A-Z or digits, e.g. S001.', es: 'Un código de tienda tiene de 2 a 12 letras A-Z o dígitos, p. ej. S001.' } },
  invalid_store_name: { status: 400, message: { en: 'A store needs a name of 1 to 120 characters.', es: 'Una tienda necesita un nombre de 1 a 120 caracteres.' } },
  invalid_time_zone: { status: 400, message: { en: 'That is not an IANA time zone (e.g. America/Mexico_City).', es: 'No es una zona horaria IANA (p. ej. America/Mexico_City).' } },
  store_exists: { status: 409, message: { en: 'A store with that code already exists.', es: 'Ya existe una tienda con ese código.' } },
  store_not_found: { status: 404, message: { en: 'No such store.', es: 'No existe esa tienda.' } },
  store_suspended: { status: 403, message: { en: 'This store is suspended at HQ.', es: 'Esta tienda está suspendida en la central.' } },
  store_credential_invalid: { status: 401, message: { en: 'The store credential is not valid (revoked or re-provisioned).', es: 'La credencial de la tienda no es válida (revocada o reemplazada).' } },
  invalid_ttl: { status: 400, message: { en: 'A token lives between a moment and 30 days (ttlHours up to 720).', es: 'Un token dura entre un momento y 30 días (ttlHours hasta 720).' } },
  token_malformed: { status: 400, message: { en: 'This is not a Caja sync token; copy it again from HQ.', es: 'No es un token de sincronización de Caja; cópielo de nuevo de la central.' } },
  token_unknown: { status: 401, message: { en: 'The store of this token does not exist at this HQ.', es: 'La tienda de este token no existe en esta central.' } },
  token_revoked: { status: 401, message: { en: 'This sync token was revoked; generate a new one at HQ.', es: 'Este token fue revocado; genere uno nuevo en la central.' } },
  token_used: { status: 410, message: { en: 'This sync token was already used; generate a new one at HQ.', es: 'Este token ya se usó; genere uno nuevo en la central.' } },
  invalid_heartbeat: { status: 400, message: { en: 'The heartbeat is not well formed.', es: 'El latido no tiene el formato correcto.' } },

  // ---- catalog ----
  product_not_found: { status: 404, message: { en: 'No such product.', es: 'No existe ese producto.' } },
  invalid_price: { status: 400, message: { en: 'A price is a whole number of cents from 0 to 1,000,000,000.', es: 'Un precio es un número entero de centavos de 0 a 1,000,000,000.' } },
  invalid_barcode: { status: 400, message: { en: 'A barcode is an EAN-13, UPC-A or EAN-8 with a correct check digit.', es: 'Un código de barras es EAN-13, UPC-A o EAN-8 con dígito verificador correcto.' } },
  barcode_taken: { status: 409, message: { en: 'Another product already carries that barcode.', es: 'Otro producto ya tiene ese código de barras.' } },
  unknown_reference: { status: 400, message: { en: 'The department, tax group or supplier given does not exist.', es: 'El departamento, grupo de impuestos o proveedor indicado no existe.' } },
  invalid_document: { status: 400, message: { en: 'The document would not be valid.', es: 'El documento no sería válido.' } },
  invalid_field: { status: 400, message: { en: 'That field cannot be changed here.', es: 'Ese campo no se puede cambiar aquí.' } },
  rev_required: { status: 400, message: { en: 'Send the revision (_rev) of the version you edited.', es: 'Envíe la revisión (_rev) de la versión que editó.' } },
  stale_edit: { status: 409, message: { en: 'Someone else changed this after you opened it.', es: 'Alguien más lo cambió después de que usted lo abrió.' } },
  code_taken: { status: 409, message: { en: 'That code is already in use: open the existing one to change it.', es: 'Ese código ya está en uso: abra el existente para cambiarlo.' } },
  sku_taken: { status: 409, message: { en: 'A product with that SKU already exists.', es: 'Ya existe un producto con ese SKU.' } },
  inactive_reference: { status: 400, message: { en: 'The department, tax group or tax rate chosen is deactivated: choose an active one or reactivate it.', es: 'El departamento, grupo de impuestos o tasa elegido está desactivado: elija uno activo o reactívelo.' } },

  // ---- relay: provisioning, terminals, day close ----
  not_provisioned: { status: 400, message: { en: 'This relay is not provisioned yet: start it with a sync token from HQ.', es: 'Este relevo aún no está aprovisionado: inícielo con un token de la central.' } },
  already_provisioned: { status: 400, message: { en: 'This relay is provisioned for another store.', es: 'Este relevo está aprovisionado para otra tienda.' } },
  hq_change_refused: { status: 400, message: { en: 'The token names another HQ; confirm the move explicitly.', es: 'El token indica otra central; confirme el cambio explícitamente.' } },
  setup_code_required: { status: 403, message: { en: "This needs the relay's setup code.", es: 'Esto requiere el código de instalación del relevo.' } },
  hq_unreachable: { status: 502, message: { en: 'HQ did not answer.', es: 'La central no respondió.' } },
  provision_failed: { status: 400, message: { en: 'Provisioning failed.', es: 'El aprovisionamiento falló.' } },
  invalid_pairing_code: { status: 401, message: { en: 'Unknown pairing code.', es: 'Código de emparejamiento desconocido.' } },
  pairing_code_used: { status: 401, message: { en: 'This pairing code was already used.', es: 'Este código de emparejamiento ya se usó.' } },
  pairing_code_expired: { status: 401, message: { en: 'This pairing code has expired.', es: 'Este código de emparejamiento expiró.' } },
  pairing_throttled: { status: 429, message: { en: 'Too many wrong pairing codes; wait, or pair with a manager PIN.', es: 'Demasiados códigos incorrectos; espere o empareje con el NIP de un gerente.' } },
  terminal_credential_invalid: { status: 401, message: { en: 'This terminal is not paired (or was unpaired).', es: 'Esta terminal no está emparejada (o se desemparejó).' } },
  terminal_not_found: { status: 404, message: { en: 'No such terminal.', es: 'No existe esa terminal.' } },
  too_many_terminals: { status: 400, message: { en: 'No terminal id left.', es: 'No quedan identificadores de terminal.' } },
  invalid_business_date: { status: 400, message: { en: 'A business date is YYYY-MM-DD.', es: 'Una fecha de negocio es AAAA-MM-DD.' } },
  future_business_date: { status: 400, message: { en: 'A day in the future cannot be closed.', es: 'No se puede cerrar un día futuro.' } },
  before_store_opened: { status: 400, message: { en: 'The store did not exist on that day.', es: 'La tienda no existía ese día.' } },
  invalid_period: { status: 400, message: { en: 'The start of the period is after its end.', es: 'El inicio del periodo es posterior a su fin.' } },
  invalid_count: { status: 400, message: { en: 'A cash count is a whole number of each denomination.', es: 'Un arqueo es un número entero de cada denominación.' } },
  day_closed: { status: 409, message: { en: 'That day is already closed.', es: 'Ese día ya está cerrado.' } },
  no_store_config: { status: 400, message: { en: 'The store configuration has not arrived from HQ yet.', es: 'La configuración de la tienda aún no llega de la central.' } },

  // ---- HQ records: sales browser, customers, store configuration, store prices in bulk (issue #12) ----
  invalid_cursor: { status: 400, message: { en: 'The page cursor is not valid; start from the first page.', es: 'El cursor de página no es válido; empiece desde la primera página.' } },
  sale_not_found: { status: 404, message: { en: 'No such sale.', es: 'No existe esa venta.' } },
  customer_not_found: { status: 404, message: { en: 'No such customer.', es: 'No existe ese cliente.' } },
  customer_conflict_not_found: { status: 404, message: { en: 'This customer has no conflict to review.', es: 'Este cliente no tiene un conflicto por revisar.' } },
  unknown_revision: { status: 400, message: { en: 'That revision is not one of the kept losing revisions.', es: 'Esa revisión no es una de las revisiones perdedoras guardadas.' } },
  too_many_lines: { status: 400, message: { en: 'Send 1 to 5,000 lines at a time.', es: 'Envíe de 1 a 5,000 líneas a la vez.' } },
  invalid_lines: { status: 400, message: { en: 'Some lines are not valid; nothing was written.', es: 'Algunas líneas no son válidas; no se escribió nada.' } },

  // ---- reports (issue #13) ----
  period_too_long: { status: 400, message: { en: 'A report covers at most 3 years.', es: 'Un reporte abarca como máximo 3 años.' } },
  store_required: { status: 400, message: { en: 'This report is of one store: choose the store.', es: 'Este reporte es de una sola tienda: elija la tienda.' } },
  shift_not_found: { status: 404, message: { en: 'No such register session at this store.', es: 'No existe esa sesión de caja en esta tienda.' } },
  reports_updating: {
    status: 503,
    message: { en: 'Reports are being rebuilt after an update; try again in a few minutes.', es: 'Los reportes se están reconstruyendo tras una actualización; inténtelo de nuevo en unos minutos.' },
  },
} as const satisfies Record<string, Spec>;

export type ErrorCode = keyof typeof SPECS;

/** One error of the table: its code, HTTP status and message for people. */
export interface ErrorEntry {
  code: ErrorCode;
  status: number;
  message: ErrorMessage;
}

/** The table, each entry carrying its own code (what a client switches on). */
export const ERRORS: Readonly<Record<ErrorCode, ErrorEntry>> = Object.freeze(
  Object.fromEntries(Object.entries(SPECS).map(([code, spec]) => [code, { code, ...spec }])) as Record<ErrorCode, ErrorEntry>,
);

/** True for a code of the table (codes that arrive from another process, e.g. HQ's answer to a relay). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(SPECS, value);
}

/**
 * An error an API answers with: a code of the table, the HTTP status (the table's unless a legacy call site
 * says otherwise), a reason for this occurrence (naming the field or the record), and optional details.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string = ERRORS[code].message.en,
    readonly details?: Record<string, unknown>,
    /** The request field the error is about (`name`, `barcodes[1]`), when it is about one. */
    readonly field?: string,
  ) {
    super(message);
    // The name the logs have always shown for these errors.
    this.name = 'CajaError';
  }
}

/** An ApiError with the table's status for `code`. */
export function apiError(code: ErrorCode, reason?: string, opts: { details?: Record<string, unknown>; field?: string } = {}): ApiError {
  return new ApiError(ERRORS[code].status, code, reason ?? ERRORS[code].message.en, opts.details, opts.field);
}

/** The message for people of a code, in a language (English when the code is unknown to this build). */
export function errorMessage(code: string, lang: keyof ErrorMessage = 'en'): string {
  return isErrorCode(code) ? ERRORS[code].message[lang] : ERRORS.internal.message[lang];
}
