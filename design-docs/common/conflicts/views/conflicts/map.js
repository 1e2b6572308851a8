// Documents with conflicting revisions (customers, concurrent HQ edits): key id, value the losing revisions.
// CouchDB gives map functions `_conflicts` on the winning revision; the console lists these for review.
function (doc) {
  if (doc._conflicts && doc._conflicts.length) {
    emit(doc._id, doc._conflicts);
  }
}
