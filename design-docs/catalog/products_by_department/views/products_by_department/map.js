// [departmentId, sku] -> null; with _count and group_level=1, the number of products per department.
function (doc) {
  if (doc.type === 'product') {
    emit([doc.departmentId, doc.sku], null);
  }
}
