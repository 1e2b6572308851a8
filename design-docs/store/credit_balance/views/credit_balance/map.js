// Holder id (`customer:<uuid>` or `giftcard:<number>`) -> signed amount of one credit entry (minor units).
// With _sum and group=true (or ?key=...) a row is the holder's balance: money is never a field on the
// customer, which any till may overwrite, but the sum of immutable entries each written by one terminal.
// Entries of another store count once they are in this database (routed by HQ), so a store's balance is
// what it has seen of the chain; the sum at HQ over the stores' databases is the chain's.
function (doc) {
  if (doc.type === 'credit' && typeof doc.amount === 'number') {
    var holder = doc.customerId || doc.giftCardId;
    if (typeof holder === 'string') {
      emit(holder, doc.amount);
    }
  }
}
