// Receipt number -> document type: 'sale' or 'return' (the receipt itself), and 'void' when the sale with
// that number was voided (a void carries the sale's receipt number), so one lookup tells both.
function (doc) {
  if ((doc.type === 'sale' || doc.type === 'return' || doc.type === 'void') && doc.receiptNumber) {
    emit(doc.receiptNumber, doc.type);
  }
}
