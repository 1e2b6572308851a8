// [storeId, businessDate, terminalId] of the void -> [count, voided total] (minor units); net sales of a
// day = sales_totals - voids_by_date for the same key.
function (doc) {
  if (doc.type === 'void') {
    emit([doc.storeId, doc.businessDate, doc.terminalId], [1, doc.total]);
  }
}
