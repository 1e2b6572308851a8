// [storeId, businessDate, terminalId] -> [count, total, taxTotal, discountTotal] (minor units).
// _sum adds arrays element-wise, natively in CouchDB and PouchDB, so no JS reduce is needed.
function (doc) {
  if (doc.type === 'sale') {
    emit([doc.storeId, doc.businessDate, doc.terminalId], [1, doc.total, doc.taxTotal, doc.discountTotal]);
  }
}
