// Barcode -> sku, one row per barcode of a product (inactive ones too: a scan of one must say so).
function (doc) {
  if (doc.type === 'product' && doc.barcodes && doc.barcodes.length) {
    for (var i = 0; i < doc.barcodes.length; i++) {
      emit(doc.barcodes[i], doc.sku);
    }
  }
}
