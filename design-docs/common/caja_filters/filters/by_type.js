// JS filter kept for comparison in `caja bench` only: replication should use the Mango selectors of
// shared/sync/selectors.ts, because a JS filter runs per change per replication (design.md).
// Query parameter `type`: a comma-separated list of document types.
function (doc, req) {
  var wanted = req && req.query && req.query.type;
  if (typeof wanted !== 'string' || typeof doc.type !== 'string') {
    return false;
  }
  return wanted.split(',').indexOf(doc.type) >= 0;
}
