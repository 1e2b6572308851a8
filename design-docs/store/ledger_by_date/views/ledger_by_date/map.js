// The ledger documents of a day, for the roll-up job (shared/reports/rollup.ts) to read one store day with
// include_docs, and the documents of a register session (for the late-arrival check of a closed day).
// ['b', businessDate] for documents that carry a business date (sale, void, return, shift, zreport);
// ['u', UTC date of when it was made] for those that do not (register close, cash movement, stock move,
// transfer, transfer arrival): the map cannot know the store's zone, so the reader takes the UTC days around
// the local day and keeps what falls on it; ['s', shiftId] for everything rung in a register session.
// No value and no reduce: the index stays small.
function (doc) {
  var t = doc.type;
  var at;
  if (t === 'sale' || t === 'void' || t === 'return' || t === 'shift' || t === 'zreport') {
    if (typeof doc.businessDate === 'string') {
      emit(['b', doc.businessDate], null);
    }
  } else if (t === 'shiftclose' || t === 'cash' || t === 'move' || t === 'transfer' || t === 'receipt') {
    at = t === 'shiftclose' ? doc.closedAt : doc.createdAt;
    if (typeof at === 'string') {
      emit(['u', at.slice(0, 10)], null);
    }
  } else {
    return;
  }
  if (typeof doc.shiftId === 'string' && t !== 'shift') {
    emit(['s', doc.shiftId], null);
  }
}
