// The report view over roll-up documents (shared/reports: rollup.ts writes them, layout.ts lays out their
// figures, rows.ts emitRollup is this function in TypeScript and a test keeps the two equal). Every entry of
// every section is emitted as [section, scope, level, period, ...entry key] -> integer array; `_sum` adds the
// arrays element-wise, natively, so a report reads a few reduced rows per range of periods (group_level = the
// key length). A store's totals are also emitted as ['ts', level, period, store], so a per-store comparison
// of a period is one key range; the chain's products also as ['pp', '*', productId, level, period], so one
// product over time is one key range. A store's DAY documents leave out their large sections (products `p`,
// departments `d`, stock `k`): its month and year documents and all chain documents emit them, and reports
// read a store's partial months from its day documents directly, which keeps this index small.
// Roll-up documents are derived data with one writer (the roll-up job of the database): the job overwrites
// them when a day's documents change, which is fine because nothing else writes them and nothing replicates
// them; the ledger documents they are computed from stay immutable.
function (doc) {
  var name, entries, i, e, key;
  if (doc.type !== 'rollup' || !doc.s) {
    return;
  }
  var chain = doc.scope === '*';
  var wide = chain || doc.level !== 'd';
  for (name in doc.s) {
    if (!wide && (name === 'p' || name === 'd' || name === 'k')) {
      continue;
    }
    entries = doc.s[name];
    for (i = 0; i < entries.length; i++) {
      e = entries[i];
      key = [name, doc.scope, doc.level, doc.period].concat(e[0]);
      emit(key, e[1]);
      if (name === 'p' && chain) {
        emit(['pp', doc.scope, e[0][0], doc.level, doc.period], e[1]);
      }
      if (name === 't' && !chain) {
        emit(['ts', doc.level, doc.period, doc.scope], e[1]);
      }
    }
  }
}
