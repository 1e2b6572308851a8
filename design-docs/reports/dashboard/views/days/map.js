// The chain dashboard's view over a store's DAY roll-up documents (hq/services/chainDashboard.ts): per
// business day and store its totals (section `t`) and sales per local hour (section `h`), one row each; the
// chain's figures are the sum of its stores' (the chain's own roll-ups, in their own database at HQ, are left
// out). Apart from the report view on purpose: a till selling rewrites its store's month and year roll-ups,
// whose products and cashiers the report view re-indexes; this index takes one small row per changed day
// document, so a dashboard poll never waits on the big one.
function (doc) {
  if (doc.type !== 'rollup' || doc.level !== 'd' || doc.scope === '*' || !doc.s) {
    return;
  }
  var t = doc.s.t && doc.s.t[0] ? doc.s.t[0][1] : [];
  var h = doc.s.h && doc.s.h[0] ? doc.s.h[0][1] : [];
  emit([doc.period, doc.scope], [t, h]);
}
