// Shape, ownership and immutability (shared/model/access.ts checkWrite), for a 'catalog' database.
// CAJA_VALIDATOR is replaced at deploy time by the esbuild bundle of shared/model (an IIFE expression), so the
// server's JavaScript engine needs no require(). Throwing {forbidden} makes CouchDB answer 403 with the reason.
function (newDoc, oldDoc, userCtx, secObj) {
  var caja = CAJA_VALIDATOR;
  var reason = caja.checkWrite('catalog', newDoc, oldDoc, userCtx);
  if (reason !== null) {
    throw { forbidden: reason };
  }
}
