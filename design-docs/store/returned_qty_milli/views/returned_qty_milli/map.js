// [originalSaleId, lineNo] -> returned quantity x 1000 (integer thousandths, so weighed quantities add
// exactly: 0.1 + 0.2 is not 0.3 in floating point). _sum, group=true: what is already returned per line.
function (doc) {
  if (doc.type === 'return' && doc.lines) {
    for (var i = 0; i < doc.lines.length; i++) {
      var line = doc.lines[i];
      emit([doc.originalSaleId, line.lineNo], Math.round(line.qty * 1000));
    }
  }
}
