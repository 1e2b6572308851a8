// The reports database (`caja-reports`) holds derived roll-up documents written by one writer, the roll-up
// job of the process that owns the CouchDB (shared/model/access.ts checkWrite 'reports': server admins only).
// CAJA_VALIDATOR is replaced at deploy time by the esbuild bundle of shared/model, as in every database.
function (newDoc, oldDoc, userCtx, secObj) {
  var caja = CAJA_VALIDATOR;
  var reason = caja.checkWrite('reports', newDoc, oldDoc, userCtx);
  if (reason !== null) {
    throw { forbidden: reason };
  }
}
