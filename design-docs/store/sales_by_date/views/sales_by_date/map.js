// [storeId, businessDate] -> sale total (minor units); _stats gives count, sum, min, max per day.
// Voids are not subtracted here: see voids_by_date.
function (doc) {
  if (doc.type === 'sale') {
    emit([doc.storeId, doc.businessDate], doc.total);
  }
}
