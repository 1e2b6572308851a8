// The chain dashboard's view over DAY roll-up documents (hq/services/chainDashboard.ts): per business day and
// scope (a store, or `*` for the chain) its totals (section `t`) and sales per local hour (section `h`), one
// row each. Apart from the report view on purpose: a till selling rewrites the chain's month and year
// roll-ups, whose products the report view re-indexes (tens of thousands of rows at 100k products); this
// index takes one small row per changed day document, so a dashboard poll never waits on the big one.
function (doc) {
  if (doc.type !== 'rollup' || doc.level !== 'd' || !doc.s) {
    return;
  }
  var t = doc.s.t && doc.s.t[0] ? doc.s.t[0][1] : [];
  var h = doc.s.h && doc.s.h[0] ? doc.s.h[0][1] : [];
  emit([doc.period, doc.scope], [t, h]);
}
