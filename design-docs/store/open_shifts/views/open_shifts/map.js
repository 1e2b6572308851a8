// [storeId, terminalId, shiftId] -> +1 for a shift, -1 for its close. With _sum and group=true a row
// with value 1 is an open shift (a close that arrives before its shift shows -1 until the shift syncs).
function (doc) {
  if (doc.type === 'shift') {
    emit([doc.storeId, doc.terminalId, doc._id], 1);
  } else if (doc.type === 'shiftclose') {
    emit([doc.storeId, doc.terminalId, doc.shiftId], -1);
  }
}
