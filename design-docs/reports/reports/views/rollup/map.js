// The report view over roll-up documents (shared/reports: rollup.ts writes them, layout.ts lays out their
// figures, rows.ts emitRollup is this function in TypeScript and a test keeps the two equal). Every entry of
// every section is emitted as [section, scope, level, period, ...entry key] -> integer array; `_sum` adds the
// arrays element-wise, natively, so a report reads a few reduced rows per range of periods (group_level = the
// key length). A store's totals are also emitted as ['ts', level, period, store], so a per-store comparison
// of a period is one key range; the chain's products also as ['pp', '*', productId, level, period], so one
// product over time is one key range. A store's DAY documents leave out their large sections (products `p`,
// departments `d`, stock `k`): its month and year documents and all chain documents emit them, and reports
// read a store's partial months from its day documents directly, which keeps this index small. Their
// departments are also emitted department first, ['dd', scope, departmentId, level, period], a few rows a day,
// so a department's days are one key range; cashiers likewise, ['cc', scope, cashierId, level, period], and
// summed, ['ct', scope, level, period]. Discounts over time are emitted pre-combined, per cashier ['dc', scope,
// cashierId, level, period] and in total ['dt', scope, level, period], as [gross sales (C.GROSS of `c`),
// discounts given (DK.COUNT of `dk`), their amount (DK.AMOUNT)]: one row per day instead of one per kind,
// approval and cashier; the per-cashier ones also period first, ['dp', scope, level, period, cashierId], so every
// cashier's discounts over a range are one row per cashier and period. Discounts summed over cashiers, ['dka',
// scope, level, period, kind, approval], and one cashier's by kind and approval, ['kc', scope, cashierId, level,
// period, kind, approval]: a chain's discount analysis never reads a row per kind, approval AND cashier.
// A Z's headline vector (the `v` part of `z`) is emitted alone too, ['zv', scope, level,
// period], so a ZZ's series over a year of days reads one row a day instead of a dozen.
// Roll-up documents are derived data with one writer (the roll-up job of the database): the job overwrites
// them when a day's documents change, which is fine because nothing else writes them and nothing replicates
// them; the ledger documents they are computed from stay immutable.
function (doc) {
  var name, entries, i, j, e, key, cashier, ct, ka;
  var dc = {};
  var dcIds = [];
  var dka = {};
  var dkaIds = [];
  var dcOf = function (id) {
    if (!Object.prototype.hasOwnProperty.call(dc, id)) {
      dc[id] = [0, 0, 0];
      dcIds.push(id);
    }
    return dc[id];
  };
  if (doc.type !== 'rollup' || !doc.s) {
    return;
  }
  var chain = doc.scope === '*';
  var wide = chain || doc.level !== 'd';
  for (name in doc.s) {
    entries = doc.s[name];
    if (name === 'd') {
      for (i = 0; i < entries.length; i++) {
        emit(['dd', doc.scope, entries[i][0][0], doc.level, doc.period], entries[i][1]);
      }
    }
    if (name === 'c') {
      ct = [];
      for (i = 0; i < entries.length; i++) {
        e = entries[i];
        emit(['cc', doc.scope, e[0][0], doc.level, doc.period], e[1]);
        for (j = 0; j < e[1].length; j++) {
          ct[j] = (ct[j] || 0) + (e[1][j] || 0);
        }
        dcOf(e[0][0] || '')[0] += e[1][12] || 0;
      }
      emit(['ct', doc.scope, doc.level, doc.period], ct);
    }
    if (name === 'dk') {
      for (i = 0; i < entries.length; i++) {
        e = entries[i];
        cashier = dcOf(e[0][2] || '');
        cashier[1] += e[1][0] || 0;
        cashier[2] += e[1][1] || 0;
        emit(['kc', doc.scope, e[0][2] || '', doc.level, doc.period, e[0][0], e[0][1]], e[1]);
        key = JSON.stringify([e[0][0], e[0][1]]);
        if (!Object.prototype.hasOwnProperty.call(dka, key)) {
          dka[key] = [0, 0];
          dkaIds.push(key);
        }
        ka = dka[key];
        ka[0] += e[1][0] || 0;
        ka[1] += e[1][1] || 0;
      }
      dkaIds.sort();
      for (i = 0; i < dkaIds.length; i++) {
        emit(['dka', doc.scope, doc.level, doc.period].concat(JSON.parse(dkaIds[i])), dka[dkaIds[i]]);
      }
    }
    if (!wide && (name === 'p' || name === 'd' || name === 'k')) {
      continue;
    }
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
      if (name === 'z' && e[0].length === 1 && e[0][0] === 'v') {
        emit(['zv', doc.scope, doc.level, doc.period], e[1]);
      }
    }
  }
  if (dcIds.length) {
    var total = [0, 0, 0];
    dcIds.sort();
    for (i = 0; i < dcIds.length; i++) {
      e = dc[dcIds[i]];
      emit(['dc', doc.scope, dcIds[i], doc.level, doc.period], e);
      emit(['dp', doc.scope, doc.level, doc.period, dcIds[i]], e);
      total[0] += e[0];
      total[1] += e[1];
      total[2] += e[2];
    }
    emit(['dt', doc.scope, doc.level, doc.period], total);
  }
}
