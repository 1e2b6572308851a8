// pouchdb-adapter-indexeddb ships no types; it is a PouchDB plugin like the adapters @types/pouchdb covers.
declare module 'pouchdb-adapter-indexeddb' {
  const plugin: PouchDB.Plugin;
  export default plugin;
}
