// [storeId, productId] -> signed quantity x 1000 (integer thousandths; see returned_qty_milli). Stock is
// derived, never stored: moves (signed), sales (-), voids (+, the void carries the sale's lines), returns
// put back in stock (+), transfers (- at the source), transfer receipts (+ at the destination).
function (doc) {
  var i, line, sign, store;
  var lines = doc.lines;
  if (!lines || !lines.length) {
    return;
  }
  if (doc.type === 'move') {
    sign = 1;
    store = doc.storeId;
  } else if (doc.type === 'sale') {
    sign = -1;
    store = doc.storeId;
  } else if (doc.type === 'void') {
    sign = 1;
    store = doc.storeId;
  } else if (doc.type === 'return') {
    sign = 1;
    store = doc.storeId;
  } else if (doc.type === 'transfer') {
    sign = -1;
    store = doc.fromStoreId;
  } else if (doc.type === 'receipt') {
    sign = 1;
    store = doc.storeId;
  } else {
    return;
  }
  for (i = 0; i < lines.length; i++) {
    line = lines[i];
    if (doc.type === 'return' && line.restock !== true) {
      continue;
    }
    emit([store, line.productId], sign * Math.round(line.qty * 1000));
  }
}
