// [storeId, businessDate, quarter] -> [sales, total, tax, discounts, voids, voided total, returns, refunded]
// (counts and minor units; _sum adds the arrays element-wise, natively). `quarter` is the quarter hour of the
// document's createdAt counted from 00:00 UTC of its business date (negative before it): every time zone's
// offset from UTC is a whole number of quarter hours, so HQ turns each quarter into the store's local hour
// exactly (hq/services/chainDashboard.ts) without the view knowing the zone. group_level=2 is a store's day,
// group_level=3 its day by quarter hour. A voided sale stays in the sales columns (its void carries the
// total but not the tax or discounts): HQ takes voided sales out, see voids_by_date.
function (doc) {
  var value;
  if (doc.type === 'sale') {
    value = [1, doc.total, doc.taxTotal, doc.discountTotal, 0, 0, 0, 0];
  } else if (doc.type === 'void') {
    value = [0, 0, 0, 0, 1, doc.total, 0, 0];
  } else if (doc.type === 'return') {
    value = [0, 0, 0, 0, 0, 0, 1, doc.total];
  } else {
    return;
  }
  var at = Date.parse(doc.createdAt);
  var dayStart = Date.parse(doc.businessDate + 'T00:00:00Z');
  if (isNaN(at) || isNaN(dayStart)) {
    return;
  }
  emit([doc.storeId, doc.businessDate, Math.floor((at - dayStart) / 900000)], value);
}
