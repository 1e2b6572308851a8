// Every typed document by type; with _count, the number of documents of each type (group=true).
function (doc) {
  if (typeof doc.type === 'string') {
    emit(doc.type, null);
  }
}
